"""The evaluation protocols of the seed papers, as campaign presets (see PROTOCOLS.md).

A preset fills in everything a campaign needs except the dataset and the systems. Where a
paper is silent (items per HIT, pay for the Likert studies), the value is ours and says so
in ``notes``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

SEED_ANCHORS = {
    "1": "unacceptable",
    "2": "unsure",
    "3": "moderate",
    "4": "unsure",
    "5": "excellent",
}
SEED_002_LOCALES = ["US", "AU", "NZ", "GB", "CA"]


@dataclass(frozen=True)
class PresetCriterion:
    name: str
    question: str
    kind: str = "scale"  # scale | binary | label | choice
    anchors: dict[str, str] = field(default_factory=lambda: dict(SEED_ANCHORS))


@dataclass(frozen=True)
class Preset:
    key: str
    seed: str
    title: str
    protocol: str
    criteria: tuple[PresetCriterion, ...]
    sample_size: int
    assignments_per_hit: int
    items_per_hit: int
    reward: Decimal
    bonus: Decimal = Decimal("0.00")
    gold_per_hit: int = 0
    gold_subset: str = ""
    sample_subsets: tuple[str, ...] = ()
    max_hits_per_worker: int = 50
    locales: tuple[str, ...] = tuple(SEED_002_LOCALES)
    min_approval_rate: int = 95
    min_approved_hits: int = 100
    quality_filter: dict[str, object] = field(default_factory=dict)
    # Seed 002's rule (gold in Good or Okay) unless a preset says otherwise.
    gold_rule: str = "acceptable"
    # A system without predicted labels is refused until the researcher chooses.
    unlabelled_systems: str = "refuse"
    description: str = ""
    instructions: str = ""
    notes: str = ""

    @property
    def worker_requirements(self) -> dict[str, object]:
        return {
            "locales": list(self.locales),
            "min_approval_rate": self.min_approval_rate,
            "min_approved_hits": self.min_approved_hits,
        }


def _likert(name: str, question: str) -> PresetCriterion:
    return PresetCriterion(name=name, question=question)


FLUENCY = _likert("fluency", "Is the response fluent and grammatical?")
CONSISTENCY = _likert("consistency", "Is the response consistent with the dialogue history?")
RELEVANCE = _likert("relevance", "Is the response relevant to the dialogue history?")
EMPATHY = _likert(
    "empathy", "Does the response show understanding of the speaker's feelings and situation?"
)
EMOTION = _likert("emotion", "Does the response express an appropriate emotion?")
INFORMATIVENESS = _likert("informativeness", "Does the response carry useful information?")
EMOTION_ACCURACY = PresetCriterion(
    name="emotion_accuracy",
    question=("Is the response consistent with the emotion shown and with the dialogue history?"),
    kind="binary",
    anchors={"0": "no", "1": "yes"},
)
APPROPRIATENESS_LABEL = PresetCriterion(
    name="appropriateness",
    question="How emotionally appropriate is each response, given the dialogue history?",
    kind="label",
    anchors={},
)
OVERALL_CHOICE = PresetCriterion(
    name="overall",
    question="Which response is more appropriate as the next turn of the dialogue?",
    kind="choice",
    anchors={},
)

PRESETS: dict[str, Preset] = {
    preset.key: preset
    for preset in (
        Preset(
            key="likert-fce",
            seed="000",
            title="Rate chatbot responses: fluency, consistency, emotion",
            protocol="likert",
            criteria=(FLUENCY, CONSISTENCY, EMOTION_ACCURACY),
            sample_size=250,
            assignments_per_hit=6,
            items_per_hit=10,
            reward=Decimal("0.50"),
            description="Rate several systems' responses to one dialogue context.",
            notes="Seed 000: 250 responses per system, 6 raters, Welch t-test at 0.05. "
            "Items per HIT and pay are ours.",
        ),
        Preset(
            key="likert-efir",
            seed="001",
            title="Rate a chatbot response: emotion, fluency, informativeness, relevance",
            protocol="likert",
            criteria=(EMOTION, FLUENCY, INFORMATIVENESS, RELEVANCE),
            sample_size=100,
            assignments_per_hit=7,
            items_per_hit=10,
            reward=Decimal("0.50"),
            locales=("US",),
            description="Rate one response per dialogue on four criteria.",
            notes="Seed 001: 100 random test responses, 7 workers per sample, US residents. "
            "Items per HIT and pay are ours.",
        ),
        Preset(
            key="good-okay-bad",
            seed="002",
            title="Sort chatbot responses into Good, Okay and Bad",
            protocol="ggb",
            criteria=(APPROPRIATENESS_LABEL,),
            sample_size=6000,
            sample_subsets=("OS", "EDOS", "ED"),
            assignments_per_hit=4,
            items_per_hit=10,
            gold_per_hit=3,
            gold_subset="ED",
            reward=Decimal("0.40"),
            bonus=Decimal("0.10"),
            max_hits_per_worker=50,
            quality_filter={
                "straightline_share": 0.95,
                "rush_minutes": 5,
                "rush_min_bonus_points": 2,
                "min_bonus_points": 2,
            },
            description="Drag each candidate response into Good, Okay or Bad.",
            notes="Seed 002 (appendix C): 600 HITs x 10 dialogs from OS/EDOS/ED, 4 workers "
            "per HIT, 3 gold checks from ED, $0.40 + $0.10 bonus, at most 50 HITs per worker.",
        ),
        Preset(
            key="likert-fre",
            seed="003",
            title="Rate chatbot responses: fluency, relevance, empathy",
            protocol="likert",
            criteria=(FLUENCY, RELEVANCE, EMPATHY),
            sample_size=100,
            assignments_per_hit=5,
            items_per_hit=10,
            reward=Decimal("0.50"),
            description="Rate shuffled, anonymised responses on three criteria.",
            notes="Seed 003: 100 dialogs, 5 raters, Fleiss' kappa. Items per HIT and pay are ours.",
        ),
        Preset(
            key="ab-wlt",
            seed="003, 004",
            title="Pick the better chatbot response",
            protocol="ab",
            criteria=(OVERALL_CHOICE,),
            sample_size=100,
            assignments_per_hit=3,
            items_per_hit=10,
            reward=Decimal("0.30"),
            description="Two responses to the same dialogue: pick the better one, or Tie.",
            notes="Seeds 003/004: 100 dialogs per system pair, a distinct set of contexts for "
            "every pair, 3 raters, win/loss/tie with Fleiss' kappa per pair. For A/B the "
            "sample size is per pair. Items per HIT and pay are ours.",
        ),
        Preset(
            key="likert-erf",
            seed="004",
            title="Rate chatbot responses: empathy, relevance, fluency",
            protocol="likert",
            criteria=(EMPATHY, RELEVANCE, FLUENCY),
            sample_size=100,
            assignments_per_hit=3,
            items_per_hit=10,
            reward=Decimal("0.50"),
            description="Rate responses on three criteria.",
            notes="Seed 004: 100 contexts, 3 raters, Fleiss' kappa per criterion. Items per "
            "HIT and pay are ours.",
        ),
    )
}


def preset_choices() -> list[tuple[str, str]]:
    return [(key, f"{key} (seed {preset.seed}): {preset.title}") for key, preset in PRESETS.items()]
