"""The default tests: paired over items, worker bias removed, honest when undefined."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from evalplatform.analysis.ab import canonical_ab
from evalplatform.analysis.crowd_tests import (
    NO_TEST,
    PAIRED_T,
    SIGN_FALLBACK,
    ab_crowd_tests,
    chi2_sf,
    ggb_crowd_tests,
    group_codes,
    likert_crowd_tests,
    paired_test,
    pairwise_paired_tests,
    remove_worker_bias,
    response_means,
    t_ppf,
    t_sf,
)


def _likert(scores: dict[str, list[int]], raters: int = 3) -> pd.DataFrame:
    rows = []
    for system, values in scores.items():
        for item, score in enumerate(values):
            for r in range(raters):
                rows.append((item, f"w{(item + r) % 7}", system, "quality", score))
    return pd.DataFrame(rows, columns=["item", "worker", "system", "criterion", "score"])


def test_paired_test_matches_scipy_paired_t():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=25), rng.normal(0.3, 1, size=25)
    res = paired_test("a", "b", x, y)
    ref = stats.ttest_rel(x, y)
    assert res.test == PAIRED_T and res.df == 24
    assert np.isclose(res.t, ref.statistic) and np.isclose(res.p, ref.pvalue)
    ci = ref.confidence_interval(0.95)
    assert np.allclose(res.ci95, (ci.low, ci.high))


def test_all_fives_against_all_ones_falls_back_to_the_sign_test_and_says_so():
    df = _likert({"A": [5] * 12, "B": [1] * 12})
    pair = likert_crowd_tests(df, ["A", "B"])["quality"]["pairs"][0]
    assert pair["test"] == SIGN_FALLBACK
    assert pair["fallback"] == "zero variance of the per-item differences"
    assert np.isclose(pair["p"], 2 * 0.5**12) and pair["significant"]
    assert pair["difference"] == 4.0


def test_binary_thirty_of_thirty_against_none_is_significant_by_the_exact_test():
    df = _likert({"A": [1] * 30, "B": [0] * 30}, raters=1)
    pair = likert_crowd_tests(df, ["A", "B"])["quality"]["pairs"][0]
    assert pair["test"] == SIGN_FALLBACK and pair["p"] < 1e-8 and pair["significant"]


def test_identical_scores_say_that_no_test_applies():
    df = _likert({"A": [3, 4, 2], "B": [3, 4, 2]})
    pair = likert_crowd_tests(df, ["A", "B"])["quality"]["pairs"][0]
    assert pair["test"] == NO_TEST and pair["p"] is None and not pair["significant"]
    assert pair["fallback"]


def test_worker_bias_is_removed_when_workers_rate_different_systems():
    """Worker w0 (+2) rates only A, w1 (-2) only B: per-item means would show A ahead."""
    rng = np.random.default_rng(1)
    rows = []
    for item in range(30):
        for system, biased in (("A", "w0"), ("B", "w1")):
            truth = 3 + rng.normal(0, 0.5)
            for worker in (biased, f"h{item % 5}", f"h{(item + 2) % 5}"):
                bias = {"w0": 2.0, "w1": -2.0}.get(worker, 0.0)
                rows.append((item, worker, system, truth + bias + rng.normal(0, 0.1)))
    df = pd.DataFrame(rows, columns=["item", "worker", "system", "score"])
    cells = df.groupby(["item", "system"]).ngroup().to_numpy()
    corrected = remove_worker_bias(df["score"].to_numpy(), cells, df["worker"].to_numpy())
    by_system = pd.Series(corrected).groupby(df["system"]).mean()
    assert abs(by_system["A"] - by_system["B"]) < 0.2
    raw = df.groupby("system")["score"].mean()
    assert raw["A"] - raw["B"] > 1.0


def test_family_is_corrected_with_holm_within_a_criterion():
    rng = np.random.default_rng(3)
    scores = {s: list(rng.integers(1, 6, 20)) for s in ("A", "B", "C")}
    block = likert_crowd_tests(_likert(scores), ["A", "B", "C"])["quality"]
    ps = sorted(t["p"] for t in block["pairs"])
    adjusted = sorted(t["p_adjusted"] for t in block["pairs"])
    assert np.isclose(adjusted[0], min(1, 3 * ps[0]))
    assert block["correction"] == "holm" and block["unit"] == "item"


def test_ab_counts_one_vote_per_item():
    """Ten items, three judgments each, all for a: the item is the unit (n = 10)."""
    rows = [(i, f"w{j}", "X", "Y", "a") for i in range(10) for j in range(3)]
    df = pd.DataFrame(rows, columns=["item", "worker", "system_a", "system_b", "choice"])
    pair = ab_crowd_tests(canonical_ab(df))["pairs"][0]
    assert pair["n_items"] == 10 and pair["test"] == SIGN_FALLBACK
    assert np.isclose(pair["p"], 2 * 0.5**10) and pair["difference"] == 1.0


def test_ggb_tests_ordered_labels_per_test_set_and_overall():
    rows = []
    for subset in ("OS", "ED"):
        for item in range(15):
            for worker in ("w1", "w2"):
                good = "good" if (item + len(worker)) % 4 else "okay"
                rows += [
                    (f"{subset}{item}", worker, "A", good, subset),
                    (f"{subset}{item}", worker, "B", "bad" if item % 3 else "okay", subset),
                ]
    df = pd.DataFrame(rows, columns=["item", "worker", "system", "label", "subset"])
    out = ggb_crowd_tests(df, ["A", "B"], ["OS", "ED"])
    assert set(out["subsets"]) == {"OS", "ED"}
    for block in [*out["subsets"].values(), out["overall"]]:
        (pair,) = block["pairs"]
        assert pair["difference"] > 0 and pair["significant"]
    assert out["overall"]["pairs"][0]["n_items"] == 30


def test_bias_correction_keeps_the_grand_mean():
    rng = np.random.default_rng(4)
    values = rng.integers(1, 6, 300).astype(float)
    cells = np.repeat(np.arange(100), 3)
    workers = rng.integers(0, 12, 300)
    corrected = remove_worker_bias(values, cells, workers)
    assert np.isclose(corrected.mean(), values.mean())


def test_no_correction_without_evidence_of_worker_bias():
    """Pure noise: the chi-square check finds no bias, so the ratings are left as they are
    (removing estimated noise would make the test liberal)."""
    rng = np.random.default_rng(6)
    values = rng.normal(3, 1, 600)
    cells = np.repeat(np.arange(200), 3)
    workers = rng.integers(0, 20, 600)
    assert np.array_equal(remove_worker_bias(values, cells, workers), values)


def _ratings(seed: int, *, string_items: bool, categorical: bool) -> pd.DataFrame:
    """Shuffled ratings with holes: not every system answers every item of every subset."""
    rng = np.random.default_rng(seed)
    n = 400
    frame = pd.DataFrame(
        {
            "subset": rng.choice(["OS", "ED", "EDOS"], n),
            "item": rng.integers(0, 40, n),
            "system": rng.choice(["B", "A", "C", "D"], n, p=[0.4, 0.3, 0.25, 0.05]),
            "worker": rng.integers(0, 12, n),
            "score": rng.integers(1, 6, n).astype(float),
        }
    )
    if string_items:
        frame["item"] = "i" + frame["item"].astype(str)
        frame["system"] = frame["system"].astype("string")
    if categorical:
        frame["system"] = frame["system"].astype("category")
        frame["item"] = frame["item"].astype("category")
    return frame


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize(
    ("string_items", "categorical"), [(False, False), (True, False), (True, True)]
)
def test_group_codes_are_the_groupbys_group_numbers(seed, string_items, categorical):
    data = _ratings(seed, string_items=string_items, categorical=categorical)
    if categorical:  # categories no row has, and a missing value in a copy
        data["item"] = data["item"].cat.add_categories(["unused"])
    holed = data.assign(system=data["system"].where(data.index != 7))
    for frame in (data, holed):
        for keys in (["item", "system"], ["subset", "item", "system"], ["worker"]):
            expected = frame.groupby(keys, sort=False, observed=True).ngroup().to_numpy()
            np.testing.assert_array_equal(group_codes(frame, keys), expected)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize(
    ("string_items", "categorical"), [(False, False), (True, False), (True, True)]
)
def test_pairwise_tests_read_the_means_as_unstack_lays_them_out(seed, string_items, categorical):
    """The per-system columns without a pivot: the same items, in the same order, so the
    same floating-point sums (pinned against the pivot they replace)."""
    data = _ratings(seed, string_items=string_items, categorical=categorical)
    systems = ["A", "B", "C", "D", "E"]  # E has no ratings
    for context in (("item",), ("subset", "item")):
        means = response_means(data, "score", context=context)
        wide = means.set_index([*context, "system"])["value"].unstack("system")
        expected = []
        for a, b in [(a, b) for i, a in enumerate(systems) for b in systems[i + 1 :]]:
            if a in wide.columns and b in wide.columns:
                x, y = wide[a].to_numpy(), wide[b].to_numpy()
                both = ~(np.isnan(x) | np.isnan(y))
                expected.append(paired_test(a, b, x[both], y[both]))
        assert pairwise_paired_tests(means, systems, context=context) == expected


def test_the_t_and_chi_square_shortcuts_are_scipys_values():
    """Bit for bit: the same special functions behind scipy.stats' checks."""
    rng = np.random.default_rng(0)
    for df in [1, 2, 3, 7, 29, 119, 1000]:
        for x in [0.0, 1e-9, *rng.exponential(3.0, 20), 40.0, 1e3]:
            assert t_sf(x, df) == float(stats.t.sf(x, df))
            assert chi2_sf(x, df) == float(stats.chi2.sf(x, df))
        for q in [0.5, 0.9, 0.975, 0.995, *rng.uniform(0.01, 0.99, 10)]:
            assert t_ppf(q, df) == float(stats.t.ppf(q, df))
