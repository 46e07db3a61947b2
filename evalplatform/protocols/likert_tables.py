"""The Likert protocol's tables: LaTeX (the means table of seeds 000 / 001 / 003 / 004)
and the display tables of the HTML and PDF reports."""

from __future__ import annotations

from typing import Any

from evalplatform.protocols.registry import Rows
from evalplatform.protocols.render import (
    Display,
    cell,
    ci_text,
    correction_words,
    escape,
    kappa_value,
    num,
    pval,
    table,
)
from evalplatform.protocols.report import Report

# Automatic metric columns of seed 001's Table 2: key, header, scale, decimals.
_AUTO = (
    ("bleu", "BLEU", 1.0, 2),
    ("distinct_1", "dist-1", 100.0, 2),
    ("distinct_2", "dist-2", 100.0, 2),
    ("avg_length", "Avg Len", 1.0, 2),
    ("embedding_similarity", "Emb", 1.0, 3),
)


def _beats_all(block: dict[str, Any], system: str) -> bool:
    """Whether ``system`` is significantly higher than every other system on the criterion."""
    # The default test decides the mark; Welch's test per rating stays in JSON.
    pairs = block.get("calibrated", {}).get("pairs", block["pairwise"])
    tests = [t for t in pairs if system in (t["a"], t["b"])]
    if not tests:
        return False
    for t in tests:
        mine, other = (t["mean_a"], t["mean_b"]) if t["a"] == system else (t["mean_b"], t["mean_a"])
        if not (t["significant"] and mine is not None and other is not None and mine > other):
            return False
    return True


def _cell(block: dict[str, Any], system: str, best: float | None) -> str:
    v = block["systems"].get(system)
    if v is None or v["mean"] is None:
        return "--"
    text = f"{v['percent']:.0f}\\%" if block["binary"] else f"{v['mean']:.2f}"
    if best is not None and v["mean"] == best:
        text = f"\\textbf{{{text}}}"
    if _beats_all(block, system):
        text += "$^\\dagger$"
    return text


def _auto_columns(report: Report) -> tuple[list[tuple[str, str, float, int]], dict[str, Any]]:
    rows = {r["system"]: r for r in (report.automatic or {}).get("systems", [])}
    cols = [c for c in _AUTO if any(c[0] in r for r in rows.values())]
    return cols, rows


def means_table(report: Report, with_auto: bool = False) -> str:
    criteria = report.results.get("criteria", {})
    systems = report.results.get("systems", [])
    auto_cols, auto_rows = _auto_columns(report) if with_auto else ([], {})
    best = {
        c: max((v["mean"] for v in b["systems"].values() if v["mean"] is not None), default=None)
        for c, b in criteria.items()
    }
    rows = []
    for system in systems:
        cells = [escape(report.system_label(system))]
        for key, _, scale, decimals in auto_cols:
            value = auto_rows.get(system, {}).get(key)
            cells.append("--" if value is None else f"{value * scale:.{decimals}f}")
        cells += [_cell(b, system, best[c]) for c, b in criteria.items()]
        rows.append(" & ".join(cells) + r" \\")
    crit_heads = [escape(report.criterion_label(c)) for c in criteria]
    header = _header(auto_cols, crit_heads)
    colspec = "l" + "c" * (len(auto_cols) + len(criteria))
    return table(colspec, header, rows, _caption(report), report)


def _header(auto_cols: list[tuple[str, str, float, int]], crit_heads: list[str]) -> list[str]:
    if not auto_cols:
        return ["Model & " + " & ".join(crit_heads) + r" \\"]
    n_auto, n_crit = len(auto_cols), len(crit_heads)
    top = (
        f" & \\multicolumn{{{n_auto}}}{{c}}{{Auto Eval}} & "
        f"\\multicolumn{{{n_crit}}}{{c}}{{Manual Eval}} \\\\"
    )
    rules = f"\\cmidrule(lr){{2-{1 + n_auto}}}\\cmidrule(lr){{{2 + n_auto}-{1 + n_auto + n_crit}}}"
    names = "Model & " + " & ".join([h for _, h, _, _ in auto_cols] + crit_heads) + r" \\"
    return [top, rules, names]


def _caption(report: Report) -> str:
    s = report.settings
    binary = [
        report.criterion_label(c)
        for c, b in report.results.get("criteria", {}).items()
        if b["binary"]
    ]
    text = "Human evaluation results: mean rating per criterion"
    if binary:
        text += f" ({', '.join(escape(b) for b in binary)} as \\% of judgments)"
    text += "; the best value is bold. " + likert_kappa_text(report) + ". "
    scope = " within each criterion" if s["correction_family"] == "criterion" else ""
    corr = correction_words(s, scope)
    text += (
        "$^\\dagger$: significantly better than every other system (paired $t$-test over "
        f"items on per-response means, worker bias removed, or the exact sign test over items "
        f"where it is undefined; {corr}, "
        f"$\\alpha = {s['alpha']:g}$)."
    )
    return text


def likert_kappa_text(report: Report) -> str:
    """ "Fleiss' kappa: Flu 0.53, Cons 0.49", one value per criterion."""
    parts = [
        f"{escape(report.criterion_label(c))} {kappa_value(b['fleiss_kappa'])}"
        for c, b in report.results.get("criteria", {}).items()
    ]
    return "Fleiss' $\\kappa$: " + ", ".join(parts)


def means_display(report: Report) -> Display:
    criteria = report.results.get("criteria", {})
    rows = []
    for system in report.results.get("systems", []):
        row = [cell(report.system_label(system), "name")]
        row += [_mean_cell(block, system) for block in criteria.values()]
        rows.append(row)
    columns = ["System"] + [
        report.criterion_label(c) + (" (%)" if b["binary"] else "") for c, b in criteria.items()
    ]
    return {
        "id": "means",
        "caption": "Mean per criterion with 95% interval and n (binary "
        "criteria as % judged 1, Wilson interval). Best per column in bold.",
        "columns": columns,
        "rows": rows,
    }


def _mean_cell(block: dict[str, Any], system: str) -> dict[str, str]:
    v = block["systems"].get(system)
    if v is None or v["mean"] is None:
        return cell("—", "num")
    means = [x["mean"] for x in block["systems"].values() if x["mean"] is not None]
    best = v["mean"] == max(means)
    scale = 100.0 if block["binary"] else 1.0
    main = f"{v['mean'] * scale:.1f}%" if block["binary"] else f"{v['mean']:.2f}"
    text = f"{main} {ci_text(v, scale, 1 if block['binary'] else 2)}  n={v['n']}"
    return cell(text, "num best" if best else "num")


def pairwise_display(tests: Rows, report: Report) -> Display:
    effect = report.settings.get("effect", "hedges_g")
    effect_name = "Hedges' g" if effect == "hedges_g" else "Cohen's d"
    rows = []
    for t in tests:
        sig = "sig" if t["significant"] else ""
        rows.append(
            [
                cell(report.criterion_label(t["criterion"]), "name"),
                cell(report.system_label(t["a"])),
                cell(report.system_label(t["b"])),
                cell(num(t["mean_a"]), "num"),
                cell(num(t["mean_b"]), "num"),
                cell(num(t["t"]), "num"),
                cell(num(t["df"], 1), "num"),
                cell(pval(t["p"]), "num"),
                cell(pval(t["p_adjusted"]), f"num {sig}"),
                cell("yes" if t["significant"] else "no", sig),
                cell(num(t.get(effect)), "num"),
            ]
        )
    return {
        "id": "pairwise",
        "caption": "Seed 000's form, for quoting: Welch's t-test per rating for every pair of "
        "systems (two-sided; adjusted p after the multiple-comparison correction). It treats "
        "ratings as independent; the findings use the default test above.",
        "columns": [
            "Criterion",
            "A",
            "B",
            "mean A",
            "mean B",
            "t",
            "df",
            "p",
            "p adj.",
            "significant",
            effect_name,
        ],
        "rows": rows,
    }
