"""Fleiss' kappa's bootstrap interval over units: Fleiss' (1971) published example, checked
against an independent jackknife, seeded."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evalplatform.analysis.agreement import (
    fleiss_kappa_interval,
    fleiss_kappa_long_interval,
    fleiss_kappa_table,
)

# Fleiss (1971), "Measuring nominal scale agreement among many raters", Table 1: 30
# patients, 6 psychiatrists each, 5 diagnoses; kappa = 0.430 in the paper.
FLEISS_1971 = np.array(
    [
        [0, 0, 0, 6, 0], [0, 3, 0, 0, 3], [0, 1, 4, 0, 1], [0, 0, 0, 0, 6], [0, 3, 0, 3, 0],
        [2, 0, 4, 0, 0], [0, 0, 4, 0, 2], [2, 0, 3, 1, 0], [2, 0, 0, 4, 0], [0, 0, 0, 0, 6],
        [1, 0, 0, 5, 0], [1, 1, 0, 4, 0], [0, 3, 3, 0, 0], [1, 0, 0, 5, 0], [0, 2, 0, 3, 1],
        [0, 0, 5, 0, 1], [3, 0, 0, 1, 2], [5, 1, 0, 0, 0], [0, 2, 0, 4, 0], [1, 0, 2, 0, 3],
        [0, 0, 0, 0, 6], [0, 1, 0, 5, 0], [0, 2, 0, 1, 3], [2, 0, 0, 4, 0], [1, 0, 0, 4, 1],
        [0, 5, 0, 1, 0], [4, 0, 0, 0, 2], [0, 2, 0, 4, 0], [1, 0, 5, 0, 0], [0, 0, 0, 0, 6],
    ]
)  # fmt: skip


def test_the_interval_surrounds_fleiss_published_kappa_with_the_jackknifes_width():
    kappa = fleiss_kappa_table(FLEISS_1971)
    assert kappa == pytest.approx(0.430, abs=5e-4)
    low, high = fleiss_kappa_interval(FLEISS_1971, seed=1)
    assert low < kappa < high
    n = len(FLEISS_1971)
    leave_one_out = np.array([fleiss_kappa_table(np.delete(FLEISS_1971, i, 0)) for i in range(n)])
    jackknife_se = np.sqrt((n - 1) / n * ((leave_one_out - leave_one_out.mean()) ** 2).sum())
    assert (high - low) / (2 * 1.96) == pytest.approx(jackknife_se, rel=0.2)


def test_the_interval_is_seeded_and_narrows_with_more_units():
    assert fleiss_kappa_interval(FLEISS_1971, seed=3) == fleiss_kappa_interval(FLEISS_1971, seed=3)
    low, high = fleiss_kappa_interval(FLEISS_1971)
    low4, high4 = fleiss_kappa_interval(np.tile(FLEISS_1971, (4, 1)))
    assert (high4 - low4) < 0.7 * (high - low)


def test_no_interval_where_kappa_is_undefined_or_rests_on_one_unit():
    assert fleiss_kappa_interval(np.array([[3, 0], [3, 0]])) is None
    assert fleiss_kappa_interval(FLEISS_1971[:1]) is None


def test_the_long_form_uses_the_units_with_the_modal_rater_count():
    rows = [
        (u, r, int(np.repeat(np.arange(5), c)[r]))
        for u, c in enumerate(FLEISS_1971)
        for r in range(6)
    ]
    df = pd.DataFrame(rows, columns=["item", "worker", "score"])
    extra = pd.DataFrame({"item": [99], "worker": [0], "score": [1]})  # a unit with one rating
    assert fleiss_kappa_long_interval(pd.concat([df, extra]), ["item"], "score") == (
        fleiss_kappa_interval(FLEISS_1971)
    )
