"""``build_report``: judgments (+ settings, + candidate texts) -> ``Report``.

A pure function of its inputs: the same judgments and settings give the same report, byte
for byte in every export (bootstrap resamples come from ``settings.seed``; nothing reads
the clock).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from evalplatform.analysis.ab import ab_overall_kappa, ab_pairs, ab_system_order, canonical_ab
from evalplatform.analysis.automatic import (
    Embedder,
    item_metrics,
    load_minilm_embedder,
    system_metrics,
)
from evalplatform.analysis.bradley_terry import (
    bradley_terry,
    comparisons_from_ab,
    comparisons_from_ggb,
)
from evalplatform.analysis.correlation import human_item_scores, metric_correlations
from evalplatform.analysis.descriptive import infer_binary_criteria
from evalplatform.analysis.ggb import (
    ggb_agreement,
    ggb_calibrated,
    ggb_overall,
    ggb_shares,
    ggb_subset_kappas,
    scored_rows,
)
from evalplatform.analysis.likert import analyze_likert
from evalplatform.analysis.ordering import clean, first_appearance, ordered
from evalplatform.analysis.quality import apply_quality_filter
from evalplatform.reports.config import ReportSettings
from evalplatform.reports.model import Report
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
    quality = apply_quality_filter(df, protocol, settings.quality_config)
    kept = quality.kept
    scored = kept[~kept["is_gold"]] if "is_gold" in kept.columns else kept
    binary = _binary(df, protocol, settings)  # decided on all rows, before any filtering
    results = _results(scored, protocol, settings, binary)
    bt = _bradley_terry(scored, protocol, settings) if settings.bradley_terry else None
    auto = _automatic(scored, protocol, candidates, settings, bt)
    data = _data_counts(df, scored, protocol, binary)
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


def _binary(df: pd.DataFrame, protocol: str, settings: ReportSettings) -> frozenset[str]:
    if protocol != "likert":
        return frozenset()
    if settings.binary_criteria is not None:
        return frozenset(settings.binary_criteria)
    return infer_binary_criteria(df)


def _results(
    df: pd.DataFrame, protocol: str, s: ReportSettings, binary: frozenset[str]
) -> dict[str, Any]:
    if protocol == "likert":
        if df.empty:
            return {"criteria": {}, "systems": [], "unit": s.unit}
        return analyze_likert(
            df,
            binary_criteria=binary,
            unit=s.unit,
            alpha=s.alpha,
            correction=s.correction,
            family=s.correction_family,
            effect=s.effect,
            alpha_level=s.likert_alpha_level,
            confidence=s.confidence,
            system_order=s.system_order,
        )
    if protocol == "ab":
        if df.empty:
            return {"pairs": [], "overall_kappa": {}}
        return {
            "pairs": ab_pairs(
                df, system_order=s.system_order, correction=s.correction, alpha=s.alpha
            ),
            "overall_kappa": ab_overall_kappa(df, s.system_order),
        }
    if df.empty:
        return {"subsets": {}, "fleiss_kappa": None}
    return {
        "subsets": ggb_shares(df, s.system_order, s.subset_order),
        **ggb_agreement(df, s.label_alpha_level),
        "overall": ggb_overall(df, s.system_order),
        "subset_kappas": ggb_subset_kappas(df, s.subset_order),
        "calibrated": ggb_calibrated(
            df, s.system_order, s.subset_order, correction=s.correction, alpha=s.alpha
        ),
    }


def _systems(df: pd.DataFrame, protocol: str, s: ReportSettings) -> list[str]:
    if protocol == "ab":
        return ab_system_order(df, s.system_order)
    return [str(x) for x in ordered(first_appearance(df["system"]), s.system_order)]


def _bradley_terry(df: pd.DataFrame, protocol: str, s: ReportSettings) -> dict[str, Any] | None:
    if protocol == "likert" or df.empty:
        return None
    systems = _systems(df, protocol, s)
    if protocol == "ab":
        comp = comparisons_from_ab(
            canonical_ab(df, s.system_order).astype({"a": str, "b": str}), systems
        )
    else:
        rows = scored_rows(df)
        comp = comparisons_from_ggb(rows, systems)
    return bradley_terry(comp, bootstrap=s.bootstrap, seed=s.seed, confidence=s.confidence)


def _embedder(settings: ReportSettings) -> Embedder | None:
    if settings.embedder == "minilm":
        return load_minilm_embedder()
    if isinstance(settings.embedder, str):
        # A wrong value, not a wrong type: ValueError is what callers catch for settings.
        raise ValueError(f"unknown embedder {settings.embedder!r} (use 'minilm' or a callable)")
    return settings.embedder


def _automatic(
    df: pd.DataFrame,
    protocol: str,
    candidates: pd.DataFrame | None,
    settings: ReportSettings,
    bt: dict[str, Any] | None,
) -> dict[str, Any] | None:
    if candidates is None or candidates.empty:
        return None
    embedder = _embedder(settings)
    items = item_metrics(candidates, embedder)
    systems = system_metrics(candidates, embedder, items)
    human_items = human_item_scores(df, protocol)
    human_systems = None
    if protocol == "ab" and bt and bt.get("fitted"):
        human_systems = pd.DataFrame(
            [{"system": r["system"], "bradley_terry": r["theta"]} for r in bt["strengths"]]
        )
    elif protocol == "ab":
        human_systems = pd.DataFrame(columns=["system"])
    return {
        "systems": _records(systems),
        "embedding": embedder is not None,
        "correlations": metric_correlations(human_items, items, systems, human_systems),
    }


def _data_counts(
    df: pd.DataFrame, scored: pd.DataFrame, protocol: str, binary: frozenset[str]
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
    if protocol == "likert":
        out["binary_criteria"] = sorted(binary)
    return out


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): clean(v) for k, v in row.items()} for row in frame.to_dict("records")]
