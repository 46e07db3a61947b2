"""Monitoring benchmark: family-wise false positives when a campaign is looked at after every
HIT, and what stop-and-reallocate saves against the fixed design.

    .venv/bin/python benchmarks/monitoring.py              # 1000 campaigns per case
    .venv/bin/python benchmarks/monitoring.py --runs 200   # quicker, wider intervals
    .venv/bin/python benchmarks/monitoring.py --only planted  # the saving alone

1. Planted nulls (three identical systems), looked at after every HIT up to the full sample:
   the share of campaigns in which any comparison's confidence sequence ever excluded 0
   (the monitoring's family-wise error; nominal 5 %), beside the same share for the
   fixed-sample default test recomputed after every HIT (what peeking does). Likert (two
   criteria) and good/okay/bad go through the protocols' ``monitored`` hooks on simulated
   crowds (``analysis.crowd_simulation``); A/B through ``analysis.monitoring_simulation``.
2. Planted differences on a three-system A/B campaign, one clear (S0 over S1 and S2) and
   one small (S1 over S2, below the smallest difference worth detecting): HITs worked
   with stop-and-reallocate (withdrawing only, and giving the withdrawn HITs to the
   undecided pair) vs the fixed design, how often both reach the same decisions, and how
   often monitoring settled every pair.

A benchmark, not a test: it prints and never fails; ``tests/analysis/test_monitoring.py``
runs a seeded, smaller version with bounds.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from evalplatform.analysis.confidence_sequences import empirical_bernstein_cs  # noqa: E402
from evalplatform.analysis.crowd_simulation import (  # noqa: E402
    LikertDesign,
    simulate_ggb,
    simulate_likert,
)
from evalplatform.analysis.monitoring_simulation import AbCampaign, run_campaign  # noqa: E402
from evalplatform.analysis.significance import adjust_pvalues  # noqa: E402
from evalplatform.protocols.registry import get  # noqa: E402

ALPHA = 0.05
ITEMS_PER_HIT = 5
LIKERT = LikertDesign("response effect dominant", 0.3, 0.7, 0.4, 0.7, items=300, workers=60)
GGB = LikertDesign("good/okay/bad", 0.3, 0.7, 0.4, 0.7, base=0.0, items=300, workers=60)
AB_NULL = AbCampaign((0.0, 0.0, 0.0), items_per_pair=300, items_per_hit=ITEMS_PER_HIT)
AB_PLANTED = AbCampaign((1.0, 0.0, -0.05), items_per_pair=300, items_per_hit=ITEMS_PER_HIT)
SMALLEST = 0.25  # net preference, from -1 to 1
Simulator = Callable[[np.random.Generator], tuple[pd.DataFrame, dict[str, tuple[int, int]]]]


def _looks(n_items: int) -> np.ndarray:
    """Items done after each HIT (the items of a rated campaign arrive a HIT at a time)."""
    return np.arange(ITEMS_PER_HIT, n_items + 1, ITEMS_PER_HIT)


def _errors(values: list[np.ndarray], bounds: list[tuple[float, float]]) -> tuple[bool, bool]:
    """(the monitoring ever excluded 0 for some comparison, the fixed-sample test with Holm
    recomputed after every HIT ever called some comparison significant)."""
    share = ALPHA / len(values)
    monitored = False
    for x, b in zip(values, bounds, strict=True):
        cs = empirical_bernstein_cs(x, b, share)
        monitored |= bool(cs.excludes(0.0)[_looks(len(x)) - 1].any())
    peeking = False
    n = _looks(min(len(x) for x in values))
    pvalues = []
    for x in values:
        total, squares = np.cumsum(x)[n - 1], np.cumsum(x**2)[n - 1]
        mean = total / n
        sd = np.sqrt(np.maximum((squares - n * mean**2) / (n - 1), 1e-12))
        pvalues.append(2 * stats.t.sf(np.abs(mean) / (sd / np.sqrt(n)), n - 1))
    for look in np.asarray(pvalues).T:
        peeking |= bool((adjust_pvalues(list(look), "holm") < ALPHA).any())
    return monitored, peeking


def _likert_rows(rng: np.random.Generator) -> tuple[pd.DataFrame, dict[str, tuple[int, int]]]:
    frames = [simulate_likert(LIKERT, 0.0, rng, criterion=c) for c in ("fluency", "empathy")]
    return pd.concat(frames), {"fluency": (1, 5), "empathy": (1, 5)}


def _ggb_rows(rng: np.random.Generator) -> tuple[pd.DataFrame, dict[str, tuple[int, int]]]:
    return simulate_ggb(GGB, 0.0, rng).assign(subset="all"), {}


def _protocol_null(
    protocol: str, simulate: Simulator, rng: np.random.Generator
) -> tuple[bool, bool]:
    df, scales = simulate(rng)
    # Items arrive in the simulator's order, one HIT's worth at a time.
    df = df.assign(arrival=df["item"], item=df["item"].astype(str))
    comparisons = get(protocol).monitored(df, scales=scales, raters=LIKERT.raters)
    return _errors([c.values for c in comparisons], [c.bounds for c in comparisons])


def _rate(flags: list[bool]) -> str:
    k, n = sum(flags), len(flags)
    ci = stats.binomtest(k, n).proportion_ci(0.95, method="exact")
    return f"{100 * k / n:5.1f} % [{100 * ci.low:4.1f}, {100 * ci.high:4.1f}]"


def nulls(runs: int, seed: int) -> None:
    print(f"Planted nulls, {runs} campaigns each, looked at after every HIT of {ITEMS_PER_HIT}")
    print(f"{'campaign':<44} {'monitoring FWER':>24} {'fixed test, peeking':>24}")
    rng = np.random.default_rng(seed)
    cases: tuple[tuple[str, str, Simulator], ...] = (
        ("Likert, 3 systems x 2 criteria, 300 items", "likert", _likert_rows),
        ("good/okay/bad, 3 systems, 300 items", "ggb", _ggb_rows),
    )
    for name, protocol, simulate in cases:
        results = [_protocol_null(protocol, simulate, rng) for _ in range(runs)]
        print(
            f"{name:<44} {_rate([m for m, _ in results]):>24} {_rate([p for _, p in results]):>24}"
        )
    ab = [run_campaign(AB_NULL, rng, smallest_difference=SMALLEST) for _ in range(runs)]
    print(
        f"{'A/B, 3 systems, 300 items per pair':<44} "
        f"{_rate([any(r.ever_excluded_zero) for r in ab]):>24} {'':>24}"
    )


def planted(runs: int, seed: int) -> None:
    c = AB_PLANTED
    print(
        f"\nPlanted differences: A/B, strengths {c.strengths} (logit), {c.items_per_pair} "
        f"items per pair, {c.items_per_hit} per HIT, {c.raters} raters; smallest difference "
        f"worth detecting {SMALLEST} net preference; {runs} campaigns"
    )
    variants = (
        ("stop and reallocate", True, False),
        ("... giving HITs", True, True),
        ("stop only", False, False),
    )
    for label, reallocate, give in variants:
        rng = np.random.default_rng(seed)
        out = [
            run_campaign(
                c,
                rng,
                smallest_difference=SMALLEST,
                reallocate=reallocate,
                give_to_undecided=give,
            )
            for _ in range(runs)
        ]
        saving = np.array([r.saving for r in out])
        same = [r.same_decisions for r in out]
        clear = [r.fixed[:2] == r.monitored[:2] for r in out]
        fixed_small = [r.fixed[2] != 0 for r in out]
        print(
            f"  {label:<20} HITs saved: mean {100 * saving.mean():.1f} % "
            f"(quartiles {100 * np.quantile(saving, 0.25):.1f} to "
            f"{100 * np.quantile(saving, 0.75):.1f} %) of {out[0].hits_fixed} HITs"
        )
        print(
            f"  {'':<20} same decisions on all pairs: {_rate(same)}; on the clear pairs: "
            f"{_rate(clear)}; the fixed design called the small pair different in "
            f"{_rate(fixed_small)}"
        )
        print(
            f"  {'':<20} every pair settled (decided or futile): {_rate([r.settled for r in out])}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1000, help="campaigns per case")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--only", choices=("nulls", "planted"), help="run one part")
    args = parser.parse_args()
    start = time.perf_counter()
    if args.only != "planted":
        nulls(args.runs, args.seed)
    if args.only != "nulls":
        planted(args.runs, args.seed)
    print(f"\n{time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
