"""Straight-lining judged against the crowd, not against a fixed share.

Seed 002's rule drops a worker whose most frequent answer makes up at least 95 % of their
answers. When the truth is lopsided (a binary criterion right 96 % of the time, an A/B
pair where one system wins almost always) honest workers reach that share too. Here a
worker is a straight-liner only when, in addition, they give their usual answer more often
than the other workers gave it on the same items: the count of rows where the worker gave
it is compared with the sum, over those rows, of the other workers' share of that answer on
the same unit (a one-sided z score; a binomial sum's variance). A worker who agrees with the
crowd is kept however lopsided the truth.

A/B is judged by side: the worker's usual side (``a``, the left candidate, or ``b``)
stands for the system shown there in each row, and the crowd's share of choosing that
system on the item is the expectation. Placement is balanced, so a left-clicker is caught,
while a worker who always picks the better system is not, whichever side it was shown on
(and however more consistently than the others: that is a strong opinion, not a
straight line).
Units the worker shares with no other worker carry no evidence and are left out; a worker
with no shared unit at all is judged by the share alone (seed 002's rule).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from evalplatform.analysis.columns import PAIR_COLUMNS, TidySchema

# Prior weight (in workers) of the criterion-wide answer shares, smoothing the other
# workers' share on one unit: with two other raters a share of 0 or 1 is weak evidence.
PRIOR_WEIGHT = 1.0


@dataclass(frozen=True)
class CrowdCheck:
    """Per worker: ``top_share``, ``excess`` (z score against the crowd), ``shared_rows``
    (rows on units another worker also judged) and ``flagged``."""

    workers: pd.DataFrame


def _codes(*columns: pd.Series) -> np.ndarray:
    """One int64 code per distinct combination of the columns (factorised per column, then
    combined arithmetically: a hash of ints, not of strings, for millions of rows)."""
    code = np.zeros(len(columns[0]), dtype=np.int64)
    for col in columns:
        part, uniques = pd.factorize(col)
        code = code * (len(uniques) + 1) + part
    return pd.factorize(code)[0].astype(np.int64)


@dataclass(frozen=True)
class AnswerShape:
    """Where a protocol's answers sit, as tidy column names (the caller reads them off the
    protocol's registry entry; analysis does not know protocols by name).

    ``answer``: the worker's answer; ``unit``: what is judged (the other workers of a unit
    judged the same thing); ``scope``: where a usual answer is defined (a criterion, as
    scales differ); ``pair``: for a pairwise protocol, the columns of the systems shown on
    the two sides, whose answers ``a`` / ``b`` name a side (then ``unit`` is the item and
    the scope the pair); ``skip_gold``: gold rows are judged by other rules (bonus points).
    """

    answer: str
    unit: tuple[str, ...]
    scope: tuple[str, ...] = ()
    pair: tuple[str, str] | None = None
    skip_gold: bool = False


_SIDES = ("a", "b")  # the pairwise answers that name a side (analysis.columns.AB_CHOICES)


def _judged(df: pd.DataFrame, shape: AnswerShape) -> pd.DataFrame:
    """The rows the crowd comparison reads (gold rows left out when ``skip_gold``)."""
    if shape.skip_gold and "is_gold" in df.columns:
        return df[~df["is_gold"].astype(bool)]
    return df


def coded_answers(df: pd.DataFrame, shape: AnswerShape) -> pd.DataFrame:
    """A view ``worker, unit, scope, mode, comparable[, at_a, at_b, n_systems]`` of the
    rows, as codes.

    ``mode`` is what the worker repeats (the answer as they gave it), ``comparable`` the
    same answer in terms the other workers of the unit share (one vocabulary with
    ``at_a`` / ``at_b``, the systems shown on each side for a pairwise protocol, judged by
    side), ``scope`` where a usual answer is defined.
    """
    rows = _judged(df, shape)
    if shape.pair is None:
        answer = _codes(rows[shape.answer])
        unit = _codes(*(rows[c] for c in shape.unit))
        scope = (
            _codes(*(rows[c] for c in shape.scope))
            if shape.scope
            else np.zeros(len(rows), dtype=np.int64)
        )
        return _frame(rows, unit, scope, answer, answer)
    return _coded_pairwise(rows, shape, shape.pair)


def _coded_pairwise(rows: pd.DataFrame, shape: AnswerShape, pair: tuple[str, str]) -> pd.DataFrame:
    sa, sb = rows[pair[0]].astype(str), rows[pair[1]].astype(str)
    systems = pd.Index(pd.unique(pd.concat([sa, sb], ignore_index=True)))
    at_a, at_b = systems.get_indexer(sa), systems.get_indexer(sb)
    lo, hi = np.minimum(at_a, at_b), np.maximum(at_a, at_b)
    choice = rows[shape.answer].astype(str)
    # Comparable answers: a system's code, or past the systems the answers that name no side
    # (tie, both bad); the worker's own answer by side: a, b, then those.
    others = pd.Index(sorted(set(choice) - set(_SIDES)))
    other = len(systems) + others.get_indexer(choice)
    values = choice.to_numpy()
    chosen = np.where(values == _SIDES[0], at_a, np.where(values == _SIDES[1], at_b, other))
    side = pd.Categorical(values, categories=[*_SIDES, *others]).codes.astype(np.int64)
    unit = _codes(*(rows[c] for c in shape.unit), pd.Series(lo), pd.Series(hi))
    scope = _codes(pd.Series(lo), pd.Series(hi))
    # Only by side: always choosing one *system* is what an honest worker does when that
    # system is better, however much more consistently than the others.
    return _frame(rows, unit, scope, side, chosen).assign(
        at_a=at_a, at_b=at_b, n_systems=len(systems)
    )


def _frame(
    df: pd.DataFrame, unit: np.ndarray, scope: np.ndarray, mode: np.ndarray, comparable: np.ndarray
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "worker": _codes(df["worker"]),
            "unit": unit,
            "scope": scope,
            "mode": np.asarray(mode, dtype=np.int64),
            "comparable": np.asarray(comparable, dtype=np.int64),
        }
    )


def _excess(view: pd.DataFrame) -> pd.DataFrame:
    """Per worker code: share of their usual answer and its z score against the crowd."""
    w, scope, mode = (view[c].to_numpy() for c in ("worker", "scope", "mode"))
    n_mode = int(mode.max()) + 1
    ws = _codes(pd.Series(w), pd.Series(scope))
    counts = np.bincount(ws * n_mode + mode, minlength=(int(ws.max()) + 1) * n_mode)
    usual = counts.reshape(-1, n_mode).argmax(axis=1)[ws]  # ties: the lowest code
    gave = mode == usual
    p = _crowd_share(view, _target(view, usual))
    shared = ~np.isnan(p)
    p = np.where(shared, p, 0.0)
    n_w = np.bincount(w).astype(float)
    out = pd.DataFrame(
        {
            "top_share": np.bincount(w, gave) / n_w,
            "gave_shared": np.bincount(w, gave & shared),
            "expected": np.bincount(w, p),
            "variance": np.bincount(w, p * (1 - p)),
            "shared_rows": np.bincount(w, shared).astype(int),
        }
    )
    # +0.25: a floor on the variance, so a unanimous crowd (p = 1) does not divide by 0.
    out["excess"] = (out["gave_shared"] - out["expected"]) / np.sqrt(out["variance"] + 0.25)
    return out[["top_share", "excess", "shared_rows"]]


def _target(view: pd.DataFrame, usual: np.ndarray) -> np.ndarray:
    """The usual answer on each row, in the crowd's terms: for a pairwise protocol, the
    system shown on the usual side of this row (or the usual answer that names no side);
    elsewhere the usual answer itself."""
    if "at_a" not in view.columns:
        return usual
    at_a, at_b = view["at_a"].to_numpy(), view["at_b"].to_numpy()
    other = view["n_systems"].to_numpy() + usual - len(_SIDES)
    return np.where(usual == 0, at_a, np.where(usual == 1, at_b, other)).astype(np.int64)


def _crowd_share(view: pd.DataFrame, target: np.ndarray) -> np.ndarray:
    """Per row, the other workers' share of ``target`` on the unit, smoothed towards the
    scope-wide share; NaN where no other worker judged the unit."""
    unit, scope, comparable = (view[c].to_numpy() for c in ("unit", "scope", "comparable"))
    n_ans = int(max(comparable.max(), target.max())) + 1
    per_unit = pd.Series(unit * n_ans + comparable).value_counts()
    k_all = per_unit.reindex(unit * n_ans + target).fillna(0).to_numpy()
    m = np.bincount(unit)[unit] - 1.0
    k = k_all - (comparable == target)
    n_scope = int(scope.max()) + 1
    in_scope = np.bincount(scope * n_ans + comparable, minlength=n_scope * n_ans)
    prior = in_scope[scope * n_ans + target] / np.bincount(scope)[scope]
    share = (k + PRIOR_WEIGHT * prior) / (m + PRIOR_WEIGHT)
    return np.where(m > 0, share, np.nan)


def crowd_straightliners(
    df: pd.DataFrame, shape: AnswerShape, *, share: float, min_answers: int, z: float = 3.0
) -> CrowdCheck:
    """Workers whose usual answer reaches ``share`` of their answers (with at least
    ``min_answers``) and exceeds the crowd's on the same units by ``z`` standard errors;
    without shared units, the share alone decides.

    One at a time, worst first: a straight-liner is part of the crowd the others are
    measured against, and drags the consensus away from honest workers until removed.
    """
    answers = df.groupby("worker", sort=False, observed=True).size()
    removed: list[pd.DataFrame] = []
    rows = df
    # Scored once per crowd: the share rule and the first crowd pass read the same rows.
    initial = _scores(rows, shape)
    scores: _Scores | None = initial
    first = _flagged(initial, share, -np.inf)  # the share rule alone
    eligible = answers.reindex(first.index).to_numpy() >= min_answers
    if eligible.sum() >= 2 and first["flagged"].to_numpy()[eligible].all():
        # Every worker repeats one answer: there is no crowd to vouch for anyone (four
        # workers who put "good" on everything agree with each other), so the share decides.
        first["flagged"] &= eligible
        return CrowdCheck(workers=first.rename_axis("worker").reset_index())
    while not rows.empty:
        scores = scores or _scores(rows, shape)
        table = _flagged(scores, share, z)
        table["flagged"] &= answers.reindex(table.index).to_numpy() >= min_answers
        if not table["flagged"].any():
            break
        worst = table.loc[table["flagged"], "excess"].idxmax()
        removed.append(table.loc[[worst]])
        rows = rows[rows["worker"] != worst]
        scores = None
    else:
        table = pd.DataFrame(columns=["top_share", "excess", "shared_rows", "flagged"])
    out = pd.concat([table, *removed]) if removed else table
    return CrowdCheck(workers=out.rename_axis("worker").reset_index())


@dataclass(frozen=True)
class _Scores:
    """Per judged worker (``names``, in order of appearance): the share of their usual
    answer, its z score against the crowd, and whether they share no unit with another;
    ``judged`` is False when no row was left to judge (nobody is flagged then)."""

    names: np.ndarray
    judged: bool
    top_share: np.ndarray
    excess: np.ndarray
    no_crowd: np.ndarray


def _scores(df: pd.DataFrame, shape: AnswerShape) -> _Scores:
    """What ``_flagged`` reads, computed once per crowd (whatever the thresholds)."""
    view = coded_answers(df, shape)
    names = pd.unique(_judged(df, shape)["worker"])
    if view.empty:  # good/okay/bad with gold rows only
        none = np.zeros(len(names), dtype=bool)
        return _Scores(names, False, np.zeros(len(names)), np.full(len(names), -np.inf), none)
    e = _excess(view)
    return _Scores(
        names,
        True,
        e["top_share"].to_numpy(),
        e["excess"].to_numpy(),
        e["shared_rows"].to_numpy() == 0,
    )


def _flagged(scores: _Scores, share: float, z: float) -> pd.DataFrame:
    """A fresh table ``top_share, excess, flagged`` indexed by worker."""
    flags = np.zeros(len(scores.names), dtype=bool)
    if scores.judged:
        by_share = scores.top_share >= share
        flags = by_share & ((scores.excess >= z) | scores.no_crowd)
    return pd.DataFrame(
        {"top_share": scores.top_share, "excess": scores.excess, "flagged": flags},
        index=pd.Index(scores.names),
    )


def answer_shape(protocol: TidySchema) -> AnswerShape:
    """Where the protocol's answers sit, for the crowd check: a judgment's key without the
    worker is the unit, and what it adds to item and system (the criterion) the scope; a
    pairwise protocol is judged by side. Gold rows that earn bonus points are left to
    rules 2 and 3."""
    if protocol.pairwise:
        return AnswerShape(
            answer=protocol.response,
            unit=("item",),
            pair=PAIR_COLUMNS,
            skip_gold=protocol.gold_bonus,
        )
    unit = tuple(c for c in protocol.judgment_key if c != "worker")
    return AnswerShape(
        answer=protocol.response,
        unit=unit,
        scope=tuple(c for c in unit if c not in ("item", "system")),
        skip_gold=protocol.gold_bonus,
    )
