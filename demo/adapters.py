"""A Python-adapter system for the demo: a rule-based empathetic responder.

It stands for the research models that are not plain Hugging Face checkpoints (the seeds'
GRU and pointer-generator models): the platform calls ``module:callable`` with a batch of
dialogues and gets back a response and a predicted emotion label for each.
"""

from __future__ import annotations

from collections.abc import Sequence

OPENERS = {
    "afraid": "That sounds frightening.",
    "angry": "I can see why that would make you angry.",
    "anxious": "That must be nerve-wracking.",
    "excited": "That is so exciting!",
    "grateful": "It is lovely to hear you feel thankful.",
    "joyful": "That is wonderful news!",
    "lonely": "I am sorry you feel alone.",
    "proud": "You should be proud of that.",
    "sad": "I am so sorry to hear that.",
}
POSITIVE = {
    "excited",
    "grateful",
    "joyful",
    "proud",
    "hopeful",
    "impressed",
    "confident",
    "caring",
    "faithful",
    "prepared",
    "nostalgic",
    "sentimental",
    "surprised",
}


def template_responder(dialogues: Sequence, settings: object) -> list[tuple[str, str]]:
    """One (response, predicted emotion) per dialogue, from keywords of the last turn."""
    replies = []
    for dialogue in dialogues:
        last = dialogue.turns[-1].text.lower()
        emotion = next((name for name in OPENERS if name in last), dialogue.emotion or "sad")
        opener = OPENERS.get(emotion, "I understand how you feel.")
        follow_up = (
            "What happened next?" if emotion in POSITIVE else "Do you want to talk about it?"
        )
        replies.append((f"{opener} {follow_up}", emotion))
    return replies
