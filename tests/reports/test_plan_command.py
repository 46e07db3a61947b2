"""``manage.py plan`` from a tidy pilot CSV: the table of designs and the cheapest one."""

from __future__ import annotations

import json
from io import StringIO

import numpy as np
import pandas as pd
import pytest
from django.core.management import CommandError, call_command

from evalplatform.analysis.crowd_simulation import (
    AbDesign,
    LikertDesign,
    simulate_ab,
    simulate_likert,
)

SYSTEMS = ("A", "B", "C")


def _plan(*args: str) -> dict:
    out = StringIO()
    call_command("plan", *args, "--format", "json", "--sets", "40", "--raters", "1,3", stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def likert_pilot(tmp_path):
    rng = np.random.default_rng(7)
    design = LikertDesign("pilot", 0.3, 0.6, 0.4, 0.7, items=40, workers=20)
    frames = [
        simulate_likert(design, 0.0, rng, systems=SYSTEMS, criterion=c)
        for c in ("fluency", "empathy")
    ]
    df = pd.concat(frames).assign(
        item=lambda d: "i" + d["item"].astype(str), worker=lambda d: "w" + d["worker"].astype(str)
    )
    path = tmp_path / "pilot.csv"
    df.to_csv(path, index=False)
    return path


def test_plan_from_a_likert_pilot_fits_each_criterion_and_names_the_cheapest_design(likert_pilot):
    plan = _plan(
        "--pilot", str(likert_pilot), "--protocol", "likert", "--difference", "0.6",
        "--provider", "mturk", "--reward", "0.50", "--minutes-per-hit", "6",
    )  # fmt: skip
    assert plan["inputs"]["systems"] == list(SYSTEMS)
    components = plan["inputs"]["components"]
    assert components["source"] == "pilot"
    assert set(components["values"]) == {"fluency", "empathy"}
    assert 0.3 < components["values"]["fluency"]["response_sd"] < 0.9
    cheapest = plan["cheapest"]
    assert cheapest["power"] >= 0.8
    passing = [d for d in plan["rows"] if d["power"] >= 0.8]
    assert cheapest["cost"] == min(d["cost"] for d in passing)
    # MTurk: 20 % fee on a 0.50 reward = 0.10 per assignment, fewer than 10 assignments a HIT
    assert cheapest["cost"] == pytest.approx(cheapest["assignments"] * 0.60)
    assert cheapest["hours"] == pytest.approx(cheapest["assignments"] * 6 / 60, abs=0.01)
    low, high = cheapest["power_interval95"]
    assert low <= cheapest["power"] <= high


def test_plan_from_an_ab_pilot_counts_items_per_pair_of_systems(tmp_path):
    rng = np.random.default_rng(8)
    pilot = simulate_ab(
        AbDesign("pilot", 1.0, 0.3, items=40, workers=20), 0.0, rng, systems=SYSTEMS
    )
    path = tmp_path / "ab.csv"
    pilot.assign(worker=lambda d: "w" + d["worker"].astype(str)).to_csv(path, index=False)
    plan = _plan("--pilot", str(path), "--protocol", "ab", "--difference", "25")
    row = plan["rows"][0]
    # three pairs of systems, each with its own items, ten contexts a HIT
    assert row["dialogues"] == 3 * row["items"]
    assert row["hits"] == -(-3 * row["items"] // 10)
    (fitted,) = plan["inputs"]["components"]["values"].values()
    assert fitted["tie"] == pytest.approx((pilot["choice"] == "tie").mean())


def test_plan_refuses_without_a_campaign_or_a_protocol():
    with pytest.raises(CommandError, match="--protocol"):
        call_command("plan", "--difference", "0.5")


@pytest.mark.django_db
def test_plan_of_a_draft_campaign_uses_its_systems_criteria_pay_and_current_design():
    from evalplatform.campaigns.models import CampaignStatus, CriterionKind
    from tests.factories import make_campaign

    campaign = make_campaign(
        "likert-fce",
        status=CampaignStatus.DRAFT,
        overrides={"provider": "local", "reward": "0.80", "bonus": "0.00"},
    )
    out = StringIO()
    call_command(
        "plan", campaign.name, "--difference", "0.8", "--format", "json", "--sets", "30",
        "--raters", "2", stdout=out,
    )  # fmt: skip
    plan = json.loads(out.getvalue())
    systems = [
        e.system.name for e in campaign.entries.order_by("position").select_related("system")
    ]
    assert plan["inputs"]["systems"] == systems
    rated = set(
        campaign.criteria.filter(kind__in=(CriterionKind.SCALE, CriterionKind.BINARY)).values_list(
            "name", flat=True
        )
    )
    assert CriterionKind.BINARY in campaign.criteria.values_list("kind", flat=True)
    assert set(plan["inputs"]["criteria"]) == rated  # every criterion, binary ones too
    assert plan["inputs"]["components"]["source"] == "defaults"
    assert set(plan["inputs"]["components"]["values"]) == rated
    current = plan["current"]
    assert (current["items"], current["raters"], current["items_per_hit"]) == (
        campaign.sample_size,
        campaign.assignments_per_hit,
        campaign.items_per_hit,
    )
    # local provider: no fees, the reward per assignment
    assert current["cost"] == pytest.approx(current["assignments"] * 0.80)


@pytest.mark.django_db
def test_plan_campaign_reports_progress_and_a_json_ready_plan(likert_pilot):
    from evalplatform.campaigns.models import CampaignStatus
    from evalplatform.reports.planning import plan_campaign
    from tests.factories import make_campaign

    campaign = make_campaign("likert-fce", status=CampaignStatus.DRAFT)
    calls: list[tuple[int, int]] = []
    plan = plan_campaign(
        campaign,
        difference=0.8,
        pilot=pd.read_csv(likert_pilot),
        sets=20,
        seed=3,
        progress=lambda done, total: calls.append((done, total)),
    )
    data = json.loads(json.dumps(plan.to_dict()))
    assert data["inputs"]["components"]["source"] == "pilot"
    assert (data["inputs"]["seed"], data["inputs"]["sets"]) == (3, 20)
    # one call per simulated design (the searches and the current design), the last complete
    assert [done for done, _ in calls] == list(range(1, len(plan.rows) + 2))
    assert calls[-1] == (len(plan.rows) + 1, len(plan.rows) + 1)
    assert all(done <= total for done, total in calls)
    assert data["current"]["items"] == campaign.sample_size
    assert data["cheapest"] is None or data["cheapest"]["power"] >= 0.8


@pytest.mark.django_db
def test_a_likert_campaign_of_binary_criteria_only_is_planned_in_shares_of_yes():
    from evalplatform.campaigns.models import CampaignStatus, CriterionKind
    from evalplatform.reports.planning import PlanError, plan_campaign
    from tests.factories import make_campaign

    campaign = make_campaign("likert-fce", status=CampaignStatus.DRAFT)
    campaign.criteria.filter(kind=CriterionKind.SCALE).delete()
    plan = plan_campaign(campaign, difference=0.2, sets=10).to_dict()
    assert plan["inputs"]["criteria"] == ["emotion_accuracy"]
    assert plan["rows"]
    # the defaults say half the answers are yes, the mean over the three systems: 80 points
    # more for one of them would take the others below no yes at all
    with pytest.raises(PlanError, match="emotion_accuracy"):
        plan_campaign(campaign, difference=0.8, sets=10)
