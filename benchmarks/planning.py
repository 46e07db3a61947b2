"""Planning benchmark: the planner's predicted power against simulated crowds analysed by the
whole report, and the time of a typical plan.

    .venv/bin/python benchmarks/planning.py               # 500 sets a design (minutes)
    .venv/bin/python benchmarks/planning.py --sets 100    # quicker, wider intervals

Per protocol, a planted crowd (the calibration harness's designs) gives a pilot of 60 items;
the planner fits its variance components and predicts the power of three designs; then
``--sets`` crowds per design are drawn from the planted truth and analysed by
``reports.builder.build_report`` (validation, quality filter, default test, correction),
and the planted pair counted when significant. Also: a typical plan's wall time, and the
family-wise rate at which the confidence sequences exclude zero under a planted null with a
look after every item. A benchmark, not a test: it prints and never fails.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "evalplatform.settings")

import django  # noqa: E402

django.setup()

from evalplatform.analysis.ab import canonical_ab  # noqa: E402
from evalplatform.analysis.confidence_sequences import difference_bounds, family_cs  # noqa: E402
from evalplatform.analysis.crowd_simulation import (  # noqa: E402
    SYSTEMS,
    AbDesign,
    LikertDesign,
    simulate_ab,
    simulate_ggb,
    simulate_likert,
)
from evalplatform.analysis.crowd_tests import response_means  # noqa: E402
from evalplatform.analysis.planning import (  # noqa: E402
    CostModel,
    Design,
    Problem,
    plan_designs,
    simulated_power,
    worker_pool,
)
from evalplatform.analysis.variance_components import (  # noqa: E402
    fit_ab,
    fit_ggb,
    fit_likert,
    ggb_latent_shift,
)
from evalplatform.reports.builder import build_report  # noqa: E402

LIKERT = LikertDesign("response effect dominant", 0.3, 0.7, 0.4, 0.7)
GGB = LikertDesign("context effect dominant", 1.0, 0.3, 0.3, 0.7, base=0.0)
AB = AbDesign("item lean dominant", 1.0, 0.3)
DESIGNS = {
    "likert": (Design(20, 3), Design(40, 2), Design(60, 1)),
    "ggb": (Design(20, 3), Design(40, 2), Design(60, 1)),
    "ab": (Design(30, 3), Design(50, 2), Design(80, 1)),
}
DIFFERENCE = {"likert": 0.5, "ggb": 0.3, "ab": 20.0}


def _planted_pair(report_results: dict, protocol: str) -> bool:
    if protocol == "likert":
        pairs = report_results["criteria"]["quality"]["calibrated"]["pairs"]
    elif protocol == "ggb":
        pairs = report_results["calibrated"]["overall"]["pairs"]
    else:  # A/B: the default test sits under ``calibrated`` in each pair
        pairs = [{**p["calibrated"], "a": p["a"], "b": p["b"]} for p in report_results["pairs"]]
    # the report orders a pair as its systems first appear; significance is symmetric
    return any({p["a"], p["b"]} == {"S0", "S1"} and p["significant"] for p in pairs)


def crowd(protocol: str, design: Design, rng: np.random.Generator) -> pd.DataFrame:
    """A crowd drawn from the planted truth, with the planner's worker pool."""
    shape = {
        "items": design.items,
        "raters": design.raters,
        "workers": worker_pool(Problem(protocol, SYSTEMS, 0), design),
    }
    if protocol == "likert":
        return simulate_likert(LikertDesign(**{**vars(LIKERT), **shape}), DIFFERENCE[protocol], rng)
    if protocol == "ggb":
        shift = ggb_latent_shift(fit_ggb_truth(), DIFFERENCE["ggb"])
        return simulate_ggb(LikertDesign(**{**vars(GGB), **shape}), shift, rng)
    return simulate_ab(AbDesign(**{**vars(AB), **shape}), DIFFERENCE["ab"], rng)


def fit_ggb_truth():
    from evalplatform.analysis.variance_components import Components

    return Components(GGB.item_sd, GGB.response_sd, GGB.worker_sd, GGB.noise_sd, base=GGB.base)


def fitted_problem(protocol: str, rng: np.random.Generator) -> Problem:
    if protocol == "likert":
        pilot = simulate_likert(LikertDesign(**{**vars(LIKERT), "items": 60}), 0.0, rng)
        return Problem("likert", SYSTEMS, DIFFERENCE["likert"], likert=fit_likert(pilot))
    if protocol == "ggb":
        pilot = simulate_ggb(LikertDesign(**{**vars(GGB), "items": 60}), 0.0, rng)
        return Problem("ggb", SYSTEMS, DIFFERENCE["ggb"], ggb=fit_ggb(pilot))
    pilot = simulate_ab(AbDesign(**{**vars(AB), "items": 60}), 0.0, rng)
    return Problem("ab", SYSTEMS, DIFFERENCE["ab"], ab=fit_ab(canonical_ab(pilot, SYSTEMS), pilot))


def power_check(sets: int, seed: int) -> None:
    print("\n### Predicted (planner, pilot of 60 items) against empirical power (whole report)\n")
    print("| protocol | items | raters | predicted | empirical | gap |")
    print("|---|---|---|---|---|---|")
    for k, (protocol, designs) in enumerate(DESIGNS.items()):
        problem = fitted_problem(protocol, np.random.default_rng(seed + k))
        for design in designs:
            predicted = simulated_power(problem, design, sets=sets, seed=seed).estimate
            rng = np.random.default_rng([seed, k, design.items])
            hits = sum(
                _planted_pair(
                    build_report(crowd(protocol, design, rng), protocol).results, protocol
                )
                for _ in range(sets)
            )
            empirical = hits / sets
            print(
                f"| {protocol} | {design.items} | {design.raters} | {predicted:.3f} | "
                f"{empirical:.3f} | {predicted - empirical:+.3f} |"
            )


def plan_timing(seed: int) -> None:
    """A typical plan: Likert, three systems, three criteria fitted from a pilot."""
    rng = np.random.default_rng(seed)
    pilot = pd.concat(
        simulate_likert(LikertDesign(**{**vars(LIKERT), "items": 40}), 0.0, rng, criterion=c)
        for c in ("fluency", "relevance", "empathy")
    )
    started = time.perf_counter()
    problem = Problem("likert", SYSTEMS, 0.5, likert=fit_likert(pilot))
    plan = plan_designs(problem, CostModel(lambda r: 0.6, 6), sets=200, seed=seed)
    seconds = time.perf_counter() - started
    best = plan.cheapest.as_dict() if plan.cheapest else None
    print(f"\nTypical plan (Likert, 3 systems, 3 criteria, 4 rater counts, 200 sets a design): "
          f"{len(plan.rows)} designs in {seconds:.0f} s; cheapest {best}")  # fmt: skip


def cs_null(runs: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    misses = 0
    for _ in range(runs):
        df = simulate_likert(LikertDesign(**{**vars(LIKERT), "items": 200}), 0.0, rng)
        wide = response_means(df, "score").pivot(index="item", columns="system", values="value")
        diffs = {f"{a}-{b}": (wide[a] - wide[b]).to_numpy() for a, b in
                 (("S0", "S1"), ("S0", "S2"), ("S1", "S2"))}  # fmt: skip
        family = family_cs(diffs, difference_bounds((1, 5)), 0.05)
        misses += any(cs.excludes(0.0).any() for cs in family.values())
    print(f"\nConfidence sequences, planted null, 200 items, a look after every item: "
          f"{misses}/{runs} runs excluded zero for some pair (nominal 0.05).")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", type=int, default=500)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--skip-timing", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    power_check(args.sets, args.seed)
    if not args.skip_timing:
        plan_timing(args.seed)
    cs_null(args.sets, args.seed)
    print(f"\n{args.sets} sets; seed {args.seed}; {time.perf_counter() - started:.0f} s.")


if __name__ == "__main__":
    main()
