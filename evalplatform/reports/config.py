"""Analysis settings of a report (a campaign stores them as the dict of ``to_dict``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from evalplatform.analysis.agreement import AlphaLevel
from evalplatform.analysis.automatic import Embedder
from evalplatform.analysis.descriptive import Unit
from evalplatform.analysis.likert import Family
from evalplatform.analysis.quality import quality_config
from evalplatform.analysis.significance import CORRECTIONS, Correction, Effect

_LEVELS = ("nominal", "ordinal", "interval", "ratio")


@dataclass(frozen=True)
class ReportSettings:
    """How a report is computed. Every field has the default the report text describes.

    - ``alpha``, ``correction`` (holm | bonferroni | fdr_bh | none), ``correction_family``
      ("criterion": correct within each criterion's pairs; "all": across all criteria)
    - ``unit``: "rating" (every rating is an observation, as the seeds did) or "item" (raters
      of one response averaged first: the conservative choice)
    - ``effect``: "hedges_g" or "cohens_d"
    - ``binary_criteria``: None infers them (all scores 0/1 with at least one 0)
    - ``likert_alpha_level`` / ``label_alpha_level``: Krippendorff's alpha level
    - ``quality``: overrides of ``analysis.quality.DEFAULT_QUALITY``
    - ``system_order`` / ``subset_order``: table order (also the A/B "a" side)
    - ``bootstrap``, ``seed``: Bradley-Terry interval resamples and their seed (0 = no CIs)
    - ``embedder``: a callable texts -> vectors, or "minilm" to load the bundled model, or
      None (no embedding similarity); not part of ``to_dict``
    """

    alpha: float = 0.05
    correction: Correction = "holm"
    correction_family: Family = "criterion"
    unit: Unit = "rating"
    effect: Effect = "hedges_g"
    confidence: float = 0.95
    binary_criteria: frozenset[str] | None = None
    likert_alpha_level: AlphaLevel = "interval"
    label_alpha_level: AlphaLevel = "nominal"
    quality: Mapping[str, Any] = field(default_factory=dict)
    system_order: tuple[str, ...] | None = None
    subset_order: tuple[str, ...] | None = None
    bradley_terry: bool = True
    bootstrap: int = 1000
    seed: int = 0
    embedder: Embedder | str | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        checks = {
            "alpha": 0 < self.alpha < 1,
            "confidence": 0 < self.confidence < 1,
            "correction": self.correction in CORRECTIONS,
            "correction_family": self.correction_family in ("criterion", "all"),
            "unit": self.unit in ("rating", "item"),
            "effect": self.effect in ("hedges_g", "cohens_d"),
            "likert_alpha_level": self.likert_alpha_level in _LEVELS,
            "label_alpha_level": self.label_alpha_level in _LEVELS,
            "bootstrap": self.bootstrap >= 0,
        }
        bad = [name for name, ok in checks.items() if not ok]
        if bad:
            values = ", ".join(f"{n}={getattr(self, n)!r}" for n in bad)
            raise ValueError(f"invalid report setting(s): {values}")
        quality_config(self.quality)  # raises on unknown keys

    @property
    def quality_config(self) -> dict[str, Any]:
        return quality_config(self.quality)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; the embedder is left out (it is code, not a setting)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            if f.name == "embedder":
                continue
            value = getattr(self, f.name)
            if isinstance(value, (frozenset, set)):
                value = sorted(value)
            elif isinstance(value, tuple):
                value = list(value)
            elif isinstance(value, Mapping):
                value = dict(value)
            out[f.name] = value
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> ReportSettings:
        """Inverse of ``to_dict``; unknown keys are an error, missing keys take defaults."""
        data = dict(data or {})
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown report setting(s): {', '.join(sorted(unknown))}")
        if data.get("binary_criteria") is not None:
            data["binary_criteria"] = frozenset(data["binary_criteria"])
        for key in ("system_order", "subset_order"):
            if data.get(key) is not None:
                data[key] = tuple(data[key])
        return cls(**data)

    def with_(self, **changes: Any) -> ReportSettings:
        return replace(self, **changes)
