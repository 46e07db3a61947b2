"""The parts of a campaign and of a HIT that every worker request needs and that do not change
while workers answer: the campaign's criteria (names, kinds, legal values) and the HIT's
layout (which item and which shown response sits at which position).

They are read once per process and kept (bounded LRU caches), so an answer costs no query
for them. The cache keys carry what changes when they could change: a campaign's criteria
are edited through the campaign, whose ``updated_at`` moves on every save; a HIT's items
are made once with the HIT and never edited (``created_at`` tells a rebuilt HIT apart even
where a database reuses ids).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property, lru_cache

from evalplatform.campaigns.models import Campaign, Criterion, CriterionKind
from evalplatform.crowd.models import Hit, Item

NUMERIC_KINDS = (CriterionKind.SCALE, CriterionKind.BINARY)
# A/B answers are about the pair shown, not about one response.
ITEM_LEVEL_KINDS = (CriterionKind.CHOICE,)
CACHE_SIZE = 1024


@dataclass(frozen=True)
class CriterionRule:
    id: int
    name: str
    kind: str
    allowed: tuple[str, ...]

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC_KINDS

    @property
    def about_item(self) -> bool:
        return self.kind in ITEM_LEVEL_KINDS


@dataclass(frozen=True)
class CampaignRules:
    criteria: tuple[CriterionRule, ...]  # in the campaign's order
    # The Criterion rows themselves, for the pages' wording and anchors. Shared between
    # requests: read them, never change or save them.
    models: tuple[Criterion, ...] = ()

    def get(self, name: str) -> CriterionRule | None:
        return next((rule for rule in self.criteria if rule.name == name), None)

    # Cached: progress asks for every dialogue after every answer, and the rules are shared
    # (the instance lives in the per-process cache and never changes).
    @cached_property
    def per_item(self) -> int:
        return sum(rule.about_item for rule in self.criteria)

    @cached_property
    def per_candidate(self) -> int:
        return len(self.criteria) - self.per_item

    def answers_needed(self, candidates: int) -> int:
        return self.per_item + candidates * self.per_candidate


@dataclass(frozen=True)
class ItemShape:
    id: int
    position: int
    candidates: dict[int, int]  # shown position -> ItemCandidate id
    gold: frozenset[int] = frozenset()  # ItemCandidate ids of the gold responses
    filler: frozenset[int] = frozenset()  # ItemCandidate ids of filler responses


@dataclass(frozen=True)
class HitShape:
    items: tuple[ItemShape, ...]  # by position

    def item(self, position: int) -> ItemShape | None:
        return next((item for item in self.items if item.position == position), None)

    @property
    def gold(self) -> frozenset[int]:
        return frozenset().union(*(item.gold for item in self.items))


def campaign_rules(campaign: Campaign) -> CampaignRules:
    return _campaign_rules(campaign.pk, campaign.updated_at, campaign.ab_allow_both_bad)


def campaign_rules_at(
    campaign_id: int, updated_at: datetime, ab_allow_both_bad: bool
) -> CampaignRules:
    """The rules of a campaign as it was at ``updated_at`` (the caller checks that it still is)."""
    return _campaign_rules(campaign_id, updated_at, ab_allow_both_bad)


def hit_shape_at(hit_id: int, created_at: datetime) -> HitShape:
    return _hit_shape(hit_id, created_at)


def campaign_criteria(campaign: Campaign) -> list[Criterion]:
    """The campaign's criteria in order, from the cache (read-only instances)."""
    return list(campaign_rules(campaign).models)


def hit_shape(hit: Hit) -> HitShape:
    return _hit_shape(hit.pk, hit.created_at)


@lru_cache(maxsize=CACHE_SIZE)
def _campaign_rules(campaign_id: int, version: datetime, ab_allow_both_bad: bool) -> CampaignRules:
    campaign = Campaign(pk=campaign_id, ab_allow_both_bad=ab_allow_both_bad)
    rules = []
    models = list(Criterion.objects.filter(campaign_id=campaign_id).order_by("position", "pk"))
    for criterion in models:
        criterion.campaign = campaign  # allowed_values reads the A/B options from it
        rules.append(
            CriterionRule(
                id=criterion.pk,
                name=criterion.name,
                kind=criterion.kind,
                allowed=tuple(criterion.allowed_values()),
            )
        )
    return CampaignRules(criteria=tuple(rules), models=tuple(models))


@lru_cache(maxsize=CACHE_SIZE)
def _hit_shape(hit_id: int, version: datetime) -> HitShape:
    candidates: dict[tuple[int, int], dict[int, int]] = {}
    gold: dict[int, set[int]] = {}
    filler: dict[int, set[int]] = {}
    rows = (
        Item.objects.filter(hit_id=hit_id)
        .order_by("position", "candidates__position")
        .values_list(
            "pk",
            "position",
            "candidates__pk",
            "candidates__position",
            "candidates__is_gold",
            "candidates__is_filler",
        )
    )
    for item_id, position, shown_id, shown_position, is_gold, is_filler in rows:
        shown = candidates.setdefault((item_id, position), {})
        if shown_id is not None:
            shown[shown_position] = shown_id
            if is_gold:
                gold.setdefault(item_id, set()).add(shown_id)
            if is_filler:
                filler.setdefault(item_id, set()).add(shown_id)
    return HitShape(
        items=tuple(
            ItemShape(
                item_id,
                position,
                shown,
                frozenset(gold.get(item_id, ())),
                frozenset(filler.get(item_id, ())),
            )
            for (item_id, position), shown in candidates.items()
        )
    )


def clear_shape_caches() -> None:
    _campaign_rules.cache_clear()
    _hit_shape.cache_clear()
