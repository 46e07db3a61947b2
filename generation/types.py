"""Plain data passed between the platform and the generation backends (no torch here).

`DecodingSettings` is what a `System` stores as JSON; it validates itself on construction,
so an object that exists is always a valid set of settings.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from generation.errors import InvalidDecodingSettings


@dataclass(frozen=True, slots=True)
class Turn:
    speaker: str
    text: str


@dataclass(frozen=True, slots=True)
class DialogueInput:
    """One context to respond to; `key` identifies it in results and error messages."""

    key: str
    turns: tuple[Turn, ...]
    emotion: str = ""
    situation: str = ""
    gold: str = ""

    def __post_init__(self) -> None:
        # Callers often build turns as a list; keep the object hashable and immutable.
        if not isinstance(self.turns, tuple):
            object.__setattr__(self, "turns", tuple(self.turns))

    def is_empty(self) -> bool:
        return not any(turn.text.strip() for turn in self.turns)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DialogueInput:
        """Build from our JSONL row: turns as [{"speaker", "text"}] or plain strings."""
        turns = []
        for index, raw in enumerate(data.get("turns", [])):
            if isinstance(raw, str):
                # Plain strings alternate between two speakers, starting with speaker 1.
                turns.append(Turn(speaker=f"speaker{index % 2 + 1}", text=raw))
            else:
                turns.append(Turn(speaker=str(raw.get("speaker", "")), text=str(raw["text"])))
        return cls(
            key=str(data["key"]),
            turns=tuple(turns),
            emotion=str(data.get("emotion", "")),
            situation=str(data.get("situation", "")),
            gold=str(data.get("gold", "")),
        )


@dataclass(frozen=True, slots=True)
class GenerationResult:
    """`seconds` is this dialogue's share of its batch's wall time; `gold_perplexity` is
    filled only when asked for (``score_gold``) and the dialogue has a gold response."""

    key: str
    response: str
    label: str = ""
    seconds: float = 0.0
    gold_perplexity: float | None = None


_SAMPLING_ONLY = ("top_k", "top_p", "temperature")
_MAX_SEED = 2**63 - 1


@dataclass(frozen=True, slots=True)
class DecodingSettings:
    """How a system decodes; defaults are greedy decoding of at most 40 new tokens."""

    num_beams: int = 1
    no_repeat_ngram_size: int = 0
    do_sample: bool = False
    top_k: int = 0
    top_p: float = 1.0
    temperature: float = 1.0
    max_new_tokens: int = 40
    length_penalty: float = 1.0
    seed: int = 0

    def __post_init__(self) -> None:
        self._check_types()
        _check_range("num_beams", self.num_beams, 1, 64)
        _check_range("no_repeat_ngram_size", self.no_repeat_ngram_size, 0, None)
        _check_range("top_k", self.top_k, 0, None)
        _check_range("max_new_tokens", self.max_new_tokens, 1, 512)
        _check_range("seed", self.seed, 0, _MAX_SEED)
        _check_range("length_penalty", self.length_penalty, -10.0, 10.0)
        if not 0.0 < self.top_p <= 1.0:
            raise InvalidDecodingSettings("top_p", f"must be in (0, 1], got {self.top_p}")
        if not 0.0 < self.temperature <= 100.0:
            raise InvalidDecodingSettings(
                "temperature", f"must be > 0 (and at most 100), got {self.temperature}"
            )
        self._check_combination()

    def _check_types(self) -> None:
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if field.type == "bool":
                if not isinstance(value, bool):
                    raise InvalidDecodingSettings(
                        field.name, f"must be true or false, got {value!r}"
                    )
            elif field.type == "int":
                # bool is an int subclass; `true` for num_beams is a mistake, not 1.
                if isinstance(value, bool) or not isinstance(value, int):
                    raise InvalidDecodingSettings(field.name, f"must be an integer, got {value!r}")
            elif isinstance(value, bool) or not isinstance(value, int | float):
                raise InvalidDecodingSettings(field.name, f"must be a number, got {value!r}")
            elif not math.isfinite(value):
                raise InvalidDecodingSettings(field.name, f"must be finite, got {value!r}")

    def _check_combination(self) -> None:
        defaults = DecodingSettings.__dataclass_fields__
        if not self.do_sample:
            for name in _SAMPLING_ONLY:
                if getattr(self, name) != defaults[name].default:
                    raise InvalidDecodingSettings(name, "only applies with do_sample=true")
        elif self.num_beams > 1:
            raise InvalidDecodingSettings(
                "num_beams",
                "beam sampling is not supported: use num_beams=1 with do_sample",
            )
        if self.num_beams == 1 and self.length_penalty != 1.0:
            raise InvalidDecodingSettings("length_penalty", "only applies with num_beams > 1")

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> DecodingSettings:
        """Validate a JSON object; missing keys take their defaults."""
        if data is None:
            return cls()
        if not isinstance(data, Mapping):
            raise InvalidDecodingSettings("settings", f"must be a JSON object, got {data!r}")
        known = {field.name for field in dataclasses.fields(cls)}
        for name in data:
            if name not in known:
                raise InvalidDecodingSettings(
                    str(name),
                    f"unknown setting; known settings: {', '.join(sorted(known))}",
                )
        values = dict(data)
        # JSON has one number type: accept 1.0 for an integer field and 1 for a float field.
        for field in dataclasses.fields(cls):
            value = values.get(field.name)
            if field.type == "int" and isinstance(value, float) and value.is_integer():
                values[field.name] = int(value)
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def _check_range(name: str, value: float, low: float, high: float | None) -> None:
    if value < low or (high is not None and value > high):
        bound = f">= {low}" if high is None else f"in [{low}, {high}]"
        raise InvalidDecodingSettings(name, f"must be {bound}, got {value}")
