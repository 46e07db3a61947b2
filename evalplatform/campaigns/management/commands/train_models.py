"""Train the project's own small models on a dataset's dialogues and register them as
systems, offline (nothing is downloaded)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from evalplatform.campaigns.candidates import dialogue_input
from evalplatform.campaigns.models import Dataset
from evalplatform.campaigns.services import system_register

# Decoding as the seeds use it (PROTOCOLS.md, "Model outputs in the seeds").
SYSTEMS = [
    (
        "bart-beam5",
        "bart",
        {"num_beams": 5, "no_repeat_ngram_size": 3, "max_new_tokens": 40},
        "Seed 001 decoding: beam search, 5 beams, no repeated 3-grams.",
    ),
    (
        "gpt2-topk3",
        "gpt2",
        {"do_sample": True, "top_k": 3, "max_new_tokens": 40, "seed": 13},
        "Seed 003 decoding: top-k sampling with k = 3.",
    ),
    (
        "gpt2-greedy",
        "gpt2",
        {"max_new_tokens": 40, "no_repeat_ngram_size": 4},
        "Seed 004 decoding: greedy, maximum length 40, 4-gram repeat blocking as seed 002.",
    ),
]


class Command(BaseCommand):
    help = "Train small seq2seq and causal models on a dataset and register them as systems."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dataset", required=True, help="Name of an imported dataset.")
        parser.add_argument("--out", type=Path, default=settings.EVALPLATFORM_MODEL_DIR)
        parser.add_argument("--minutes", type=float, default=3.0, help="CPU time budget.")
        parser.add_argument("--size", choices=["tiny", "small"], default="small")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--force", action="store_true", help="Retrain existing models.")

    def handle(self, *args: Any, **options: Any) -> None:
        import torch

        from generation.tiny import KINDS, build_tiny_models

        # More threads than this on a small shared machine stall rather than speed up.
        torch.set_num_threads(max(1, settings.GENERATION_TORCH_THREADS))

        dataset = Dataset.objects.filter(name=options["dataset"]).first()
        if dataset is None:
            raise CommandError(f"No dataset named {options['dataset']!r}; import it first.")
        out: Path = options["out"]
        paths = {name: out / name for name in KINDS}
        if options["force"] or not all((p / "config.json").exists() for p in paths.values()):
            dialogues = [dialogue_input(d) for d in dataset.dialogues.all()]
            self.stdout.write(
                f"Training on {len(dialogues)} dialogues for about {options['minutes']} "
                "minutes of CPU..."
            )
            paths = build_tiny_models(
                dialogues,
                out,
                steps=100_000,
                seed=options["seed"],
                sizes=options["size"],
                max_seconds=options["minutes"] * 60,
            )
        for name, model, decoding, description in SYSTEMS:
            # Through the service, so these pass the same validation as the admin's systems.
            system_register(
                name=name,
                kind=KINDS[model],
                path=str(paths[model]),
                decoding=decoding,
                description=description,
            )
            self.stdout.write(f"Registered system {name} ({KINDS[model]}, {paths[model]}).")
