"""Each protocol's comparisons for monitoring: every pair of the campaign's systems (judged
or not), per-item values from complete items only, in completion order, on known bounds."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evalplatform.protocols.registry import get


def test_likert_gives_every_pair_on_every_criterion_with_the_scales_bounds():
    df = pd.DataFrame(
        {
            "item": ["i1"] * 4 + ["i2"] * 4,
            "worker": ["w1", "w1", "w2", "w2"] * 2,
            "system": ["a", "b"] * 4,
            "criterion": "fluency",
            "score": [5, 1, 4, 2, 3, 3, 3, 2],
            "arrival": [5, 5, 6, 6, 1, 1, 2, 2],
        }
    )
    comparisons = get("likert").monitored(
        df, scales={"fluency": (1, 5), "empathy": (1, 3)}, raters=2, system_order=("a", "b", "c")
    )
    keys = [(c.family, c.a, c.b) for c in comparisons]
    assert keys == [
        ("fluency", "a", "b"),
        ("fluency", "a", "c"),
        ("fluency", "b", "c"),
        ("empathy", "a", "b"),
        ("empathy", "a", "c"),
        ("empathy", "b", "c"),
    ]
    np.testing.assert_allclose(comparisons[0].values, [0.5, 3.0])  # i2 completed first
    assert comparisons[0].bounds == (-4.0, 4.0) and comparisons[3].bounds == (-2.0, 2.0)
    assert len(comparisons[1].values) == 0


def test_likert_names_a_criterion_it_has_no_scale_for():
    df = pd.DataFrame(
        {"item": ["i"], "worker": ["w"], "system": ["a"], "criterion": ["odd"], "score": [1]}
    ).assign(arrival=0)
    with pytest.raises(ValueError, match="'odd'"):
        get("likert").monitored(df, scales={"fluency": (1, 5)}, raters=1)


def test_ab_orients_pairs_by_the_campaigns_order_and_scores_items_from_a():
    df = pd.DataFrame(
        {
            "item": ["x", "x", "y", "y"],
            "worker": ["w1", "w2", "w1", "w2"],
            "system_a": ["b", "a", "a", "a"],
            "system_b": ["a", "b", "b", "b"],
            "choice": ["a", "a", "tie", "a"],  # item x: b wins once, a wins once
            "arrival": [0, 1, 2, 3],
        }
    )
    comparisons = get("ab").monitored(df, scales={}, raters=2, system_order=("a", "b", "c"))
    assert [(c.a, c.b) for c in comparisons] == [("a", "b"), ("a", "c"), ("b", "c")]
    np.testing.assert_allclose(comparisons[0].values, [0.0, 0.5])
    assert comparisons[0].bounds == (-1.0, 1.0)


def test_ggb_compares_label_scores_without_the_gold_response():
    df = pd.DataFrame(
        {
            "item": ["i"] * 3,
            "worker": ["w"] * 3,
            "system": ["a", "b", "gold"],
            "label": ["good", "bad", "good"],
            "is_gold": [False, False, True],
            "subset": "ED",
            "arrival": 0,
        }
    )
    (comparison,) = get("ggb").monitored(df, scales={}, raters=1, system_order=("a", "b"))
    np.testing.assert_allclose(comparison.values, [2.0])
    assert comparison.bounds == (-2.0, 2.0)
