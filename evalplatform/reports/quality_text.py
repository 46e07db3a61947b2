"""Sentences describing the quality filter: each rule, what it removed, or why it was skipped."""

from __future__ import annotations

from typing import Any

from evalplatform.analysis.worker_stats import RANKED_TOP

_RULES = {
    "straightlining": "Straight-lining (the same answer on at least {share:.0%} of a worker's "
    "answers, workers with at least {min_answers} answers)",
    "rushing": "Rushing (an {scope} finished in under {minutes:g} minutes with fewer than "
    "{rush_points} bonus points; a bonus point is a gold reply put in {labels}{ranked})",
    "min_bonus_points": "Assignments with fewer than {points} bonus points",
}
# Without gold checks the evidence of not reading is the other workers' answers.
_RUSHING_BY_CROWD = (
    "Rushing (an {scope} whose median seconds per item are under {pace:.0%} of the typical "
    "worker's and whose answers agree with the workers who took their time on the same "
    "items less than those workers agree with each other, z <= -{z:g})"
)


_RANKED_TOP = (
    " and ranked above the other replies of its dialogue (none placed higher, at least one "
    "lower: the campaign's gold rule)"
)


def _describe(rule: dict[str, Any], cfg: dict[str, Any]) -> str:
    template = _RULES.get(rule["rule"], rule["rule"])
    if rule["rule"] == "rushing" and rule.get("evidence") == "crowd":
        template = _RUSHING_BY_CROWD
    return template.format(
        share=cfg["straightline_share"],
        min_answers=cfg["straightline_min_answers"],
        scope=rule.get("scope", "assignment"),
        minutes=cfg["rush_minutes"],
        rush_points=cfg["rush_min_bonus_points"],
        labels=" or ".join(cfg["bonus_labels"]),
        ranked=_RANKED_TOP if cfg.get("gold_rule") == RANKED_TOP else "",
        points=cfg["min_bonus_points"],
        z=cfg.get("rush_crowd_z", 0),
        pace=cfg.get("rush_pace_share", 0),
    )


def _removed(dropped: dict[str, int | None]) -> str:
    parts = [f"{dropped['rows']} rows", f"{dropped['workers']} workers"]
    if dropped.get("assignments") is not None:
        parts.append(f"{dropped['assignments']} assignments")
    return ", ".join(parts)


def counts_text(c: dict[str, int | None]) -> str:
    text = f"{c['rows']} rows, {c['answers']} answers (item x worker), {c['workers']} workers"
    return text + (f", {c['assignments']} assignments" if c.get("assignments") is not None else "")


def quality_sentences(summary: dict[str, Any]) -> list[str]:
    if not summary:
        return []
    cfg = summary["config"]
    out = []
    for rule in summary["rules"]:
        if rule["rule"] == "all":
            out.append("No quality filter was applied (disabled in the settings).")
            continue
        name = _describe(rule, cfg)
        if rule["rule"] == "straightlining" and rule.get("against_crowd"):
            name += (
                ", counted only when the worker also gives that answer more often than the "
                f"other workers on the same items (z >= {cfg['straightline_z']:g})"
            )
        if not rule["applied"]:
            out.append(f"{name}: not applied ({rule['skipped']}).")
            continue
        extra = ""
        if rule.get("assignments_without_gold"):
            extra = (
                f"; {rule['assignments_without_gold']} assignments had no gold item and were kept"
            )
        out.append(f"{name}: removed {_removed(rule['dropped'])}{extra}.")
    out.append(
        f"Before filtering: {counts_text(summary['before'])}; after: "
        f"{counts_text(summary['after'])}."
    )
    return out
