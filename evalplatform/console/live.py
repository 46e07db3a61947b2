"""The live collection view's numbers: a constant number of queries whatever the campaign's
size (grouped counts in the database, one read of the analysed judgments, the analysis on
plain data), so polling it every few seconds stays cheap.

Everything statistical here is interim: the campaign is still collecting.
"""

from __future__ import annotations

import dataclasses
import statistics
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import pandas as pd
from django.db.models import Count, F, Sum

from evalplatform.analysis.agreement import fleiss_kappa_long_interval
from evalplatform.campaigns.models import Campaign
from evalplatform.crowd.models import Assignment, Hit, Judgment
from evalplatform.protocols.registry import get
from evalplatform.providers.models import BonusPayment, CallState, Decision, ReviewDecision
from evalplatform.reports.builder import build_report
from evalplatform.reports.campaign_report import campaign_report_settings
from evalplatform.reports.monitoring import campaign_monitoring
from evalplatform.reports.selectors import campaign_judgments_frame
from evalplatform.reports.tidy import TidyError

# Keys, in display order, of each interim result a comparison may carry. ``calibrated`` is
# the default test that models the crowd's structure (DESIGN.md: new keys beside
# ``pairwise`` / ``pairs``); when the analysis has it, the live view shows it first.
DEFAULT_TEST_KEYS = ("calibrated",)


def _by_status(rows: Any) -> dict[str, int]:
    return {row["status"]: row["n"] for row in rows}


def live_crowd(campaign: Campaign) -> dict[str, Any]:
    """HITs and assignments by state, answers per system and criterion, time on task."""
    hits = Hit.objects.filter(campaign=campaign).values("status").annotate(n=Count("pk"))
    assignments = Assignment.objects.filter(hit__campaign=campaign)
    by_status = assignments.values("status").annotate(n=Count("pk"))
    answers = (
        Judgment.objects.filter(assignment__hit__campaign=campaign)
        .values(
            "criterion__name", "item_candidate__candidate__system__name", "item_candidate__is_gold"
        )
        .annotate(n=Count("pk"))
        .order_by("criterion__name", "item_candidate__candidate__system__name")
    )
    done = assignments.filter(submitted_at__isnull=False).annotate(
        took=F("submitted_at") - F("leased_at")
    )
    seconds = [row.total_seconds() for row in done.values_list("took", flat=True)]
    return {
        "hits": _by_status(hits),
        "assignments": _by_status(by_status),
        "answers": [
            {
                "criterion": row["criterion__name"],
                "system": _answered_about(row),
                "n": row["n"],
            }
            for row in answers
        ],
        "minutes_per_assignment_median": (
            round(statistics.median(seconds) / 60, 2) if seconds else None
        ),
        "assignments_timed": len(seconds),
    }


def _answered_about(row: Mapping[str, Any]) -> str:
    """The system an answer judged; gold responses and A/B pairs (answers about the item as
    a whole) are named as such."""
    if row["item_candidate__is_gold"]:
        return "(gold response)"
    return row["item_candidate__candidate__system__name"] or "(A/B pair)"


def live_money(campaign: Campaign) -> dict[str, str]:
    """Rewards and bonuses recorded in the ledger (committed) and sent (paid)."""
    reward = campaign.reward
    decisions = ReviewDecision.objects.filter(
        assignment__hit__campaign=campaign, decision=Decision.APPROVE
    )
    approved = decisions.values("state").annotate(n=Count("pk"))
    approved_by_state = {row["state"]: row["n"] for row in approved}
    bonuses = (
        BonusPayment.objects.filter(assignment__hit__campaign=campaign)
        .values("state")
        .annotate(total=Sum("amount"))
    )
    bonus_by_state = {row["state"]: row["total"] or Decimal("0") for row in bonuses}
    committed = reward * sum(approved_by_state.values()) + sum(
        bonus_by_state.values(), Decimal("0")
    )
    paid = reward * approved_by_state.get(CallState.SENT, 0) + bonus_by_state.get(
        CallState.SENT, Decimal("0")
    )
    return {"committed": f"{committed:.2f}", "paid": f"{paid:.2f}"}


def live_analysis(campaign: Campaign, frame: pd.DataFrame | None = None) -> dict[str, Any]:
    """The quality filter's flags per worker, the gold pass rate, agreement so far and the
    default test per comparison, from the analysed judgments (interim)."""
    if frame is None:
        frame = campaign_judgments_frame(campaign)
    if frame.empty:
        return {"interim": True, "available": False, "why": "No analysed judgments yet."}
    # Bradley-Terry's bootstrap is the report's slow part and not needed while collecting.
    settings = dataclasses.replace(campaign_report_settings(campaign), bradley_terry=False)
    try:
        report = build_report(frame, campaign.protocol, settings)
    except TidyError as error:
        return {"interim": True, "available": False, "why": str(error)}
    return {
        "interim": True,
        "available": True,
        "workers": [_worker_flags(row) for row in report.workers],
        "gold": _gold_pass_rate(frame),
        "agreement": _agreement(
            report.results, _kappa_intervals(campaign, frame, report, settings.system_order)
        ),
        "tests": _default_tests(report.results),
        "rows": report.data,
    }


def _worker_flags(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "worker": row.get("worker"),
        "excluded": row.get("excluded") or "",
        "answers": row.get("rows"),
    }


def _gold_pass_rate(frame: Any) -> dict[str, Any]:
    """Share of answers about a gold response that judged it acceptable (good or okay, or
    not the lowest score): the workers who read pass it."""
    if "is_gold" not in frame.columns:
        return {"n": 0, "rate": None}
    gold = frame[frame["is_gold"].astype(bool)]
    if gold.empty:
        return {"n": 0, "rate": None}
    if "label" in gold.columns:
        passed = gold["label"].isin(["good", "okay"])
    else:
        passed = gold["score"] > gold["score"].min() if "score" in gold.columns else None
    if passed is None:
        return {"n": len(gold), "rate": None}
    return {"n": len(gold), "rate": round(float(passed.mean()), 3)}


def _kappa_intervals(
    campaign: Campaign, frame: Any, report: Any, order: tuple[str, ...] | None
) -> dict[str, Any]:
    """Per scope, the seeded bootstrap 95 % interval of Fleiss' kappa over units, on the
    rows the report scored (quality filter applied, gold responses left out)."""
    excluded = {row.get("worker") for row in report.workers if row.get("excluded")}
    kept = frame[~frame["worker"].isin(excluded)]
    if "is_gold" in kept.columns:
        kept = kept[~kept["is_gold"].fillna(False).astype(bool)]
    return {
        scope: fleiss_kappa_long_interval(rows, units, answer, seed=campaign.sample_seed)
        for scope, rows, units, answer in get(campaign.protocol).kappa_units(kept, order)
    }


def _agreement(
    results: dict[str, Any], intervals: Mapping[str, Any] | None = None
) -> list[dict[str, Any]]:
    """Fleiss' kappa per scope with what it rests on and its 95 % interval."""
    intervals = intervals or {}
    scopes: list[tuple[str, dict[str, Any]]] = []
    if "criteria" in results:
        scopes = list(results["criteria"].items())
    elif "pairs" in results:
        scopes = [(f"{p['a']} vs {p['b']}", p) for p in results["pairs"]]
    else:
        scopes = [("all", results)]
    return [
        {
            "scope": scope,
            "fleiss_kappa": block.get("fleiss_kappa"),
            "ci95": block.get("fleiss_kappa_ci95") or _listed(intervals.get(scope)),
            "items": block.get("kappa_items", block.get("n")),
        }
        for scope, block in scopes
    ]


def _listed(interval: Any) -> list[float] | None:
    return list(interval) if interval else None


def _default_tests(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Per comparison: the calibrated default test when the analysis has it, else the
    existing test (Welch per rating, or the sign test of A/B), named as such."""
    tests: list[dict[str, Any]] = []
    for key in DEFAULT_TEST_KEYS:
        if key in results:  # hook: the calibrated tests, once the analysis writes them
            return [{"test": key, **row} for row in _rows(results[key])]
    for criterion, block in results.get("criteria", {}).items():
        for row in block.get("pairwise", []):
            tests.append({"test": "Welch t-test", "scope": criterion, **_pick(row)})
    for row in results.get("pairs", []):
        tests.append({"test": "sign test", "scope": "", **_pick(row)})
    return tests


def _rows(block: Any) -> list[dict[str, Any]]:
    if isinstance(block, list):
        return [dict(row) for row in block]
    if isinstance(block, dict):
        return [
            {"scope": scope, **dict(row)} for scope, row in block.items() if isinstance(row, dict)
        ]
    return []


def _pick(row: dict[str, Any]) -> dict[str, Any]:
    keys = ("a", "b", "p", "p_adjusted", "significant", "win", "loss", "tie", "n")
    return {key: row[key] for key in keys if key in row}


def campaign_live(campaign: Campaign) -> dict[str, Any]:
    """The live view's JSON body."""
    frame = campaign_judgments_frame(campaign)
    return {
        "campaign": campaign.name,
        "status": campaign.status,
        "crowd": live_crowd(campaign),
        "money": live_money(campaign),
        "analysis": live_analysis(campaign, frame),
        # Shown before any answer too: the settings say whether the campaign stops by itself.
        "monitoring": campaign_monitoring(campaign, frame),
    }
