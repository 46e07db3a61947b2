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

from django.db.models import Max

from evalplatform.campaigns.models import Campaign, CampaignSystem, Candidate
from evalplatform.crowd.models import Assignment, Hit, Item, ItemCandidate
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
    _store(campaign, plan, ids, rng)
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


def _store(
    campaign: Campaign,
    plan: list[tuple[Pair, list[int]]],
    ids: dict[str, int],
    rng: random.Random,
) -> None:
    """The new HITs after the campaign's last, each item with its pair's two responses,
    the left one each system about half the time."""
    first = (Hit.objects.filter(campaign=campaign).aggregate(n=Max("index"))["n"] or 0) + 1
    hits = Hit.objects.bulk_create(
        Hit(campaign=campaign, index=first + n) for n in range(len(plan))
    )
    items = Item.objects.bulk_create(
        Item(hit=hit, position=position, dialogue_id=context)
        for hit, (_, contexts) in zip(hits, plan, strict=True)
        for position, context in enumerate(contexts)
    )
    candidate_of = {
        (system_id, dialogue_id): pk
        for pk, system_id, dialogue_id in Candidate.objects.filter(
            system_id__in=ids.values(), dialogue_id__in={item.dialogue_id for item in items}
        ).values_list("pk", "system_id", "dialogue_id")
    }
    by_hit: dict[int, list[Item]] = defaultdict(list)
    for item in items:
        by_hit[item.hit_id].append(item)
    shown: list[ItemCandidate] = []
    for hit, (pair, _) in zip(hits, plan, strict=True):
        first_system, second_system = sorted(pair)
        starts_first = rng.random() < 0.5  # which system is left on the HIT's first item
        for n, item in enumerate(by_hit[hit.pk]):
            left_first = (n % 2 == 0) == starts_first
            order = (first_system, second_system) if left_first else (second_system, first_system)
            shown.extend(
                ItemCandidate(
                    item=item,
                    position=position,
                    candidate_id=candidate_of[(ids[name], item.dialogue_id)],
                )
                for position, name in enumerate(order)
            )
    ItemCandidate.objects.bulk_create(shown)
