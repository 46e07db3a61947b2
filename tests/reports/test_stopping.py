"""Stop and reallocate: run after submissions, recorded, idempotent, off by default."""

from __future__ import annotations

import pytest

from evalplatform.campaigns.models import Campaign, MonitoringAction, MonitoringDecision
from evalplatform.crowd.models import Hit, HitStatus
from evalplatform.crowd.services import assignment_lease, assignment_submit
from evalplatform.crowd.services.submission import MONITOR_TASK
from evalplatform.reports.campaign_report import campaign_report
from evalplatform.reports.monitoring import campaign_monitoring
from evalplatform.reports.monitoring_section import monitoring_sentences
from evalplatform.reports.stopping import campaign_monitor
from evalplatform.reports.tasks import monitor_campaign
from tests.factories import WorkerFactory, answer_all, make_campaign

pytestmark = pytest.mark.django_db

# Wider than any difference on the scale: every comparison with one complete item is
# futile, so stopping can be exercised on a campaign of a few HITs.
WIDER_THAN_THE_SCALE = 10.0


def submit_one_hit(campaign) -> Hit:
    """Every slot of one HIT answered and submitted."""
    hit = None
    for _ in range(campaign.assignments_per_hit):
        lease = assignment_lease(campaign=campaign, worker=WorkerFactory(), hit=hit)
        hit = lease.hit
        answer_all(lease, score="4")
        assignment_submit(assignment=lease)
    assert hit is not None
    return hit


def open_hits(campaign) -> int:
    return Hit.objects.filter(campaign=campaign, status=HitStatus.OPEN).count()


def reallocating_ab_campaign(*, sample_size: int, per_subset: int) -> Campaign:
    """An A/B campaign that reallocates, where one complete item settles a pair."""
    return make_campaign(
        "ab-wlt",
        overrides={
            "sample_size": sample_size,
            "monitor_reallocate": True,
            "smallest_difference": WIDER_THAN_THE_SCALE,
        },
        per_subset=per_subset,
    )


def test_monitoring_is_off_by_default_and_a_submission_enqueues_nothing(
    monkeypatch, django_capture_on_commit_callbacks
):
    campaign = make_campaign("likert-fce")
    sent = []
    monkeypatch.setattr("celery.current_app.send_task", lambda *a, **k: sent.append((a, k)))
    with django_capture_on_commit_callbacks(execute=True):
        submit_one_hit(campaign)
    assert sent == []
    assert campaign_monitor(campaign=campaign) is None
    assert open_hits(campaign) == campaign.hits.count() - 1


def test_a_submission_enqueues_the_monitoring_task_on_commit(
    monkeypatch, django_capture_on_commit_callbacks
):
    campaign = make_campaign("likert-fce", overrides={"monitor_stop": True})
    sent = []
    monkeypatch.setattr("celery.current_app.send_task", lambda *a, **k: sent.append((a, k)))
    with django_capture_on_commit_callbacks(execute=True):
        submit_one_hit(campaign)
    assert [a for a, _ in sent] == [(MONITOR_TASK,)] * campaign.assignments_per_hit
    assert all(k == {"args": [campaign.pk]} for _, k in sent)


def test_the_campaign_stops_once_every_comparison_is_settled_and_says_why(
    django_capture_on_commit_callbacks,
):
    campaign = make_campaign(
        "likert-fce",
        overrides={"monitor_stop": True, "smallest_difference": WIDER_THAN_THE_SCALE},
    )
    submit_one_hit(campaign)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        decision = campaign_monitor(campaign=campaign)

    assert decision is not None and decision.action == MonitoringAction.STOP
    assert open_hits(campaign) == 0 and decision.hits_withdrawn == campaign.hits.count() - 1
    assert decision.submitted_assignments == campaign.assignments_per_hit
    criteria = campaign.criteria.count()
    assert len(decision.comparisons) == 3 * criteria  # three pairs of systems per criterion
    assert {c["status"] for c in decision.comparisons} == {"futile"}
    assert "futile" in decision.reason
    assert len(callbacks) == 1  # the provider's side: expire_campaign, after the commit
    # Idempotent: a second run (a redelivered task) records nothing more.
    assert campaign_monitor(campaign=campaign) is None
    monitor_campaign(campaign.pk)
    assert MonitoringDecision.objects.filter(campaign=campaign).count() == 1
    block = campaign_monitoring(campaign)
    assert block["stopped_early"] and block["all_settled"]
    assert block["decisions"][0]["action"] == "stop"


def test_a_campaign_with_undecided_comparisons_keeps_collecting():
    campaign = make_campaign("likert-fce", overrides={"monitor_stop": True})
    submit_one_hit(campaign)
    assert campaign_monitor(campaign=campaign) is None
    states = campaign_monitoring(campaign)["comparisons"]
    assert states and {s["status"] for s in states} == {"undecided"}
    assert all(s["items"] == campaign.items_per_hit for s in states)
    # a yes/no criterion's difference lies in [-1, 1], not in its unused 1-5 scale fields
    binary = [s for s in states if s["family"] == "emotion_accuracy"]
    assert binary and all(-1 <= s["cs"][0] <= s["cs"][1] <= 1 for s in binary)
    assert open_hits(campaign) == campaign.hits.count() - 1


def ab_pairs_by_hit(campaign) -> dict[int, list[frozenset[str]]]:
    """Each HIT's items, as the pair of systems each shows."""
    return {
        hit.pk: [
            frozenset(ic.candidate.system.name for ic in item.candidates.all())
            for item in hit.items.all()
        ]
        for hit in campaign.hits.prefetch_related("items__candidates__candidate__system")
    }


def test_reallocation_withdraws_only_the_hits_of_settled_ab_pairs():
    campaign = reallocating_ab_campaign(sample_size=8, per_subset=24)
    pair_of = {pk: set(pairs) for pk, pairs in ab_pairs_by_hit(campaign).items()}
    assert all(len(pairs) == 1 for pairs in pair_of.values())  # one pair per HIT
    done = submit_one_hit(campaign)

    decision = campaign_monitor(campaign=campaign)

    assert decision is not None and decision.action == MonitoringAction.REALLOCATE
    withdrawn = set(
        Hit.objects.filter(campaign=campaign, status=HitStatus.EXPIRED).values_list("pk", flat=True)
    )
    assert withdrawn and all(pair_of[pk] == pair_of[done.pk] for pk in withdrawn)
    still_open = Hit.objects.filter(campaign=campaign, status=HitStatus.OPEN)
    assert still_open.count() == campaign.hits.count() - 1 - len(withdrawn) > 0
    assert decision.hits_withdrawn == len(withdrawn)
    assert "Prolific" in decision.provider_note
    assert campaign_monitor(campaign=campaign) is None  # nothing left to withdraw


def test_reallocation_gives_the_withdrawn_hits_to_the_undecided_pairs():
    campaign = reallocating_ab_campaign(sample_size=16, per_subset=48)
    planned_hits = campaign.hits.count()
    before = ab_pairs_by_hit(campaign)
    contexts_of = {
        hit.pk: set(hit.items.values_list("dialogue_id", flat=True)) for hit in campaign.hits.all()
    }
    done = submit_one_hit(campaign)
    settled_pair = before[done.pk][0]

    decision = campaign_monitor(campaign=campaign)

    assert decision is not None and decision.hits_added == decision.hits_withdrawn > 0
    after = ab_pairs_by_hit(campaign)
    added = sorted(set(after) - set(before))
    assert len(added) == decision.hits_added
    # The budget is the plan's: as many HITs open or done as were planned, of the same size.
    live = Hit.objects.filter(campaign=campaign).exclude(status=HitStatus.EXPIRED)
    assert live.count() == planned_hits
    assert all(len(after[pk]) <= campaign.items_per_hit for pk in added)
    for pk in added:  # one undecided pair per HIT, on contexts that pair has not been shown
        (pair,) = set(after[pk])
        assert pair != settled_pair
        own = {c for old, pairs in before.items() if pairs[0] == pair for c in contexts_of[old]}
        hit = Hit.objects.get(pk=pk)
        assert not own & set(hit.items.values_list("dialogue_id", flat=True))
    shown_pairs = {next(iter(set(after[pk]))) for pk in added}
    assert len(shown_pairs) == 2  # shared between the two undecided pairs
    assert "added" in decision.reason and "undecided" in decision.reason
    assert campaign_monitor(campaign=campaign) is None  # nothing more to move
    assert campaign_monitoring(campaign)["decisions"][0]["hits_added"] == decision.hits_added
    for _ in range(campaign.assignments_per_hit):  # workers take the new HITs as any other
        lease = assignment_lease(
            campaign=campaign, worker=WorkerFactory(), hit=Hit.objects.get(pk=added[0])
        )
        answer_all(lease, score="4")
        assignment_submit(assignment=lease)
    assert Hit.objects.get(pk=added[0]).status == HitStatus.COMPLETE
    report = campaign_report(campaign)
    assert f"{decision.hits_added} added for the undecided" in " ".join(
        monitoring_sentences(report)
    )


def test_reallocation_adds_no_hit_where_the_provider_holds_each_hit():
    campaign = reallocating_ab_campaign(sample_size=8, per_subset=24)
    for hit in campaign.hits.all():  # as MTurk publishes: one remote HIT per HIT
        Hit.objects.filter(pk=hit.pk).update(provider_hit_id=f"remote-{hit.pk}")
    hits = campaign.hits.count()
    submit_one_hit(campaign)
    decision = campaign_monitor(campaign=campaign)
    assert decision is not None and decision.hits_withdrawn > 0 and decision.hits_added == 0
    assert campaign.hits.count() == hits
