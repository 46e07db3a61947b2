"""The campaign's cockpit: each step of a campaign's life, in order, as a button that is
offered when the campaign and the user allow it, or disabled with the reason why not.

The buttons that change something run the console's actions (``console.actions``) through
the changelist, so they obey the same permissions as the action drop-down; the others link
to the campaign's pages (``CAMPAIGN_PAGES``) or to a system's response import.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from django.urls import reverse

from evalplatform.campaigns.models import Campaign, CampaignStatus
from evalplatform.campaigns.selectors import SystemProgress
from evalplatform.console.views.plan import PLAN_VIEW
from evalplatform.console.views.review import STATE_VIEW

PREPARING = (CampaignStatus.DRAFT, CampaignStatus.GENERATING)
LIVE = (CampaignStatus.PUBLISHED, CampaignStatus.COLLECTING)
RUN = (*LIVE, CampaignStatus.CLOSED)


@dataclass(frozen=True)
class Step:
    """One button: a link (``action`` empty) or an admin action posted for this campaign;
    ``blocked`` says why it cannot be used yet (empty when it can)."""

    label: str
    explains: str
    url: str
    action: str = ""
    blocked: str = ""


@dataclass(frozen=True)
class CockpitState:
    """What the campaign page needs to decide: the user's offered actions, the
    permissions it holds, and the campaign's counts and generation progress."""

    offered: Collection[str]
    permissions: Collection[str]
    counts: Mapping[str, int]
    progress: list[SystemProgress]
    imported: list[tuple[int, str]]  # (system id, name) of the imported systems


def _denied(permission: str, state: CockpitState) -> str:
    if permission in state.permissions:
        return ""
    return f"You do not hold the permission this needs ({permission})."


def _action(label: str, explains: str, name: str, blocked: str, state: CockpitState) -> Step:
    if name not in state.offered:
        blocked = f"You do not hold the permission to {label.lower()}."
    changelist = reverse("admin:campaigns_campaign_changelist")
    return Step(label, explains, changelist, action=name, blocked=blocked)


def _page(campaign: Campaign, name: str) -> str:
    return reverse(f"admin:{name}", args=[campaign.pk])


def import_steps(campaign: Campaign, state: CockpitState) -> list[Step]:
    """A response-import link per imported system that still misses responses, while the
    campaign is being prepared."""
    if campaign.status not in PREPARING:
        return []  # the candidates are drawn: what is imported now changes nothing
    steps = []
    blocked = _denied("campaigns.change_system", state)
    complete = {row.system for row in state.progress if row.total and row.done >= row.total}
    for system_id, name in state.imported:
        if name in complete:
            continue
        url = reverse("admin:campaigns_system_responses", args=[system_id])
        steps.append(
            Step(
                f"Import responses for {name}",
                "Upload the responses this system produced elsewhere (JSONL or CSV).",
                url,
                blocked=blocked,
            )
        )
    return steps


def generate_step(campaign: Campaign, state: CockpitState) -> Step:
    blocked = ""
    if campaign.status not in PREPARING:
        blocked = "Generation is over: every system has its responses."
    return _action(
        "Generate",
        "Draw the sample and generate each system's responses (safe to repeat).",
        "start_generation",
        blocked,
        state,
    )


def build_step(campaign: Campaign, state: CockpitState) -> Step:
    blocked = ""
    if state.counts.get("hits"):
        blocked = "The HITs are built (they are built once)."
    elif campaign.status != CampaignStatus.READY:
        blocked = "Generate first: HITs are built from a ready campaign."
    return _action(
        "Build HITs",
        "Sample items into HITs, hide the systems, place the gold checks.",
        "build_hits",
        blocked,
        state,
    )


def preview_step(campaign: Campaign, state: CockpitState) -> Step:
    blocked = "" if state.counts.get("hits") else "Build the HITs first."
    blocked = blocked or _denied("campaigns.view_campaign", state)
    return Step(
        "Preview a HIT",
        "See a HIT as a worker will.",
        _page(campaign, "crowd_campaign_preview"),
        blocked=blocked,
    )


def estimate_step(campaign: Campaign, state: CockpitState) -> Step:
    blocked = "" if state.counts.get("hits") else "Build the HITs first: the cost counts them."
    return _action(
        "Estimate the cost",
        "Rewards, bonuses and fees, as upper bounds.",
        "provider_estimate_cost",
        blocked,
        state,
    )


def plan_step(campaign: Campaign, state: CockpitState) -> Step:
    if campaign.status in RUN:
        explains = "The plan frozen with the campaign when it was published."
    else:
        explains = "Simulate the power of designs (items x raters) before paying for one."
    return Step(
        "Plan",
        explains,
        _page(campaign, PLAN_VIEW),
        blocked=_denied("campaigns.view_campaign", state),
    )


def publish_step(campaign: Campaign, state: CockpitState) -> Step:
    blocked = ""
    if campaign.status in RUN:
        blocked = "Published already."
    elif not state.counts.get("hits"):
        blocked = "Build the HITs first."
    return _action(
        "Publish",
        f"Open the HITs to workers on {campaign.get_provider_display()} (shows the cost first).",
        "provider_publish",
        blocked,
        state,
    )


def invites_step(campaign: Campaign, state: CockpitState) -> Step:
    blocked = ""
    if campaign.provider != "local":
        blocked = f"Workers arrive through {campaign.get_provider_display()}, not invites."
    elif campaign.status not in RUN:
        blocked = "Publish first: invites lead to published HITs."
    return Step(
        "Invite links and codes",
        "Make the links or participant codes you hand to your workers.",
        _page(campaign, "crowd_campaign_invites"),
        blocked=blocked or _denied("campaigns.view_campaign", state),
    )


def live_step(campaign: Campaign, state: CockpitState) -> Step:
    return Step(
        "Watch collection live",
        "HITs, answers, quality flags, agreement and money as workers answer.",
        _page(campaign, "console_campaign_live"),
        blocked="" if campaign.status in RUN else "Publish first: nothing is collected yet.",
    )


def review_steps(campaign: Campaign, state: CockpitState) -> list[Step]:
    submitted = state.counts.get("assignments_submitted", 0)
    blocked = "" if submitted else "No work is submitted yet."
    return [
        _action(
            "Approve submitted work",
            "Approve every submitted assignment not yet decided (once each).",
            "provider_approve_submitted",
            blocked,
            state,
        ),
        _action(
            "Pay bonuses",
            "Pay the bonuses workers earned (once each).",
            "provider_pay_bonuses",
            blocked,
            state,
        ),
        Step(
            "Provider state and review",
            "Decide on single assignments, see what the provider holds.",
            _page(campaign, STATE_VIEW),
            blocked="" if campaign.status in RUN else "Publish first.",
        ),
    ]


def report_step(campaign: Campaign, state: CockpitState) -> Step:
    judgments = state.counts.get("judgments", 0)
    return Step(
        "Report",
        "Means, agreement and significance tests, with CSV, JSON, LaTeX and PDF downloads.",
        _page(campaign, "reports_campaign_report"),
        blocked="" if judgments else "No judgments yet: the report needs answers.",
    )


def campaign_steps(campaign: Campaign, state: CockpitState) -> list[Step]:
    """Every step of the campaign's life, in order."""
    return [
        *import_steps(campaign, state),
        generate_step(campaign, state),
        build_step(campaign, state),
        preview_step(campaign, state),
        plan_step(campaign, state),
        estimate_step(campaign, state),
        publish_step(campaign, state),
        invites_step(campaign, state),
        live_step(campaign, state),
        *review_steps(campaign, state),
        report_step(campaign, state),
    ]


def next_step(steps: list[Step]) -> Step | None:
    """The first step that can be taken and changes something (an action), else the first
    available link: what the researcher most likely does next."""
    available = [step for step in steps if not step.blocked]
    actions = [s for s in available if s.action and s.action != "provider_estimate_cost"]
    candidates = actions or available
    return candidates[0] if candidates else None
