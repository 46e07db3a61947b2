"""A campaign's report: its stored judgments and analysis settings, through the same
``build_report`` as ``analyze``. The admin page and ``manage.py report`` both call this."""

from __future__ import annotations

import io
from typing import Any

import pandas as pd

from evalplatform.analysis.quality import probing_by_worker
from evalplatform.campaigns.models import Campaign, CriterionKind
from evalplatform.protocols.report import Report
from evalplatform.reports.builder import build_report
from evalplatform.reports.config import ReportSettings
from evalplatform.reports.exports import render
from evalplatform.reports.monitoring import campaign_monitoring
from evalplatform.reports.plan_display import PLAN_KEY, plan_section
from evalplatform.reports.selectors import (
    campaign_bonus_checks_frame,
    campaign_candidates_frame,
    campaign_judgments_frame,
)

FORMATS = ("html", "json", "csv", "latex", "pdf", "judgments")
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "latex": "application/x-tex; charset=utf-8",
    "pdf": "application/pdf",
    "judgments": "text/csv; charset=utf-8",
}
EXTENSIONS = {
    "html": "html",
    "json": "json",
    "csv": "csv",
    "latex": "tex",
    "pdf": "pdf",
    "judgments": "csv",
}


def campaign_report_settings(campaign: Campaign, *, embeddings: bool = False) -> ReportSettings:
    """The campaign's analysis settings: alpha, correction, quality rules, binary criteria
    and the table order of systems and subsets. Bonus points count by the campaign's gold
    rule (what workers were paid by) unless its quality filter names one itself."""
    systems = campaign.systems.order_by("entries__position").values_list("name", flat=True)
    binary = campaign.criteria.filter(kind=CriterionKind.BINARY).values_list("name", flat=True)
    return ReportSettings(
        alpha=float(campaign.alpha),
        correction=campaign.correction,  # type: ignore[arg-type]
        binary_criteria=frozenset(binary),
        quality={"gold_rule": campaign.gold_rule, **(campaign.quality_filter or {})},
        system_order=tuple(systems),
        subset_order=tuple(campaign.sample_subsets) or None,
        embedder="minilm" if embeddings else None,
    )


def campaign_report(
    campaign: Campaign, *, embeddings: bool = False, judgments: pd.DataFrame | None = None
) -> Report:
    """The campaign's report, from ``judgments`` when the caller has already read them."""
    if judgments is None:
        judgments = campaign_judgments_frame(campaign, categorical=True)
    meta: dict[str, Any] = {
        "title": f"{campaign.name}: human evaluation report",
        "campaign": campaign.name,
        "preset": campaign.preset,
        "protocol": campaign.protocol,
        "status": campaign.status,
        "simulated_judgments": int(judgments["simulated"].sum()) if len(judgments) else 0,
        # Presses of the bonus check per worker: refused ones are what probing leaves.
        "bonus_checks": probing_by_worker(campaign_bonus_checks_frame(campaign)),
        # How the data were collected: confidence sequences and any stop or reallocation.
        "monitoring": campaign_monitoring(campaign, judgments),
        # The plan frozen when the campaign was published (or that none was made): the
        # report tree shows it as its own ``plan``, not under ``meta``.
        PLAN_KEY: plan_section(campaign.frozen_plan),
    }
    return build_report(
        judgments,
        campaign.protocol,
        campaign_report_settings(campaign, embeddings=embeddings),
        campaign_candidates_frame(campaign),
        meta,
    )


def campaign_export(campaign: Campaign, fmt: str, *, embeddings: bool = False) -> str | bytes:
    """One export of the campaign's report; ``judgments`` is the tidy judgments CSV, the
    ``analyze`` input format, so that export -> analyze reproduces the report."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    if fmt == "judgments":
        buffer = io.StringIO()
        campaign_judgments_frame(campaign).to_csv(buffer, index=False)
        return buffer.getvalue()
    return render(campaign_report(campaign, embeddings=embeddings), fmt)
