"""The campaign's report page in the console, with its downloads."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from evalplatform.campaigns.models import Campaign
from evalplatform.reports.campaign_report import (
    CONTENT_TYPES,
    EXTENSIONS,
    FORMATS,
    campaign_export,
)
from evalplatform.reports.tidy import TidyError

DOWNLOADS = (
    ("pdf", "PDF"),
    ("latex", "LaTeX"),
    ("json", "JSON"),
    ("csv", "CSV tables"),
    ("judgments", "judgments CSV"),
)


def campaign_report_view(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """``GET .../<id>/report/`` shows the HTML report; ``?format=`` downloads an export
    (json, csv, latex, pdf, or the tidy judgments CSV)."""
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    fmt = request.GET.get("format", "html")
    if fmt not in FORMATS:
        return HttpResponse(f"Unknown format; choose from {', '.join(FORMATS)}.", status=400)
    try:
        body = campaign_export(campaign, fmt)
    except TidyError as error:
        return HttpResponse(f"No report yet: {error}", status=409, content_type="text/plain")
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    if fmt == "html":
        # The standalone report is the admin's page; link to the downloads from a header.
        response.content = _with_downloads(response.content.decode(), request.path)
    else:
        slug = campaign.name.replace(" ", "-").lower()
        name = f"{slug}-{'judgments' if fmt == 'judgments' else 'report'}.{EXTENSIONS[fmt]}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _with_downloads(html: str, path: str) -> str:
    links = " · ".join(f'<a href="{path}?format={fmt}">{label}</a>' for fmt, label in DOWNLOADS)
    bar = f'<nav class="downloads" style="margin:1em 0">Download: {links}</nav>'
    return html.replace("<body>", f"<body>{bar}", 1) if "<body>" in html else bar + html
