"""The gold rule has two implementations on two data shapes: the bonus at submit
(``crowd.scoring.gold_point``, one dialogue's answers as values) and the quality filter
(``analysis.worker_stats.gold_earned``, the tidy frame, vectorised). They must give every
good/okay/bad gold reply the same point, under both rules, or a worker paid a bonus could
be removed for lacking it (and the reverse)."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from evalplatform.analysis.worker_stats import ACCEPTABLE, RANKED_TOP, gold_earned
from evalplatform.crowd.scoring import POINT_LABELS, GoldAnswer, gold_point

LABELS = ("bad", "okay", "good")


def _placements(others: int):
    """Every way to place the gold reply and ``others`` other replies of one dialogue."""
    return itertools.product(LABELS, repeat=others + 1)


@pytest.mark.parametrize("rule", [ACCEPTABLE, RANKED_TOP])
@pytest.mark.parametrize("others", [0, 1, 2, 3])
def test_submit_and_quality_filter_give_the_same_gold_points(rule, others):
    rows, expected = [], []
    for n, (gold, *rest) in enumerate(_placements(others)):
        item = f"d{n}"
        rows.append({"worker": "w", "item": item, "label": gold, "is_gold": True})
        rows += [{"worker": "w", "item": item, "label": x, "is_gold": False} for x in rest]
        answers = [GoldAnswer("label", None, gold)]
        neighbours = [[GoldAnswer("label", None, x)] for x in rest]
        expected.append(gold_point(answers, neighbours, rule))
    frame = pd.DataFrame(rows)
    earned = gold_earned(frame, sorted(POINT_LABELS), rule)[frame["is_gold"]]
    assert earned.tolist() == expected
    alone = rule == RANKED_TOP and not others  # ranked above nothing: never a point
    assert not any(expected) if alone else any(expected) and not all(expected)
