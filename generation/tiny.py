"""Small dialogue models the project trains itself, offline, for tests and the demo.

`python -m generation.tiny OUTDIR --dialogues FILE.jsonl --minutes M` writes
OUTDIR/bart (hf_seq2seq, with an emotion classifier in OUTDIR/bart/classifier when the
dialogues carry at least two emotions), OUTDIR/gpt2 (hf_causal) and OUTDIR/manifest.json.
Runs are reproducible for a given step count and seed; a time budget (`--minutes`) stops
training wherever the clock says, so it is not.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path
from typing import Any, Literal

import torch

from generation.backends import HF_CAUSAL, HF_SEQ2SEQ
from generation.classifier import CLASSIFIER_SUBDIR
from generation.formatting import causal_ids, encoder_ids
from generation.tiny_training import (
    EOS_ID,
    SIZES,
    Example,
    bart_model,
    classifier_model,
    collate_causal,
    collate_classes,
    collate_seq2seq,
    gpt2_model,
    hf_tokenizer,
    train,
    train_tokenizer,
)
from generation.types import DialogueInput, Turn

KINDS = {"bart": HF_SEQ2SEQ, "gpt2": HF_CAUSAL}
# Shares of a time budget: the seq2seq model learns slowest, the classifier fastest.
_TIME_SHARES = {"bart": 0.45, "gpt2": 0.4, "classifier": 0.15}


def _all_turns(dialogue: DialogueInput) -> list[Turn]:
    """The context turns plus the gold response as the final turn."""
    turns = [turn for turn in dialogue.turns if turn.text.strip()]
    if dialogue.gold.strip():
        last = turns[-1].speaker if turns else ""
        # Any speaker name unlike the last one: formatting must not merge the reply into it.
        turns.append(Turn(f"not {last}", dialogue.gold))
    return turns


def _prefixes(dialogue: DialogueInput) -> list[tuple[DialogueInput, str]]:
    """Every (context, next turn) pair of the dialogue, the gold response included."""
    turns = _all_turns(dialogue)
    return [
        (DialogueInput(dialogue.key, tuple(turns[:end])), turns[end].text)
        for end in range(1, len(turns))
    ]


def build_tiny_models(
    dialogues: list[DialogueInput],
    out_dir: Path,
    *,
    steps: int,
    seed: int,
    sizes: Literal["tiny", "small"] = "tiny",
    max_seconds: float | None = None,
) -> dict[str, Path]:
    """Train a tokenizer, a BART-like and a GPT-2-like model (plus a classifier); save them.

    Returns {"bart": dir, "gpt2": dir}; `KINDS` maps each name to its backend kind.
    """
    if not any(not d.is_empty() for d in dialogues):
        raise ValueError("build_tiny_models needs at least one non-empty dialogue")
    size = SIZES[sizes]
    out_dir.mkdir(parents=True, exist_ok=True)
    texts = [turn.text for d in dialogues for turn in _all_turns(d)]
    base = train_tokenizer(texts, size.vocab)
    vocab = base.get_vocab_size()
    budget = {k: None if max_seconds is None else max_seconds * v for k, v in _TIME_SHARES.items()}
    manifest: dict[str, Any] = {}

    # torch.manual_seed inside train() fixes the initial weights too: seed before building.
    torch.manual_seed(seed)
    tokenizer = hf_tokenizer(base, encoder=True, max_length=size.positions)
    bart = bart_model(size, vocab)
    pairs = [pair for d in dialogues for pair in _prefixes(d)]
    seq2seq: list[Example] = [
        (
            encoder_ids(tokenizer, context, size.positions),
            list(tokenizer(text_target=reply)["input_ids"])[: size.positions - 2],
        )
        for context, reply in pairs
    ]
    runs = {
        "bart": train(
            bart,
            seq2seq,
            collate_seq2seq,
            size=size,
            steps=steps,
            seed=seed,
            max_seconds=budget["bart"],
        )
    }
    bart_dir = out_dir / "bart"
    bart.save_pretrained(bart_dir)
    tokenizer.save_pretrained(bart_dir)
    labels = sorted({d.emotion for d in dialogues if d.emotion})
    if len(labels) >= 2:
        runs["classifier"] = _train_classifier(
            dialogues,
            labels,
            tokenizer,
            bart_dir / CLASSIFIER_SUBDIR,
            size_name=sizes,
            steps=steps,
            seed=seed,
            max_seconds=budget["classifier"],
        )

    torch.manual_seed(seed)
    causal_tokenizer = hf_tokenizer(base, encoder=False, max_length=size.positions)
    gpt2 = gpt2_model(size, vocab)
    # One sequence per dialogue: every turn is the response to the turns before it.
    causal: list[Example] = []
    for d in dialogues:
        turns = _all_turns(d)
        if turns:
            whole = DialogueInput(d.key, tuple(turns))
            causal.append((causal_ids(causal_tokenizer, whole, size.positions, EOS_ID), []))
    runs["gpt2"] = train(
        gpt2, causal, collate_causal, size=size, steps=steps, seed=seed, max_seconds=budget["gpt2"]
    )
    gpt2_dir = out_dir / "gpt2"
    gpt2.save_pretrained(gpt2_dir)
    causal_tokenizer.save_pretrained(gpt2_dir)

    paths = {"bart": bart_dir, "gpt2": gpt2_dir}
    for name, path in paths.items():
        manifest[name] = {"kind": KINDS[name], "path": str(path)}
    manifest["training"] = {name: dataclasses.asdict(run) for name, run in runs.items()}
    manifest["size"], manifest["seed"] = sizes, seed
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return paths


def _train_classifier(
    dialogues: list[DialogueInput],
    labels: list[str],
    tokenizer: Any,
    folder: Path,
    *,
    size_name: str,
    steps: int,
    seed: int,
    max_seconds: float | None,
) -> Any:
    size = SIZES[size_name]
    torch.manual_seed(seed)
    model = classifier_model(size, len(tokenizer), labels)
    index = {label: i for i, label in enumerate(labels)}
    examples: list[Example] = [
        (encoder_ids(tokenizer, d, size.positions), [index[d.emotion]])
        for d in dialogues
        if d.emotion and not d.is_empty()
    ]
    run = train(
        model, examples, collate_classes, size=size, steps=steps, seed=seed, max_seconds=max_seconds
    )
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return run


def read_jsonl(path: Path) -> list[DialogueInput]:
    rows = path.read_text(encoding="utf-8").splitlines()
    return [DialogueInput.from_dict(json.loads(row)) for row in rows if row.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generation.tiny", description=__doc__)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--dialogues", type=Path, required=True, help="our JSONL dialogues")
    parser.add_argument("--minutes", type=float, default=None, help="CPU time budget")
    parser.add_argument("--steps", type=int, default=None, help="steps per model")
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--seed", type=int, default=0)
    # One thread by default: on a small shared machine a second OpenMP thread that has to
    # wait for a busy core makes every step several times slower (measured 4x on 2 cores).
    parser.add_argument("--threads", type=int, default=1, help="torch intra-op threads")
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    if args.minutes is None and args.steps is None:
        parser.error("give --minutes, --steps or both")
    # With only a time budget the clock decides when to stop.
    steps = args.steps if args.steps is not None else 10**9
    max_seconds = None if args.minutes is None else args.minutes * 60
    paths = build_tiny_models(
        read_jsonl(args.dialogues),
        args.out_dir,
        steps=steps,
        seed=args.seed,
        sizes=args.size,
        max_seconds=max_seconds,
    )
    sys.stdout.write((args.out_dir / "manifest.json").read_text())
    return 0 if paths else 1


if __name__ == "__main__":
    raise SystemExit(main())
