"""The campaign's report page in the console, with its downloads.

The page never analyses inside the request, and looking at it never queues work: a GET
serves the report kept for the campaign (saying so when judgments changed since it was
built), or the build's progress, or that no report has been built yet. Building and
rebuilding are a POST that needs the campaign's change permission, so a viewer reads the
kept report and is offered no button. Before any analysed judgment the page says what is
missing."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from evalplatform.campaigns.models import Campaign
from evalplatform.console.permissions import CHANGE
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
    kept_report,
    kept_report_object,
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
    kept = kept_report(campaign)
    if kept is None or kept.state != KeptReportState.READY:
        return _pending(request, campaign, kept)
    if fmt == "html":
        bar = _stale_notice(request, campaign, kept, fingerprint)
        return HttpResponse(_with_downloads(kept.html, request.path, bar), CONTENT_TYPES[fmt])
    return _download(campaign, fmt, render_export(kept_report_object(kept), fmt))


@require_POST
def campaign_report_rebuild_view(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Build the report of the judgments as they are now (the first time, after a failed
    build, or when judgments changed since the kept one); asked while one builds, nothing."""
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    fingerprint, _ = judgment_fingerprint(campaign)
    _, send = kept_report_request(campaign=campaign, fingerprint=fingerprint)
    if send:
        build_kept_report.delay_on_commit(campaign.pk)
    return redirect(request.path.removesuffix("rebuild/"))


def _pending(request: HttpRequest, campaign: Campaign, kept: KeptReport | None) -> HttpResponse:
    building = kept is not None and kept.state == KeptReportState.BUILDING
    context = {
        "campaign": campaign,
        "kept": kept,
        "building": building,
        "may_build": request.user.has_perm(CHANGE),
        "refresh": REFRESH_SECONDS if building else None,
    }
    # 202: accepted, the report is on its way; 404: none built yet; a failed build is the
    # server's error.
    status = 202 if building else 404 if kept is None else 500
    return render(request, "reports/building.html", context, status=status)


def _stale_notice(
    request: HttpRequest, campaign: Campaign, kept: KeptReport, fingerprint: str
) -> str:
    """What the kept report's page says above it when judgments changed since it was built,
    with the rebuild button for those who may build."""
    if kept.fingerprint == fingerprint:
        return ""
    context = {"campaign": campaign, "kept": kept, "may_build": request.user.has_perm(CHANGE)}
    return render_to_string("reports/_stale_notice.html", context, request=request)


def _download(campaign: Campaign, fmt: str, body: str | bytes) -> HttpResponse:
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    slug = campaign.name.replace(" ", "-").lower()
    name = f"{slug}-{'judgments' if fmt == 'judgments' else 'report'}.{EXTENSIONS[fmt]}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _with_downloads(html: str, path: str, notice: str = "") -> str:
    links = " · ".join(f'<a href="{path}?format={fmt}">{label}</a>' for fmt, label in DOWNLOADS)
    bar = f'{notice}<nav class="downloads" style="margin:1em 0">Download: {links}</nav>'
    return html.replace("<body>", f"<body>{bar}", 1) if "<body>" in html else bar + html
