"""Giving the places of withdrawn HITs to the comparisons still undecided (A/B).

When reallocation withdraws the HITs of settled pairs, the ones no worker had started are
replaced, one for one, by HITs of the pairs still undecided, so the plan's budget (HITs x
workers per HIT, the places bought on the provider) is spent where an answer is still
missing instead of waiting unused. The new HITs are laid out as the campaign's own: one pair
per HIT, ``items_per_hit`` items, each pair's left side each system about half the time, on
contexts from the withdrawn HITs (every system has a response to every sampled dialogue)
that the pair has not been shown, so a context is never judged twice for one pair. The pairs
take the new HITs in turn (equal shares, not Chatbot Arena's variance-weighted sampling).

This keeps the monitoring valid: which pair gets more items depends on the data seen so far,
which is a stopping rule for each pair's confidence sequence, valid at any stopping time;
the new items are the campaign's own random sample of contexts.

Only where workers are handed our HITs directly (local links, Prolific's one study): a HIT
that exists on the provider itself (MTurk, ``Hit.provider_hit_id``) could not be added
without a provider call, so there the withdrawn places are only withdrawn.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence

from evalplatform.campaigns.models import Campaign, CampaignSystem
from evalplatform.crowd.models import Assignment, Hit, Item, ItemCandidate
from evalplatform.crowd.services import hits_add
from evalplatform.crowd.services.layout import PlannedItem
from evalplatform.protocols.registry import get

Pair = frozenset[str]


def reallocation_adds_hits(campaign: Campaign) -> bool:
    """Whether withdrawn places can go to other pairs: an A/B campaign whose HITs the
    provider does not hold one by one."""
    held = Hit.objects.filter(campaign=campaign).exclude(provider_hit_id="").exists()
    return get(campaign.protocol).pairwise and not held


def reallocated_hits_add(
    *, campaign: Campaign, withdrawn: Sequence[int], undecided: Sequence[Pair], seed: str
) -> dict[Pair, int]:
    """Replace the withdrawn HITs that no worker started with HITs of the ``undecided``
    pairs (their turn order); the new HITs per pair. Call inside the withdrawing
    transaction."""
    started = set(Assignment.objects.filter(hit_id__in=withdrawn).values_list("hit_id", flat=True))
    free = [pk for pk in withdrawn if pk not in started]
    if not free or not undecided or not reallocation_adds_hits(campaign):
        return {}
    ids = dict(
        CampaignSystem.objects.filter(campaign=campaign).values_list("system__name", "system_id")
    )
    pool = list(
        Item.objects.filter(hit_id__in=free)
        .order_by("hit_id", "position")
        .values_list("dialogue_id", flat=True)
    )
    shown = _contexts_by_pair(campaign)
    rng = random.Random(seed)
    plan: list[tuple[Pair, list[int]]] = []
    for turn in range(len(free)):
        pair = undecided[turn % len(undecided)]
        fresh = [c for c in dict.fromkeys(pool) if c not in shown[pair]][: campaign.items_per_hit]
        if not fresh:
            continue
        for context in fresh:
            pool.remove(context)
            shown[pair].add(context)
        plan.append((pair, fresh))
    hits_add(campaign=campaign, plan=_laid_out(plan, ids, rng))
    added: dict[Pair, int] = defaultdict(int)
    for pair, _ in plan:
        added[pair] += 1
    return dict(added)


def _contexts_by_pair(campaign: Campaign) -> dict[Pair, set[int]]:
    """The contexts each pair has been shown in any HIT of the campaign."""
    rows = ItemCandidate.objects.filter(
        item__hit__campaign=campaign, candidate__isnull=False
    ).values_list("item_id", "item__dialogue_id", "candidate__system__name")
    systems: dict[int, set[str]] = defaultdict(set)
    context_of: dict[int, int] = {}
    for item_id, dialogue_id, name in rows:
        systems[item_id].add(name)
        context_of[item_id] = dialogue_id
    out: dict[Pair, set[int]] = defaultdict(set)
    for item_id, names in systems.items():
        out[frozenset(names)].add(context_of[item_id])
    return out


def _laid_out(
    plan: list[tuple[Pair, list[int]]], ids: dict[str, int], rng: random.Random
) -> list[list[PlannedItem]]:
    """Each new HIT's items with its pair's two responses, the left one each system about
    half the time: alternating within the HIT from a side drawn for its first item."""
    hits = []
    for pair, contexts in plan:
        first_system, second_system = (ids[name] for name in sorted(pair))
        starts_first = rng.random() < 0.5
        hits.append(
            [
                PlannedItem(
                    dialogue_id=context,
                    shown=(first_system, second_system)
                    if (n % 2 == 0) == starts_first
                    else (second_system, first_system),
                )
                for n, context in enumerate(contexts)
            ]
        )
    return hits
