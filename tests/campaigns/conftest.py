from __future__ import annotations

import json
from pathlib import Path

import pytest

from evalplatform.campaigns.models import Dataset, Dialogue, System


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def dialogue_row(index: int, subset: str = "ED", gold: str = "That sounds hard.") -> dict:
    return {
        "id": f"{subset}-{index}",
        "turns": [
            {"speaker": "speaker1", "text": f"My dog ran away this morning ({index})."},
            {"speaker": "speaker2", "text": "Oh no, did you find him?"},
        ],
        "emotion": "sad",
        "situation": "I lost my dog.",
        "subset": subset,
        "gold": gold,
    }


@pytest.fixture
def dataset(db) -> Dataset:
    dataset = Dataset.objects.create(name="test-set")
    for subset in ("OS", "EDOS", "ED"):
        for index in range(20):
            row = dialogue_row(index, subset)
            Dialogue.objects.create(
                dataset=dataset,
                external_id=row["id"],
                turns=row["turns"],
                emotion=row["emotion"],
                situation=row["situation"],
                subset=subset,
                gold_response=row["gold"],
                position=len(Dialogue.objects.all()),
            )
    return dataset


@pytest.fixture
def systems(db) -> list[System]:
    return [
        System.objects.create(name=f"system-{letter}", kind="imported")
        for letter in ("a", "b", "c")
    ]


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory):
    """The project's tiny BART and GPT-2 (with an emotion classifier), trained in seconds."""
    from generation.tiny import build_tiny_models
    from generation.types import DialogueInput, Turn

    dialogues = [
        DialogueInput(
            key=f"t{i}",
            turns=(Turn("speaker1", f"I feel {emotion} today, number {i}."),),
            emotion=emotion,
            gold=f"Why do you feel {emotion}?",
        )
        for i, emotion in enumerate(["sad", "happy", "proud", "afraid"] * 5)
    ]
    return build_tiny_models(
        dialogues, tmp_path_factory.mktemp("models"), steps=5, seed=0, sizes="tiny"
    )
