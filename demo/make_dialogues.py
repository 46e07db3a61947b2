"""Compose the evalplatform demo dataset from the hand-written material in material.py.

Usage:  python demo/make_dialogues.py [--out PATH] [--check-only]

Writes one JSON object per line (default: demo/dialogues.jsonl)::

    {"id": "ED-0001", "turns": [{"speaker": "speaker1", "text": "..."}, ...],
     "emotion": "afraid", "situation": "I ...", "subset": "ED", "gold": "..."}

Every scripted conversation in the material has six turns (speaker1 opens, speaker2
listens). A dialogue is the first k turns of one script, k in 1, 3 or 5, so the gold
response is always the listener's (speaker2's) next reply. For each emotion and subset,
5 of the 6 possible (script, k) pairs are drawn with ``random.Random(7)``, giving
24 emotions x 5 = 120 dialogues per subset, 360 in all. The output is deterministic.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from material import MATERIAL

HERE = Path(__file__).resolve().parent
SUBSETS = ("OS", "EDOS", "ED")
EMOTIONS = (
    "afraid",
    "angry",
    "anxious",
    "ashamed",
    "caring",
    "confident",
    "disappointed",
    "embarrassed",
    "excited",
    "faithful",
    "grateful",
    "guilty",
    "hopeful",
    "impressed",
    "jealous",
    "joyful",
    "lonely",
    "nostalgic",
    "prepared",
    "proud",
    "sad",
    "sentimental",
    "surprised",
    "terrified",
)
PER_EMOTION = 5  # dialogues per emotion and subset
CONTEXT_LENGTHS = (1, 3, 5)  # odd, so the gold turn is always speaker2's reply
MIN_WORDS, MAX_WORDS = 5, 30
SPEAKERS = {"A": "speaker1", "B": "speaker2"}
FIRST_PERSON = re.compile(r"\b(I|I'm|I've|I'd|my|me|our|we)\b", re.IGNORECASE)
KEYS = {"id", "turns", "emotion", "situation", "subset", "gold"}
ID_PATTERN = re.compile(r"^(OS|EDOS|ED)-\d{4}$")


@dataclass(frozen=True)
class Script:
    emotion: str
    subset: str
    situation: str
    turns: tuple[tuple[str, str], ...]  # (speaker, text), six of them


def words(text: str) -> int:
    return len(text.split())


def parse_material(text: str) -> list[Script]:
    """Parse the ``@@ emotion`` / ``== subset`` / ``S:``, ``A:``, ``B:`` blocks."""
    scripts: list[Script] = []
    emotion = subset = ""
    block: list[tuple[str, str]] = []

    def flush() -> None:
        if not block:
            return
        situation = " ".join(value for tag, value in block if tag == "S")
        turns = tuple((SPEAKERS[tag], value) for tag, value in block if tag in SPEAKERS)
        scripts.append(Script(emotion, subset, situation, turns))
        block.clear()

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("@@ "):
            flush()
            emotion = line[3:].strip()
        elif line.startswith("== "):
            flush()
            subset = line[3:].strip()
        elif line[:2] in ("S:", "A:", "B:"):
            block.append((line[0], line[2:].strip()))
        else:
            raise ValueError(f"material line {number}: cannot parse {line!r}")
    flush()
    return scripts


def validate_material(scripts: list[Script]) -> None:
    problems = []
    seen_openers: set[str] = set()
    for script in scripts:
        where = f"{script.emotion}/{script.subset}: {script.turns[0][1][:40]!r}"
        if script.emotion not in EMOTIONS or script.subset not in SUBSETS:
            problems.append(f"{where}: unknown emotion or subset")
        if len(script.turns) != 6:
            problems.append(f"{where}: {len(script.turns)} turns, expected 6")
        for index, (speaker, text) in enumerate(script.turns):
            if speaker != ("speaker1" if index % 2 == 0 else "speaker2"):
                problems.append(f"{where}: turn {index + 1} is by {speaker}")
            if not MIN_WORDS <= words(text) <= MAX_WORDS:
                problems.append(f"{where}: turn {index + 1} has {words(text)} words: {text!r}")
            if "<script" in text.lower():
                problems.append(f"{where}: turn {index + 1} holds a script tag")
        if script.subset == "OS":
            if script.situation:
                problems.append(f"{where}: OS scripts have no situation")
        elif not script.situation or not FIRST_PERSON.search(script.situation):
            problems.append(f"{where}: needs a first-person situation")
        if script.turns and script.turns[0][1] in seen_openers:
            problems.append(f"{where}: opening line used twice")
        if script.turns:
            seen_openers.add(script.turns[0][1])
    counts = Counter((s.emotion, s.subset) for s in scripts)
    for emotion in EMOTIONS:
        for subset in SUBSETS:
            if counts[emotion, subset] * len(CONTEXT_LENGTHS) < PER_EMOTION:
                problems.append(f"{emotion}/{subset}: not enough scripts")
    if problems:
        raise SystemExit("material problems:\n  " + "\n  ".join(problems))


def compose(scripts: list[Script], rng: random.Random) -> list[dict]:
    by_key: dict[tuple[str, str], list[Script]] = {}
    for script in scripts:
        by_key.setdefault((script.emotion, script.subset), []).append(script)
    dialogues: list[dict] = []
    for subset in SUBSETS:
        chosen = []
        for emotion in EMOTIONS:
            candidates = [(s, k) for s in by_key[emotion, subset] for k in CONTEXT_LENGTHS]
            chosen.extend(rng.sample(candidates, PER_EMOTION))
        rng.shuffle(chosen)
        for number, (script, k) in enumerate(chosen, start=1):
            dialogues.append(
                {
                    "id": f"{subset}-{number:04d}",
                    "turns": [
                        {"speaker": speaker, "text": text} for speaker, text in script.turns[:k]
                    ],
                    "emotion": script.emotion,
                    "situation": script.situation,
                    "subset": subset,
                    "gold": script.turns[k][1],
                }
            )
    return dialogues


def check(path: Path) -> dict:
    """Validate the written file against the schema; return summary figures."""
    problems = []
    ids: set[str] = set()
    contexts: Counter = Counter()
    per_subset: Counter = Counter()
    per_emotion: Counter = Counter()
    lengths: Counter = Counter()
    word_counts: list[int] = []
    html_special = 0
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append(f"line {number}: invalid JSON ({error})")
            continue
        if not isinstance(obj, dict) or set(obj) != KEYS:
            problems.append(f"line {number}: keys must be exactly {sorted(KEYS)}")
            continue
        did, turns, subset = obj["id"], obj["turns"], obj["subset"]
        if (
            not isinstance(did, str)
            or not ID_PATTERN.match(did)
            or not did.startswith(subset + "-")
        ):
            problems.append(f"line {number}: bad id {did!r} for subset {subset!r}")
        if did in ids:
            problems.append(f"line {number}: duplicate id {did!r}")
        ids.add(did)
        if subset not in SUBSETS or obj["emotion"] not in EMOTIONS:
            problems.append(f"line {number}: bad subset or emotion")
        if not isinstance(turns, list) or not 1 <= len(turns) <= 5:
            problems.append(f"line {number}: needs 1 to 5 turns")
            continue
        for index, turn in enumerate(turns):
            expected = "speaker1" if index % 2 == 0 else "speaker2"
            if not isinstance(turn, dict) or set(turn) != {"speaker", "text"}:
                problems.append(f"line {number}: turn {index + 1} must have speaker and text")
                continue
            if turn["speaker"] != expected:
                problems.append(f"line {number}: turn {index + 1} should be by {expected}")
            if (
                not isinstance(turn["text"], str)
                or not MIN_WORDS <= words(turn["text"]) <= MAX_WORDS
            ):
                problems.append(f"line {number}: turn {index + 1} length out of range")
            else:
                word_counts.append(words(turn["text"]))
        gold = obj["gold"]
        if not isinstance(gold, str) or not MIN_WORDS <= words(gold) <= MAX_WORDS:
            problems.append(f"line {number}: gold missing or length out of range")
        else:
            word_counts.append(words(gold))
        situation = obj["situation"]
        if not isinstance(situation, str) or (subset == "OS") != (situation == ""):
            problems.append(f"line {number}: situation must be empty exactly for OS")
        texts = [t.get("text", "") for t in turns if isinstance(t, dict)] + [gold]
        if any("<script" in str(t).lower() for t in [*texts, situation]):
            problems.append(f"line {number}: script tag")
        if any(c in str(t) for t in texts for c in "<>&"):
            html_special += 1
        contexts[tuple(t.get("text") for t in turns if isinstance(t, dict))] += 1
        per_subset[subset] += 1
        per_emotion[obj["emotion"]] += 1
        lengths[len(turns)] += 1
    duplicates = [key for key, count in contexts.items() if count > 1]
    if duplicates:
        problems.append(f"{len(duplicates)} duplicate contexts")
    for subset in SUBSETS:
        if per_subset[subset] < 120:
            problems.append(f"subset {subset} has only {per_subset[subset]} dialogues")
    if html_special < 2:
        problems.append("fewer than 2 dialogues exercise HTML escaping (<, >, &)")
    if problems:
        raise SystemExit(f"{path}: {len(problems)} problem(s):\n  " + "\n  ".join(problems[:50]))
    return {
        "dialogues": len(lines),
        "per_subset": dict(per_subset),
        "emotions": len(per_emotion),
        "per_emotion": f"{min(per_emotion.values())}..{max(per_emotion.values())}",
        "context_turns": dict(sorted(lengths.items())),
        "unique_ids": len(ids),
        "unique_contexts": len(contexts),
        "words_per_turn": f"{min(word_counts)}..{max(word_counts)}",
        "with_html_special_chars": html_special,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "dialogues.jsonl")
    parser.add_argument("--check-only", action="store_true", help="only validate --out")
    args = parser.parse_args()
    if not args.check_only:
        scripts = parse_material(MATERIAL)
        validate_material(scripts)
        dialogues = compose(scripts, random.Random(7))
        with args.out.open("w", encoding="utf-8", newline="\n") as handle:
            for dialogue in dialogues:
                handle.write(json.dumps(dialogue, ensure_ascii=False) + "\n")
        print(f"material: {len(scripts)} scripts; wrote {len(dialogues)} dialogues to {args.out}")
    for key, value in check(args.out).items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
