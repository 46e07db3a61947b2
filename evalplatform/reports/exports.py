"""JSON and CSV exports of a report."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from evalplatform.analysis.ordering import clean
from evalplatform.protocols.report import Report
from evalplatform.reports import tables
from evalplatform.reports.plan_display import PLAN_KEY, report_plan

FORMATS = ("json", "csv", "latex", "html", "pdf")


def _plain(value: Any) -> Any:
    """Recursively JSON-safe: NaN/inf -> null, numpy scalars -> Python, tuples -> lists."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else value
        return [_plain(v) for v in items]
    return clean(value)


def report_tree(report: Report) -> dict[str, Any]:
    """The stable keys of DESIGN.md first (``criteria`` | ``pairs`` | ``subsets`` +
    ``fleiss_kappa``), then everything else under its own key."""
    # ``plan`` only in a campaign's report: ``analyze`` has no campaign and no plan.
    plan = report_plan(report)
    meta = {key: value for key, value in report.meta.items() if key != PLAN_KEY}
    return _plain(
        {
            **report.results,
            "protocol": report.protocol,
            "title": report.title,
            "methods": report.methods,
            "findings": report.findings,
            "agreement": report.agreement,
            "quality": report.quality,
            "data": report.data,
            "bradley_terry": report.bradley_terry,
            "automatic_metrics": report.automatic,
            "settings": report.settings,
            "meta": meta,
            "workers": report.workers,
            **({} if plan is None else {"plan": plan}),
        }
    )


def to_json(report: Report, indent: int | None = 2) -> str:
    """One JSON object; ``allow_nan=False`` guarantees valid JSON (no NaN literals)."""
    return json.dumps(report_tree(report), indent=indent, allow_nan=False, ensure_ascii=False)


def csv_tables(report: Report) -> list[str]:
    """Names of the tables ``to_csv`` can write for this report (non-empty ones)."""
    return [name for name, fn in tables.TABLES.items() if fn(report)] or ["summary"]


def to_csv(report: Report, table: str = "summary") -> str:
    """One table as CSV (``summary`` is the paper table; see ``csv_tables`` for others)."""
    if table not in tables.TABLES:
        raise ValueError(f"unknown table {table!r}; choose from {', '.join(tables.TABLES)}")
    rows = tables.TABLES[table](report)
    columns = list(dict.fromkeys(k for row in rows for k in row))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(row.get(k)) for k in columns})
    return out.getvalue()


def _cell(value: Any) -> Any:
    value = clean(value)
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float):
        return repr(value)  # full precision, so CSV and JSON agree
    return "" if value is None else value


def render(
    report: Report, fmt: str, latex_style: str | None = None, csv_table: str = "summary"
) -> str | bytes:
    """The report in one format: text, or bytes for PDF (the ``analyze`` command and the
    campaign's report pages both export through here)."""
    # HTML, LaTeX and PDF are imported here: they load Django's template engine and
    # matplotlib, which JSON and CSV exports do not need.
    from evalplatform.reports.html import to_html
    from evalplatform.reports.latex import to_latex
    from evalplatform.reports.pdf import to_pdf

    if fmt == "json":
        return to_json(report) + "\n"
    if fmt == "csv":
        return to_csv(report, csv_table)
    if fmt == "latex":
        return to_latex(report, latex_style)
    if fmt == "html":
        return to_html(report)
    if fmt == "pdf":
        buf = io.BytesIO()
        to_pdf(report, buf)
        return buf.getvalue()
    raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
