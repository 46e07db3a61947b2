"""Display tables: the report's numbers formatted as text, shared by the HTML and the PDF.

A display table is ``{"id", "caption", "columns", "rows"}`` where each row is a list of
cells ``{"text", "cls"}``; ``cls`` marks numbers (right-aligned), best values and
significant results.
"""

from __future__ import annotations

from typing import Any

from evalplatform.protocols.registry import get
from evalplatform.protocols.render import Cell, Display, cell, num, pval
from evalplatform.protocols.report import Report
from evalplatform.reports import tables


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
    spec = get(report.protocol)
    return [{**r, "scope": spec.scope_label(report, r["scope"])} for r in tables.agreement(report)]


def main_tables(report: Report) -> list[Display]:
    return [with_header_classes(t) for t in get(report.protocol).main_tables(report)]
