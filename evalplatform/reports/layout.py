"""Display tables: the report's numbers formatted as text, shared by the HTML and the PDF.

A display table is ``{"id", "caption", "columns", "rows"}`` where each row is a list of
cells ``{"text", "cls"}``; ``cls`` marks numbers (right-aligned), best values and
significant results.
"""

from __future__ import annotations

from typing import Any

from evalplatform.reports import tables
from evalplatform.reports.model import Report

Cell = dict[str, str]
Display = dict[str, Any]


def num(value: Any, digits: int = 2) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:.{digits}f}"


def pval(p: float | None) -> str:
    if p is None:
        return "—"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def cell(text: str, cls: str = "") -> Cell:
    return {"text": text, "cls": cls}


def _ci(v: dict[str, Any], scale: float = 1.0, digits: int = 2) -> str:
    lo, hi = v["ci95"]
    if lo is None or hi is None:
        return ""
    return f"[{lo * scale:.{digits}f}, {hi * scale:.{digits}f}]"


def likert_main(report: Report) -> Display:
    criteria = report.results.get("criteria", {})
    rows = []
    for system in report.results.get("systems", []):
        row = [cell(report.system_label(system), "name")]
        for block in criteria.values():
            v = block["systems"].get(system)
            if v is None:
                row.append(cell("—", "num"))
                continue
            means = [x["mean"] for x in block["systems"].values() if x["mean"] is not None]
            best = v["mean"] is not None and v["mean"] == max(means)
            scale = 100.0 if block["binary"] else 1.0
            if v["mean"] is None:
                row.append(cell("—", "num"))
                continue
            main = f"{v['mean'] * scale:.1f}%" if block["binary"] else f"{v['mean']:.2f}"
            text = f"{main} {_ci(v, scale, 1 if block['binary'] else 2)}  n={v['n']}"
            row.append(cell(text, "num best" if best else "num"))
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


def likert_pairwise(report: Report) -> Display:
    effect = report.settings.get("effect", "hedges_g")
    effect_name = "Hedges' g" if effect == "hedges_g" else "Cohen's d"
    rows = []
    for t in tables.likert_pairwise(report):
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
        "caption": "Welch's t-test for every pair of systems "
        "(two-sided; adjusted p after the multiple-comparison correction).",
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


def ab_main(report: Report) -> Display:
    pairs = report.results.get("pairs", [])
    both = any("both_bad" in p for p in pairs)
    rows = []
    for p in pairs:
        sig = "sig" if p["significant"] else ""
        row = [
            cell(f"{report.system_label(p['a'])} vs {report.system_label(p['b'])}", "name"),
            cell(num(p["n"]), "num"),
            cell(num(p["win"]), "num"),
            cell(num(p["loss"]), "num"),
            cell(num(p["tie"]), "num"),
        ]
        row += [cell(num(p.get("both_bad", 0.0)), "num")] if both else []
        kappa = num(p["fleiss_kappa"]) + (f" ({p['kappa_band']})" if p["fleiss_kappa"] else "")
        row += [
            cell(kappa, "num"),
            cell(pval(p["p"]), "num"),
            cell(pval(p["p_adjusted"]), f"num {sig}"),
            cell("yes" if p["significant"] else "no", sig),
        ]
        rows.append(row)
    columns = ["Pair", "n", "Win %", "Loss %", "Tie %"] + (["Both bad %"] if both else [])
    columns += ["Fleiss' κ", "sign test p", "p adj.", "significant"]
    return {
        "id": "wlt",
        "caption": "Win / loss / tie from the first system's side, agreement "
        "per pair and the sign test on wins vs losses.",
        "columns": columns,
        "rows": rows,
    }


def ggb_main(report: Report) -> Display:
    rows = []
    for r in tables.ggb_summary(report):
        rows.append(
            [
                cell(r["subset"], "name"),
                cell(report.system_label(r["system"])),
                cell(f"{r['good']:.4f}", "num"),
                cell(f"{r['okay']:.4f}", "num"),
                cell(f"{r['bad']:.4f}", "num"),
                cell(num(r["n"]), "num"),
            ]
        )
    return {
        "id": "shares",
        "caption": "Shares of good / okay / bad per test set, normalised over the three labels.",
        "columns": ["Test set", "System", "Good", "Okay", "Bad", "n"],
        "rows": rows,
    }


def generic(
    table_id: str,
    caption: str,
    rows: list[dict[str, Any]],
    labels: dict[str, str] | None = None,
    limit: int | None = None,
) -> Display | None:
    """Any list of row dicts as a display table (numbers formatted, None as a dash).

    Columns that are empty on every row are left out (e.g. alpha where none was computed).
    """
    if not rows:
        return None
    columns = [
        c
        for c in dict.fromkeys(k for r in rows for k in r)
        if any(r.get(c) not in (None, "") for r in rows)
    ]
    shown = rows[:limit] if limit else rows
    body = [[_generic_cell(r.get(c), c) for c in columns] for r in shown]
    note = f" Showing {len(shown)} of {len(rows)}." if limit and len(rows) > limit else ""
    return with_header_classes(
        {
            "id": table_id,
            "caption": caption + note,
            "columns": [(labels or {}).get(c, c.replace("_", " ")) for c in columns],
            "rows": body,
        }
    )


def _generic_cell(value: Any, column: str) -> Cell:
    if isinstance(value, float):
        return cell(pval(value) if column.endswith("_p") else num(value, 3), "num")
    if isinstance(value, (int, bool)) or value is None:
        return cell(num(value), "num")
    return cell(str(value))


def with_header_classes(table: Display) -> Display:
    """Header cells aligned like their column (numbers right-aligned)."""
    first = table["rows"][0] if table["rows"] else []
    heads = []
    for i, name in enumerate(table["columns"]):
        cls = "num" if i < len(first) and "num" in first[i]["cls"].split() else ""
        heads.append(cell(name, cls))
    return {**table, "heads": heads}


def quality_tables(report: Report) -> list[Display]:
    q = report.quality
    out = []
    if q:
        rows = [{"": "before", **q["before"]}, {"": "after", **q["after"]}]
        counts = generic("quality-counts", "Data before and after the quality filter.", rows)
        if counts:
            out.append(counts)
    excluded = [w for w in report.workers if w.get("excluded")]
    table = generic("excluded-workers", "Workers excluded by the filter, and why.", excluded)
    if table:
        out.append(table)
    return out


def agreement_rows(report: Report) -> list[dict[str, Any]]:
    rows = tables.agreement(report)
    if report.protocol == "likert":
        rows = [{**r, "scope": report.criterion_label(r["scope"])} for r in rows]
    return rows


def main_tables(report: Report) -> list[Display]:
    if report.protocol == "likert":
        out = [likert_main(report), likert_pairwise(report)]
    elif report.protocol == "ab":
        out = [ab_main(report)]
    else:
        out = [ggb_main(report)]
    return [with_header_classes(t) for t in out]
