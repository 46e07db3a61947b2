"""The report as flat tables (lists of row dicts): what CSV, HTML and PDF lay out."""

from __future__ import annotations

from typing import Any

from evalplatform.reports.model import Report

Rows = list[dict[str, Any]]


def likert_summary(report: Report) -> Rows:
    rows = []
    for crit, block in report.results.get("criteria", {}).items():
        for system, v in block["systems"].items():
            rows.append(
                {
                    "criterion": crit,
                    "system": system,
                    "n": v["n"],
                    "mean": v["mean"],
                    "sd": v["sd"],
                    "ci_low": v["ci95"][0],
                    "ci_high": v["ci95"][1],
                    "binary": block["binary"],
                    "percent": v.get("percent"),
                }
            )
    return rows


def likert_pairwise(report: Report) -> Rows:
    rows = []
    effect = report.settings.get("effect", "hedges_g")
    for crit, block in report.results.get("criteria", {}).items():
        for t in block["pairwise"]:
            rows.append(
                {
                    "criterion": crit,
                    "a": t["a"],
                    "b": t["b"],
                    "mean_a": t["mean_a"],
                    "mean_b": t["mean_b"],
                    "n_a": t["n_a"],
                    "n_b": t["n_b"],
                    "t": t["t"],
                    "df": t["df"],
                    "p": t["p"],
                    "p_adjusted": t["p_adjusted"],
                    "significant": t["significant"],
                    effect: t.get(effect),
                }
            )
    return rows


def ab_summary(report: Report) -> Rows:
    keys = (
        "a",
        "b",
        "n",
        "win",
        "loss",
        "tie",
        "both_bad",
        "fleiss_kappa",
        "kappa_items",
        "kappa_raters",
        "p",
        "p_adjusted",
        "significant",
    )
    return [{k: p.get(k) for k in keys} for p in report.results.get("pairs", [])]


def ggb_summary(report: Report) -> Rows:
    rows = []
    for subset, block in report.results.get("subsets", {}).items():
        for system, v in block.items():
            rows.append(
                {
                    "subset": subset,
                    "system": system,
                    "good": v["good"],
                    "okay": v["okay"],
                    "bad": v["bad"],
                    "n": v["n"],
                }
            )
    return rows


def agreement(report: Report) -> Rows:
    r = report.results
    if report.protocol == "likert":
        scoped = [(c, b) for c, b in r.get("criteria", {}).items()]
    elif report.protocol == "ab":
        scoped = [(f"{p['a']} vs {p['b']}", p) for p in r.get("pairs", [])]
        if r.get("overall_kappa"):
            scoped.append(("all pairs", r["overall_kappa"]))
    else:
        scoped = [("all", r), *r.get("subset_kappas", {}).items()]
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
    return {"likert": likert_summary, "ab": ab_summary, "ggb": ggb_summary}[report.protocol](report)


TABLES = {
    "summary": summary,
    "pairwise": likert_pairwise,
    "agreement": agreement,
    "bradley_terry": bradley_terry,
    "automatic": automatic,
    "correlations": correlations,
    "workers": workers,
}
