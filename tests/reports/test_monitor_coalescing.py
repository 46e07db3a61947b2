"""The monitoring task's work stays bounded when many workers submit at once: one look at
the campaign covers every submission committed before it began, a task arriving while a
look runs asks for one more look instead of running its own, and coalesced looks reach the
decision a look at all the data reaches."""

from __future__ import annotations

from typing import Any

import pytest

from evalplatform.campaigns.models import MonitoringAction, MonitoringDecision
from evalplatform.reports import monitoring
from evalplatform.reports.monitoring import campaign_comparison_states
from evalplatform.reports.tasks import monitor_campaign
from tests.factories import make_campaign
from tests.reports.test_stopping import WIDER_THAN_THE_SCALE, submit_one_hit

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Each time the monitoring reads a campaign's whole judgments frame (the real read,
    counted on its way through)."""
    reads: list[int] = []
    real = monitoring.campaign_judgments_frame

    def counted(campaign: Any, *args: Any, **kwargs: Any) -> Any:
        reads.append(campaign.pk)
        return real(campaign, *args, **kwargs)

    monkeypatch.setattr(monitoring, "campaign_judgments_frame", counted)
    return reads


def submit_hits(campaign: Any, hits: int, capture: Any) -> int:
    """Submit every slot of ``hits`` HITs; the number of monitoring tasks they queued."""
    with capture(execute=False) as queued:
        for _ in range(hits):
            submit_one_hit(campaign)
    return len(queued)


def test_tasks_queued_together_read_the_campaign_once(
    full_reads: list[int], django_capture_on_commit_callbacks: Any
) -> None:
    # Undecided after a few items: every look reads the data and changes nothing.
    campaign = make_campaign("likert-fce", overrides={"monitor_stop": True, "sample_size": 12})
    queued = submit_hits(campaign, 3, django_capture_on_commit_callbacks)
    assert queued == 3 * campaign.assignments_per_hit > 1
    for _ in range(queued):  # the queued tasks, delivered after every submission committed
        monitor_campaign(campaign.pk)
    assert full_reads == [campaign.pk]
    submit_hits(campaign, 1, django_capture_on_commit_callbacks)
    monitor_campaign(campaign.pk)  # a later submission is looked at
    monitor_campaign(campaign.pk)
    assert full_reads == [campaign.pk] * 2


def test_a_task_arriving_during_a_look_leaves_one_more_look_to_it(
    full_reads: list[int], django_capture_on_commit_callbacks: Any
) -> None:
    from evalplatform.reports.monitor_looks import monitor_look_begin, monitor_look_end

    campaign = make_campaign("likert-fce", overrides={"monitor_stop": True, "sample_size": 12})
    submit_hits(campaign, 1, django_capture_on_commit_callbacks)
    assert monitor_look_begin(campaign=campaign)  # a look running on another worker
    assert not monitor_look_begin(campaign=campaign)  # nothing new: no second look
    queued = submit_hits(campaign, 2, django_capture_on_commit_callbacks)
    for _ in range(queued):
        monitor_campaign(campaign.pk)
    assert full_reads == []  # they leave it to the running look...
    with django_capture_on_commit_callbacks(execute=False) as again:
        monitor_look_end(campaign=campaign)
    assert len(again) == 1  # ...which sends one more task as it ends
    monitor_campaign(campaign.pk)
    monitor_campaign(campaign.pk)
    assert full_reads == [campaign.pk]


def test_coalesced_looks_reach_the_decision_of_a_look_at_all_the_data(
    django_capture_on_commit_callbacks: Any,
) -> None:
    overrides = {"monitor_stop": True, "smallest_difference": WIDER_THAN_THE_SCALE}
    campaign = make_campaign("likert-fce", overrides=overrides)
    queued = submit_hits(campaign, 2, django_capture_on_commit_callbacks)
    expected = [s.as_dict() for s in campaign_comparison_states(campaign)]
    for _ in range(queued):
        monitor_campaign(campaign.pk)
    decision = MonitoringDecision.objects.get(campaign=campaign)
    assert decision.action == MonitoringAction.STOP
    assert decision.comparisons == expected
    assert decision.submitted_assignments == 2 * campaign.assignments_per_hit


def test_a_look_whose_worker_died_is_taken_over_after_its_lease(
    django_capture_on_commit_callbacks: Any,
) -> None:
    from django.utils import timezone

    from evalplatform.reports.monitor_looks import LEASE, monitor_look_begin

    campaign = make_campaign("likert-fce", overrides={"monitor_stop": True, "sample_size": 12})
    submit_hits(campaign, 1, django_capture_on_commit_callbacks)
    start = timezone.now()
    assert monitor_look_begin(campaign=campaign, now=start)  # its worker dies: no end
    submit_hits(campaign, 1, django_capture_on_commit_callbacks)
    assert not monitor_look_begin(campaign=campaign, now=start + LEASE / 2)
    assert monitor_look_begin(campaign=campaign, now=start + LEASE)


def test_a_task_with_nothing_new_costs_a_few_queries_and_no_read(
    full_reads: list[int],
    django_capture_on_commit_callbacks: Any,
    django_assert_max_num_queries: Any,
) -> None:
    campaign = make_campaign("likert-fce", overrides={"monitor_stop": True, "sample_size": 12})
    submit_hits(campaign, 2, django_capture_on_commit_callbacks)
    monitor_campaign(campaign.pk)
    # The campaign, whether it is watched, its look row (created, locked), the judgments'
    # fingerprint and the analysis settings: nothing that grows with the campaign.
    with django_assert_max_num_queries(9):
        monitor_campaign(campaign.pk)
    assert full_reads == [campaign.pk]
