"""``build_report``: judgments (+ settings, + candidate texts) -> ``Report``.

A pure function of its inputs: the same judgments and settings give the same report, byte
for byte in every export (bootstrap resamples come from ``settings.seed``; nothing reads
the clock).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from evalplatform.analysis.automatic import (
    Embedder,
    item_metrics,
    load_minilm_embedder,
    system_metrics,
)
from evalplatform.analysis.bradley_terry import bradley_terry
from evalplatform.analysis.correlation import metric_correlations
from evalplatform.analysis.ordering import clean
from evalplatform.analysis.quality import apply_quality_filter
from evalplatform.protocols.registry import ProtocolSpec, get
from evalplatform.protocols.report import Report
from evalplatform.reports.config import ReportSettings
from evalplatform.reports.narrative import agreement_sentences, findings, methods
from evalplatform.reports.tidy import validate_judgments


def build_report(
    judgments: pd.DataFrame,
    protocol: str,
    settings: ReportSettings | None = None,
    candidates: pd.DataFrame | None = None,
    meta: dict[str, Any] | None = None,
) -> Report:
    """Validate, filter, analyse and describe; see ``Report`` for what comes back.

    Raises ``evalplatform.reports.tidy.TidyError`` on malformed judgments.
    """
    settings = settings or ReportSettings()
    df = validate_judgments(judgments, protocol, binary_criteria=settings.binary_criteria)
    spec = get(protocol)
    quality = apply_quality_filter(df, spec, settings.quality_config)
    kept = quality.kept
    scored = kept[~kept["is_gold"]] if "is_gold" in kept.columns else kept
    binary = spec.binary_criteria(df, settings)  # decided on all rows, before any filtering
    results = (
        spec.results(scored, settings, binary) if len(scored) else spec.empty_results(settings)
    )
    bt = _bradley_terry(scored, spec, settings) if settings.bradley_terry else None
    auto = _automatic(scored, spec, candidates, settings, bt)
    data = _data_counts(df, scored, spec, binary)
    parts: dict[str, Any] = {
        "protocol": protocol,
        "results": results,
        "settings": settings.to_dict(),
        "quality": quality.summary,
        "bradley_terry": bt,
        "automatic": auto,
        "data": data,
        "meta": dict(meta or {}),
    }
    draft = Report(**parts)  # the text needs the numbers; then the final, frozen report
    return Report(
        **parts,
        workers=_records(quality.workers),
        methods=methods(draft),
        findings=findings(draft),
        agreement=agreement_sentences(draft),
    )


def _bradley_terry(
    df: pd.DataFrame, spec: ProtocolSpec, s: ReportSettings
) -> dict[str, Any] | None:
    if df.empty:
        return None
    comparisons = spec.comparisons(df, spec.systems(df, s), s)
    if comparisons is None:
        return None
    return bradley_terry(comparisons, bootstrap=s.bootstrap, seed=s.seed, confidence=s.confidence)


def _embedder(settings: ReportSettings) -> Embedder | None:
    if settings.embedder == "minilm":
        return load_minilm_embedder()
    if isinstance(settings.embedder, str):
        # A wrong value, not a wrong type: ValueError is what callers catch for settings.
        raise ValueError(f"unknown embedder {settings.embedder!r} (use 'minilm' or a callable)")
    return settings.embedder


def _automatic(
    df: pd.DataFrame,
    spec: ProtocolSpec,
    candidates: pd.DataFrame | None,
    settings: ReportSettings,
    bt: dict[str, Any] | None,
) -> dict[str, Any] | None:
    if candidates is None or candidates.empty:
        return None
    embedder = _embedder(settings)
    items = item_metrics(candidates, embedder)
    systems = system_metrics(candidates, embedder, items)
    human_items = spec.item_scores(df)
    human_systems = spec.system_scores(bt)
    return {
        "systems": _records(systems),
        "embedding": embedder is not None,
        "correlations": metric_correlations(human_items, items, systems, human_systems),
    }


def _data_counts(
    df: pd.DataFrame, scored: pd.DataFrame, spec: ProtocolSpec, binary: frozenset[str]
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "rows_in": len(df),
        "rows_scored": len(scored),
        "workers_scored": int(scored["worker"].nunique()),
        "items_scored": int(scored["item"].nunique()),
    }
    if "is_gold" in df.columns:
        out["gold_rows"] = int(df["is_gold"].sum())
    if "simulated" in df.columns:
        out["simulated_rows"] = int(df["simulated"].sum())
    return {**out, **spec.data_counts(binary)}


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): clean(v) for k, v in row.items()} for row in frame.to_dict("records")]
