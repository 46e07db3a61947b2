"""Straight-lining judged against the crowd, not against a fixed share.

Seed 002's rule drops a worker whose most frequent answer makes up at least 95 % of their
answers. When the truth is lopsided (a binary criterion right 96 % of the time, an A/B
pair where one system wins almost always) honest workers reach that share too. Here a
worker is a straight-liner only when, in addition, they give their usual answer more often
than the other workers gave it on the same items: the count of rows where the worker gave
it is compared with the sum, over those rows, of the other workers' share of that answer on
the same unit (a one-sided z score; a binomial sum's variance). A worker who agrees with the
crowd is kept however lopsided the truth.

A/B is judged in two views, and either flags the worker:
- by side: the worker's usual side (``a``, the left candidate, or ``b``) stands for the
  system shown there in each row, and the crowd's share of choosing that system on the
  item is the expectation. Placement is balanced, so a left-clicker is caught, while a
  worker who always picks the better system is not, whichever side it was shown on;
- by system: the usual outcome for the pair's canonical system (win / loss / tie).
Units the worker shares with no other worker carry no evidence and are left out; a worker
with no shared unit at all is judged by the share alone (seed 002's rule).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

# Prior weight (in workers) of the criterion-wide answer shares, smoothing the other
# workers' share on one unit: with two other raters a share of 0 or 1 is weak evidence.
_PRIOR_WEIGHT = 1.0


@dataclass(frozen=True)
class CrowdCheck:
    """Per worker: ``top_share``, ``excess`` (z score against the crowd), ``shared_rows``
    (rows on units another worker also judged) and ``flagged``."""

    workers: pd.DataFrame


def _coded(df: pd.DataFrame, protocol: str) -> list[pd.DataFrame]:
    """Views ``worker, unit, scope, mode, comparable[, at_a, at_b]`` of the rows.

    ``mode`` is what the worker repeats (the answer as they gave it), ``comparable`` the
    same answer in terms the other workers of the unit share, ``scope`` where a usual
    answer is defined (a criterion, as scales differ; an A/B pair). ``at_a`` / ``at_b``:
    the systems shown on each side (A/B by side).
    """
    if protocol == "likert":
        unit = df["item"].astype(str) + "\x1f" + df["system"].astype(str)
        crit = df["criterion"].astype(str)
        answer = df["score"].astype(str)
        return [_frame(df, unit + "\x1f" + crit, crit, answer, answer)]
    if protocol == "ggb":
        rows = df[~df["is_gold"].astype(bool)] if "is_gold" in df.columns else df
        unit = rows["item"].astype(str) + "\x1f" + rows["system"].astype(str)
        answer = rows["label"].astype(str)
        return [_frame(rows, unit, pd.Series("", index=rows.index), answer, answer)]
    sa, sb = df["system_a"].astype(str), df["system_b"].astype(str)
    lo, hi = sa.where(sa <= sb, sb), sb.where(sa <= sb, sa)
    unit = df["item"].astype(str) + "\x1f" + lo + "\x1f" + hi
    choice = df["choice"].astype(str)
    chosen = pd.Series(
        np.where(choice == "a", sa, np.where(choice == "b", sb, choice)), index=df.index
    )
    scope = lo + "\x1f" + hi
    by_side = _frame(df, unit, scope, choice, chosen).assign(at_a=sa.to_numpy(), at_b=sb.to_numpy())
    return [by_side, _frame(df, unit, scope, chosen, chosen)]


def _frame(
    df: pd.DataFrame, unit: pd.Series, scope: pd.Series, mode: pd.Series, comparable: pd.Series
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "worker": df["worker"].to_numpy(),
            "unit": unit.to_numpy(),
            "scope": scope.to_numpy(),
            "mode": mode.to_numpy(),
            "comparable": comparable.to_numpy(),
        }
    )


def _excess(view: pd.DataFrame) -> pd.DataFrame:
    """Per worker: share of their usual answer and its z score against the crowd."""
    keys = ["worker", "scope"]
    counts = view.groupby([*keys, "mode"], sort=False, observed=True).size()
    usual = counts.sort_values(ascending=False, kind="stable").groupby(level=[0, 1]).head(1)
    usual = usual.reset_index()[[*keys, "mode"]].rename(columns={"mode": "usual"})
    rows = view.merge(usual, on=keys, how="left")
    gave = rows["mode"] == rows["usual"]
    rows = rows.assign(target=_target(rows))
    p = _crowd_share(rows)
    shared = p.notna()
    p = p.fillna(0.0)
    per = pd.DataFrame(
        {
            "worker": rows["worker"],
            "gave": gave.astype(float),
            "gave_shared": (gave & shared).astype(float),
            "shared": shared.astype(float),
            "expected": p * shared,
            "variance": p * (1 - p) * shared,
        }
    ).groupby("worker", sort=False)
    out = per.sum()
    out["top_share"] = out["gave"] / per.size()
    # +0.25: a floor on the variance, so a unanimous crowd (p = 1) does not divide by 0.
    out["excess"] = (out["gave_shared"] - out["expected"]) / np.sqrt(out["variance"] + 0.25)
    out["shared_rows"] = out["shared"].astype(int)
    return out[["top_share", "excess", "shared_rows"]]


def _target(rows: pd.DataFrame) -> np.ndarray:
    """The usual answer on each row, in the crowd's terms: A/B by side, the system shown on
    the usual side of this row (or "tie"); elsewhere the usual answer itself."""
    usual = rows["usual"].to_numpy()
    if "at_a" not in rows.columns:
        return usual
    return np.where(usual == "a", rows["at_a"], np.where(usual == "b", rows["at_b"], usual))


def _crowd_share(rows: pd.DataFrame) -> pd.Series:
    """Per row, the other workers' share of ``target`` on the unit, smoothed towards the
    scope-wide share; NaN where no other worker judged the unit."""
    per_unit = rows.groupby(["unit", "comparable"], sort=False, observed=True).size()
    unit_n = rows.groupby("unit", sort=False, observed=True).size()
    same = pd.MultiIndex.from_arrays([rows["unit"], rows["target"]])
    k_all = per_unit.reindex(same).fillna(0).to_numpy()
    n_all = unit_n.reindex(rows["unit"]).to_numpy()
    own = (rows["comparable"].to_numpy() == rows["target"].to_numpy()).astype(float)
    k, m = k_all - own, n_all - 1.0
    scope_counts = rows.groupby(["scope", "comparable"], sort=False, observed=True).size()
    scope_n = rows.groupby("scope", sort=False, observed=True).size()
    prior = (
        scope_counts.reindex(pd.MultiIndex.from_arrays([rows["scope"], rows["target"]]))
        .fillna(0)
        .to_numpy()
        / scope_n.reindex(rows["scope"]).to_numpy()
    )
    share = (k + _PRIOR_WEIGHT * prior) / (m + _PRIOR_WEIGHT)
    return pd.Series(np.where(m > 0, share, np.nan), index=rows.index)


def crowd_straightliners(
    df: pd.DataFrame, protocol: str, *, share: float, min_answers: int, z: float = 3.0
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
    while True:
        table = _check_once(rows, protocol, share, z)
        table["flagged"] &= answers.reindex(table.index).to_numpy() >= min_answers
        if not table["flagged"].any():
            break
        worst = table.loc[table["flagged"], "excess"].idxmax()
        removed.append(table.loc[[worst]])
        rows = rows[rows["worker"] != worst]
        if rows.empty:
            table = table.iloc[0:0]
            break
    out = pd.concat([table, *removed]) if removed else table
    return CrowdCheck(workers=out.rename_axis("worker").reset_index())


def _check_once(df: pd.DataFrame, protocol: str, share: float, z: float) -> pd.DataFrame:
    views = [_excess(v) for v in _coded(df, protocol)]
    out = views[0].copy()
    flags = pd.Series(False, index=out.index)
    for view in views:
        view = view.reindex(out.index)
        by_share = view["top_share"] >= share
        against_crowd = view["excess"] >= z
        no_crowd = view["shared_rows"] == 0
        flags |= by_share & (against_crowd | no_crowd)
        out["top_share"] = np.maximum(out["top_share"], view["top_share"])
        out["excess"] = np.maximum(out["excess"], view["excess"])
    out["flagged"] = flags
    return out
