"""The campaign's report page in the console, with its downloads.

The page never analyses inside the request: it serves the report kept for the campaign's
current judgments, or asks the report task for one and shows its progress, refreshing
itself until the report is there. Before any analysed judgment it says what is missing."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from evalplatform.campaigns.models import Campaign
from evalplatform.reports.campaign_report import (
    CONTENT_TYPES,
    EXTENSIONS,
    FORMATS,
    campaign_export,
)
from evalplatform.reports.exports import render as render_export
from evalplatform.reports.kept import (
    judgment_counts,
    judgment_fingerprint,
    kept_report_object,
    kept_report_rebuild,
    kept_report_request,
)
from evalplatform.reports.models import KeptReport, KeptReportState
from evalplatform.reports.tasks import build_kept_report

DOWNLOADS = (
    ("pdf", "PDF"),
    ("latex", "LaTeX"),
    ("json", "JSON"),
    ("csv", "CSV tables"),
    ("judgments", "judgments CSV"),
)
REFRESH_SECONDS = 2


def campaign_report_view(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """``GET .../<id>/report/`` shows the HTML report; ``?format=`` downloads an export
    (json, csv, latex, pdf, or the tidy judgments CSV)."""
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    fmt = request.GET.get("format", "html")
    if fmt not in FORMATS:
        return HttpResponse(f"Unknown format; choose from {', '.join(FORMATS)}.", status=400)
    fingerprint, analysed = judgment_fingerprint(campaign)
    if not analysed:
        context = {"campaign": campaign, "counts": judgment_counts(campaign)}
        return render(request, "reports/no_report.html", context, status=409)
    if fmt == "judgments":  # the data itself, read as plain rows: no analysis to wait for
        return _download(campaign, fmt, campaign_export(campaign, fmt))
    kept, send = kept_report_request(campaign=campaign, fingerprint=fingerprint)
    if send:
        build_kept_report.delay_on_commit(campaign.pk)
    if kept.state != KeptReportState.READY:
        return _pending(request, campaign, kept)
    if fmt == "html":
        return HttpResponse(_with_downloads(kept.html, request.path), CONTENT_TYPES[fmt])
    return _download(campaign, fmt, render_export(kept_report_object(kept), fmt))


@require_POST
def campaign_report_rebuild_view(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Build again after a failed build (the page offers it only then)."""
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    fingerprint, _ = judgment_fingerprint(campaign)
    _, send = kept_report_rebuild(campaign=campaign, fingerprint=fingerprint)
    if send:
        build_kept_report.delay_on_commit(campaign.pk)
    return redirect(request.path.removesuffix("rebuild/"))


def _pending(request: HttpRequest, campaign: Campaign, kept: KeptReport) -> HttpResponse:
    building = kept.state == KeptReportState.BUILDING
    context = {
        "campaign": campaign,
        "kept": kept,
        "building": building,
        "refresh": REFRESH_SECONDS if building else None,
    }
    # 202: accepted, the report is on its way; a failed build is the server's error.
    return render(request, "reports/building.html", context, status=202 if building else 500)


def _download(campaign: Campaign, fmt: str, body: str | bytes) -> HttpResponse:
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    slug = campaign.name.replace(" ", "-").lower()
    name = f"{slug}-{'judgments' if fmt == 'judgments' else 'report'}.{EXTENSIONS[fmt]}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _with_downloads(html: str, path: str) -> str:
    links = " · ".join(f'<a href="{path}?format={fmt}">{label}</a>' for fmt, label in DOWNLOADS)
    bar = f'<nav class="downloads" style="margin:1em 0">Download: {links}</nav>'
    return html.replace("<body>", f"<body>{bar}", 1) if "<body>" in html else bar + html
