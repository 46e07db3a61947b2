"""From the database to the tidy tables the analysis reads: the only ORM in reports.

The columns are the ``analyze`` input format of DESIGN.md plus the ones quality filtering
needs (``assignment``, ``seconds``, ``is_gold``, ``subset``) and ``simulated``, so exporting
a campaign and analysing the file gives the report the admin shows.
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from evalplatform.campaigns.models import Campaign, Candidate, CriterionKind, SampledDialogue
from evalplatform.crowd.models import AssignmentStatus, BonusCheckRecord, Judgment, PageVisit
from evalplatform.protocols.registry import JudgmentFacts, get

# Rejected, abandoned and in-progress work is not analysed.
ANALYSED_STATUSES = (AssignmentStatus.SUBMITTED, AssignmentStatus.APPROVED)
# On MTurk and Prolific the worker and assignment ids in a task URL are only claims until
# approval has checked them against the provider's records, so only approved work counts.
VERIFIED_STATUSES = (AssignmentStatus.APPROVED,)


def analysed_statuses(campaign: Campaign) -> tuple[str, ...]:
    return ANALYSED_STATUSES if campaign.provider == "local" else VERIFIED_STATUSES


GOLD_SYSTEM = "gold"


def worker_pseudonym(worker_id: int) -> str:
    """Exports name workers by our id, never by the provider's (an MTurk WorkerId is
    personal data)."""
    return f"w{worker_id}"


def campaign_judgments_frame(campaign: Campaign) -> pd.DataFrame:
    """Every analysed judgment of the campaign, one row each, in the campaign's tidy format
    (never a filler's, nor one about a decoy label)."""
    judgments = (
        Judgment.objects.filter(
            assignment__hit__campaign=campaign,
            assignment__status__in=analysed_statuses(campaign),
        )
        # Filler responses stand in for gold on the page only; a decoy label was shown
        # beside a response whose system predicts none, so answers about it judge nothing.
        .exclude(item_candidate__is_filler=True)
        .exclude(item_candidate__label_is_decoy=True, criterion__kind=CriterionKind.BINARY)
        .select_related(
            "assignment", "item__dialogue", "criterion", "item_candidate__candidate__system"
        )
        .order_by("assignment_id", "item__position", "item_candidate__position", "criterion_id")
    )
    seconds = _seconds_per_item(campaign)
    spec = get(campaign.protocol)
    pairs = _pair_systems(campaign) if spec.pairwise else {}
    rows = []
    for judgment in judgments.iterator(chunk_size=5000):
        item = judgment.item
        row: dict[str, object] = {
            "item": item.dialogue.external_id,
            "worker": worker_pseudonym(judgment.assignment.worker_id),
            "subset": item.dialogue.subset or "all",
            "assignment": judgment.assignment_id,
            "seconds": seconds.get((judgment.assignment_id, item.position)),
            "simulated": judgment.simulated,
        }
        facts = _facts(judgment, pairs.get(item.pk))
        row.update(spec.tidy_row(facts), criterion=facts.criterion, is_gold=facts.is_gold)
        rows.append(row)
    return pd.DataFrame(rows, columns=spec.export_columns)


def _facts(judgment: Judgment, pair: tuple[str, str] | None) -> JudgmentFacts:
    """The judgment as plain data for its protocol: an answer about one shown response
    names that response's system (``gold`` for the gold response); an answer about the
    whole item names none."""
    shown = judgment.item_candidate
    system = None
    if shown is not None:
        # The gold response is the one shown without a candidate (a check constraint).
        system = GOLD_SYSTEM if shown.candidate is None else shown.candidate.system.name
    return JudgmentFacts(
        criterion=judgment.criterion.name,
        score=judgment.score,
        label=judgment.label,
        system=system,
        is_gold=shown is not None and shown.is_gold,
        pair=pair,
    )


def _pair_systems(campaign: Campaign) -> dict[int, tuple[str, str]]:
    """Item id -> (system shown as A, system shown as B)."""
    from evalplatform.crowd.models import ItemCandidate

    shown: dict[int, dict[int, str]] = defaultdict(dict)
    for item_id, position, name in ItemCandidate.objects.filter(
        item__hit__campaign=campaign
    ).values_list("item_id", "position", "candidate__system__name"):
        shown[item_id][position] = name
    return {item_id: (sides[0], sides[1]) for item_id, sides in shown.items()}


def _seconds_per_item(campaign: Campaign) -> dict[tuple[int, int], float]:
    """Server-measured seconds each assignment spent on each item's page."""
    totals: dict[tuple[int, int], float] = defaultdict(float)
    visits = PageVisit.objects.filter(
        assignment__hit__campaign=campaign,
        page="task",
        closed_at__isnull=False,
        item_position__isnull=False,
    ).values_list("assignment_id", "item_position", "opened_at", "closed_at")
    for assignment_id, position, opened, closed in visits.iterator(chunk_size=5000):
        assert position is not None and closed is not None  # filtered out above
        totals[(assignment_id, position)] += (closed - opened).total_seconds()
    return dict(totals)


def campaign_candidates_frame(campaign: Campaign) -> pd.DataFrame:
    """The sampled dialogues' candidates with their gold, for automatic metrics:
    columns ``item, system, response, gold``."""
    sample = SampledDialogue.objects.filter(campaign=campaign).values("dialogue_id")
    candidates = (
        Candidate.objects.filter(dialogue_id__in=sample, system__in=campaign.systems.all())
        .select_related("system", "dialogue")
        .order_by("dialogue_id", "system__name")
    )
    rows = [
        {
            "item": c.dialogue.external_id,
            "system": c.system.name,
            "response": c.text,
            "gold": c.dialogue.gold_response,
        }
        for c in candidates
    ]
    return pd.DataFrame(rows, columns=["item", "system", "response", "gold"])


def campaign_bonus_checks_frame(campaign: Campaign) -> pd.DataFrame:
    """Every press of "Bonus Validate" in the campaign: ``worker, assignment, item,
    outcome, at`` (workers by pseudonym), whatever became of the assignment."""
    rows = (
        BonusCheckRecord.objects.filter(assignment__hit__campaign=campaign)
        .order_by("created_at", "pk")
        .values_list(
            "assignment__worker_id", "assignment_id", "item__position", "outcome", "created_at"
        )
    )
    return pd.DataFrame(
        [
            {
                "worker": worker_pseudonym(worker),
                "assignment": assignment,
                "item": position,
                "outcome": outcome,
                "at": at.isoformat(),
            }
            for worker, assignment, position, outcome, at in rows
        ],
        columns=["worker", "assignment", "item", "outcome", "at"],
    )
