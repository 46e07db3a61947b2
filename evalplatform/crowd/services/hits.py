"""Building a campaign's HITs from its sample, and opening them to workers."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max

from evalplatform.campaigns.models import (
    Campaign,
    CampaignStatus,
    CampaignSystem,
    Candidate,
    CriterionKind,
    Dialogue,
    System,
    UnlabelledSystems,
)
from evalplatform.campaigns.services import campaign_draw_sample, campaign_transition
from evalplatform.common.errors import ApplicationError, InvalidTransition
from evalplatform.crowd.models import Hit, HitStatus, Item, ItemCandidate
from evalplatform.crowd.services.layout import (
    GOLD,
    Filler,
    PlannedItem,
    layout_rng,
    plan_ab_hits,
    plan_rated_hits,
)
from evalplatform.protocols.registry import get

MISSING_EXAMPLES = 5
OPEN_FOR_WORK = (CampaignStatus.PUBLISHED, CampaignStatus.COLLECTING)


@transaction.atomic
def hits_build(*, campaign: Campaign) -> int:
    """Lay the campaign's stored sample out in HITs, items and shown candidates; returns
    the number of HITs created.

    Built once: a campaign that has HITs is left alone (returns 0). Needs status ready and
    every candidate the HITs show; a missing one fails the whole build with a message that
    names the systems and dialogues. Seeded by ``campaign.sample_seed``.
    """
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if Hit.objects.filter(campaign=locked).exists():
        return 0
    if locked.status != CampaignStatus.READY:
        raise InvalidTransition(
            f"HITs of {locked.name!r} are built once its responses are ready; it is "
            f"{locked.get_status_display().lower()}."
        )
    dialogue_ids = campaign_draw_sample(campaign=locked)
    system_ids = list(
        CampaignSystem.objects.filter(campaign=locked)
        .order_by("position", "pk")
        .values_list("system_id", flat=True)
    )
    plan = _plan(locked, dialogue_ids, system_ids)
    candidate_ids = _candidate_ids(plan)
    labels = _shown_labels(locked, plan, candidate_ids, system_ids)
    _store(locked, plan, candidate_ids, labels)
    return len(plan)


@transaction.atomic
def hits_add(*, campaign: Campaign, plan: list[list[PlannedItem]]) -> list[Hit]:
    """HITs laid out by the caller (monitoring's reallocation) after the campaign's last,
    open at once, and stored as ``hits_build`` stores its own: every shown response must
    exist, and each shows its label beside a yes/no question."""
    if not plan:
        return []
    system_ids = list(
        CampaignSystem.objects.filter(campaign=campaign)
        .order_by("position", "pk")
        .values_list("system_id", flat=True)
    )
    candidate_ids = _candidate_ids(plan)
    labels = _shown_labels(campaign, plan, candidate_ids, system_ids)
    last = Hit.objects.filter(campaign=campaign).aggregate(last=Max("index"))["last"]
    return _store(campaign, plan, candidate_ids, labels, first_index=last + 1)


def _plan(
    campaign: Campaign, dialogue_ids: list[int], system_ids: list[int]
) -> list[list[PlannedItem]]:
    rng = layout_rng(protocol=campaign.protocol, seed=campaign.sample_seed)
    if get(campaign.protocol).pairwise:
        subsets = dict(Dialogue.objects.filter(pk__in=dialogue_ids).values_list("pk", "subset"))
        return plan_ab_hits(
            dialogue_ids=dialogue_ids,
            subset_of=subsets,
            system_ids=system_ids,
            sample_size=campaign.sample_size,
            items_per_hit=campaign.items_per_hit,
            rng=rng,
            pair_per_hit=campaign.monitor_reallocate,
        )
    eligible: set[int] = set()
    if campaign.gold_per_hit:
        pool = Dialogue.objects.filter(pk__in=dialogue_ids).exclude(gold_response="")
        if campaign.gold_subset:
            pool = pool.filter(subset=campaign.gold_subset)
        eligible = set(pool.values_list("pk", flat=True))
    return plan_rated_hits(
        dialogue_ids=dialogue_ids,
        system_ids=system_ids,
        items_per_hit=campaign.items_per_hit,
        gold_per_hit=campaign.gold_per_hit,
        gold_eligible=eligible,
        rng=rng,
    )


def _candidate_ids(plan: list[list[PlannedItem]]) -> dict[tuple[int, int], int]:
    """(system, dialogue) -> candidate id for everything the plan shows, or a clear error."""
    needed = {
        (system_id, item.dialogue_id)
        for items in plan
        for item in items
        for system_id in item.shown
        if isinstance(system_id, int)
    }
    dialogue_ids = {dialogue_id for _, dialogue_id in needed}
    system_ids = {system_id for system_id, _ in needed}
    found = {
        (system_id, dialogue_id): pk
        for pk, system_id, dialogue_id in Candidate.objects.filter(
            system_id__in=system_ids, dialogue_id__in=dialogue_ids
        ).values_list("pk", "system_id", "dialogue_id")
    }
    missing = sorted(needed - found.keys())
    if missing:
        raise ApplicationError(_missing_message(missing))
    return found


def _missing_message(missing: list[tuple[int, int]]) -> str:
    by_system: dict[int, list[int]] = defaultdict(list)
    for system_id, dialogue_id in missing:
        by_system[system_id].append(dialogue_id)
    names = dict(System.objects.filter(pk__in=by_system).values_list("pk", "name"))
    shown_ids = {pk for ids in by_system.values() for pk in ids[:MISSING_EXAMPLES]}
    labels = {
        dialogue.pk: str(dialogue)
        for dialogue in Dialogue.objects.filter(pk__in=shown_ids).select_related("dataset")
    }
    parts = []
    for system_id, dialogue_ids in sorted(by_system.items(), key=lambda kv: names[kv[0]]):
        examples = ", ".join(labels[pk] for pk in dialogue_ids[:MISSING_EXAMPLES])
        more = len(dialogue_ids) - MISSING_EXAMPLES
        parts.append(
            f"system {names[system_id]!r} has no response to {len(dialogue_ids)} sampled "
            f"dialogue(s) ({examples}{f' and {more} more' if more > 0 else ''})"
        )
    return (
        f"Cannot build HITs: {len(missing)} response(s) are missing: "
        + "; ".join(parts)
        + ". Generate or import them first."
    )


@dataclass(frozen=True)
class ShownLabel:
    text: str = ""
    decoy: bool = False


def _shown_labels(
    campaign: Campaign,
    plan: list[list[PlannedItem]],
    candidate_ids: dict[tuple[int, int], int],
    system_order: list[int],
) -> dict[tuple[int, int], ShownLabel]:
    """Keyed by (the item's index in the flattened plan, shown position): the predicted
    label each response shows beside a binary question, fixed at build time.

    Every response shows one, so no card differs from another but by its text: the gold
    response and a filler show the dialogue's emotion; a response whose system predicts
    no label shows a decoy (another system's prediction for that dialogue, or the
    dialogue's emotion) under ``unlabelled_systems=exclude``; under ``borrow`` it shows
    the first labelled system's (campaign order) prediction for the context, as a real
    label; the build is refused under ``refuse`` (campaign validation says so earlier, with
    the choices)."""
    if not campaign.criteria.filter(kind=CriterionKind.BINARY).exists():
        return {}
    rng = layout_rng(protocol=f"{campaign.protocol}-labels", seed=campaign.sample_seed)
    labels_of = dict(
        Candidate.objects.filter(pk__in=candidate_ids.values()).values_list("pk", "label")
    )
    flat = [planned for items in plan for planned in items]
    emotions = dict(
        Dialogue.objects.filter(pk__in={p.dialogue_id for p in flat}).values_list("pk", "emotion")
    )
    out: dict[tuple[int, int], ShownLabel] = {}
    for index, planned in enumerate(flat):
        predicted = {
            position: labels_of[candidate_ids[(shown, planned.dialogue_id)]]
            for position, shown in enumerate(planned.shown)
            if isinstance(shown, int)
        }
        given = sorted({label for label in predicted.values() if label})
        by_system = {
            shown: predicted[position]
            for position, shown in enumerate(planned.shown)
            if isinstance(shown, int)
        }
        borrowed = next((by_system[pk] for pk in system_order if by_system.get(pk)), "")
        for position, shown in enumerate(planned.shown):
            if not isinstance(shown, int):
                out[(index, position)] = ShownLabel(emotions[planned.dialogue_id])
            elif predicted[position]:
                out[(index, position)] = ShownLabel(predicted[position])
            elif campaign.unlabelled_systems == UnlabelledSystems.EXCLUDE:
                decoy = rng.choice(given) if given else emotions[planned.dialogue_id]
                out[(index, position)] = ShownLabel(decoy, decoy=True)
            elif campaign.unlabelled_systems == UnlabelledSystems.BORROW and borrowed:
                out[(index, position)] = ShownLabel(borrowed)
            else:
                raise ApplicationError(unlabelled_message(campaign))
    return out


def unlabelled_message(campaign: Campaign) -> str:
    return (
        f"Campaign {campaign.name!r} asks a question about each response's predicted emotion, "
        "but some systems give no predicted label (and under 'borrow', no system gives one "
        "for some dialogue). Set 'unlabelled systems' to leave them out of that question, or "
        "to label them with another system's classifier, or import or generate labels first."
    )


def _store(
    campaign: Campaign,
    plan: list[list[PlannedItem]],
    candidate_ids: dict[tuple[int, int], int],
    labels: dict[tuple[int, int], ShownLabel],
    first_index: int = 0,
) -> list[Hit]:
    hits = Hit.objects.bulk_create(
        Hit(campaign=campaign, index=first_index + n) for n in range(len(plan))
    )
    items = Item.objects.bulk_create(
        (
            Item(
                hit=hit,
                position=position,
                dialogue_id=planned.dialogue_id,
                has_gold=planned.has_gold,
            )
            for hit, planned_items in zip(hits, plan, strict=True)
            for position, planned in enumerate(planned_items)
        ),
        batch_size=1000,
    )
    planned_flat = [planned for planned_items in plan for planned in planned_items]
    ItemCandidate.objects.bulk_create(
        (
            _shown(item, position, shown, planned, candidate_ids, labels.get((index, position)))
            for index, (item, planned) in enumerate(zip(items, planned_flat, strict=True))
            for position, shown in enumerate(planned.shown)
        ),
        batch_size=1000,
    )
    return hits


def _shown(
    item: Item,
    position: int,
    shown: int | Filler | None,
    planned: PlannedItem,
    candidate_ids: dict[tuple[int, int], int],
    label: ShownLabel | None,
) -> ItemCandidate:
    label = label or ShownLabel()
    common = {
        "item": item,
        "position": position,
        "shown_label": label.text[:100],
        "label_is_decoy": label.decoy,
    }
    if shown is GOLD:
        return ItemCandidate(is_gold=True, **common)
    if isinstance(shown, Filler):
        return ItemCandidate(is_filler=True, filler_dialogue_id=shown.dialogue_id, **common)
    return ItemCandidate(candidate_id=candidate_ids[(shown, planned.dialogue_id)], **common)


@transaction.atomic
def campaign_publish_hits(*, campaign: Campaign) -> int:
    """Build the HITs (once) and open them to workers: ready -> published.

    Idempotent: a campaign already published or collecting is left alone and 0 returned;
    otherwise returns the number of HITs opened. Providers that publish remotely (MTurk)
    call ``hits_build`` first and this once their HITs exist there.
    """
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if locked.status in OPEN_FOR_WORK:
        return 0
    if locked.status != CampaignStatus.READY:
        raise InvalidTransition(
            f"Campaign {locked.name!r} is {locked.get_status_display().lower()}; only a ready "
            "campaign can be published."
        )
    hits_build(campaign=locked)
    campaign_transition(campaign=locked, to=CampaignStatus.PUBLISHED)
    campaign.status, campaign.status_changed_at = locked.status, locked.status_changed_at
    return Hit.objects.filter(campaign=locked, status=HitStatus.OPEN).count()


@transaction.atomic
def hits_expire(*, campaign: Campaign) -> int:
    """Stop handing out the campaign's open HITs (work in progress may still be submitted);
    returns how many HITs were closed."""
    return Hit.objects.filter(campaign=campaign, status=HitStatus.OPEN).update(
        status=HitStatus.EXPIRED
    )
