"""The live collection view: its JSON while a campaign collects, its page, its cost."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evalplatform.campaigns.models import CampaignStatus
from evalplatform.crowd.services import assignment_lease, assignment_submit, judgment_save
from tests.factories import WorkerFactory, make_campaign, show_all

pytestmark = pytest.mark.django_db


def live_url(campaign, suffix="live.json") -> str:
    return f"/admin/campaigns/campaign/{campaign.pk}/{suffix}"


def answer_varied(lease, seed: int) -> None:
    """Scores that vary by response and worker: no straight-lining, some disagreement."""
    show_all(lease)
    for item in lease.hit.items.prefetch_related("candidates"):
        for criterion in lease.hit.campaign.criteria.all():
            for shown in item.candidates.all():
                low, high = criterion.scale_min, criterion.scale_max
                value = low + (item.position + shown.position + seed) % (high - low + 1)
                judgment_save(
                    assignment=lease,
                    item_position=item.position,
                    candidate_position=shown.position,
                    criterion=criterion.name,
                    value=str(value),
                )


def submit_work(campaign, workers: int) -> None:
    for seed in range(workers):
        lease = assignment_lease(campaign=campaign, worker=WorkerFactory())
        answer_varied(lease, seed)
        assignment_submit(assignment=lease)


def test_live_json_counts_the_crowds_work_and_marks_statistics_interim(client_as):
    campaign = make_campaign("likert-fce", status=CampaignStatus.PUBLISHED)
    client = client_as("viewer")
    before = client.get(live_url(campaign)).json()
    assert before["analysis"] == {
        "interim": True,
        "available": False,
        "why": "No analysed judgments yet.",
    }
    submit_work(campaign, 3)

    live = client.get(live_url(campaign)).json()

    assert live["crowd"]["assignments"] == {"submitted": 3}
    assert sum(live["crowd"]["hits"].values()) == campaign.hits.count()
    assert sum(row["n"] for row in live["crowd"]["answers"]) > 0
    assert live["crowd"]["assignments_timed"] == 3
    assert live["money"] == {"committed": "0.00", "paid": "0.00"}
    analysis = live["analysis"]
    assert analysis["interim"] and analysis["available"]
    assert len(analysis["workers"]) == 3
    assert {row["scope"] for row in analysis["agreement"]} == set(
        campaign.criteria.values_list("name", flat=True)
    )
    assert {test["test"] for test in analysis["tests"]} == {"Welch t-test"}


def test_live_view_needs_view_campaign(client_as):
    campaign = make_campaign("likert-fce", status=CampaignStatus.PUBLISHED)
    staff = client_as("staff_only")
    assert staff.get(live_url(campaign)).status_code == 403
    assert staff.get(live_url(campaign, "live/")).status_code == 403


def test_live_page_polls_its_json_with_a_module(client_as):
    campaign = make_campaign("likert-fce", status=CampaignStatus.PUBLISHED)
    html = client_as("viewer").get(live_url(campaign, "live/")).content.decode()
    assert '<script type="module" src="/static/console/live.js">' in html
    assert 'id="live-config"' in html and live_url(campaign) in html
    assert "Interim:" in html
    assert f"<title>Live collection: {campaign.name}" in html


def queries_for(client, campaign) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(live_url(campaign)).status_code == 200
    return len(captured)


def test_live_json_costs_a_constant_number_of_queries(client_as, django_assert_max_num_queries):
    client = client_as("viewer")
    small = make_campaign("likert-fce", status=CampaignStatus.PUBLISHED)
    submit_work(small, 1)
    large = make_campaign(
        "likert-fce", status=CampaignStatus.PUBLISHED, overrides={"assignments_per_hit": 6}
    )
    submit_work(large, 8)
    assert queries_for(client, small) == queries_for(client, large)
    # 26: the judgments' packed read asks for the tables' largest ids and the systems'
    # names, a query each, whatever the number of rows.
    with django_assert_max_num_queries(26):
        client.get(live_url(large))


def test_live_json_names_gold_answers_and_reports_the_gold_pass_rate(client_as, ggb_campaign):
    from tests.factories import answer_all

    lease = assignment_lease(campaign=ggb_campaign, worker=WorkerFactory())
    answer_all(lease, label_for=lambda shown: "good" if shown.is_gold else "bad")
    assignment_submit(assignment=lease)

    live = client_as("viewer").get(live_url(ggb_campaign)).json()

    gold = [row for row in live["crowd"]["answers"] if row["system"] == "(gold response)"]
    assert gold and gold[0]["n"] == lease.hit.items.filter(has_gold=True).count()
    assert live["analysis"]["gold"] == {"n": gold[0]["n"], "rate": 1.0}


def test_live_json_shows_each_comparisons_confidence_sequence_and_its_state(client_as):
    campaign = make_campaign(
        "likert-fce", status=CampaignStatus.PUBLISHED, overrides={"smallest_difference": 10.0}
    )
    client = client_as("viewer")
    before = client.get(live_url(campaign)).json()["monitoring"]
    assert before["comparisons"] == [] and before["smallest_difference"] == 10.0
    submit_work(campaign, 2)

    monitoring = client.get(live_url(campaign)).json()["monitoring"]

    criteria = campaign.criteria.count()
    assert len(monitoring["comparisons"]) == 3 * criteria
    first = monitoring["comparisons"][0]
    assert first["items"] == campaign.items_per_hit
    assert first["cs"][0] <= first["estimate"] <= first["cs"][1]
    # wider than the scale: every comparison with items is futile
    assert first["status"] == "futile" and monitoring["all_settled"]
    assert monitoring["smallest_difference"] == 10.0 and monitoring["unit"]
    assert monitoring["stop_when_settled"] is False and monitoring["decisions"] == []


def test_live_page_has_the_monitoring_table(client_as):
    campaign = make_campaign("likert-fce", status=CampaignStatus.PUBLISHED)
    html = client_as("viewer").get(live_url(campaign, "live/")).content.decode()
    assert 'data-live="monitoring"' in html and 'data-live="decisions"' in html


def test_live_json_gives_each_kappa_its_bootstrap_interval(client_as):
    campaign = make_campaign("likert-fce", status=CampaignStatus.PUBLISHED)
    submit_work(campaign, 4)

    agreement = client_as("viewer").get(live_url(campaign)).json()["analysis"]["agreement"]

    with_kappa = [row for row in agreement if row["fleiss_kappa"] is not None]
    assert with_kappa
    for row in with_kappa:
        low, high = row["ci95"]
        assert low <= row["fleiss_kappa"] <= high
