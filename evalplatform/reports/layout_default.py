"""The default test's display table (issue 11), shared by the HTML and the PDF.

One row per compared pair: the family it is corrected in (criterion, A/B table or test
set), the difference with its interval, the test that applied, p and adjusted p. The
significance highlight (``sig``) comes from this table; the seeds' forms are shown beside
it without one.
"""

from __future__ import annotations

from typing import Any

from evalplatform.reports.layout import Cell, Display, cell, num, pval
from evalplatform.reports.model import Report


def _families(report: Report) -> list[tuple[str, list[dict[str, Any]]]]:
    r = report.results
    if report.protocol == "likert":
        return [
            (report.criterion_label(c), b["calibrated"]["pairs"])
            for c, b in r.get("criteria", {}).items()
            if "calibrated" in b
        ]
    if report.protocol == "ab":
        pairs = [{**p["calibrated"], "a": p["a"], "b": p["b"]} for p in r.get("pairs", [])]
        return [("A/B", pairs)] if pairs else []
    calibrated = r.get("calibrated") or {}
    out = [(f"Test set {k}", v["pairs"]) for k, v in calibrated.get("subsets", {}).items()]
    if len(out) > 1 and calibrated.get("overall"):
        out.append(("All test sets", calibrated["overall"]["pairs"]))
    return out


def _row(report: Report, family: str, t: dict[str, Any]) -> list[Cell]:
    sig = "sig" if t["significant"] else ""
    lo, hi = t["ci95"]
    interval = "" if lo is None else f" [{lo:.2f}, {hi:.2f}]"
    return [
        cell(family, "name"),
        cell(report.system_label(t["a"])),
        cell(report.system_label(t["b"])),
        cell(num(t["n_items"]), "num"),
        cell(f"{num(t['difference'])}{interval}", "num"),
        cell(t["test"]),
        cell(pval(t["p"]), "num"),
        cell(pval(t["p_adjusted"]), f"num {sig}"),
        cell("yes" if t["significant"] else "no", sig),
    ]


def default_test_table(report: Report) -> Display | None:
    rows = [_row(report, f, t) for f, pairs in _families(report) for t in pairs]
    if not rows:
        return None
    unit = {"likert": "rating", "ab": "preference (+1 / 0 / -1)", "ggb": "label score (0-2)"}
    return {
        "id": "default-test",
        "caption": "Default test (the findings and marks come from it): every pair of "
        "systems per family, the item as unit, raters' bias removed; difference A - B in "
        f"mean {unit[report.protocol]} with its 95% interval; adjusted p after the "
        "multiple-comparison correction within the family.",
        "columns": [
            "Family",
            "A",
            "B",
            "items",
            "difference",
            "test",
            "p",
            "p adj.",
            "significant",
        ],
        "rows": rows,
    }
