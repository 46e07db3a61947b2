"""Rushing without gold checks: fast work whose answers the other workers do not share.

Seed 002 calls an assignment rushed when it was done in under ``rush_minutes`` and earned
fewer than ``rush_min_bonus_points`` gold points: speed alone is not enough, because some
people read fast. A protocol without gold checks (Likert, A/B) has no points, so there a
worker (or assignment) whose median seconds per item are under ``rush_pace_share`` of the
typical worker's is rushed when the crowd shows that they did not read: on the units the
worker judged, their answer is compared with the answers of the workers who took their
time there (not the other fast ones: rushers would vouch for each other's noise and make
everyone else look better than the crowd).

Per row shared with at least two such workers: how surprising the worker's answer is to
them, against how surprising each of them is to the rest. On a numeric scale the surprise
is the mean difference of the values (a 1 among 5s is farther off than a 4); otherwise it
is the log score, -log of the others' smoothed share of the answer: a tie where every
reader picked a system says more than a pick where the readers split, which the share of
disagreement alone does not weigh (items that lean their own way make honest A/B workers
disagree half the time). The worker is scored against every set of all but one of the
others, so that both sides of the comparison use as many answers: then a worker who
answers like the others has the same expectation as they. Summed over the rows of a worker
(or an assignment), the excess over the root of its sum of squares (self-normalised, so no
model of the answers is needed) is a z score: negative means that the answers are unlike
the crowd's (at most ``-rush_crowd_z`` for an assignment that fast).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from evalplatform.analysis.columns import TidySchema
from evalplatform.analysis.straightlining import (
    PRIOR_WEIGHT,
    AnswerShape,
    answer_shape,
    coded_answers,
)
from evalplatform.analysis.worker_stats import bonus_points, item_seconds

# Added to the sum of squares: a handful of rows on unanimous units is weak evidence, not a
# division by zero.
_VARIANCE_FLOOR = 0.25

# How surprising an answer code is to counted answers (rows by codes), per row of ``rows``.
Surprise = Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]


def crowd_agreement(
    df: pd.DataFrame, shape: AnswerShape, by: np.ndarray, crowd: np.ndarray | None = None
) -> pd.DataFrame:
    """Per value of ``by`` (a worker or assignment label per row of ``df``, in its order;
    None on rows not to judge): ``distance`` (mean surprise of its answers to the crowd),
    ``expected`` (the crowd's mean surprise at each other on the same units),
    ``shared_rows`` and ``z`` (negative: more surprising than the crowd is to itself).

    ``crowd`` (a mask over the rows of ``df``; all rows when None) makes the crowd; only
    rows with a label are judged. Rows on units with fewer than two crowd answers besides
    the row's own carry no evidence and are left out.
    """
    labels = np.asarray(by, dtype=object)
    in_crowd = np.ones(len(df), dtype=bool) if crowd is None else np.asarray(crowd, dtype=bool)
    if shape.skip_gold and "is_gold" in df.columns:  # the rows coded_answers keeps
        answered = ~df["is_gold"].astype(bool).to_numpy()
        labels, in_crowd = labels[answered], in_crowd[answered]
    view = coded_answers(df, shape)
    mask = pd.notna(labels)
    columns = ["distance", "expected", "shared_rows", "z"]
    if not mask.any():
        return pd.DataFrame(columns=columns)
    unit, own = view["unit"].to_numpy(), view["comparable"].to_numpy()
    n_codes = int(own.max()) + 1
    per_unit = np.bincount(
        unit[in_crowd] * n_codes + own[in_crowd], minlength=(int(unit.max()) + 1) * n_codes
    ).reshape(-1, n_codes)
    rows = np.flatnonzero(mask)
    others = per_unit[unit[rows]].astype(float)
    mine = own[rows]
    others[np.arange(len(rows)), mine] -= in_crowd[rows]  # leave the row's own answer out
    m = others.sum(axis=1)
    shared = m >= 2
    surprise = _surprise(df, shape, view, in_crowd, n_codes)
    distance, expected = _leave_one_out(others, mine, lambda rest, code: surprise(rest, code, rows))
    excess = np.where(shared, distance - expected, 0.0)
    table = pd.DataFrame(
        {
            "label": labels[rows],
            "distance": np.where(shared, distance, 0.0),
            "expected": np.where(shared, expected, 0.0),
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


def _leave_one_out(
    others: np.ndarray, mine: np.ndarray, surprise: Callable[[np.ndarray, np.ndarray], np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """Per row: the mean surprise of ``mine`` at the others less one (over which one), and
    the mean surprise of each other answer at the rest of them. Equal sizes on both sides:
    a worker answering like the others then has the same expectation as they do."""
    m = np.maximum(others.sum(axis=1), 1.0)
    idx = np.arange(len(others))
    distance = np.zeros(len(others))
    expected = np.zeros(len(others))
    for code in range(others.shape[1]):
        present = others[:, code] > 0
        rest = others.copy()
        rest[:, code] = np.maximum(rest[:, code] - 1.0, 0.0)  # this answer's giver left out
        weight = np.where(present, others[:, code] / m, 0.0)
        distance += weight * surprise(rest, mine)[idx]
        expected += weight * surprise(rest, np.full(len(others), code))[idx]
    return distance, expected


def _surprise(
    df: pd.DataFrame, shape: AnswerShape, view: pd.DataFrame, in_crowd: np.ndarray, n_codes: int
) -> Surprise:
    """``surprise(counts, code, rows)``: per row, how surprising answer ``code`` is to the
    answers counted in ``counts`` (rows by codes). On a numeric scale the mean difference
    of the values; otherwise the log score of the share, smoothed towards the crowd's share
    of the answer in the row's scope (``PRIOR_WEIGHT`` answers' worth)."""
    values = df[shape.answer]
    if shape.pair is None and pd.api.types.is_numeric_dtype(values):
        if shape.skip_gold and "is_gold" in df.columns:
            values = values[~df["is_gold"].astype(bool).to_numpy()]
        uniques = pd.factorize(values)[1].to_numpy(dtype=float)  # the codes' order
        gap = np.abs(uniques[:, None] - uniques[None, :])

        def mean_difference(counts: np.ndarray, code: np.ndarray, rows: np.ndarray) -> np.ndarray:
            total = np.maximum(counts.sum(axis=1), 1.0)
            return (counts @ gap)[np.arange(len(counts)), code] / total

        return mean_difference
    scope, own = view["scope"].to_numpy(), view["comparable"].to_numpy()
    n_scopes = int(scope.max()) + 1
    in_scope = (
        np.bincount(
            scope[in_crowd] * n_codes + own[in_crowd], minlength=n_scopes * n_codes
        ).reshape(n_scopes, n_codes)
        + 1.0 / n_codes
    )  # an answer the crowd never gave: not log 0
    prior = in_scope / in_scope.sum(axis=1, keepdims=True)

    def log_score(counts: np.ndarray, code: np.ndarray, rows: np.ndarray) -> np.ndarray:
        idx = np.arange(len(counts))
        share = (counts[idx, code] + PRIOR_WEIGHT * prior[scope[rows], code]) / (
            counts.sum(axis=1) + PRIOR_WEIGHT
        )
        return -np.log(share)

    return log_score


def crowd_rushers(
    df: pd.DataFrame, shape: AnswerShape, by: np.ndarray, crowd: np.ndarray, z: float
) -> list[Any]:
    """The values of ``by`` (labels of the rows to judge, None elsewhere) whose answers are
    unlike those of the ``crowd`` rows (a mask) by ``z`` standard errors."""
    check = crowd_agreement(df, shape, by, crowd)
    return list(check.index[check["z"] <= -z])


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
        is_fast = df[scope].isin(set(fast))
        labels = df[scope].where(is_fast).to_numpy()
        shape = answer_shape(protocol)
        rushed = crowd_rushers(
            df.drop(columns="_answer"), shape, labels, ~is_fast.to_numpy(), cfg["rush_crowd_z"]
        )
        why = (
            f"an {scope} at under {cfg['rush_pace_share']:.0%} of the typical worker's seconds "
            "per item, agreeing with the workers who took their time less than they agree "
            "with each other"
        )
    workers = frozenset(pd.unique(df.loc[df[scope].isin(set(rushed)), "worker"]))
    return Rushing(workers, scope, _evidence(by_gold), why)


def _evidence(by_gold: bool) -> str:
    """What shows that a fast worker did not read: gold points, or the crowd's answers."""
    return "gold" if by_gold else "crowd"
