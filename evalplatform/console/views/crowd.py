"""The campaign's crowd pages in the console: a HIT preview, and the invite links."""

from __future__ import annotations

import csv
import io

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from evalplatform.campaigns.models import Campaign
from evalplatform.common.errors import ApplicationError
from evalplatform.crowd.models import Hit, Invite, InviteKind
from evalplatform.crowd.services import invites_create
from evalplatform.crowd.services.invites import display_code, invite_path
from evalplatform.crowd.views.preview import render_hit_preview

INVITE_COLUMNS = ["label", "kind", "code", "url", "used", "revoked", "external_id"]
MAX_PEOPLE_FILE_BYTES = 1_000_000


class PeopleFileRefused(ApplicationError):
    """An uploaded list of people that cannot be read."""


def preview_view(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """A HIT as a worker sees it before accepting (``?hit=<index>&item=<position>``)."""
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    hits = Hit.objects.filter(campaign=campaign)
    if not hits.exists():
        messages.warning(request, "Build the HITs first (campaign action) to preview them.")
        return HttpResponseRedirect(reverse("admin:campaigns_campaign_change", args=[campaign.pk]))
    index = request.GET.get("hit", "0")
    hit = hits.filter(index=int(index) if index.isdigit() else 0).first() or hits.get(index=0)
    position = request.GET.get("item", "0")
    item_position = int(position) if position.isdigit() else 0
    return render_hit_preview(request, hit, item_position=item_position)


def invites_view(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Make invite links or participant codes (POST), list them, or download them as CSV."""
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    if request.method == "POST":
        _invites_make(request, campaign)
        return HttpResponseRedirect(request.path)
    base = request.build_absolute_uri("/").rstrip("/")
    invites = list(Invite.objects.filter(campaign=campaign).select_related("worker"))
    if request.GET.get("format") == "csv":
        return _invites_csv(campaign, invites, base)
    rows = [
        {"invite": invite, "code": display_code(invite), "url": base + invite_path(invite)}
        for invite in invites
    ]
    return render(
        request,
        "admin/crowd/invites.html",
        {
            **admin.site.each_context(request),
            "campaign": campaign,
            "invites": rows,
            "title": f"Invites for {campaign.name}",
            "opts": Campaign._meta,
            "join_url": base + reverse("crowd:join"),
            "kinds": InviteKind.choices,
        },
    )


def _invites_make(request: HttpRequest, campaign: Campaign) -> None:
    """Invites by number, or one per person: the external ids typed one per line, or an
    uploaded CSV with an ``external_id`` column (and optionally ``label``)."""
    try:
        people, labels = _people(request)
        count = 0 if people else int(request.POST.get("count", "0"))
        made = invites_create(
            campaign=campaign,
            count=count,
            kind=request.POST.get("kind", InviteKind.LINK),
            label=request.POST.get("label", "")[:150],
            external_ids=people,
            labels=labels,
        )
    except (ValueError, ApplicationError) as error:
        messages.error(request, getattr(error, "message", "Give a number of invites."))
    else:
        tied = ", each tied to its person's external id" if people else ""
        messages.success(request, f"Made {len(made)} invites{tied}.")


def _people(request: HttpRequest) -> tuple[list[str], list[str]]:
    """(external ids, labels) from the upload, else from the text box; both empty when
    the researcher gave neither."""
    upload = request.FILES.get("people")
    if upload is not None:
        if (upload.size or 0) > MAX_PEOPLE_FILE_BYTES:
            raise PeopleFileRefused("The file of people is larger than 1 MB.")
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise PeopleFileRefused("The file of people is not UTF-8 text.") from error
        rows = list(csv.DictReader(io.StringIO(text)))
        if not rows or "external_id" not in rows[0]:
            raise PeopleFileRefused(
                "The file of people needs a header row with an external_id column."
            )
        return [row["external_id"] or "" for row in rows], [row.get("label") or "" for row in rows]
    typed = request.POST.get("external_ids", "")
    return [line for line in typed.splitlines() if line.strip()], []


def _invites_csv(campaign: Campaign, invites: list[Invite], base: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="invites-{campaign.pk}.csv"'
    writer = csv.writer(response)
    writer.writerow(INVITE_COLUMNS)
    for invite in invites:
        writer.writerow(
            [
                invite.label,
                invite.kind,
                display_code(invite),
                base + invite_path(invite),
                bool(invite.worker_id),
                invite.revoked,
                invite.external_id,
            ]
        )
    return response
