"""Backends that turn dialogues into responses, and the per-process model cache.

Importing this package is cheap (no torch); the implementations are imported when a
backend is first loaded.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

from generation.backends.kinds import (
    ADAPTER,
    ALL_KINDS,
    GENERATION_KINDS,
    HF_CAUSAL,
    HF_SEQ2SEQ,
    IMPORTED,
)
from generation.errors import GenerationError
from generation.types import DecodingSettings, DialogueInput, GenerationResult

__all__ = [
    "ADAPTER",
    "ALL_KINDS",
    "GENERATION_KINDS",
    "HF_CAUSAL",
    "HF_SEQ2SEQ",
    "IMPORTED",
    "Backend",
    "clear_backend_cache",
    "load_backend",
]


@runtime_checkable
class Backend(Protocol):
    kind: str
    spec: str

    def generate(
        self,
        dialogues: Sequence[DialogueInput],
        settings: DecodingSettings,
        batch_size: int = 16,
        *,
        score_gold: bool = False,
    ) -> list[GenerationResult]:
        """One result per dialogue, in input order; ``score_gold``: with each gold
        response's perplexity where the backend can compute one."""
        ...

    def gold_perplexity(
        self, dialogues: Sequence[DialogueInput], batch_size: int = 16
    ) -> list[float | None]:
        """Perplexity of each gold response given its context; None without a gold."""
        ...


_cache: dict[tuple[str, str, str], Backend] = {}
# Loading takes seconds to minutes: one lock so that two threads never load one model twice.
_lock = threading.Lock()


def load_backend(kind: str, spec: str, device: str | None = None) -> Backend:
    """The backend for (kind, spec, device), loaded once per process and then reused.

    HF specs are local checkpoint directories; `device` defaults to CUDA when available.
    Failed loads are not cached, so a repaired checkpoint loads on the next call.
    """
    if kind == IMPORTED:
        raise GenerationError("imported systems have no generation backend")
    if kind not in GENERATION_KINDS:
        raise GenerationError(f"unknown backend kind {kind!r}; known: {', '.join(ALL_KINDS)}")
    key = _cache_key(kind, spec, device)
    with _lock:
        backend = _cache.get(key)
        if backend is None:
            backend = _build(kind, spec, key[2])
            _cache[key] = backend
        return backend


def clear_backend_cache() -> None:
    """Forget every loaded backend (tests; freeing GPU memory between campaigns)."""
    with _lock:
        _cache.clear()


def _cache_key(kind: str, spec: str, device: str | None) -> tuple[str, str, str]:
    if kind == ADAPTER:
        return kind, spec.strip(), ""
    from generation.backends.loading import resolve_device

    path = Path(spec).expanduser()
    return kind, str(path.resolve() if path.exists() else path), resolve_device(device)


def _build(kind: str, spec: str, device: str) -> Backend:
    if kind == ADAPTER:
        from generation.backends.adapter import AdapterBackend

        return AdapterBackend(spec)
    from transformers import AutoModelForCausalLM, AutoModelForSeq2SeqLM

    from generation.backends.hf_causal import CausalBackend
    from generation.backends.hf_seq2seq import Seq2SeqBackend
    from generation.backends.loading import checkpoint_dir, load_pretrained
    from generation.classifier import LabelPredictor

    path = checkpoint_dir(spec)
    auto_class = AutoModelForCausalLM if kind == HF_CAUSAL else AutoModelForSeq2SeqLM
    model, tokenizer = load_pretrained(auto_class, path, device)
    classifier = LabelPredictor.load_if_present(path, device)
    backend_class = CausalBackend if kind == HF_CAUSAL else Seq2SeqBackend
    return backend_class(spec, model, tokenizer, device, classifier=classifier)
