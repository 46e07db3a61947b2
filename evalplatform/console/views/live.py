"""The live collection view: a page that polls its JSON (``console.live``) while open."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from evalplatform.campaigns.models import Campaign
from evalplatform.console.live import campaign_live

LIVE_VIEW = "console_campaign_live"
LIVE_JSON = "console_campaign_live_json"
# How often the page asks again, in milliseconds: fresh enough to watch, cheap to serve.
POLL_MS = 3000


def live_view(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    return render(
        request,
        "console/live.html",
        {
            **admin.site.each_context(request),
            "campaign": campaign,
            "title": f"Live collection: {campaign.name}",
            "opts": Campaign._meta,
            "live": campaign_live(campaign),
            "live_config": {
                "url": reverse(f"admin:{LIVE_JSON}", args=[campaign.pk]),
                "every": POLL_MS,
            },
        },
    )


def live_json_view(request: HttpRequest, campaign_id: int) -> JsonResponse:
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    response = JsonResponse(campaign_live(campaign))
    response["Cache-Control"] = "no-store"
    return response
