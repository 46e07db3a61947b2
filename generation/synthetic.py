"""Synthetic EmpatheticDialogues-style dialogues for tests, benchmarks and smoke runs.

Each emotion has its own situations and phrasings, so a small model can learn both the
replies and the emotion label; lengths vary from one to four context turns.
"""

from __future__ import annotations

import random

from generation.types import DialogueInput, Turn

_EMOTIONS: dict[str, dict[str, list[str]]] = {
    "joyful": {
        "situation": [
            "I got the job I applied for",
            "my sister had a baby girl",
            "we won the football match on sunday",
            "my best friend is visiting",
        ],
        "feeling": ["I am so happy today!", "I can't stop smiling.", "What a wonderful day."],
        "reply": [
            "That is wonderful news, congratulations!",
            "I am so happy for you!",
            "That sounds amazing, you must be thrilled.",
        ],
        "follow": ["How are you going to celebrate?", "Did you tell your family yet?"],
    },
    "sad": {
        "situation": [
            "my dog passed away last week",
            "my grandfather is in the hospital",
            "I had to say goodbye to my old friends",
            "I lost my favorite watch",
        ],
        "feeling": ["I feel really down.", "I cried all night.", "It has been so hard."],
        "reply": [
            "I am so sorry to hear that.",
            "That must be really hard for you.",
            "I am sorry, losing someone you love is painful.",
        ],
        "follow": ["Do you have someone to talk to?", "Is there anything I can do?"],
    },
    "angry": {
        "situation": [
            "my neighbor parked in my spot again",
            "someone stole my bike",
            "my boss yelled at me for no reason",
            "the shop charged me twice",
        ],
        "feeling": ["I am so mad right now.", "It makes me furious.", "I can't believe it."],
        "reply": [
            "That is so frustrating, I would be angry too.",
            "That is not fair at all.",
            "Ugh, that would make me furious.",
        ],
        "follow": ["Did you talk to them about it?", "Are you going to report it?"],
    },
    "afraid": {
        "situation": [
            "I heard strange noises downstairs at night",
            "a big dog chased me",
            "the plane shook a lot during the storm",
            "I walked home alone in the dark",
        ],
        "feeling": ["I was really scared.", "My heart was racing.", "I could not sleep."],
        "reply": [
            "That sounds terrifying, are you okay?",
            "Oh no, that must have been scary.",
            "I would have been scared too.",
        ],
        "follow": ["Do you feel safe now?", "Did anyone help you?"],
    },
    "proud": {
        "situation": [
            "my son graduated from college",
            "I finished my first marathon",
            "I fixed the car all by myself",
            "my painting was shown in a gallery",
        ],
        "feeling": ["I am so proud.", "It took a lot of hard work.", "I did it!"],
        "reply": [
            "You should be proud, that is a great achievement!",
            "Well done, that is amazing!",
            "Congratulations, all that hard work paid off.",
        ],
        "follow": ["What is your next goal?", "How long did you train for it?"],
    },
    "anxious": {
        "situation": [
            "I have a big exam tomorrow",
            "I am waiting for my test results",
            "I start a new job on monday",
            "I have to give a speech at work",
        ],
        "feeling": ["I am so nervous.", "I keep worrying about it.", "I can't stop thinking."],
        "reply": [
            "It is normal to feel nervous, you will do great.",
            "I am sure you are well prepared.",
            "Try to relax, you can do this.",
        ],
        "follow": ["Have you prepared a lot?", "Is there anything that helps you calm down?"],
    },
}


def synthetic_dialogues(count: int, seed: int = 0, prefix: str = "syn") -> list[DialogueInput]:
    """`count` dialogues, reproducible from `seed`, keys `{prefix}-{index}`."""
    rng = random.Random(seed)
    names = sorted(_EMOTIONS)
    dialogues = []
    for index in range(count):
        emotion = names[rng.randrange(len(names))]
        parts = _EMOTIONS[emotion]
        situation = rng.choice(parts["situation"])
        turns = [Turn("speaker1", f"{situation.capitalize()}. {rng.choice(parts['feeling'])}")]
        for _ in range(rng.randrange(4)):
            if turns[-1].speaker == "speaker1":
                turns.append(
                    Turn("speaker2", f"{rng.choice(parts['reply'])} {rng.choice(parts['follow'])}")
                )
            else:
                turns.append(Turn("speaker1", f"Yes, {situation}. {rng.choice(parts['feeling'])}"))
        gold = (
            f"{rng.choice(parts['reply'])} {rng.choice(parts['follow'])}"
            if turns[-1].speaker == "speaker1"
            else rng.choice(parts["feeling"])
        )
        dialogues.append(DialogueInput(f"{prefix}-{index}", tuple(turns), emotion, situation, gold))
    return dialogues
