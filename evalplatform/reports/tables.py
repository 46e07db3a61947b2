"""The report as flat tables (lists of row dicts): what CSV, HTML and PDF lay out.

The protocol's own tables (``summary``, ``pairwise``) come from its registry entry."""

from __future__ import annotations

from typing import Any

from evalplatform.protocols.registry import get
from evalplatform.protocols.report import Report

Rows = list[dict[str, Any]]


def agreement(report: Report) -> Rows:
    scoped = get(report.protocol).agreement_scopes(report)
    return [
        {
            "scope": scope,
            "fleiss_kappa": b.get("fleiss_kappa"),
            "kappa_items": b.get("kappa_items"),
            "kappa_raters": b.get("kappa_raters"),
            "kappa_band": b.get("kappa_band"),
            "krippendorff_alpha": b.get("krippendorff_alpha"),
        }
        for scope, b in scoped
        if "kappa_items" in b
    ]


def bradley_terry(report: Report) -> Rows:
    bt = report.bradley_terry or {}
    return [
        {
            "system": r["system"],
            "theta": r["theta"],
            "ci_low": r["ci95"][0],
            "ci_high": r["ci95"][1],
            "comparisons": r["comparisons"],
        }
        for r in bt.get("strengths", [])
    ]


def automatic(report: Report) -> Rows:
    return list((report.automatic or {}).get("systems", []))


def correlations(report: Report) -> Rows:
    return list((report.automatic or {}).get("correlations", []))


def workers(report: Report) -> Rows:
    return list(report.workers)


def summary(report: Report) -> Rows:
    return get(report.protocol).summary_rows(report)


def pairwise(report: Report) -> Rows:
    """Welch's tests per pair of systems (Likert; empty for protocols without them)."""
    return get(report.protocol).pairwise_rows(report)


TABLES = {
    "summary": summary,
    "pairwise": pairwise,
    "agreement": agreement,
    "bradley_terry": bradley_terry,
    "automatic": automatic,
    "correlations": correlations,
    "workers": workers,
}
