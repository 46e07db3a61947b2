"""Stop and reallocate: what the monitoring does to a campaign's collection, recorded.

Run after submitted assignments (``tasks.monitor_campaign``, enqueued on commit by each
submission; ``monitor_looks`` coalesces the looks of submissions arriving together),
idempotent: it reads where every comparison stands and
- with ``monitor_stop``, once every comparison is decided or futile, stops publishing HITs:
  the open HITs are withdrawn here at once and on the provider by ``expire_campaign`` (on
  Prolific the study is stopped, which returns the unused places' funds); workers in the
  middle of a HIT may still submit it;
- with ``monitor_reallocate``, withdraws the open HITs whose every item shows only settled
  comparisons, so the work left goes to the comparisons still undecided (in the spirit of
  Chatbot Arena's active sampling, Chiang et al. 2024); on an A/B campaign the withdrawn
  HITs no worker had started are replaced one for one by HITs of the undecided pairs
  (``reallocation``), so the plan's places are spent on them. Prolific lets a study's
  places be increased but not reduced, so the provider keeps its places; they fill with
  the HITs still open, and the final stop returns what is left.
Every action is a ``MonitoringDecision`` with its time, reason and every comparison's state.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from evalplatform.analysis.monitoring import UNDECIDED, ComparisonState, all_settled
from evalplatform.campaigns.models import (
    Campaign,
    CampaignStatus,
    MonitoringAction,
    MonitoringDecision,
)
from evalplatform.crowd.models import Assignment, Hit, HitStatus, ItemCandidate
from evalplatform.crowd.services.assignments import DONE_STATUSES
from evalplatform.providers.tasks import expire_campaign
from evalplatform.reports.monitoring import campaign_comparison_states
from evalplatform.reports.reallocation import reallocated_hits_add

LIVE = (CampaignStatus.PUBLISHED, CampaignStatus.COLLECTING)
PLACES_NOTE = (
    "Places on the provider are unchanged (Prolific lets a study's places be increased, not "
    "reduced); arriving workers get the HITs still open."
)


def campaign_monitor(
    *, campaign: Campaign, now: datetime | None = None
) -> MonitoringDecision | None:
    """Look at the campaign's comparisons and stop or reallocate when its settings say so;
    the decision taken, or None when nothing changed."""
    if not monitoring_watches(campaign):
        return None
    states = campaign_comparison_states(campaign)
    now = now or timezone.now()
    if campaign.monitor_stop and all_settled(states):
        return campaign_monitor_stop(campaign=campaign, states=states, now=now)
    if campaign.monitor_reallocate and states:
        return campaign_monitor_reallocate(campaign=campaign, states=states, now=now)
    return None


def monitoring_watches(campaign: Campaign) -> bool:
    """Whether looking at the campaign could change anything: a setting asks to act, the
    campaign collects, and it has not stopped already."""
    if not (campaign.monitor_stop or campaign.monitor_reallocate) or campaign.status not in LIVE:
        return False
    stopped = MonitoringDecision.objects.filter(campaign=campaign, action=MonitoringAction.STOP)
    return not stopped.exists()


@transaction.atomic
def campaign_monitor_stop(
    *, campaign: Campaign, states: Sequence[ComparisonState], now: datetime
) -> MonitoringDecision:
    """Withdraw every open HIT and record why; stopping twice records once."""
    Campaign.objects.select_for_update().filter(pk=campaign.pk).values_list("pk").first()
    existing = MonitoringDecision.objects.filter(campaign=campaign, action=MonitoringAction.STOP)
    if (found := existing.first()) is not None:
        return found
    withdrawn = Hit.objects.filter(campaign=campaign, status=HitStatus.OPEN).update(
        status=HitStatus.EXPIRED
    )
    decided = sum(s.status == "decided" for s in states)
    decision = MonitoringDecision.objects.create(
        campaign=campaign,
        decided_at=now,
        action=MonitoringAction.STOP,
        reason=(
            f"Every comparison is settled ({decided} decided, {len(states) - decided} futile) "
            "by its anytime-valid confidence sequence: more answers would change no conclusion."
        ),
        comparisons=[s.as_dict() for s in states],
        hits_withdrawn=withdrawn,
        submitted_assignments=_submitted(campaign),
        provider_note="The provider's HITs or study are stopped as well (expire_campaign).",
    )
    expire_campaign.delay_on_commit(campaign.pk)
    return decision


@transaction.atomic
def campaign_monitor_reallocate(
    *, campaign: Campaign, states: Sequence[ComparisonState], now: datetime
) -> MonitoringDecision | None:
    """Withdraw the open HITs that serve no undecided comparison; record it when any was."""
    Campaign.objects.select_for_update().filter(pk=campaign.pk).values_list("pk").first()
    undecided = [frozenset((s.a, s.b)) for s in states if s.status == UNDECIDED]
    shown: dict[int, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    rows = ItemCandidate.objects.filter(
        item__hit__campaign=campaign, item__hit__status=HitStatus.OPEN, candidate__isnull=False
    ).values_list("item__hit_id", "item_id", "candidate__system__name")
    for hit_id, item_id, system in rows:
        shown[hit_id][item_id].add(system)
    idle = [
        hit_id
        for hit_id, items in shown.items()
        if not any(pair <= systems for systems in items.values() for pair in undecided)
    ]
    if not idle:
        return None
    withdrawn_ids = list(
        Hit.objects.filter(pk__in=idle, status=HitStatus.OPEN).values_list("pk", flat=True)
    )
    if not withdrawn_ids:
        return None
    withdrawn = Hit.objects.filter(pk__in=withdrawn_ids).update(status=HitStatus.EXPIRED)
    earlier = MonitoringDecision.objects.filter(campaign=campaign).count()
    added = reallocated_hits_add(
        campaign=campaign,
        withdrawn=withdrawn_ids,
        undecided=undecided,
        seed=f"{campaign.sample_seed}-reallocation-{earlier}",
    )
    settled = len(states) - len(undecided)
    return MonitoringDecision.objects.create(
        campaign=campaign,
        decided_at=now,
        action=MonitoringAction.REALLOCATE,
        reason=(
            f"{settled} of {len(states)} comparisons are settled; the {withdrawn} open HITs "
            "that showed only those were withdrawn so that the remaining work goes to the "
            f"{len(undecided)} still undecided." + _added_text(added)
        ),
        comparisons=[s.as_dict() for s in states],
        hits_withdrawn=withdrawn,
        hits_added=sum(added.values()),
        submitted_assignments=_submitted(campaign),
        provider_note=PLACES_NOTE,
    )


def _added_text(added: dict[frozenset[str], int]) -> str:
    if not added:
        return ""
    each = ", ".join(
        f"{n} to {' vs '.join(sorted(pair))}"
        for pair, n in sorted(added.items(), key=lambda kv: sorted(kv[0]))
    )
    return (
        f" Their places went to {sum(added.values())} new HITs added for the undecided "
        f"pairs ({each}), on contexts those pairs had not been shown."
    )


def _submitted(campaign: Campaign) -> int:
    return Assignment.objects.filter(hit__campaign=campaign, status__in=DONE_STATUSES).count()
