"""The quality filter on simulated crowds: planted straight-liners and rushers against
honest workers, through ``apply_quality_filter`` (run by ``benchmarks/calibration.py
--protocol quality``; ``tests/analysis/test_calibration.py`` runs a seeded, smaller version).

Every row carries ``seconds``, time on its item. Honest workers read at their own pace:
per-worker median seconds per item log-normal around 35 s (log SD 0.7, so about 2 % of
them read at under a quarter of the typical pace, the rushing rule's ``rush_pace_share``),
varied per item. Straight-liners take 20-40 s per item, as in the project's crowd
simulator; rushers 4 s, answering at random (any value of the scale, any of a / b / tie).
Each liner and rusher judges 30 % of the responses (every criterion of them; for A/B, of
the items): 3 liners and 3 rushers then give 37.5 % of
the rows, as many as the 3 liners on 60 % of the units of the earlier harness (a crowd
mostly of spammers leaves no consensus to judge anyone against).

Some liners cannot be told from honest workers on the data: on a binary criterion the crowd
answers 1 on 95 % of the time, a worker who answers 1 on all 36 of their rows does what an
honest worker with that load does with probability about 0.98^18 x 0.93^18 = 19 %; any
rule that removes them removes at least that share of such honest workers. The table counts
a liner as distinguishable when an honest worker judging the same units would give all of
the liner's answers with probability under 2 % (the honest workers' shares of the liner's
answer on those units, pooled per system and criterion, or per system picked for A/B);
the table shows the removal rate of both kinds. A real straight-liner repeats its answer
on every criterion of the form: the last design adds a criterion the truth does not settle
(60 / 50 %), and planted workers judge every criterion of the responses they get.

``--seed-offset`` draws other crowds than the defaults were chosen on (seed 2026), and
``--quality-setting KEY=VALUE`` overrides a default, for a sensitivity check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from benchmarks.calibration import (
    AB_DESIGNS,
    LIKERT_DESIGNS,
    simulate_ab,
    simulate_likert,
)
from evalplatform.analysis.quality import apply_quality_filter, quality_config
from evalplatform.protocols.registry import get

LINERS = 3  # straight-liners added to each simulated crowd
RUSHERS = 3  # rushers added to each simulated crowd
HONEST_SECONDS = 35.0  # median seconds per item of the typical honest worker
DISTINGUISHABLE = 0.02  # an honest worker matches the liner with probability below this
SHARE = 0.3  # of the units each liner and rusher judges


def _planted(
    units: pd.DataFrame, rng: np.random.Generator, kind: str, k: int, share: float
) -> pd.DataFrame:
    return units[rng.random(len(units)) < share].assign(worker=f"{kind}{k}")


def _with_spammers_likert(
    df: pd.DataFrame, rng: np.random.Generator, values: tuple[int, ...]
) -> pd.DataFrame:
    """Liners answer one constant value (drawn at random); rushers any value, per row. Each
    judges every criterion of the responses they get, as the form asks."""
    units = df[["item", "system"]].drop_duplicates()
    criteria = df[["item", "system", "criterion"]].drop_duplicates()
    share = SHARE

    def planted(kind: str, k: int) -> pd.DataFrame:
        return _planted(units, rng, kind, k, share).merge(criteria, on=["item", "system"])

    extra = []
    for k in range(LINERS):
        extra.append(planted("liner", k).assign(score=rng.choice(values)))
    for k in range(RUSHERS):
        mine = planted("rusher", k)
        extra.append(mine.assign(score=rng.choice(values, len(mine))))
    return _timed(pd.concat([df.assign(worker=df["worker"].astype(str)), *extra]), rng)


def _with_spammers_ab(df: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Liners always click one side (a or b); rushers click a, b or tie at random. Placement
    stays balanced for them too."""
    units = df.drop_duplicates("item")[["item", "system_a", "system_b"]]
    share = SHARE
    extra = []
    for kind, count in (("liner", LINERS), ("rusher", RUSHERS)):
        for k in range(count):
            mine = _planted(units, rng, kind, k, share)
            flip = rng.random(len(mine)) < 0.5
            choice = (
                rng.choice(["a", "b"])
                if kind == "liner"
                else rng.choice(["a", "b", "tie"], len(mine))
            )
            extra.append(
                mine.assign(
                    system_a=np.where(flip, mine["system_b"], mine["system_a"]),
                    system_b=np.where(flip, mine["system_a"], mine["system_b"]),
                    choice=choice,
                )
            )
    return _timed(pd.concat([df.assign(worker=df["worker"].astype(str)), *extra]), rng)


def _timed(df: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """``seconds`` on every row: one value per worker and item (the tidy data's rule)."""
    df = df.reset_index(drop=True)
    workers = pd.unique(df["worker"])
    pace = {}
    for w in workers:
        if w.startswith("rusher"):
            pace[w] = 4.0
        elif w.startswith("liner"):
            pace[w] = rng.uniform(20, 40)
        else:
            pace[w] = HONEST_SECONDS * float(np.exp(rng.normal(0, 0.7)))
    pairs = df[["worker", "item"]].drop_duplicates()
    spent = pairs["worker"].map(pace) * np.exp(rng.normal(0, 0.3, len(pairs)))
    timing = pairs.assign(seconds=spent.to_numpy())
    return df.merge(timing, on=["worker", "item"], how="left")


def _binary_lopsided(
    rng: np.random.Generator,
    criteria: tuple[tuple[str, float, float], ...] = (("right", 0.98, 0.93),),
) -> pd.DataFrame:
    """Binary criteria judged by 12 workers, 3 per response: per criterion, the rate of 1
    for systems A and B."""
    rows = []
    for item in range(60):
        for k, system in enumerate(("A", "B")):
            for w in rng.choice(12, 3, replace=False):
                for criterion, *rates in criteria:
                    rows.append((item, str(w), system, criterion, int(rng.random() < rates[k])))
    return pd.DataFrame(rows, columns=["item", "worker", "system", "criterion", "score"])


# A real straight-liner repeats its answer on every criterion of the form, and most forms
# also ask something the truth does not settle (here a 60 / 50 % criterion).
BALANCED_SECOND = (("right", 0.98, 0.93), ("engaging", 0.6, 0.5))


def _ab_ours_always_a(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for item in range(60):
        for w in rng.choice(12, 3, replace=False):
            rows.append((item, str(w), "Ours", "Base", "a" if rng.random() < 0.96 else "b"))
    return pd.DataFrame(rows, columns=["item", "worker", "system_a", "system_b", "choice"])


QUALITY_DESIGNS: dict[str, tuple[str, Callable[[np.random.Generator], pd.DataFrame]]] = {
    "Likert, response effect dominant": (
        "likert",
        lambda rng: _with_spammers_likert(
            simulate_likert(LIKERT_DESIGNS[1], 0.5, rng), rng, (1, 2, 3, 4, 5)
        ),
    ),
    "Likert, lopsided truth (near 5)": (
        "likert",
        lambda rng: _with_spammers_likert(
            simulate_likert(LIKERT_DESIGNS[4], 0.5, rng), rng, (1, 2, 3, 4, 5)
        ),
    ),
    "binary 0.98 / 0.93, 12 workers": (
        "likert",
        lambda rng: _with_spammers_likert(_binary_lopsided(rng), rng, (0, 1)),
    ),
    "A/B item lean dominant, balanced placement, 20 points": (
        "ab",
        lambda rng: _with_spammers_ab(simulate_ab(AB_DESIGNS[1], 20, rng), rng),
    ),
    "A/B Ours always system_a, preferred 96 %": (
        "ab",
        lambda rng: _with_spammers_ab(_ab_ours_always_a(rng), rng),
    ),
    # Last, so that the designs above keep the seeds the defaults were chosen on.
    "binary 0.98 / 0.93 and a 60 / 50 % criterion, 12 workers": (
        "likert",
        lambda rng: _with_spammers_likert(_binary_lopsided(rng, BALANCED_SECOND), rng, (0, 1)),
    ),
}


def honest_match_probability(df: pd.DataFrame, protocol: str, worker: str) -> float:
    """The probability that an honest worker judging ``worker``'s units gives all of their
    answers: the honest workers' shares of each answer on those units, pooled per stratum
    (system and criterion; for A/B the system the answer picks), to the power of the
    count."""
    mine = df[df["worker"] == worker]
    honest = df[~df["worker"].str.startswith(("liner", "rusher"))]
    if protocol == "likert":
        keys = ["item", "system", "criterion"]
        same = honest.merge(mine[[*keys, "score"]], on=keys, suffixes=("", "_w"))
        strata = [same["system"], same["criterion"], same["score_w"]]
        share = (same["score"] == same["score_w"]).groupby(strata)
        count = mine.groupby(["system", "criterion", "score"]).size()
    else:
        cols = ["item", "system_a", "system_b", "choice"]
        same = honest.merge(mine[cols], on="item", suffixes=("", "_w"))
        theirs = _picked(same["choice_w"], same["system_a_w"], same["system_b_w"])
        agrees = _picked(same["choice"], same["system_a"], same["system_b"]) == theirs
        share = pd.Series(agrees).groupby(theirs)
        count = pd.Series(
            _picked(mine["choice"], mine["system_a"], mine["system_b"])
        ).value_counts()
    rates = share.mean()
    return float(np.exp((np.log(rates.clip(lower=1e-12)) * count.reindex(rates.index)).sum()))


def _picked(choice: pd.Series, a: pd.Series, b: pd.Series) -> np.ndarray:
    """The system an A/B answer picks, or the answer itself (tie) when it picks none."""
    return np.where(choice == "a", a, np.where(choice == "b", b, choice))


KINDS = ("honest", "fast honest", "liner", "distinguishable", "indistinguishable", "rusher")


@dataclass
class QualityTally:
    """Removed / present, per kind of worker."""

    counts: dict[str, list[int]] = field(default_factory=lambda: {k: [0, 0] for k in KINDS})

    def add(self, kind: str, removed: set[str], workers: set[str]) -> None:
        self.counts[kind][0] += len(removed & workers)
        self.counts[kind][1] += len(workers)

    def rate(self, kind: str) -> float:
        removed, total = self.counts[kind]
        return removed / total if total else float("nan")


def quality_tallies(
    protocol: str,
    make: Callable[[np.random.Generator], pd.DataFrame],
    sets: int,
    seed: int,
    rules: tuple[bool, ...] = (True, False),
    settings: dict[str, float] | None = None,
) -> dict[bool, QualityTally]:
    """Per rule (True: the default, straight-lining judged against the crowd; False: seed
    002's share alone), removal counts over ``sets`` simulated crowds; ``settings``
    override the quality filter's defaults (a sensitivity check)."""
    rng = np.random.default_rng(seed)
    tallies = {crowd: QualityTally() for crowd in rules}
    pace_share = quality_config(settings)["rush_pace_share"]
    for _ in range(sets):
        df = make(rng)
        names = set(df["worker"].unique())
        liners = {w for w in names if w.startswith("liner")}
        rushers = {w for w in names if w.startswith("rusher")}
        honest = names - liners - rushers
        pace = df.groupby(["worker", "item"])["seconds"].max().groupby("worker").median()
        fast = set(pace.index[pace < pace_share * pace.median()]) & honest
        visible = {w for w in liners if honest_match_probability(df, protocol, w) < DISTINGUISHABLE}
        for crowd, tally in tallies.items():
            cfg = {**(settings or {}), "straightline_against_crowd": crowd}
            out = set(apply_quality_filter(df, get(protocol), cfg).summary["excluded_workers"])
            for kind, workers in (
                ("honest", honest),
                ("fast honest", fast),
                ("liner", liners),
                ("distinguishable", visible),
                ("indistinguishable", liners - visible),
                ("rusher", rushers),
            ):
                tally.add(kind, out, workers)
    return tallies


def run_quality(sets: int, seed: int, settings: dict[str, float] | None = None) -> None:
    """Print the removal rates of both rules in every design."""
    print(
        f"\n### Quality filter: {LINERS} straight-liners and {RUSHERS} rushers planted per crowd"
        f"; seed {seed}; settings {settings or 'default'}\n"
    )
    print(
        "| design | straight-lining rule | honest removed | fast honest removed | liners removed "
        "| distinguishable liners removed | indistinguishable liners removed | rushers removed |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for k, (name, (protocol, make)) in enumerate(QUALITY_DESIGNS.items()):
        for crowd, t in quality_tallies(protocol, make, sets, seed + k, settings=settings).items():
            rule = "default: against the crowd" if crowd else "seed 002: share alone"
            cells = " | ".join(f"{t.rate(kind):.3f} ({t.counts[kind][1]})" for kind in KINDS)
            print(f"| {name} | {rule} | {cells} |")
