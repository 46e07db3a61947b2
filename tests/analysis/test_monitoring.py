"""Monitoring while collecting: decided / futile from each comparison's confidence sequence,
items entering in completion order once complete, and the seeded simulations of the done-when
(family-wise error under planted nulls, the saving of stop-and-reallocate)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evalplatform.analysis.monitoring import (
    DECIDED,
    FUTILE,
    UNDECIDED,
    MonitoredComparison,
    all_settled,
    comparison_states,
    complete_item_differences,
    status_of,
)
from evalplatform.analysis.monitoring_simulation import AbCampaign, run_campaign

LEVEL = 0.05


@pytest.mark.parametrize(
    ("lower", "upper", "smallest", "status"),
    [
        (0.1, 0.5, None, DECIDED),
        (-0.5, -0.1, 0.2, DECIDED),
        (-0.1, 0.1, 0.2, FUTILE),
        (-0.1, 0.1, None, UNDECIDED),
        (-0.1, 0.3, 0.2, UNDECIDED),
        (-0.2, 0.1, 0.2, UNDECIDED),  # -delta itself is still inside: not futile
    ],
)
def test_status_is_decided_when_zero_is_out_and_futile_inside_the_smallest_difference(
    lower, upper, smallest, status
):
    assert status_of(lower, upper, smallest) == status


def test_comparison_states_split_alpha_across_every_comparison():
    x = np.full(400, 0.5)
    comparisons = [MonitoredComparison("q", "a", "b", x, (-4, 4))] * 4
    states = comparison_states(comparisons, alpha=0.05, smallest_difference=0.2)
    assert {s.alpha for s in states} == {0.05 / 4}
    assert all(s.status == DECIDED and s.lower > 0 for s in states)
    assert all_settled(states)
    assert not all_settled([])


def test_a_comparison_without_items_is_undecided_not_an_error():
    empty = MonitoredComparison("q", "a", "b", np.zeros(0), (-1, 1))
    (state,) = comparison_states([empty])
    assert state.status == UNDECIDED and state.items == 0 and state.lower is None


def test_items_enter_in_completion_order_only_once_every_rating_is_in():
    rows = pd.DataFrame(
        {
            "item": ["i1", "i1", "i1", "i1", "i2", "i2", "i2", "i2", "i3", "i3"],
            "system": ["a", "b", "a", "b", "a", "b", "a", "b", "a", "b"],
            "score": [5, 1, 5, 3, 2, 2, 2, 4, 5, 1],
            "arrival": [3, 3, 4, 4, 0, 0, 1, 1, 2, 2],
        }
    )
    values = complete_item_differences(rows, "a", "b", value="score", raters=2)
    # i2 completed at arrival 1, i1 at 4; i3 has one rating each, not complete yet
    np.testing.assert_allclose(values, [-1.0, 3.0])


def test_under_planted_nulls_the_family_never_excludes_zero_more_than_alpha():
    """A three-system A/B campaign with no difference, looked at after every HIT up to its
    full sample: the share of campaigns where any pair's sequence ever left 0 out."""
    rng = np.random.default_rng(15)
    campaign = AbCampaign((0.0, 0.0, 0.0), items_per_pair=150)
    runs = [run_campaign(campaign, rng, smallest_difference=0.25) for _ in range(200)]
    errors = sum(any(run.ever_excluded_zero) for run in runs)
    assert errors / len(runs) <= LEVEL, f"{errors}/{len(runs)}"
    assert all(run.monitored == (0, 0, 0) for run in runs)


def test_stop_and_reallocate_saves_a_third_and_finds_the_clear_differences():
    """One clear difference (S0 over S1 and S2) and one small one (S1 over S2, below the
    smallest difference worth detecting): the clear pairs are decided early and withdrawn,
    the small one ends futile, and the campaign stops well before its fixed sample."""
    rng = np.random.default_rng(2024)
    campaign = AbCampaign((1.0, 0.0, -0.05), items_per_pair=300)
    runs = [run_campaign(campaign, rng, smallest_difference=0.25) for _ in range(40)]
    saving = float(np.mean([run.saving for run in runs]))
    assert saving >= 0.30, saving
    assert all(run.monitored[:2] == run.fixed[:2] == (1, 1) for run in runs)
    assert all(run.monitored[2] == 0 for run in runs)


def test_giving_withdrawn_hits_to_the_undecided_pair_keeps_the_clear_decisions():
    """The withdrawn HITs of the clear pairs go to the small one instead: the clear pairs'
    decisions are the fixed design's, no campaign works more HITs than the fixed design,
    and spending the places costs part of the saving."""
    campaign = AbCampaign((1.0, 0.0, -0.05), items_per_pair=300)
    given, kept = [
        [
            run_campaign(
                campaign,
                np.random.default_rng(seed),
                smallest_difference=0.25,
                give_to_undecided=give,
            )
            for seed in range(30)
        ]
        for give in (True, False)
    ]
    assert all(run.monitored[:2] == run.fixed[:2] == (1, 1) for run in given)
    assert all(run.saving >= 0 for run in given)
    assert np.mean([r.saving for r in given]) < np.mean([r.saving for r in kept])


def test_without_monitoring_decisions_the_saving_check_can_fail():
    """Differences too small to settle: nothing stops, nothing is saved."""
    rng = np.random.default_rng(7)
    campaign = AbCampaign((0.1, 0.0, -0.1), items_per_pair=100)
    runs = [run_campaign(campaign, rng, smallest_difference=0.05) for _ in range(10)]
    assert all(run.saving == 0 for run in runs)


def _binary_beside_scale(items: int, yes_a: float, yes_b: float) -> pd.DataFrame:
    """Two systems on a 1-5 criterion and a yes/no one, one rater, shares of yes exact."""
    rows = []
    for i in range(items):
        for system, yes in (("a", yes_a), ("b", yes_b)):
            said = int((i * yes) % 1 + yes >= 1)  # evenly spread: exactly yes * items
            rows.append({"item": f"i{i}", "system": system, "criterion": "yes", "score": said})
            rows.append({"item": f"i{i}", "system": system, "criterion": "q", "score": 3})
    frame = pd.DataFrame(rows)
    return frame.assign(worker="w1", arrival=np.arange(len(frame)) // 4)


def test_a_yes_no_criterion_is_futile_only_inside_the_share_the_plan_planted():
    """The plan reads 0.5 points beside a 1-5 scale as 12.5 points more yes on a yes/no
    criterion (protocols.differences); futility must use the same share, not 0.5 of yes."""
    from evalplatform.protocols.monitoring import likert_monitored

    frame = _binary_beside_scale(800, yes_a=0.52, yes_b=0.48)
    comparisons = likert_monitored(
        frame, scales={"q": (1, 5), "yes": (0, 1)}, raters=1, system_order=("a", "b")
    )
    states = {s.family: s for s in comparison_states(comparisons, smallest_difference=0.5)}
    yes = states["yes"]
    assert yes.lower > -0.5 and yes.upper < 0.5  # inside half a share of yes ...
    assert yes.lower < 0 and yes.upper > 0.125  # ... but neither decided nor inside 12.5
    assert yes.status == UNDECIDED
    assert states["q"].status == FUTILE  # every rating 3: inside 0.5 points
