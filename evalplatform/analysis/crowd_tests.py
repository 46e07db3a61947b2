"""The default significance tests: paired over shared contexts, raters' bias removed.

Crowd ratings are not independent observations. Every system answers the same contexts
(items), each response is rated by several workers, and workers have their own bias. Welch's
test per rating (seed 000) treats every rating as independent and calls too many
differences significant; averaging per item (``unit: item``) without pairing loses power.

The default here is design-based, chosen by ``benchmarks/calibration.py`` (README,
"Statistics"):
1. each worker's additive bias is estimated by least squares with every (item, system)
   response as its own fixed cell, shrunk towards 0 by how much of it is noise, and
   subtracted from that worker's ratings;
2. the corrected ratings of each response are averaged, so that one response is one value
   however many workers rated it;
3. per pair of systems, the per-item differences of those averages go into a paired t-test
   over the items both systems answered (the item is the unit);
4. p-values are corrected across the family (the pairs of one criterion, of one A/B table
   or of one good/okay/bad test set).
When the t-test is undefined (every difference the same, so no variance) the exact sign
test over items is used instead and the result says so; when the systems got the same
score on every item no test can separate them and the result says that, not "no
significant difference".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd
from scipy import special, stats

from evalplatform.analysis.ordering import as_float
from evalplatform.analysis.significance import Correction, adjust_pvalues, significant

PAIRED_T = "paired t-test over items on per-response means, worker bias removed"
SIGN_FALLBACK = "exact sign test over items (the t-test is undefined: every item differs equally)"
NO_TEST = "none: the two systems have the same score on every shared item"
NO_SHARED = "none: no item was answered by both systems"
GGB_SCORE = {"bad": 0, "okay": 1, "good": 2}
AB_SCORE = {"win": 1.0, "loss": -1.0, "tie": 0.0, "both_bad": 0.0}
# Iterations of the alternating least-squares fit of worker bias; 25 moves the estimates by
# less than 1e-6 on the harness's designs and costs under a millisecond.
_ALS_ROUNDS = 25


@dataclass(frozen=True)
class PairTest:
    """One paired comparison of systems ``a`` and ``b`` (difference = a - b)."""

    a: str
    b: str
    test: str
    n_items: int
    mean_a: float | None
    mean_b: float | None
    difference: float | None
    ci95: tuple[float | None, float | None]
    t: float | None
    df: float | None
    p: float | None
    fallback: str | None = None
    p_adjusted: float | None = None
    significant: bool = False

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["ci95"] = list(self.ci95)
        return out


# scipy.stats' t and chi-square without the distribution wrapper: its argument checks cost
# more than the special function they end in, and the planner calls these thousands of
# times. The same special functions, so the same values (tests pin them to scipy.stats).
def t_sf(x: float, df: float) -> float:
    """``scipy.stats.t.sf(x, df)``."""
    return float(special.stdtr(df, -x))


def t_ppf(q: float, df: float) -> float:
    """``scipy.stats.t.ppf(q, df)`` for 0 < q < 1."""
    return float(special.stdtrit(df, q))


def chi2_sf(x: float, df: float) -> float:
    """``scipy.stats.chi2.sf(x, df)`` for x >= 0."""
    return float(special.chdtrc(df, x))


def remove_worker_bias(values: np.ndarray, cells: np.ndarray, workers: np.ndarray) -> np.ndarray:
    """``values`` minus each worker's estimated additive bias.

    Model: value = cell mean + worker bias + noise, cells being responses (item x system).
    The bias of a worker is estimated from how their ratings sit against the other ratings
    of the same responses, then shrunk by tau^2 / (tau^2 + sigma^2 / n_w) (empirical
    Bayes): a worker with few ratings, or a crowd with no real bias, gets little correction.
    Integer codes in, float array out; a worker who shares no response keeps their ratings.
    """
    y = np.asarray(values, dtype=float)
    c_codes = pd.factorize(cells)[0]
    w_codes = pd.factorize(workers)[0]
    n_w = np.bincount(w_codes).astype(float)
    n_c = np.bincount(c_codes).astype(float)
    if len(n_w) < 2 or len(y) <= len(n_c) + len(n_w):
        return y
    bias = np.zeros(len(n_w))
    for _ in range(_ALS_ROUNDS):
        cell = np.bincount(c_codes, y - bias[w_codes]) / n_c
        bias = np.bincount(w_codes, y - cell[c_codes]) / n_w
        bias -= bias.mean()
    resid = y - cell[c_codes] - bias[w_codes]
    sigma2 = float(resid @ resid) / max(len(y) - len(n_c) - len(n_w) + 1, 1)
    if sigma2 <= 1e-12:  # an exact fit: the biases are known, nothing to shrink
        return y - (bias - np.average(bias, weights=n_w))[w_codes]
    # A worker's rating sits against a cell mean that includes it, so only a share
    # 1 - 1/cell size of each rating informs the bias: the raw estimates have variance
    # tau^2 + sigma^2 / (n_w (1 - 1/cell size)).
    cell_share = np.bincount(w_codes, 1.0 - 1.0 / n_c[c_codes]) / n_w
    noise = sigma2 / (n_w * np.maximum(cell_share, 1e-12))
    # Correct only when the spread of the estimates shows a bias beyond their noise
    # (chi-square at 5 %): with none, an estimated "bias" is noise, and removing it makes
    # the test a little liberal and a little weaker than the plain paired t-test.
    spread = float(np.sum(bias**2 / noise))
    if chi2_sf(spread, len(n_w) - 1) >= 0.05:
        return y
    tau2 = max(float(np.mean(bias**2) - np.mean(noise)), 0.0)
    shrink = tau2 / (tau2 + noise)
    # Centred over ratings, so the grand mean of the corrected ratings is the raw one.
    correction = shrink * bias
    correction -= np.average(correction, weights=n_w)
    return y - correction[w_codes]


def response_means(
    df: pd.DataFrame, value: str, *, context: Sequence[str] = ("item",)
) -> pd.DataFrame:
    """One row per response (``context`` x system): the mean of its bias-corrected ratings."""
    keys = [*context, "system"]
    cells = group_codes(df, keys)
    corrected = remove_worker_bias(df[value].to_numpy(dtype=float), cells, df["worker"].to_numpy())
    # Per cell by bincount on the group codes: a second groupby costs seconds on millions.
    sizes = np.bincount(cells)
    first = np.unique(cells, return_index=True)[1]
    out = df[keys].iloc[first].reset_index(drop=True)
    return out.assign(value=np.bincount(cells, corrected) / sizes)


def _plain(columns: Sequence[pd.Series]) -> bool:
    """Keys a hash of ints can stand in for a groupby on: no categories, nothing missing."""
    return not any(isinstance(c.dtype, pd.CategoricalDtype) or c.hasnans for c in columns)


def group_codes(df: pd.DataFrame, keys: Sequence[str]) -> np.ndarray:
    """``df.groupby(keys, sort=False, observed=True).ngroup()`` as an int64 array: group
    numbers in order of first appearance. Each key becomes integer codes (a categorical's
    own, other keys factorised) and the codes' combinations are numbered in order of
    first appearance: a groupby's construction costs more than the work on the planner's
    small frames, and on a categorical of many categories (the report's item ids) pandas
    recodes them all in every unsorted groupby. Missing values go through the groupby."""
    columns = [df[k] for k in keys]
    if any(col.hasnans for col in columns):
        return df.groupby(list(keys), sort=False, observed=True).ngroup().to_numpy()
    code = np.zeros(len(df), dtype=np.int64)
    for col in columns:
        if isinstance(col.dtype, pd.CategoricalDtype):
            part, distinct = col.cat.codes.to_numpy(), len(col.cat.categories)
        else:
            part, uniques = pd.factorize(col)
            distinct = len(uniques)
        code = code * (distinct + 1) + part
    return pd.factorize(code)[0].astype(np.int64)


def _by_system(means: pd.DataFrame, context: Sequence[str]) -> dict[Any, np.ndarray]:
    """Per system, its ``value`` on every context (sorted, as ``unstack`` lays them out),
    NaN where it has none. ``means`` has one row per (context, system)."""
    keys = [*context, "system"]
    if not _plain([means[k] for k in keys]):
        wide = means.set_index(keys)["value"].unstack("system")
        return {s: wide[s].to_numpy() for s in wide.columns}
    row = np.zeros(len(means), dtype=np.int64)
    for c in context:
        part, uniques = pd.factorize(means[c], sort=True)
        row = row * (len(uniques) + 1) + part
    row = np.unique(row, return_inverse=True)[1].reshape(-1)
    col, systems = pd.factorize(means["system"])
    grid = np.full((len(systems), int(row.max(initial=-1)) + 1), np.nan)
    grid[col, row] = means["value"].to_numpy(dtype=float)
    return {s: grid[k] for k, s in enumerate(systems)}


def paired_test(a: str, b: str, x: np.ndarray, y: np.ndarray) -> PairTest:
    """Paired t-test of x - y over items; the exact sign test when the t-test is undefined."""
    d = np.asarray(x, dtype=float) - np.asarray(y, dtype=float)
    n = len(d)
    base: dict[str, Any] = {
        "a": a,
        "b": b,
        "n_items": n,
        "mean_a": as_float(np.mean(x)) if n else None,
        "mean_b": as_float(np.mean(y)) if n else None,
        "difference": as_float(np.mean(d)) if n else None,
    }
    spread = float(np.ptp(d)) if n else 0.0
    if n >= 2 and spread > 1e-12:
        # scipy's ttest_1samp, written out: its wrapper costs 3 ms a call, and the
        # calibration harness runs this hundreds of thousands of times.
        se = float(np.std(d, ddof=1)) / np.sqrt(n)
        t = float(np.mean(d) / se)
        half = t_ppf(0.975, n - 1) * se
        return PairTest(
            **base,
            test=PAIRED_T,
            ci95=(as_float(np.mean(d) - half), as_float(np.mean(d) + half)),
            t=t,
            df=float(n - 1),
            p=2 * t_sf(abs(t), n - 1),
        )
    nonzero = d[np.abs(d) > 1e-12]
    if n == 0:
        return PairTest(
            **base,
            test=NO_SHARED,
            ci95=(None, None),
            t=None,
            df=None,
            p=None,
            fallback="no item was answered by both systems",
        )
    if len(nonzero) == 0:
        return PairTest(
            **base,
            test=NO_TEST,
            ci95=(None, None),
            t=None,
            df=None,
            p=None,
            fallback="no item separates the systems, so no test can",
        )
    wins = int((nonzero > 0).sum())
    p = float(stats.binomtest(wins, len(nonzero), 0.5).pvalue)
    why = "zero variance of the per-item differences" if n >= 2 else "a single shared item"
    return PairTest(
        **base, test=SIGN_FALLBACK, ci95=(None, None), t=None, df=None, p=p, fallback=why
    )


def pairwise_paired_tests(
    means: pd.DataFrame, systems: Sequence[Any], *, context: Sequence[str] = ("item",)
) -> list[PairTest]:
    """Every pair of ``systems`` on the contexts both have a mean for (uncorrected)."""
    by_system = _by_system(means, context)
    present = [s for s in systems if s in by_system]
    out = []
    columns = {s: by_system[s] for s in present}
    for a, b in combinations(present, 2):
        x, y = columns[a], columns[b]
        both = ~(np.isnan(x) | np.isnan(y))
        out.append(paired_test(str(a), str(b), x[both], y[both]))
    return out


def correct_family(tests: list[PairTest], correction: Correction, alpha: float) -> list[PairTest]:
    """The family's tests with ``p_adjusted`` and ``significant`` filled in."""
    raw = [np.nan if t.p is None else t.p for t in tests]
    adjusted = adjust_pvalues(raw, correction)
    flags = significant(adjusted, alpha)
    return [
        replace(t, p_adjusted=as_float(p), significant=bool(f))
        for t, p, f in zip(tests, adjusted, flags, strict=True)
    ]


def family_block(tests: list[PairTest], correction: Correction, alpha: float) -> dict[str, Any]:
    """The JSON block of one family: method words and the corrected pairs."""
    return {
        "method": PAIRED_T,
        "unit": "item",
        "correction": correction,
        "alpha": alpha,
        "pairs": [t.as_dict() for t in correct_family(tests, correction, alpha)],
    }


def likert_crowd_tests(
    df: pd.DataFrame,
    systems: Sequence[Any],
    *,
    correction: Correction = "holm",
    alpha: float = 0.05,
    family: str = "criterion",
) -> dict[str, dict[str, Any]]:
    """``{CRIT: family block}``: every pair of systems on every criterion.

    ``family="all"`` corrects across all criteria together, as the Welch tests do.
    """
    raw: dict[str, list[PairTest]] = {}
    for criterion, rows in df.groupby("criterion", sort=False, observed=True):
        means = response_means(rows, "score")
        raw[str(criterion)] = pairwise_paired_tests(means, systems)
    if family != "all":
        return {c: family_block(t, correction, alpha) for c, t in raw.items()}
    flat = correct_family([t for ts in raw.values() for t in ts], correction, alpha)
    out, k = {}, 0
    for crit, tests in raw.items():
        block = family_block([], correction, alpha)
        block["pairs"] = [t.as_dict() for t in flat[k : k + len(tests)]]
        block["family"] = "all criteria"
        out[crit] = block
        k += len(tests)
    return out


def ab_item_scores(canon: pd.DataFrame) -> pd.DataFrame:
    """Per (pair, item): the mean of +1 (a wins), -1 (b wins), 0 (tie / both bad)."""
    scores = canon["outcome"].map(AB_SCORE).astype(float)
    frame = canon[["a", "b", "item"]].assign(value=scores)
    return frame.groupby(["a", "b", "item"], sort=False, observed=True)["value"].mean()


def ab_crowd_tests(
    canon: pd.DataFrame, *, correction: Correction = "holm", alpha: float = 0.05
) -> dict[str, Any]:
    """One vote per item: a t-test of the per-item mean preference against 0, per pair.

    ``canon`` is ``canonical_ab``'s output. The item is the unit, so three judgments of one
    item that share a lean count once. Corrected across the pairs.
    """
    per_item = ab_item_scores(canon)
    tests = []
    for (a, b), values in per_item.groupby(level=[0, 1], sort=False):
        v = values.to_numpy()
        tests.append(paired_test(str(a), str(b), v, np.zeros_like(v)))
    block = family_block(tests, correction, alpha)
    block["method"] = "t-test over items of the per-item mean preference (+1 win, -1 loss, 0 tie)"
    for pair in block["pairs"]:
        if pair["test"] == PAIRED_T:
            pair["test"] = block["method"]
        # The difference is the mean preference for a (from -1 to 1); a and b have no means.
        del pair["mean_a"], pair["mean_b"]
    return block


def ggb_crowd_tests(
    rows: pd.DataFrame,
    systems: Sequence[Any],
    subsets: Sequence[Any],
    *,
    correction: Correction = "holm",
    alpha: float = 0.05,
) -> dict[str, Any]:
    """Ordered labels (bad 0 < okay 1 < good 2): paired tests per test set and overall.

    ``rows`` are the scored rows (gold removed, ``subset`` filled). Each test set is its own
    family of pairs; "overall" pools the test sets (items stay distinct per test set).
    """
    scored = rows.assign(label_score=rows["label"].astype(str).map(GGB_SCORE).astype(float))
    out: dict[str, Any] = {"subsets": {}}
    for subset in subsets:
        part = scored[scored["subset"].astype(str) == str(subset)]
        means = response_means(part, "label_score")
        out["subsets"][str(subset)] = family_block(
            pairwise_paired_tests(means, systems), correction, alpha
        )
    means = response_means(scored, "label_score", context=("subset", "item"))
    out["overall"] = family_block(
        pairwise_paired_tests(means, systems, context=("subset", "item")), correction, alpha
    )
    out["method"] = (
        "paired t-test over dialogues on the per-response mean label score "
        "(bad 0, okay 1, good 2), worker bias removed"
    )
    return out
