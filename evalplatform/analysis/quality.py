"""Quality filtering before scoring: the seed 002 rules, plus per-worker statistics.

Rules, in the paper's order (PROTOCOLS.md, "Quality filter before scoring"):
1. straight-lining: drop workers whose most frequent answer makes up at least
   ``straightline_share`` of their answers (given at least ``straightline_min_answers``;
   a worker with three answers all "good" is not evidence of anything) and who, unless
   ``straightline_against_crowd`` is off, give it more often than the other workers gave
   it on the same items (``straightlining.py``: lopsided truths make honest workers
   repeat themselves too);
2. rushing: drop workers who finished an assignment in under ``rush_minutes`` while earning
   fewer than ``rush_min_bonus_points`` bonus points in it (per worker in total when there
   is no ``assignment`` column); without gold checks (Likert, A/B, or no ``is_gold``
   column), while agreeing with the workers who took their time on the same units less than
   they agree with each other (``rush_crowd_z`` standard errors; ``quality_rushing.py``);
3. keep only assignments with at least ``min_bonus_points`` bonus points. Assignments
   without any gold item cannot earn points and are kept (the report counts them).
A bonus point is a gold candidate labelled with one of ``bonus_labels`` (good or okay; with
``gold_rule`` ``ranked_top``, the campaign's stricter rule, it must also be ranked above
the other replies of its dialogue), so rule 3 applies to good/okay/bad judgments with
``is_gold``. A rule whose columns are
missing is skipped and the report says which column it lacked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from evalplatform.analysis.columns import TidySchema
from evalplatform.analysis.crowd_tests import group_codes
from evalplatform.analysis.quality_rushing import Rushing, find_rushers
from evalplatform.analysis.straightlining import answer_shape, crowd_straightliners
from evalplatform.analysis.worker_stats import (
    ACCEPTABLE,
    GOLD_RULES,
    bonus_points,
    worker_stats,
)

DEFAULT_QUALITY: dict[str, Any] = {
    "enabled": True,
    "straightline_share": 0.95,
    "straightline_min_answers": 10,
    # Issue 11: a worker is a straight-liner only if they also give their usual answer more
    # often than the other workers on the same items (z score); False: the share alone.
    "straightline_against_crowd": True,
    "straightline_z": 3.0,
    "rush_minutes": 5.0,
    "rush_min_bonus_points": 2,
    # Without gold checks (no points to earn): an assignment whose median seconds per item
    # is under this share of the typical worker's is rushed when its answers agree with those
    # of the workers who took their time on the same units less than theirs do, by
    # ``rush_crowd_z`` standard errors (a z calibrated against that crowd: about one fast
    # honest reader in six is at or below -1).
    "rush_pace_share": 0.25,
    "rush_crowd_z": 1.0,
    "min_bonus_points": 2,
    "bonus_labels": ("good", "okay"),
    # The campaign's rule for a gold point; workers were paid by it, so points count by it.
    "gold_rule": ACCEPTABLE,
}


def quality_config(overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Defaults updated with ``overrides``; unknown keys are an error (a typo would
    otherwise silently switch a rule back to its default)."""
    unknown = set(overrides or {}) - set(DEFAULT_QUALITY)
    if unknown:
        raise ValueError(f"unknown quality filter setting(s): {', '.join(sorted(unknown))}")
    config = {**DEFAULT_QUALITY, **(overrides or {})}
    if config["gold_rule"] not in GOLD_RULES:
        raise ValueError(
            f"quality filter setting gold_rule={config['gold_rule']!r}: "
            f"choose from {', '.join(GOLD_RULES)}"
        )
    config["bonus_labels"] = tuple(config["bonus_labels"])
    return config


@dataclass(frozen=True)
class QualityResult:
    kept: pd.DataFrame
    summary: dict[str, Any]
    workers: pd.DataFrame  # one row per worker, with ``excluded`` (reason or "")


def counts(df: pd.DataFrame) -> dict[str, int | None]:
    """Rows, answers (item x worker), assignments (None without the column) and workers."""
    if "_answer" in df.columns:  # precomputed codes: a hash of ints, not of row pairs
        answers = len(pd.unique(df["_answer"]))
    else:
        answers = len(df[["item", "worker"]].drop_duplicates()) if len(df) else 0
    assignments = int(df["assignment"].nunique()) if "assignment" in df.columns else None
    return {
        "rows": len(df),
        "answers": answers,
        "assignments": assignments,
        "workers": int(df["worker"].nunique()),
    }


def apply_quality_filter(
    df: pd.DataFrame, protocol: TidySchema, config: Mapping[str, Any] | None = None
) -> QualityResult:
    """Apply the rules in order; return the kept rows, a summary and worker statistics."""
    cfg = quality_config(config)
    stats = worker_stats(df, protocol, tuple(cfg["bonus_labels"]), cfg["gold_rule"])
    kept, summary, reasons = _filter(df, protocol, cfg, stats)
    stats = stats.assign(excluded=[reasons.get(w, "") for w in stats["worker"]])
    return QualityResult(kept=kept, summary=summary, workers=stats)


def quality_kept(
    df: pd.DataFrame, protocol: TidySchema, config: Mapping[str, Any] | None = None
) -> pd.DataFrame:
    """``apply_quality_filter(...).kept`` alone (the planner's screen, once per simulated
    data set): the worker statistics are computed only when a rule reads them."""
    cfg = quality_config(config)
    stats = None
    if cfg["enabled"] and not cfg["straightline_against_crowd"]:
        stats = worker_stats(df, protocol, tuple(cfg["bonus_labels"]), cfg["gold_rule"])
    return _filter(df, protocol, cfg, stats)[0]


def _filter(
    df: pd.DataFrame, protocol: TidySchema, cfg: dict[str, Any], stats: pd.DataFrame | None
) -> tuple[pd.DataFrame, dict[str, Any], dict[Any, str]]:
    """The kept rows, the summary and each excluded worker's reason; ``stats`` (worker
    statistics) may be None when the straight-lining rule is judged against the crowd."""
    df = df.assign(_answer=group_codes(df, ["item", "worker"]))
    summary: dict[str, Any] = {"config": _jsonable(cfg), "before": counts(df), "rules": []}
    reasons: dict[Any, str] = {}
    kept = df
    if cfg["enabled"]:
        liners, rushing = _spammers(kept, protocol, stats, cfg)
        kept = _straightlining(kept, liners, cfg, summary, reasons)
        kept = _rushing(kept, rushing, cfg, summary, reasons)
        kept = _bonus_assignments(kept, protocol, cfg, summary)
    else:
        summary["rules"].append({"rule": "all", "applied": False, "skipped": "filter disabled"})
    summary["after"] = counts(kept)
    kept = kept.drop(columns="_answer")
    summary["excluded_workers"] = {str(w): r for w, r in reasons.items()}
    return kept, summary, reasons


def _rule(
    summary: dict[str, Any], name: str, before: pd.DataFrame, after: pd.DataFrame, **extra: Any
) -> None:
    b, a = counts(before), counts(after)
    dropped: dict[str, int | None] = {}
    for key, was in b.items():
        now = a[key]
        dropped[key] = was - now if was is not None and now is not None else None
    summary["rules"].append({"rule": name, "applied": True, "dropped": dropped, **extra})


def _skip(summary: dict[str, Any], name: str, why: str, **extra: Any) -> None:
    summary["rules"].append({"rule": name, "applied": False, "skipped": why, **extra})


# Rounds of the search for straight-liners and rushers together (it settles in two or three).
_ROUNDS = 5


def _spammers(
    df: pd.DataFrame, protocol: TidySchema, stats: pd.DataFrame | None, cfg: dict[str, Any]
) -> tuple[frozenset[Any], Rushing]:
    """Straight-liners (rule 1) and rushers (rule 2), each judged against a crowd without
    the other: a rusher's random answers move the consensus that straight-lining compares
    with, and straight-liners the one rushing compares with. Found together, round after
    round until neither set changes, and removed in the paper's order."""
    rushers: frozenset[Any] = frozenset()
    liners: frozenset[Any] = frozenset()
    rushing = Rushing()
    for _ in range(_ROUNDS):
        crowd = df[~df["worker"].isin(rushers)] if rushers else df
        liners = _straightliners(crowd, protocol, stats, cfg)
        rushing = find_rushers(df[~df["worker"].isin(liners)], protocol, cfg)
        if rushing.workers == rushers:
            break
        rushers = rushing.workers
    return liners, rushing


def _straightliners(
    df: pd.DataFrame, protocol: TidySchema, stats: pd.DataFrame | None, cfg: dict[str, Any]
) -> frozenset[Any]:
    if cfg["straightline_against_crowd"]:  # judged against the other workers
        check = crowd_straightliners(
            df.drop(columns="_answer"),
            answer_shape(protocol),
            share=cfg["straightline_share"],
            min_answers=cfg["straightline_min_answers"],
            z=cfg["straightline_z"],
        ).workers
        return frozenset(check.loc[check["flagged"], "worker"])
    assert stats is not None  # computed whenever the share rule reads it (``quality_kept``)
    eligible = stats["rows"] >= cfg["straightline_min_answers"]
    return frozenset(
        stats.loc[eligible & (stats["top_share"] >= cfg["straightline_share"]), "worker"]
    )


def _straightlining(
    df: pd.DataFrame,
    flagged: frozenset[Any],
    cfg: dict[str, Any],
    summary: dict[str, Any],
    reasons: dict[Any, str],
) -> pd.DataFrame:
    why = f"straight-lining: same answer on >= {cfg['straightline_share']:.0%} of answers"
    if cfg["straightline_against_crowd"]:
        why += ", more often than the other workers gave it on the same items"
    for worker in sorted(flagged, key=str):  # a set's order changes with the hash seed
        reasons.setdefault(worker, why)
    kept = df[~df["worker"].isin(flagged)]
    _rule(
        summary, "straightlining", df, kept, against_crowd=bool(cfg["straightline_against_crowd"])
    )
    return kept


def _rushing(
    df: pd.DataFrame,
    rushing: Rushing,
    cfg: dict[str, Any],
    summary: dict[str, Any],
    reasons: dict[Any, str],
) -> pd.DataFrame:
    if rushing.skipped:
        _skip(summary, "rushing", rushing.skipped, evidence=rushing.evidence)
        return df
    for worker in sorted(rushing.workers, key=str):
        reasons.setdefault(worker, f"rushing: {rushing.why}")
    kept = df[~df["worker"].isin(rushing.workers)]
    _rule(summary, "rushing", df, kept, scope=rushing.scope, evidence=rushing.evidence)
    return kept


def _bonus_assignments(
    df: pd.DataFrame, protocol: TidySchema, cfg: dict[str, Any], summary: dict[str, Any]
) -> pd.DataFrame:
    missing = [c for c in ("assignment", "is_gold") if c not in df.columns]
    if not protocol.gold_bonus or missing:
        why = (
            f"needs column(s) {', '.join(missing)}"
            if missing and protocol.gold_bonus
            else "bonus points are defined for good/okay/bad gold checks only"
        )
        _skip(summary, "min_bonus_points", why)
        return df
    points = bonus_points(df, "assignment", tuple(cfg["bonus_labels"]), cfg["gold_rule"])
    has_gold = df.loc[df["is_gold"].astype(bool), "assignment"].unique()
    low = points.index[(points < cfg["min_bonus_points"]) & points.index.isin(has_gold)]
    kept = df[~df["assignment"].isin(set(low))]
    no_gold = int(df["assignment"].nunique() - len(has_gold))
    _rule(summary, "min_bonus_points", df, kept, assignments_without_gold=no_gold)
    return kept


def _jsonable(cfg: dict[str, Any]) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in cfg.items()}


# --- Which rule left nothing to score -----------------------------------------------------


def emptied_message(summary: Mapping[str, Any]) -> str | None:
    """When the filter removed every row: which rules removed what; otherwise None."""
    if not summary or summary.get("after", {}).get("rows", 1) > 0:
        return None
    if not summary.get("before", {}).get("rows"):
        return None
    parts = []
    for rule in summary.get("rules", []):
        dropped = rule.get("dropped") or {}
        if rule.get("applied") and dropped.get("rows"):
            parts.append(
                f"{_RULE_NAMES.get(rule['rule'], rule['rule'])} removed {dropped['rows']} rows "
                f"of {dropped['workers']} workers"
            )
    before = summary["before"]
    return (
        f"the quality filter left no judgments to score ({before['rows']} rows of "
        f"{before['workers']} workers in): " + "; ".join(parts) + ". Change the filter's "
        "settings or run without it (--no-quality-filter) to see the unfiltered report."
    )


_RULE_NAMES = {
    "straightlining": "straight-lining",
    "rushing": "rushing",
    "min_bonus_points": "the minimum of bonus points per assignment",
}


def probing_by_worker(checks: pd.DataFrame) -> list[dict[str, Any]]:
    """Per worker, their presses of "Bonus Validate" (columns ``worker, assignment,
    outcome`` with ``checked``, ``unfinished`` or ``repeated``): a check answers once per
    dialogue and reveals nothing, so presses before sorting and repeats are what a worker
    probing for the gold response leaves behind. Workers with a refused press come first."""
    if checks.empty:
        return []
    outcome = checks["outcome"]
    per = (
        pd.DataFrame(
            {
                "worker": checks["worker"],
                "presses": 1,
                "checked": (outcome == "checked").astype(int),
                "refused": (outcome != "checked").astype(int),
            }
        )
        .groupby("worker", sort=False)[["presses", "checked", "refused"]]
        .sum()
    )
    per["assignments"] = checks.groupby("worker", sort=False)["assignment"].nunique()
    per = per.sort_values(["refused", "presses"], ascending=False, kind="stable")
    return [{"worker": str(w), **{k: int(v) for k, v in row.items()}} for w, row in per.iterrows()]
