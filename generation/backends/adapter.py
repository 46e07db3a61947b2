"""Models behind a Python callable named `module:callable` (dotted attributes allowed).

The callable receives `(dialogues: list[DialogueInput], settings: DecodingSettings)` for
one batch and returns one item per dialogue, in order: a response string, a
`(response, label)` pair, or a mapping `{"response": str, "label": str}` (label optional).
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from generation.backends.kinds import ADAPTER
from generation.errors import AdapterError
from generation.formatting import check_dialogues
from generation.types import DecodingSettings, DialogueInput, GenerationResult


def import_callable(spec: str) -> Callable[..., Any]:
    module_name, sep, attr_path = spec.strip().partition(":")
    if not sep or not module_name or not attr_path:
        raise AdapterError(spec, "expected 'module:callable'")
    try:
        target: Any = importlib.import_module(module_name)
        for attr in attr_path.split("."):
            target = getattr(target, attr)
    except Exception as exc:  # importing runs arbitrary module code
        raise AdapterError(spec, f"cannot import: {type(exc).__name__}: {exc}") from exc
    if not callable(target):
        raise AdapterError(spec, f"{attr_path} is not callable")
    return target


class AdapterBackend:
    kind = ADAPTER

    def __init__(self, spec: str) -> None:
        self.spec = spec
        self.function = import_callable(spec)

    def generate(
        self,
        dialogues: Sequence[DialogueInput],
        settings: DecodingSettings,
        batch_size: int = 16,
        *,
        score_gold: bool = False,
    ) -> list[GenerationResult]:
        """``score_gold`` changes nothing: adapters expose no likelihoods."""
        check_dialogues(dialogues)
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}")
        results: list[GenerationResult] = []
        for start in range(0, len(dialogues), batch_size):
            batch = list(dialogues[start : start + batch_size])
            started = time.perf_counter()
            try:
                output = self.function(batch, settings)
            except Exception as exc:  # the adapter is third-party code
                raise AdapterError(self.spec, f"raised {type(exc).__name__}: {exc}") from exc
            share = (time.perf_counter() - started) / len(batch)
            items = self._check_count(output, batch)
            for dialogue, item in zip(batch, items, strict=True):
                response, label = self._parse(item, dialogue.key)
                results.append(GenerationResult(dialogue.key, response, label, share))
        return results

    def gold_perplexity(
        self, dialogues: Sequence[DialogueInput], batch_size: int = 16
    ) -> list[float | None]:
        """Adapters expose no likelihoods: None for every dialogue."""
        check_dialogues(dialogues)
        return [None] * len(dialogues)

    def _check_count(self, output: Any, batch: list[DialogueInput]) -> list[Any]:
        if isinstance(output, str | bytes | Mapping) or not isinstance(output, Sequence):
            raise AdapterError(self.spec, f"returned {type(output).__name__}, expected a list")
        if len(output) != len(batch):
            raise AdapterError(
                self.spec,
                f"returned {len(output)} responses for {len(batch)} dialogues",
            )
        return list(output)

    def _parse(self, item: Any, key: str) -> tuple[str, str]:
        if isinstance(item, str):
            return item.strip(), ""
        if isinstance(item, Mapping):
            response, label = item.get("response"), item.get("label", "")
        elif isinstance(item, tuple | list) and len(item) == 2:
            response, label = item
        else:
            response, label = None, None
        if not isinstance(response, str) or not isinstance(label, str):
            raise AdapterError(
                self.spec,
                f"bad item for dialogue {key!r}: {item!r}; expected a str, a (response, label) "
                "pair of str or {'response': str, 'label': str}",
            )
        return response.strip(), label.strip()
