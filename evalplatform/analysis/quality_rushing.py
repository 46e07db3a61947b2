"""Rushing without gold checks: fast work whose answers the other workers do not share.

Seed 002 calls an assignment rushed when it was done in under ``rush_minutes`` and earned
fewer than ``rush_min_bonus_points`` gold points: speed alone is not enough, because some
people read fast. A protocol without gold checks (Likert, A/B) has no points, so there a
worker (or assignment) whose median seconds per item are under ``rush_pace_share`` of the
typical worker's is rushed when the crowd shows that they did not read: on the units the
worker judged, their answer is compared with the other workers' answers there. A worker
who answers like the others agrees with them about as often as the others agree among
themselves; one who answers at random agrees less, however lopsided the truth (on a
criterion the crowd answers 1 on 95 % of the time, two readers agree on nine rows in ten,
a coin on one in two).

Per row shared with at least two other workers: how far the worker's answer is from the
others' (the mean distance to them: on a numeric scale the difference of the values,
otherwise 0 for the same answer and 1 for another), against how far the others are from
each other (the mean over their pairs). Both have the same expectation for a worker who
answers like the others. Summed over the rows of a worker (or an assignment), the excess
over the root of its sum of squares (self-normalised, so no model of the answers is
needed) is a z score: negative means that the answers are unlike the crowd's (at most
``-rush_crowd_z``, one at a time, worst first, for an assignment that fast).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from evalplatform.analysis.columns import TidySchema
from evalplatform.analysis.straightlining import AnswerShape, answer_shape, coded_answers
from evalplatform.analysis.worker_stats import bonus_points, item_seconds

# Added to the sum of squares: a handful of rows on unanimous units is weak evidence, not a
# division by zero.
_VARIANCE_FLOOR = 0.25


def crowd_agreement(df: pd.DataFrame, shape: AnswerShape, by: np.ndarray) -> pd.DataFrame:
    """Per value of ``by`` (a worker or assignment label per row of ``df``, in its order;
    None on rows not to judge): ``distance`` (mean distance of its answers to the other
    workers'), ``expected`` (the others' mean distance to each other on the same units),
    ``shared_rows`` and ``z`` (negative: farther from the others than they are apart).

    Every row of ``df`` makes the crowd; only rows with a label are judged. Rows on units
    fewer than two other workers judged carry no evidence and are left out.
    """
    labels = np.asarray(by, dtype=object)
    if shape.skip_gold and "is_gold" in df.columns:  # the rows coded_answers keeps
        labels = labels[~df["is_gold"].astype(bool).to_numpy()]
    view = coded_answers(df, shape)
    mask = pd.notna(labels)
    columns = ["distance", "expected", "shared_rows", "z"]
    if not mask.any():
        return pd.DataFrame(columns=columns)
    unit, own = view["unit"].to_numpy(), view["comparable"].to_numpy()
    n_codes = int(own.max()) + 1
    per_unit = np.bincount(unit * n_codes + own, minlength=(int(unit.max()) + 1) * n_codes)
    per_unit = per_unit.reshape(-1, n_codes).astype(float)
    distance = _distances(df, shape, n_codes)
    rows = np.flatnonzero(mask)
    others = per_unit[unit[rows]]
    others[np.arange(len(rows)), own[rows]] -= 1.0  # leave the row's own answer out
    m = others.sum(axis=1)
    shared = m >= 2
    pairs = np.where(shared, m * (m - 1), 1.0)
    mine = (others @ distance)[np.arange(len(rows)), own[rows]] / np.maximum(m, 1)
    among = ((others @ distance) * others).sum(axis=1) / pairs
    # Positive: the worker is farther from the others than they are from each other.
    excess = np.where(shared, mine - among, 0.0)
    table = pd.DataFrame(
        {
            "label": labels[rows],
            "distance": np.where(shared, mine, 0.0),
            "expected": np.where(shared, among, 0.0),
            "square": excess**2,
            "shared_rows": shared.astype(int),
        }
    )
    sums = table.groupby("label", sort=False).sum()
    n = sums["shared_rows"].where(sums["shared_rows"] > 0)
    out = pd.DataFrame(
        {
            "distance": sums["distance"] / n,
            "expected": sums["expected"] / n,
            "shared_rows": sums["shared_rows"].astype(int),
            "z": (sums["expected"] - sums["distance"]) / np.sqrt(sums["square"] + _VARIANCE_FLOOR),
        }
    )
    return out[columns]


def _distances(df: pd.DataFrame, shape: AnswerShape, n_codes: int) -> np.ndarray:
    """Between answer codes: on a numeric scale how far apart the values are (a 1 among 5s
    is farther off than a 4), otherwise 0 for the same answer and 1 for any other."""
    values = df[shape.answer]
    if shape.pair is None and pd.api.types.is_numeric_dtype(values):
        if shape.skip_gold and "is_gold" in df.columns:
            values = values[~df["is_gold"].astype(bool).to_numpy()]
        uniques = pd.factorize(values)[1].to_numpy(dtype=float)  # the codes' order
        return np.abs(uniques[:, None] - uniques[None, :])
    return 1.0 - np.eye(n_codes)


def crowd_rushers(df: pd.DataFrame, shape: AnswerShape, by: np.ndarray, z: float) -> list[Any]:
    """The values of ``by`` (labels of the rows to judge, None elsewhere) whose answers are
    unlike the crowd's by ``z`` standard errors, one at a time, worst first: a rusher is
    part of the crowd the others are measured against until removed."""
    labels = np.asarray(by, dtype=object)
    keep = np.ones(len(df), dtype=bool)
    found: list[Any] = []
    while True:
        check = crowd_agreement(df[keep], shape, labels[keep])
        flagged = check[check["z"] <= -z]
        if flagged.empty:
            return found
        worst = flagged["z"].idxmin()
        found.append(worst)
        keep &= labels != worst


@dataclass(frozen=True)
class Rushing:
    """Who the rushing rule removes; ``skipped`` says why it cannot run."""

    workers: frozenset[Any] = frozenset()
    scope: str = "assignment"
    evidence: str = "gold"
    why: str = ""
    skipped: str = ""


def find_rushers(df: pd.DataFrame, protocol: TidySchema, cfg: dict[str, Any]) -> Rushing:
    """The quality filter's rule 2 on ``df`` (with its ``_answer`` column) and settings:
    seed 002's rule with gold checks, the crowd's evidence without them."""
    by_gold = protocol.gold_bonus and "is_gold" in df.columns
    if "seconds" not in df.columns:
        return Rushing(evidence=_evidence(by_gold), skipped="needs column(s) seconds")
    scope = "assignment" if "assignment" in df.columns else "worker"
    per_item = item_seconds(df)
    if by_gold:  # seed 002: fast, and few gold points
        # min_count=1: an assignment without any timing is unknown, not "done in 0 seconds".
        seconds = per_item.groupby(scope, sort=False)["seconds"].sum(min_count=1)
        fast = seconds.index[seconds < 60 * cfg["rush_minutes"]]
        points = bonus_points(df, scope, tuple(cfg["bonus_labels"]), cfg["gold_rule"])
        points = points.reindex(fast).fillna(0)
        rushed = points.index[points < cfg["rush_min_bonus_points"]]
        why = (
            f"an {scope} done in under {cfg['rush_minutes']:g} min "
            f"with < {cfg['rush_min_bonus_points']} bonus points"
        )
    else:  # no gold: far faster than the crowd, and answers unlike its answers
        pace = per_item.groupby(scope, sort=False)["seconds"].median()
        typical = per_item.groupby("worker", sort=False)["seconds"].median().median()
        fast = pace.index[pace < cfg["rush_pace_share"] * typical]
        labels = df[scope].where(df[scope].isin(set(fast))).to_numpy()
        shape = answer_shape(protocol)
        rushed = crowd_rushers(df.drop(columns="_answer"), shape, labels, cfg["rush_crowd_z"])
        why = (
            f"an {scope} at under {cfg['rush_pace_share']:.0%} of the typical worker's seconds "
            "per item, agreeing with the other workers less than they agree with each other"
        )
    workers = frozenset(pd.unique(df.loc[df[scope].isin(set(rushed)), "worker"]))
    return Rushing(workers, scope, _evidence(by_gold), why)


def _evidence(by_gold: bool) -> str:
    """What shows that a fast worker did not read: gold points, or the crowd's answers."""
    return "gold" if by_gold else "crowd"
