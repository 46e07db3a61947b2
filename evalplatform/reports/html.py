"""A standalone HTML report: one file, inline CSS, inline SVG figures, print-ready.

Rendered with a standalone Django template ``Engine`` on ``frontend/templates`` so that it
works with or without configured settings (the admin, the ``analyze`` command, tests).
Every value reaches the template as text, so no filter needs localisation settings, and
autoescaping makes system names and metadata safe; only our own SVG is marked safe.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.template import Context, Engine
from django.utils.safestring import mark_safe

from evalplatform.protocols.registry import get
from evalplatform.protocols.report import Report
from evalplatform.reports import layout, tables
from evalplatform.reports.monitoring_section import monitoring_sentences, monitoring_table
from evalplatform.reports.plan_display import report_plan
from evalplatform.reports.plots import figures, power_curve, to_svg

FRONTEND = Path(__file__).resolve().parents[2] / "frontend"
TEMPLATE = "reports/report.html"
STYLESHEET = FRONTEND / "static" / "reports" / "report.css"
WORKER_ROWS = 200  # beyond this the worker table is in the CSV export, not the page


def _engine() -> Engine:
    return Engine(dirs=[str(FRONTEND / "templates")], autoescape=True)


def _extra_tables(report: Report) -> dict[str, layout.Display | None]:
    return {
        "agreement_table": layout.generic(
            "agreement-table", "Agreement per scope.", layout.agreement_rows(report)
        ),
        "bradley_terry": layout.generic(
            "bt-table",
            "Bradley-Terry strengths (log scale, "
            "mean 0) with 95% bootstrap intervals, strongest first.",
            tables.bradley_terry(report),
        ),
        "automatic": layout.generic(
            "auto-table",
            "Automatic metrics per system (BLEU 0-100; Distinct as fractions; length in tokens).",
            tables.automatic(report),
        ),
        "correlations": layout.generic(
            "corr-table",
            "Correlation of automatic metrics with human scores.",
            tables.correlations(report),
        ),
        "workers": layout.generic(
            "workers-table",
            "Per-worker statistics (gold accuracy = share of gold replies put in good or okay).",
            tables.workers(report),
            limit=WORKER_ROWS,
        ),
    }


def context(report: Report, embed_figures: bool = True) -> dict[str, Any]:
    """Everything the template shows, as text (figures as safe inline SVG)."""
    figs = []
    for key, caption, fig in figures(report) if embed_figures else []:
        figs.append({"id": key, "caption": caption, "svg": mark_safe(to_svg(fig))})
    meta = report.meta
    details = [
        (k, str(meta[k])) for k in ("campaign", "preset", "dataset", "generated_at") if meta.get(k)
    ]
    settings_rows = [(k, _setting_text(v)) for k, v in report.settings.items()]
    extras = _extra_tables(report)
    return {
        **_plan(report, embed_figures),
        "title": report.title,
        "protocol": get(report.protocol).report_title,
        "details": details,
        "simulated_rows": str(report.data.get("simulated_rows") or ""),
        "findings": report.findings,
        "agreement": report.agreement,
        "methods": report.methods,
        "main_tables": layout.main_tables(report),
        "figures": figs,
        "quality_tables": layout.quality_tables(report),
        "settings": settings_rows,
        **extras,
        "monitoring_sentences": monitoring_sentences(report),
        "monitoring_table": monitoring_table(report),
        "workers_shown": str(len(extras["workers"]["rows"])) if extras["workers"] else "0",
    }


def _plan(report: Report, embed_figures: bool) -> dict[str, Any]:
    """The plan section: its sentences, and the frozen plan's power curve."""
    plan = report_plan(report)
    if plan is None:
        return {"plan": [], "plan_curve": ""}
    curve = power_curve(plan.get("result") or {}) if embed_figures else None
    return {
        "plan": plan["statement"],
        "plan_curve": mark_safe(to_svg(curve)) if curve is not None else "",
    }


def _setting_text(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items()) or "defaults"
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "—"
    return "—" if value is None else str(value)


def to_html(report: Report, embed_figures: bool = True) -> str:
    """The report as one self-contained HTML page."""
    ctx = context(report, embed_figures)
    ctx["css"] = mark_safe(STYLESHEET.read_text(encoding="utf-8"))
    return _engine().get_template(TEMPLATE).render(Context(ctx))
