"""Checks that a campaign can run, each explaining itself to the researcher."""

from __future__ import annotations

from django.db.models import Q

from evalplatform.campaigns.models import Campaign, Dialogue, Protocol
from evalplatform.campaigns.sampling import hit_count, sample_target

MIN_GGB_CANDIDATES = 2
MAX_GGB_CANDIDATES = 8


def campaign_problems(campaign: Campaign) -> list[str]:
    """Everything that stops this campaign from running, as sentences; empty when fine."""
    n_systems = campaign.entries.count()
    problems = _system_problems(campaign, n_systems)
    criteria = list(campaign.criteria.all())
    if not criteria:
        problems.append("The campaign has no criteria; create it from a preset or add one.")
    expected_kinds = {
        Protocol.LIKERT: {"scale", "binary"},
        Protocol.AB: {"choice"},
        Protocol.GGB: {"label"},
    }[Protocol(campaign.protocol)]
    for criterion in criteria:
        if criterion.kind not in expected_kinds:
            problems.append(
                f"Criterion {criterion.name!r} is a {criterion.kind} criterion, which a "
                f"{campaign.get_protocol_display()} campaign cannot ask."
            )
    if n_systems:
        problems.extend(_sample_problems(campaign, n_systems))
    return problems


def _system_problems(campaign: Campaign, n_systems: int) -> list[str]:
    if campaign.protocol == Protocol.AB and n_systems < 2:
        return [f"An A/B campaign needs at least two systems; it has {n_systems}."]
    if campaign.protocol == Protocol.GGB:
        # Items without a gold check show one candidate per system; gold items show one more.
        fewest, most = n_systems, n_systems + (1 if campaign.gold_per_hit else 0)
        if fewest < MIN_GGB_CANDIDATES or most > MAX_GGB_CANDIDATES:
            shown = f"{fewest}" if fewest == most else f"{fewest} (up to {most} with gold)"
            return [
                f"A good/okay/bad campaign shows {MIN_GGB_CANDIDATES} to {MAX_GGB_CANDIDATES} "
                f"candidates per item; with {n_systems} systems it would show {shown}."
            ]
    if n_systems == 0:
        return ["The campaign has no systems."]
    return []


def _sample_problems(campaign: Campaign, n_systems: int) -> list[str]:
    problems = []
    dialogues = Dialogue.objects.filter(dataset=campaign.dataset)
    if campaign.sample_subsets:
        dialogues = dialogues.filter(subset__in=campaign.sample_subsets)
    available = dialogues.count()
    needed = sample_target(
        protocol=campaign.protocol, sample_size=campaign.sample_size, n_systems=n_systems
    )
    if needed > available:
        where = (
            f"subsets {', '.join(campaign.sample_subsets)} of " if campaign.sample_subsets else ""
        )
        problems.append(
            f"The sample needs {needed} dialogues but {where}dataset {campaign.dataset} "
            f"has {available}."
        )
    if campaign.gold_per_hit:
        if campaign.protocol == Protocol.AB:
            problems.append("Gold checks are for Likert and good/okay/bad campaigns, not A/B.")
        gold_pool = Dialogue.objects.filter(dataset=campaign.dataset).exclude(Q(gold_response=""))
        if campaign.gold_subset:
            gold_pool = gold_pool.filter(subset=campaign.gold_subset)
        hits = hit_count(n_dialogues=needed, items_per_hit=campaign.items_per_hit)
        gold_needed = hits * campaign.gold_per_hit
        gold_available = gold_pool.count()
        if gold_available < gold_needed:
            where = f"subset {campaign.gold_subset!r}" if campaign.gold_subset else "the dataset"
            problems.append(
                f"Gold checks need {gold_needed} dialogues with a gold response in {where} "
                f"({hits} HITs x {campaign.gold_per_hit}); there are {gold_available}."
            )
    return problems
