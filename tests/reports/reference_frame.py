"""The judgments frame as the report built it before issue 16: one model instance per
judgment. Kept as the reference the fast frame must equal (columns, rows, dtypes)."""

from __future__ import annotations

import pandas as pd

from evalplatform.campaigns.models import Campaign, CriterionKind
from evalplatform.crowd.models import Judgment
from evalplatform.protocols.registry import JudgmentFacts, get
from evalplatform.reports.selectors import (
    GOLD_SYSTEM,
    _pair_systems,
    _seconds_per_item,
    analysed_statuses,
    worker_pseudonym,
)


def judgments_frame_from_models(campaign: Campaign) -> pd.DataFrame:
    judgments = (
        Judgment.objects.filter(
            assignment__hit__campaign=campaign,
            assignment__status__in=analysed_statuses(campaign),
        )
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
    shown = judgment.item_candidate
    system = None
    if shown is not None:
        system = GOLD_SYSTEM if shown.candidate is None else shown.candidate.system.name
    return JudgmentFacts(
        criterion=judgment.criterion.name,
        score=judgment.score,
        label=judgment.label,
        system=system,
        is_gold=shown is not None and shown.is_gold,
        pair=pair,
    )
