"""Calibration harness: false-positive rate and power of the significance tests on
simulated crowds.

    .venv/bin/python benchmarks/calibration.py              # 500 data sets per design
    .venv/bin/python benchmarks/calibration.py --sets 100   # quicker, wider intervals

Simulated crowds have the structure of real ones: every system answers the same items
(contexts), each response is judged by several workers drawn from a pool, and scores carry
an item effect (shared by all systems' responses to a context), a response effect (shared by
the raters of one response), a worker bias and noise, rounded and clipped to the 1-5 scale.
A/B judgments carry an item lean (shared by the judgments of one item) and a worker's
preference for the left side. Designs mix these effects; planted nulls give the family-wise
false-positive rate (any pair called significant when no system differs), planted
differences give the power (the planted pair called significant).

Every method runs on the same data sets, through the analysis functions the report uses
(``evalplatform.analysis``): the default (``crowd_tests``), the seeds' forms (Welch per
rating, sign test per judgment) and the reference a default must match in power (a paired
t-test on per-item means). A benchmark, not a test: it prints a table and never fails;
``tests/analysis/test_calibration.py`` runs a seeded, smaller version with a bound.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats
from threadpoolctl import threadpool_limits

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from evalplatform.analysis.ab import canonical_ab  # noqa: E402
from evalplatform.analysis.crowd_simulation import (  # noqa: E402
    SYSTEMS,
    AbDesign,
    LikertDesign,
    simulate_ab,
    simulate_ggb,
    simulate_likert,
)
from evalplatform.analysis.crowd_tests import (  # noqa: E402
    ab_crowd_tests,
    ggb_crowd_tests,
    likert_crowd_tests,
)
from evalplatform.analysis.significance import (  # noqa: E402
    adjust_pvalues,
    sign_test,
    welch_test,
)

ALPHA = 0.05
LIKERT_DELTAS = (0.2, 0.5)  # points on the 1-5 scale, planted on S0
AB_POINTS = (10, 20)  # percentage points of preference for S0 (among non-ties)


LIKERT_DESIGNS = (
    LikertDesign("independent ratings", 0.0, 0.0, 0.0, 1.0),
    LikertDesign("response effect dominant", 0.3, 0.7, 0.4, 0.7),
    LikertDesign("context effect dominant", 1.0, 0.2, 0.2, 0.7),
    LikertDesign("strong worker bias", 0.3, 0.3, 1.0, 0.7),
    LikertDesign("lopsided truth (near 5)", 0.3, 0.4, 0.3, 0.6, base=4.6),
)
# Good/okay/bad: one worker sorts every system's candidate for an item (seed 002's task),
# so a worker's bias is shared by the systems they compare; cut points at -0.6 / +0.6.
GGB_DESIGNS = (
    LikertDesign("independent labels", 0.0, 0.0, 0.0, 1.0, base=0.0),
    LikertDesign("context effect dominant", 1.0, 0.3, 0.3, 0.7, base=0.0),
    LikertDesign("strong worker bias", 0.3, 0.3, 1.0, 0.7, base=0.0),
    LikertDesign("lopsided truth (mostly good)", 0.3, 0.4, 0.3, 0.6, base=1.4),
)
AB_DESIGNS = (
    AbDesign("independent judgments", 0.0, 0.0),
    AbDesign("item lean dominant", 1.0, 0.3),
    AbDesign("strong left-side bias", 0.3, 1.5),
    AbDesign("lopsided items", 2.5, 0.3),
)


# Each method returns, per pair (a, b) in SYSTEMS order, whether it is significant.
Verdicts = dict[tuple[str, str], bool]


def _holm(pairs: list[tuple[str, str]], pvalues: list[float]) -> Verdicts:
    adjusted = adjust_pvalues(pvalues, "holm")
    return {p: bool(np.isfinite(q) and q < ALPHA) for p, q in zip(pairs, adjusted, strict=True)}


def likert_default(df: pd.DataFrame) -> Verdicts:
    block = likert_crowd_tests(df, SYSTEMS, correction="holm", alpha=ALPHA)["quality"]
    return {(t["a"], t["b"]): t["significant"] for t in block["pairs"]}


def likert_welch_per_rating(df: pd.DataFrame) -> Verdicts:
    groups = {s: g["score"].to_numpy(float) for s, g in df.groupby("system")}
    pairs = list(combinations(SYSTEMS, 2))
    return _holm(pairs, [welch_test(groups[a], groups[b]).p for a, b in pairs])


def likert_paired_item_means(df: pd.DataFrame) -> Verdicts:
    wide = df.groupby(["item", "system"])["score"].mean().unstack()
    pairs = list(combinations(SYSTEMS, 2))
    return _holm(pairs, [_paired_p(wide[a].to_numpy(), wide[b].to_numpy()) for a, b in pairs])


def _paired_p(x: np.ndarray, y: np.ndarray) -> float:
    d = x - y
    return float(stats.ttest_1samp(d, 0.0).pvalue) if np.ptp(d) > 0 else float("nan")


def ab_default(df: pd.DataFrame) -> Verdicts:
    block = ab_crowd_tests(canonical_ab(df, SYSTEMS), correction="holm", alpha=ALPHA)
    return {(t["a"], t["b"]): t["significant"] for t in block["pairs"]}


def ab_sign_per_judgment(df: pd.DataFrame) -> Verdicts:
    canon = canonical_ab(df, SYSTEMS)
    pairs, pvalues = [], []
    for (a, b), rows in canon.groupby(["a", "b"]):
        counts = rows["outcome"].value_counts()
        pairs.append((str(a), str(b)))
        pvalues.append(sign_test(int(counts.get("win", 0)), int(counts.get("loss", 0))))
    return _holm(pairs, pvalues)


def ab_paired_item_means(df: pd.DataFrame) -> Verdicts:
    canon = canonical_ab(df, SYSTEMS)
    score = canon["outcome"].map({"win": 1.0, "loss": -1.0, "tie": 0.0})
    per_item = score.groupby([canon["a"], canon["b"], canon["item"]]).mean()
    pairs, pvalues = [], []
    for (a, b), v in per_item.groupby(level=[0, 1]):
        pairs.append((str(a), str(b)))
        pvalues.append(_paired_p(v.to_numpy(), np.zeros(len(v))))
    return _holm(pairs, pvalues)


def ggb_default(df: pd.DataFrame) -> Verdicts:
    block = ggb_crowd_tests(df.assign(subset="all"), SYSTEMS, ["all"], alpha=ALPHA)["overall"]
    return {(t["a"], t["b"]): t["significant"] for t in block["pairs"]}


def ggb_paired_item_means(df: pd.DataFrame) -> Verdicts:
    scored = df.assign(score=df["label"].map({"bad": 0.0, "okay": 1.0, "good": 2.0}))
    return likert_paired_item_means(scored)


LIKERT_METHODS: dict[str, Callable[[pd.DataFrame], Verdicts]] = {
    "default (paired over items, worker bias removed)": likert_default,
    "paired t on per-item means (reference)": likert_paired_item_means,
    "Welch per rating (seed 000, `pairwise`)": likert_welch_per_rating,
}
AB_METHODS: dict[str, Callable[[pd.DataFrame], Verdicts]] = {
    "default (t over items of mean preference)": ab_default,
    "paired t on per-item means (reference)": ab_paired_item_means,
    "sign test per judgment (ACUTE-Eval, `pairs`)": ab_sign_per_judgment,
}

GGB_METHODS: dict[str, Callable[[pd.DataFrame], Verdicts]] = {
    "default (paired over items on label scores, worker bias removed)": ggb_default,
    "paired t on per-item mean label scores (reference)": ggb_paired_item_means,
}


@dataclass
class Tally:
    """Counts over data sets: any pair significant under the null, the planted pair
    significant under each planted difference."""

    sets: int = 0
    false_positive: int = 0
    power_hits: dict[float, int] | None = None

    def interval(self) -> tuple[float, float]:
        """Clopper-Pearson 99 % interval of the false-positive rate."""
        res = stats.binomtest(self.false_positive, self.sets)
        ci = res.proportion_ci(confidence_level=0.99, method="exact")
        return float(ci.low), float(ci.high)


def run_design(
    simulate: Callable[[float, np.random.Generator], pd.DataFrame],
    methods: dict[str, Callable[[pd.DataFrame], Verdicts]],
    effects: tuple[float, ...],
    sets: int,
    seed: int,
) -> dict[str, Tally]:
    """``sets`` null data sets and ``sets`` per planted effect; every method on each."""
    tallies = {m: Tally(power_hits=dict.fromkeys(effects, 0)) for m in methods}
    rng = np.random.default_rng(seed)
    planted = ("S0", "S1")
    for _ in range(sets):
        null = simulate(0.0, rng)
        for name, method in methods.items():
            tallies[name].sets += 1
            tallies[name].false_positive += any(method(null).values())
        for effect in effects:
            data = simulate(effect, rng)
            for name, method in methods.items():
                hits = tallies[name].power_hits
                assert hits is not None
                hits[effect] += method(data)[planted]
    return tallies


def likert_simulator(design: LikertDesign) -> Callable[[float, np.random.Generator], pd.DataFrame]:
    return lambda delta, rng: simulate_likert(design, delta, rng)


def ggb_simulator(design: LikertDesign) -> Callable[[float, np.random.Generator], pd.DataFrame]:
    return lambda delta, rng: simulate_ggb(design, delta, rng)


def ab_simulator(design: AbDesign) -> Callable[[float, np.random.Generator], pd.DataFrame]:
    return lambda points, rng: simulate_ab(design, points, rng)


def print_table(
    title: str, results: dict[str, dict[str, Tally]], effects: tuple[float, ...], unit: str
) -> None:
    powers = " | ".join(f"power at {e:g} {unit}" for e in effects)
    print(f"\n### {title}\n")
    print(f"| design | method | family-wise FPR | 99 % interval | {powers} |")
    print("|---|---|---|---|" + "---|" * len(effects))
    for design, tallies in results.items():
        for method, t in tallies.items():
            lo, hi = t.interval()
            hits = t.power_hits or {}
            pw = " | ".join(f"{hits[e] / t.sets:.2f}" for e in effects)
            fpr = t.false_positive / t.sets
            print(f"| {design} | {method} | {fpr:.3f} | {lo:.3f}-{hi:.3f} | {pw} |")


def time_mixedlm(fits: int, seed: int) -> None:
    """Why the default is not a mixed model: the time of one statsmodels MixedLM fit with
    crossed variance components (item, worker, response) on one harness data set."""
    import warnings

    import statsmodels.formula.api as smf

    rng = np.random.default_rng(seed)
    seconds = []
    for _ in range(fits):
        df = simulate_likert(LIKERT_DESIGNS[1], 0.0, rng)
        df = df.assign(response=df["item"].astype(str) + "/" + df["system"], whole=1)
        started = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            smf.mixedlm(
                "score ~ C(system)",
                df,
                groups="whole",
                vc_formula={
                    "item": "0 + C(item)",
                    "worker": "0 + C(worker)",
                    "response": "0 + C(response)",
                },
            ).fit(reml=True)
        seconds.append(time.perf_counter() - started)
    median = float(np.median(seconds))
    per_table = median * 500 * (len(LIKERT_DESIGNS) * (1 + len(LIKERT_DELTAS)))
    print(
        f"\nMixedLM (crossed item, worker and response variance components), {fits} fits: "
        f"median {median:.1f} s per fit; the Likert table alone would need "
        f"{per_table / 3600:.1f} h of one core (the default: milliseconds per data set)."
    )


def likert_mixedlm(df: pd.DataFrame) -> Verdicts:
    """A linear mixed model with crossed item, worker and response variance components
    (statsmodels MixedLM, REML); Wald tests of the three system contrasts, Holm."""
    import warnings

    import statsmodels.formula.api as smf

    data = df.assign(response=df["item"].astype(str) + "/" + df["system"], whole=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = smf.mixedlm(
            "score ~ C(system)",
            data,
            groups="whole",
            vc_formula={
                "item": "0 + C(item)",
                "worker": "0 + C(worker)",
                "response": "0 + C(response)",
            },
        ).fit(reml=True)
    names = {s: f"C(system)[T.{s}]" for s in SYSTEMS[1:]}
    pairs = list(combinations(SYSTEMS, 2))
    pvalues = []
    for a, b in pairs:
        # Contrast a - b on the treatment-coded fixed effects (S0 is the reference).
        weights = np.zeros(len(fit.fe_params))
        for system, sign in ((a, 1.0), (b, -1.0)):
            if system in names:
                weights[list(fit.fe_params.index).index(names[system])] += sign
        pvalues.append(float(np.asarray(fit.t_test(weights[None, :]).pvalue).ravel()[0]))
    return _holm(pairs, pvalues)


MIXEDLM_DESIGNS = ("response effect dominant", "strong worker bias")


def compare_mixedlm(sets: int, seed: int, names: tuple[str, ...] = MIXEDLM_DESIGNS) -> None:
    """The default against MixedLM on the Likert designs ``names`` (the k-th drawn with
    ``seed + k``): family-wise false-positive rate, power at 0.5 points, and CPU seconds
    per data set of each. One line per data set as it is done (a fit takes a fraction of a
    second): a long run stopped early still leaves what it finished."""
    known = {d.name: d for d in LIKERT_DESIGNS}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise SystemExit(f"--mixedlm-design: unknown {unknown}; choose from {list(known)}")
    designs = [known[n] for n in names]
    methods = {
        "default (paired over items, worker bias removed)": likert_default,
        "MixedLM, crossed item/worker/response variance components": likert_mixedlm,
    }
    # One BLAS thread: on a small shared machine threaded BLAS spins (4.9 CPU s per fit
    # against 0.3 s single-threaded here), and the matrices are small.
    with threadpool_limits(limits=1, user_api="blas"):
        _compare_mixedlm(designs, methods, sets, seed)


def _compare_mixedlm(
    designs: list[LikertDesign],
    methods: dict[str, Callable[[pd.DataFrame], Verdicts]],
    sets: int,
    seed: int,
) -> None:
    for k, d in enumerate(designs):
        rng = np.random.default_rng(seed + k)  # run_design's draws: the same data sets
        tallies = {m: Tally(power_hits={0.5: 0}) for m in methods}
        cpu = dict.fromkeys(methods, 0.0)
        for i in range(sets):
            null, planted = likert_simulator(d)(0.0, rng), likert_simulator(d)(0.5, rng)
            cells = []
            for name, method in methods.items():
                started = time.process_time()
                fp = any(method(null).values())
                hit = method(planted)[("S0", "S1")]
                cpu[name] += time.process_time() - started
                t = tallies[name]
                t.sets += 1
                t.false_positive += fp
                assert t.power_hits is not None
                t.power_hits[0.5] += hit
                cells.append(f"{name.split(',')[0].split(' (')[0]} null {int(fp)} power {int(hit)}")
            print(f"{d.name} set {i + 1}: " + "; ".join(cells), flush=True)
        print_table(
            f"Likert: default against MixedLM, {sets} data sets",
            {d.name: tallies},
            (0.5,),
            "points",
        )
        for name, t in tallies.items():
            assert t.power_hits is not None
            hits = t.power_hits[0.5]
            ci = stats.binomtest(hits, t.sets).proportion_ci(confidence_level=0.99, method="exact")
            print(
                f"- {name}: power {hits}/{t.sets} (99 % interval {ci.low:.3f}-{ci.high:.3f}); "
                f"{cpu[name] / (2 * t.sets):.3f} CPU s per data set",
                flush=True,
            )


def _setting(text: str) -> tuple[str, float]:
    key, sep, value = text.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError(f"--quality-setting {text!r}: expected KEY=VALUE")
    return key, float(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", type=int, default=500, help="data sets per design and effect")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--seed-offset",
        type=int,
        default=0,
        help="added to --seed: crowds other than those the defaults were chosen on (2026)",
    )
    parser.add_argument(
        "--protocol", choices=("likert", "ab", "ggb", "quality", "all"), default="all"
    )
    parser.add_argument("--quality-sets", type=int, default=100, help="crowds per design")
    parser.add_argument(
        "--quality-setting",
        type=_setting,
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a quality filter default, e.g. rush_crowd_z=1.5 (repeatable)",
    )
    parser.add_argument("--mixedlm-fits", type=int, default=0, help="time this many MixedLM fits")
    parser.add_argument(
        "--mixedlm-sets",
        type=int,
        default=0,
        help="compare MixedLM with the default, N sets per design",
    )
    parser.add_argument(
        "--mixedlm-design",
        action="append",
        default=[],
        help="a Likert design for the MixedLM comparison (repeatable; default: the two above)",
    )
    args = parser.parse_args()
    args.seed += args.seed_offset
    started = time.perf_counter()
    if args.protocol in ("likert", "all"):
        likert = {
            d.name: run_design(
                likert_simulator(d), LIKERT_METHODS, LIKERT_DELTAS, args.sets, args.seed + k
            )
            for k, d in enumerate(LIKERT_DESIGNS)
        }
        print_table(
            "Likert: 3 systems, 40 items, 3 raters per response", likert, LIKERT_DELTAS, "points"
        )
    if args.protocol in ("ggb", "all"):
        ggb = {
            d.name: run_design(
                ggb_simulator(d), GGB_METHODS, LIKERT_DELTAS, args.sets, args.seed + k
            )
            for k, d in enumerate(GGB_DESIGNS)
        }
        print_table(
            "Good/okay/bad: 3 systems, 40 items, 3 workers sort each item's candidates",
            ggb,
            LIKERT_DELTAS,
            "latent SD",
        )
    if args.protocol in ("ab", "all"):
        ab = {
            d.name: run_design(ab_simulator(d), AB_METHODS, AB_POINTS, args.sets, args.seed + k)
            for k, d in enumerate(AB_DESIGNS)
        }
        print_table(
            "A/B: 3 pairs, 40 items per pair, 3 judgments per item", ab, AB_POINTS, "points"
        )
    if args.protocol in ("quality", "all") and args.quality_sets:
        from benchmarks.calibration_quality import run_quality

        run_quality(args.quality_sets, args.seed, dict(args.quality_setting))
    if args.mixedlm_fits:
        time_mixedlm(args.mixedlm_fits, args.seed)
    if args.mixedlm_sets:
        compare_mixedlm(args.mixedlm_sets, args.seed, tuple(args.mixedlm_design) or MIXEDLM_DESIGNS)
    print(
        f"\n{args.sets} data sets per design and effect; seed {args.seed}; "
        f"{time.perf_counter() - started:.0f} s."
    )


if __name__ == "__main__":
    main()
