"""Checks that a campaign can run, each explaining itself to the researcher."""

from __future__ import annotations

from django.db.models import Q

from evalplatform.campaigns.models import (
    Campaign,
    Candidate,
    CriterionKind,
    Dialogue,
    SampledDialogue,
    UnlabelledSystems,
)
from evalplatform.campaigns.sampling import hit_count, sample_target
from evalplatform.protocols.registry import ProtocolSpec, get


def campaign_problems(campaign: Campaign) -> list[str]:
    """Everything that stops this campaign from running, as sentences; empty when fine."""
    spec = get(campaign.protocol)
    n_systems = campaign.entries.count()
    problems = _system_problems(spec, campaign, n_systems)
    criteria = list(campaign.criteria.all())
    if not criteria:
        problems.append("The campaign has no criteria; create it from a preset or add one.")
    for criterion in criteria:
        if criterion.kind not in spec.criterion_kinds:
            problems.append(
                f"Criterion {criterion.name!r} is a {criterion.kind} criterion, which a "
                f"{spec.title} campaign cannot ask."
            )
    if n_systems:
        problems.extend(_sample_problems(spec, campaign, n_systems))
    problems.extend(_label_problems(campaign, criteria))
    return problems


def _label_problems(campaign: Campaign, criteria: list) -> list[str]:
    """A binary criterion judges a response against its predicted label; a system whose
    responses carry none cannot be asked it (and a card without one would mark its system
    out). Says which systems, and the researcher's two ways out."""
    binary = [c for c in criteria if c.kind == CriterionKind.BINARY]
    if not binary or campaign.unlabelled_systems == UnlabelledSystems.EXCLUDE:
        return []
    if campaign.unlabelled_systems == UnlabelledSystems.BORROW:
        labelled = Candidate.objects.filter(system__in=campaign.systems.all()).exclude(label="")
        if labelled.exists() or not Candidate.objects.filter(system__in=campaign.systems.all()):
            return []
        return [
            f"Criterion {binary[0].name!r} borrows predicted emotions from another system's "
            "classifier, but no system of this campaign predicts any. Leave the unlabelled "
            "systems out of that question instead, or give their responses labels ('Label "
            "responses' on the system's page runs a checkpoint's classifier over them)."
        ]
    candidates = Candidate.objects.filter(system__in=campaign.systems.all(), label="")
    sample = SampledDialogue.objects.filter(campaign=campaign).values("dialogue_id")
    if SampledDialogue.objects.filter(campaign=campaign).exists():
        candidates = candidates.filter(dialogue_id__in=sample)
    else:
        candidates = candidates.filter(dialogue__dataset=campaign.dataset)
    names = sorted(set(candidates.values_list("system__name", flat=True)))
    if not names:
        return []
    return [
        f"Criterion {binary[0].name!r} asks whether each response fits its predicted emotion, "
        f"but the responses of {', '.join(repr(n) for n in names)} carry no predicted label. "
        "Set 'unlabelled systems' to leave those systems out of that question (their cards "
        "then show another system's prediction and those answers are not analysed), or to "
        "label them with another system's classifier (the emotion it predicted for the same "
        "context; answers analysed), or give their responses labels: 'Label responses' on the "
        "system's page runs a checkpoint's classifier (e.g. the dataset's) over them, or "
        "import a label column, or generate them from a checkpoint with a classifier head."
    ]


def _system_problems(spec: ProtocolSpec, campaign: Campaign, n_systems: int) -> list[str]:
    problems = spec.system_problems(n_systems, campaign.gold_per_hit)
    if problems:
        return problems
    if n_systems == 0:
        return ["The campaign has no systems."]
    return []


def _sample_problems(spec: ProtocolSpec, campaign: Campaign, n_systems: int) -> list[str]:
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
        if not spec.gold_checks:
            problems.append(
                f"Gold checks are not available in {spec.title} campaigns; set gold per HIT to 0."
            )
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
