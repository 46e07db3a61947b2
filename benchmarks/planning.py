"""Planning benchmark: the planner's predicted power against the empirical power of simulated
crowds through the same analysis, and the time of a typical plan.

    .venv/bin/python benchmarks/planning.py                 # 1000 sets a design (long)
    .venv/bin/python benchmarks/planning.py --sets 200      # quicker, wider intervals

Per protocol, a planted truth (the calibration harness's designs, and the difference the
README names) gives ``--pilots`` pilots of 60 items x 3 raters (the planted difference
included, as a real pilot of the same systems would have it); a fourth case, a yes/no
criterion (Likert scores 0/1), is planned at one design. For each of three designs:

- predicted: the protocol's planning model fitted on each pilot (``planning_model``, as
  ``manage.py plan --pilot`` fits it; the quality filter before the test, as the plan runs
  it) predicts the power with ``--sets / --pilots`` sets,
  averaged over the pilots. A 60-item pilot's own sampling error moves one pilot's
  prediction by several points (the standard deviation over pilots is printed), so the
  planner's bias shows only in the mean over many pilots;
- empirical: ``--sets`` crowds drawn from the planted truth, each run through the report's
  quality filter and the default test with the report's correction (the functions the
  report calls);
- report agrees: on the first ``--report-sets`` of those crowds, the whole report
  (``build_report``: validation, quality filter, default test, correction) was run too, and
  this is the share of crowds on which its decision for the planted pair was the same.

Then a typical plan's wall time (the demo's ``likert-fce`` preset: three systems, its
criteria fitted from a pilot, its HIT shape). A benchmark, not a test: it prints only.
"""

from __future__ import annotations

import argparse
import math
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

from evalplatform.analysis.ab_components import AbComponents  # noqa: E402
from evalplatform.analysis.planning import (  # noqa: E402
    Design,
    PlanningModel,
    Problem,
    planted_significant,
    simulated_power,
    worker_pool,
)
from evalplatform.analysis.variance_components import Components  # noqa: E402
from evalplatform.campaigns.presets import PRESETS  # noqa: E402
from evalplatform.protocols.differences import BINARY  # noqa: E402
from evalplatform.protocols.planning import AbPlanning, GgbPlanning, LikertPlanning  # noqa: E402
from evalplatform.protocols.registry import get  # noqa: E402
from evalplatform.reports.builder import build_report  # noqa: E402
from evalplatform.reports.config import ReportSettings  # noqa: E402
from evalplatform.reports.planning import PlanInputs, plan_from, report_filter  # noqa: E402
from evalplatform.reports.tidy import validate_judgments  # noqa: E402

SYSTEMS = ("S0", "S1", "S2")
SETTINGS = ReportSettings(bradley_terry=False)


def problem(protocol: str, model: PlanningModel, difference: float) -> Problem:
    """The planner's problem with the report's quality filter, as ``plan_problem`` sets it."""
    screen = report_filter(get(protocol), SETTINGS)
    return Problem(protocol, model, SYSTEMS, difference, screen=screen)


PILOT = Design(60, 3)
# A yes/no criterion: a latent cut at one half, 66 % yes averaged over the three systems
# (61 % for the two that are not ahead, 76 % for the one 15 points ahead).
YES_NO = Components(0.1, 0.2, 0.1, 0.2, base=0.5 + 0.316 * 0.412)
# case -> (protocol, planted truth, difference, designs)
CASES: dict[str, tuple[str, PlanningModel, float, tuple[Design, ...]]] = {
    "likert": (
        "likert",
        LikertPlanning({"quality": Components(0.3, 0.7, 0.4, 0.7, base=3.0)}),
        0.5,
        (Design(20, 3), Design(40, 2), Design(60, 1)),
    ),
    "ggb": (
        "ggb",
        GgbPlanning(Components(1.0, 0.3, 0.3, 0.7, base=0.0)),
        0.3,
        (Design(20, 3), Design(40, 2), Design(60, 1)),
    ),
    "ab": (
        "ab",
        AbPlanning(AbComponents(item_sd=1.0, worker_side_sd=0.3, tie=0.1)),
        20.0,
        (Design(30, 3), Design(50, 2), Design(80, 1)),
    ),
    "yes/no": (
        "likert",
        LikertPlanning({"correct": YES_NO}, {"correct": BINARY}),
        0.15,
        (Design(40, 3),),
    ),
}


def report_decision(protocol: str, data: pd.DataFrame) -> bool:
    """The whole report's decision for the planted pair (S0 against S1)."""
    spec = get(protocol)
    report = build_report(data, protocol, SETTINGS)
    pairs = [p for _, family in spec.default_families(report) for p in family]
    return planted_significant(pairs, SYSTEMS)


def report_kept(truth: Problem, data: pd.DataFrame) -> pd.DataFrame:
    return truth.screen(data) if truth.screen is not None else data


def fitted_model(
    protocol: str, truth: Problem, rng: np.random.Generator, pilot_design: Design = PILOT
) -> PlanningModel:
    pilot = truth.model.simulate(truth, pilot_design, worker_pool(truth, pilot_design), rng)
    pilot = validate_judgments(pilot, protocol)
    return get(protocol).planning_model(pilot=pilot, criteria=None, settings=SETTINGS)


def power_check(sets: int, pilots: int, report_sets: int, seed: int, pilot_items: int) -> None:
    pilot_design = Design(pilot_items, PILOT.raters)
    print(
        f"\n### Predicted (mean over {pilots} pilots of {pilot_items} items x "
        f"{PILOT.raters} raters) and empirical\n"
    )
    print("| case | items | raters | predicted | sd over pilots | empirical | gap | report |")
    print("|---|---|---|---|---|---|---|---|")
    for k, (case, (protocol, model, difference, designs)) in enumerate(CASES.items()):
        truth = problem(protocol, model, difference)
        rng = np.random.default_rng([seed, k])
        fitted = [
            problem(protocol, fitted_model(protocol, truth, rng, pilot_design), difference)
            for _ in range(pilots)
        ]
        for design in designs:
            each = [
                simulated_power(p, design, sets=sets // pilots, seed=seed + j).estimate
                for j, p in enumerate(fitted)
            ]
            workers = worker_pool(truth, design)
            crowd_rng = np.random.default_rng([seed, k, design.items, 99])
            hits = agree = 0
            for n in range(sets):
                data = model.simulate(truth, design, workers, crowd_rng)
                decided = min(model.decide(truth, report_kept(truth, data)).values())
                hits += decided
                if n < report_sets:
                    agree += decided == report_decision(protocol, data)
            predicted, empirical = float(np.mean(each)), hits / sets
            print(
                f"| {case} | {design.items} | {design.raters} | {predicted:.3f} | "
                f"{np.std(each, ddof=1):.3f} | {empirical:.3f} | "
                f"{predicted - empirical:+.3f} | {agree}/{min(report_sets, sets)} |"
            )
    se = math.sqrt(2 * 0.25 / sets)
    print(
        f"\n(Monte-Carlo standard error of a gap: at most {se:.3f}, plus the pilots' spread "
        f"over the square root of {pilots}; report: the whole report's decision was the "
        "planner's on that many crowds.)"
    )


def plan_timing(seed: int) -> None:
    """The demo's likert-fce preset: three systems, its scale criteria from a pilot."""
    preset = PRESETS["likert-fce"]
    criteria = {c.name: (1, 5) for c in preset.criteria if c.kind == "scale"}
    rng = np.random.default_rng(seed)
    model = LikertPlanning(dict.fromkeys(criteria, Components(0.3, 0.7, 0.4, 0.7)))
    truth = Problem("likert", model, SYSTEMS, 0.0)
    pilot = model.simulate(truth, Design(40, 3), 20, rng)
    inputs = PlanInputs(
        protocol="likert",
        systems=SYSTEMS,
        criteria=criteria,
        items_per_hit=5,
        current=Design(20, 3, 5),
        reward=preset.reward,
    )
    started = time.perf_counter()
    plan = plan_from(inputs, difference=0.5, pilot=pilot, sets=200, seed=seed)
    seconds = time.perf_counter() - started
    best = plan.cheapest.as_dict() if plan.cheapest else None
    print(
        f"\nTypical plan (likert-fce: 3 systems, {len(criteria)} criteria fitted from a pilot, "
        f"raters 1/2/3/5, 200 sets a design): {len(plan.rows) + 1} designs in {seconds:.0f} s; "
        f"cheapest {best}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sets", type=int, default=1000)
    parser.add_argument("--pilots", type=int, default=20)
    parser.add_argument("--report-sets", type=int, default=50)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--pilot-items", type=int, default=PILOT.items)
    parser.add_argument("--only", choices=sorted(CASES), action="append")
    parser.add_argument("--skip-timing", action="store_true")
    args = parser.parse_args()
    if args.only:
        for name in set(CASES) - set(args.only):
            del CASES[name]
    started = time.perf_counter()
    power_check(args.sets, args.pilots, args.report_sets, args.seed, args.pilot_items)
    if not args.skip_timing:
        plan_timing(args.seed)
    print(f"\n{args.sets} sets; seed {args.seed}; {time.perf_counter() - started:.0f} s.")


if __name__ == "__main__":
    main()
