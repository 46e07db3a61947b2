"""Where a campaign's comparisons stand while it collects: the read side of monitoring.

The campaign's analysed judgments (``campaign_judgments_frame``), each row marked with the
rank of the submission that brought it, go to the protocol's ``monitored`` hook and then to
``analysis.monitoring``: a confidence sequence per comparison, read now. Two queries beyond
the judgments frame (submission times; criteria scales), whatever the campaign's size.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from evalplatform.analysis.monitoring import (
    ComparisonState,
    MonitoredComparison,
    all_settled,
    comparison_states,
    fixed_sample_tests,
)
from evalplatform.campaigns.models import Campaign, MonitoringDecision
from evalplatform.campaigns.selectors import campaign_criterion_scales
from evalplatform.crowd.models import Assignment
from evalplatform.protocols.registry import get
from evalplatform.reports.selectors import campaign_judgments_frame

CS_METHOD = (
    "empirical-Bernstein confidence sequence (Howard, Ramdas, McAuliffe and Sekhon, "
    "Ann. Statist. 2021, Theorem 4 with the polynomial stitching boundary) on the per-item "
    "difference, items in the order they were completed, alpha split equally (Bonferroni) "
    "across every comparison of the campaign"
)


def with_arrival(campaign: Campaign, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with ``arrival``: the rank of its assignment's submission time (ties and
    unknown times by assignment id)."""
    if frame.empty:
        return frame.assign(arrival=pd.Series(dtype=float))
    submitted = Assignment.objects.filter(
        hit__campaign=campaign, submitted_at__isnull=False
    ).values_list("pk", "submitted_at")
    ordered = sorted(submitted, key=lambda row: (row[1], row[0]))
    # One lookup per row in C, not a dict lookup per judgment in Python (a million of them).
    ranked = pd.Index([pk for pk, _ in ordered], dtype=np.int64)
    ids = frame["assignment"].to_numpy(dtype=np.int64)
    rank = ranked.get_indexer(ids)
    arrival = np.where(rank >= 0, rank, len(ranked) + ids).astype(float)
    return frame.assign(arrival=arrival)


def campaign_comparison_states(
    campaign: Campaign, frame: pd.DataFrame | None = None
) -> list[ComparisonState]:
    """Every comparison's confidence sequence after the latest completed item."""
    comparisons = campaign_comparisons(campaign, frame)
    return comparison_states(
        comparisons,
        alpha=float(campaign.alpha),
        smallest_difference=campaign.smallest_difference,
    )


def campaign_comparisons(
    campaign: Campaign, frame: pd.DataFrame | None = None
) -> list[MonitoredComparison]:
    """The campaign's comparisons as per-item values in completion order."""
    if frame is None:
        frame = campaign_judgments_frame(campaign)
    if frame.empty:
        return []
    spec = get(campaign.protocol)
    scales = campaign_criterion_scales(campaign)
    systems = campaign.systems.order_by("entries__position").values_list("name", flat=True)
    return spec.monitored(
        with_arrival(campaign, frame),
        scales=scales,
        raters=campaign.assignments_per_hit,
        system_order=tuple(systems),
    )


def decision_dict(decision: MonitoringDecision) -> dict[str, Any]:
    return {
        "at": decision.decided_at.isoformat(),
        "action": decision.action,
        "reason": decision.reason,
        "hits_withdrawn": decision.hits_withdrawn,
        "hits_added": decision.hits_added,
        "submitted_assignments": decision.submitted_assignments,
        "provider_note": decision.provider_note,
        "comparisons": decision.comparisons,
    }


PLAN_SOURCE = "the plan made before publishing"
RESEARCHER_SOURCE = "the researcher"


def difference_source(campaign: Campaign) -> str | None:
    """Who set the smallest difference the monitoring uses: publishing takes the frozen
    plan's (``campaigns.freezing.plan_for_monitoring``) unless the researcher set one."""
    if campaign.smallest_difference is None:
        return None
    taken = ((campaign.frozen_plan or {}).get("monitoring") or {}).get("taken")
    return PLAN_SOURCE if taken else RESEARCHER_SOURCE


def campaign_monitoring(campaign: Campaign, frame: pd.DataFrame | None = None) -> dict[str, Any]:
    """The monitoring block of the live view and the report: settings, each comparison's
    state now, and every decision taken (oldest first)."""
    comparisons = campaign_comparisons(campaign, frame)
    alpha = float(campaign.alpha)
    states = comparison_states(
        comparisons, alpha=alpha, smallest_difference=campaign.smallest_difference
    )
    fixed = fixed_sample_tests(comparisons, alpha=alpha, correction=campaign.correction)
    decisions = list(MonitoringDecision.objects.filter(campaign=campaign).order_by("pk"))
    spec = get(campaign.protocol)
    return {
        "method": CS_METHOD,
        "alpha": float(campaign.alpha),
        "smallest_difference": campaign.smallest_difference,
        "smallest_difference_from": difference_source(campaign),
        "unit": spec.monitoring_unit,
        "stop_when_settled": campaign.monitor_stop,
        "reallocate": campaign.monitor_reallocate,
        "comparisons": [
            {**s.as_dict(), "fixed_sample": f} for s, f in zip(states, fixed, strict=True)
        ],
        "all_settled": all_settled(states),
        "stopped_early": any(d.action == "stop" for d in decisions),
        "decisions": [decision_dict(d) for d in decisions],
    }
