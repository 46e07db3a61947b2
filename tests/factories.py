"""Factories for tests across the project: datasets, dialogues, systems, candidates,
workers, and whole campaigns built from a preset and brought to any status.

Texts never contain a system's name or the word "gold", so that tests can grep worker
pages for leaks. Campaign helpers use the real services (no shortcuts through the ORM),
so a campaign made here is one the product could have made.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Callable, Sequence
from typing import Any

import factory
from factory.django import DjangoModelFactory

from evalplatform.campaigns.models import (
    Campaign,
    CampaignStatus,
    Candidate,
    Dataset,
    Dialogue,
    System,
)
from evalplatform.campaigns.services import (
    campaign_create_from_preset,
    campaign_draw_sample,
    campaign_transition,
)
from evalplatform.crowd.errors import InvalidToken
from evalplatform.crowd.models import Assignment, ItemCandidate, Worker
from evalplatform.crowd.services import campaign_publish_hits, judgment_save
from evalplatform.crowd.tokens import assignment_from_token

EMOTIONS = ("sad", "joyful", "afraid", "proud", "angry")


class DatasetFactory(DjangoModelFactory):
    class Meta:
        model = Dataset

    name = factory.Sequence(lambda n: f"dataset-{n}")


class DialogueFactory(DjangoModelFactory):
    class Meta:
        model = Dialogue

    dataset = factory.SubFactory(DatasetFactory)
    external_id = factory.Sequence(lambda n: f"dlg-{n}")
    turns = factory.Sequence(
        lambda n: [
            {"speaker": "alice", "text": f"Something happened to me today, story {n}."},
            {"speaker": "bob", "text": "Oh really? Tell me more."},
            {"speaker": "alice", "text": "I am still thinking about it."},
        ]
    )
    emotion = factory.Sequence(lambda n: EMOTIONS[n % len(EMOTIONS)])
    situation = "A situation worth talking about."
    subset = "ED"
    gold_response = factory.Sequence(lambda n: f"That sounds like a lot to take in ({n}).")
    position = factory.Sequence(lambda n: n)


class SystemFactory(DjangoModelFactory):
    class Meta:
        model = System

    name = factory.Sequence(lambda n: f"system-{n}")
    kind = "imported"


class CandidateFactory(DjangoModelFactory):
    class Meta:
        model = Candidate

    system = factory.SubFactory(SystemFactory)
    dialogue = factory.SubFactory(DialogueFactory)
    text = factory.Sequence(lambda n: f"I hear you, and I am here for you (reply {n}).")
    label = factory.Sequence(lambda n: EMOTIONS[n % len(EMOTIONS)])


class WorkerFactory(DjangoModelFactory):
    class Meta:
        model = Worker
        django_get_or_create = ("provider", "external_id")

    provider = "local"
    external_id = factory.Sequence(lambda n: f"worker-{n}")
    simulated = False


# Small shapes of the presets, quick to build and still exercising every feature.
SMALL_PRESETS: dict[str, dict[str, Any]] = {
    "good-okay-bad": {
        "overrides": {
            "sample_size": 12,
            "items_per_hit": 4,
            "assignments_per_hit": 2,
            "gold_per_hit": 1,
            "max_hits_per_worker": 3,
        },
        "n_systems": 4,
        "subsets": ("OS", "EDOS", "ED"),
    },
    "likert-fce": {
        "overrides": {"sample_size": 6, "items_per_hit": 3, "assignments_per_hit": 2},
        "n_systems": 3,
        "subsets": ("ED",),
    },
    "likert-efir": {
        "overrides": {"sample_size": 4, "items_per_hit": 2, "assignments_per_hit": 2},
        "n_systems": 1,
        "subsets": ("ED",),
    },
    "ab-wlt": {
        "overrides": {"sample_size": 4, "items_per_hit": 4, "assignments_per_hit": 2},
        "n_systems": 3,
        "subsets": ("ED",),
    },
}


def make_dataset(*, subsets: Sequence[str] = ("ED",), per_subset: int = 12) -> Dataset:
    dataset = DatasetFactory()
    for subset in subsets:
        for index in range(per_subset):
            DialogueFactory(dataset=dataset, subset=subset, external_id=f"{subset}-{index}")
    return dataset


def make_campaign(
    preset: str = "good-okay-bad",
    *,
    status: str = CampaignStatus.PUBLISHED,
    overrides: dict[str, Any] | None = None,
    n_systems: int | None = None,
    systems: Sequence[System] | None = None,
    dataset: Dataset | None = None,
    per_subset: int = 12,
    with_candidates: bool = True,
    name: str | None = None,
) -> Campaign:
    """A campaign from ``preset`` (small shape from SMALL_PRESETS), brought to ``status``:
    draft; ready (sample drawn, candidates made, through generating); published (HITs
    built and opened, as the local provider publishes)."""
    shape = SMALL_PRESETS.get(preset, {"overrides": {}, "n_systems": 2, "subsets": ("ED",)})
    if dataset is None:
        dataset = make_dataset(subsets=shape["subsets"], per_subset=per_subset)
    if systems is None:
        systems = SystemFactory.create_batch(n_systems or shape["n_systems"])
    fields = {**shape["overrides"], **(overrides or {})}
    if preset == "good-okay-bad" and "sample_subsets" not in fields:
        fields["sample_subsets"] = list(shape["subsets"])
    campaign = campaign_create_from_preset(
        preset_key=preset,
        name=name or f"campaign-{Campaign.objects.count() + 1}-{preset}",
        dataset=dataset,
        systems=list(systems),
        overrides=fields,
    )
    if status == CampaignStatus.DRAFT:
        return campaign
    sample = campaign_draw_sample(campaign=campaign)
    if with_candidates:
        for system in systems:
            # Campaigns share candidates (one per system and dialogue), as in the product.
            have = set(
                Candidate.objects.filter(system=system).values_list("dialogue_id", flat=True)
            )
            for dialogue_id in sample:
                if dialogue_id not in have:
                    CandidateFactory(system=system, dialogue_id=dialogue_id)
    campaign_transition(campaign=campaign, to=CampaignStatus.GENERATING)
    campaign_transition(campaign=campaign, to=CampaignStatus.READY)
    if status == CampaignStatus.READY:
        return campaign
    campaign_publish_hits(campaign=campaign)
    if status == CampaignStatus.CLOSED:
        campaign_transition(campaign=campaign, to=CampaignStatus.CLOSED)
    campaign.refresh_from_db()
    return campaign


def worker_post(client: Any, url: str, body: dict[str, Any]) -> Any:
    """POST a JSON body to a worker endpoint as a page's script does: with the nonce of the
    window that holds the assignment (the one a page opened, or show_all, gave it; one is
    given here when none was), unless the body names its own ``session``."""
    if "session" not in body:
        token = re.search(r"/w/a/([^/]+)/", url)
        assert token, url
        try:
            assignment = assignment_from_token(token.group(1))
        except InvalidToken:  # refused before the nonce is read
            return client.post(url, json.dumps(body), content_type="application/json")
        if not assignment.session:
            assignment.session = secrets.token_urlsafe(12)
            Assignment.objects.filter(pk=assignment.pk).update(session=assignment.session)
        body = {**body, "session": assignment.session}
    return client.post(url, json.dumps(body), content_type="application/json")


def show_all(assignment: Assignment) -> None:
    """As if the worker had opened every dialogue's page (answers are refused before), in
    one window: the assignment holds that window's nonce (kept when it had one)."""
    assignment.items_shown = assignment.hit.items.count()
    held = Assignment.objects.values_list("session", flat=True).get(pk=assignment.pk)
    assignment.session = held or secrets.token_urlsafe(12)
    Assignment.objects.filter(pk=assignment.pk).update(
        items_shown=assignment.items_shown, session=assignment.session
    )


def answer_all(
    assignment: Assignment,
    label_for: Callable[[ItemCandidate], str] = lambda shown: "bad",
    score: str = "3",
) -> None:
    """Answer every question of a leased assignment through ``judgment_save``: labels from
    ``label_for(item_candidate)``, ``score`` on scales, yes on binary, A on A/B. Every
    dialogue counts as shown first (answers follow the pages a worker was served)."""
    campaign = assignment.hit.campaign
    show_all(assignment)
    for item in assignment.hit.items.prefetch_related("candidates"):
        for criterion in campaign.criteria.all():
            if criterion.kind == "choice":
                judgment_save(
                    assignment=assignment,
                    item_position=item.position,
                    criterion=criterion.name,
                    value="a",
                )
                continue
            for ic in item.candidates.all():
                value = {"label": label_for(ic), "binary": "1"}.get(criterion.kind, score)
                judgment_save(
                    assignment=assignment,
                    item_position=item.position,
                    candidate_position=ic.position,
                    criterion=criterion.name,
                    value=value,
                )
