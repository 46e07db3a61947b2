"""The report: a tree of plain data that every exporter reads, and nothing else."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Report:
    """Everything an export shows. ``results`` is the protocol's stable JSON tree.

    - ``results``: likert ``{"criteria": ...}``, ab ``{"pairs": [...]}``, ggb
      ``{"subsets": ..., "fleiss_kappa": ...}`` (DESIGN.md), with extra keys alongside
    - ``quality``: the filter's config, before/after counts, each rule's effect
    - ``workers``: per-worker statistics (one dict per worker, ``excluded`` = reason or "")
    - ``methods``: sentences saying what was done; ``findings``: one sentence per
      significant difference; ``agreement``: one sentence per kappa with its band
    - ``bradley_terry``, ``automatic``: extras beyond the seeds (None when not computed)
    - ``data``: counts of what went in; ``settings``: ``ReportSettings.to_dict()``;
      ``meta``: caller's labels (title, campaign, system_labels, criterion_labels, ...)
    """

    protocol: str
    results: dict[str, Any]
    settings: dict[str, Any]
    quality: dict[str, Any] = field(default_factory=dict)
    workers: list[dict[str, Any]] = field(default_factory=list)
    methods: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    agreement: list[str] = field(default_factory=list)
    bradley_terry: dict[str, Any] | None = None
    automatic: dict[str, Any] | None = None
    data: dict[str, Any] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return str(self.meta.get("title") or f"Human evaluation report ({self.protocol})")

    def system_label(self, system: str) -> str:
        return str(self.meta.get("system_labels", {}).get(system, system))

    def criterion_label(self, criterion: str) -> str:
        labels = self.meta.get("criterion_labels", {})
        return str(labels.get(criterion, criterion.replace("_", " ").capitalize()))
