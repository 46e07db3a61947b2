"""Bounded monitoring: the monitoring task's looks at a campaign, coalesced.

Every submission queues ``reports.tasks.monitor_campaign``, and each look reads the whole
campaign, so hundreds of workers submitting at once would cost hundreds of full reads, each
larger than the last. Instead a look begins only when the analysed judgments changed since
the last look began (``kept.judgment_fingerprint``, one aggregate query), so one look covers
every submission committed before it; a task arriving while a look runs on another worker
sets ``again`` and stops, and the running look, as it ends, sends one more task. At most one
look runs per campaign, plus one waiting. The campaign's row in ``MonitoringLook``, locked
while it is read and written, keeps concurrent workers from duplicating.

The anytime-valid guarantee is untouched: a confidence sequence holds at every time at once,
so looking at fewer times (a subset of the looks, never of the data) changes nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from celery import current_app
from django.db import transaction
from django.utils import timezone

from evalplatform.campaigns.models import Campaign
from evalplatform.crowd.services.submission import MONITOR_TASK
from evalplatform.reports.kept import judgment_fingerprint
from evalplatform.reports.models import MonitoringLook
from evalplatform.reports.stopping import campaign_monitor, monitoring_watches

# Longer than the monitoring task's hard time limit: a look older than this died with its
# worker, and the next task may look in its place.
LEASE = timedelta(minutes=7)


def campaign_monitor_coalesced(*, campaign: Campaign) -> None:
    """What the monitoring task does: look at the campaign (``stopping.campaign_monitor``)
    unless a look that began after the latest change, or one running now, covers it."""
    if not monitoring_watches(campaign) or not monitor_look_begin(campaign=campaign):
        return
    try:
        campaign_monitor(campaign=campaign)
    except BaseException:
        monitor_look_end(campaign=campaign, failed=True)
        raise
    monitor_look_end(campaign=campaign)


@transaction.atomic
def monitor_look_begin(*, campaign: Campaign, now: datetime | None = None) -> bool:
    """Whether the caller should look at the campaign now: there is something new since
    the last look began and no other look is running (then it asks that look for one more)."""
    now = now or timezone.now()
    MonitoringLook.objects.get_or_create(campaign=campaign)
    look = MonitoringLook.objects.select_for_update().get(campaign=campaign)
    fingerprint, _ = judgment_fingerprint(campaign)
    if fingerprint == look.fingerprint:
        return False
    if look.running_since is not None and now - look.running_since < LEASE:
        if not look.again:
            look.again = True
            look.save(update_fields=["again"])
        return False
    look.fingerprint, look.running_since, look.again = fingerprint, now, False
    look.looks += 1
    look.save(update_fields=["fingerprint", "running_since", "again", "looks"])
    return True


@transaction.atomic
def monitor_look_end(*, campaign: Campaign, failed: bool = False) -> None:
    """Release the campaign for the next look; when a task arrived meanwhile, send the one
    more look it asked for (on commit). A failed look forgets what it began on, so that the
    next task looks again."""
    look = MonitoringLook.objects.select_for_update().get(campaign=campaign)
    again = look.again
    look.running_since, look.again = None, False
    if failed:
        look.fingerprint = ""
    look.save(update_fields=["running_since", "again", "fingerprint"])
    if again:
        # By name, as a submission sends it: the task module imports this one.
        transaction.on_commit(lambda: current_app.send_task(MONITOR_TASK, args=[campaign.pk]))
