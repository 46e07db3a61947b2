"""Emotion / intent label prediction from a classification head stored with a checkpoint.

Layout: `<checkpoint>/classifier/` is a directory that
`AutoModelForSequenceClassification.from_pretrained` loads (config with `id2label`, weights)
with its tokenizer, either in the same folder or, when absent there, the parent's. It reads
the dialogue context in the encoder format of `generation.formatting`.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import torch
from transformers import AutoModelForSequenceClassification

from generation.backends.loading import checkpoint_dir, load_pretrained, resolve_device
from generation.batching import length_sorted_batches, pad, run_halving_on_oom
from generation.errors import CorruptCheckpoint
from generation.formatting import encoder_ids, max_positions
from generation.types import DialogueInput

CLASSIFIER_SUBDIR = "classifier"

# Loaded once per process and reused by every batch, as generation backends are.
_predictors: dict[tuple[str, str], LabelPredictor] = {}
_lock = threading.Lock()


class LabelPredictor:
    def __init__(self, model: Any, tokenizer: Any, device: str) -> None:
        self.model = model
        self.tokenizer = tokenizer
        self.device = device
        self.limit = max_positions(model.config, tokenizer)
        self.pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0

    @classmethod
    def load_if_present(cls, checkpoint: Path, device: str) -> LabelPredictor | None:
        folder = checkpoint / CLASSIFIER_SUBDIR
        if not folder.is_dir():
            return None
        has_tokenizer = any(
            (folder / name).exists() for name in ("tokenizer.json", "tokenizer_config.json")
        )
        model, tokenizer = load_pretrained(
            AutoModelForSequenceClassification,
            folder,
            device,
            tokenizer_path=folder if has_tokenizer else checkpoint,
        )
        if not getattr(model.config, "id2label", None):
            raise CorruptCheckpoint(str(folder), "classifier config has no id2label")
        return cls(model, tokenizer, device)

    @torch.inference_mode()
    def predict(self, dialogues: Sequence[DialogueInput], batch_size: int) -> list[str]:
        contexts = [encoder_ids(self.tokenizer, d, self.limit) for d in dialogues]
        labels = [""] * len(dialogues)

        def run(rows: list[int]) -> list[str]:
            ids, mask = pad([contexts[i] for i in rows], self.pad_id, "right", self.device)
            logits = self.model(input_ids=ids, attention_mask=mask).logits
            id2label = self.model.config.id2label
            return [str(id2label[int(i)]) for i in logits.argmax(dim=-1).tolist()]

        for batch in length_sorted_batches([len(c) for c in contexts], batch_size):
            for row, label in zip(batch, run_halving_on_oom(run, batch), strict=True):
                labels[row] = label
        return labels


def load_label_predictor(spec: str, device: str | None = None) -> LabelPredictor:
    """The classifier of the checkpoint at ``spec`` (its ``classifier/`` folder), loaded
    once per process. Raises ``CheckpointNotFound`` when ``spec`` is no directory and
    ``CorruptCheckpoint`` when it holds no classifier or one that does not load."""
    path = checkpoint_dir(spec)
    key = (str(path), resolve_device(device))
    with _lock:
        predictor = _predictors.get(key)
        if predictor is None:
            predictor = LabelPredictor.load_if_present(path, key[1])
            if predictor is None:
                raise CorruptCheckpoint(
                    spec, f"it has no {CLASSIFIER_SUBDIR}/ folder with a classification head"
                )
            _predictors[key] = predictor
        return predictor


def clear_label_predictors() -> None:
    """Forget every loaded classifier (tests; freeing GPU memory)."""
    with _lock:
        _predictors.clear()
