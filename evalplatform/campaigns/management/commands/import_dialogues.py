"""python manage.py import_dialogues FILE --format jsonl|csv|ed --dataset NAME [--subset S]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from evalplatform.campaigns.importers import DIALOGUE_FORMATS, import_dialogues
from evalplatform.common.errors import ImportFailed


class Command(BaseCommand):
    help = "Import dialogues (all or nothing); a bad line is named and nothing is stored."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--format", dest="fmt", choices=sorted(DIALOGUE_FORMATS), default="jsonl"
        )
        parser.add_argument("--dataset", required=True)
        parser.add_argument("--subset", default="", help="Subset for dialogues naming none.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            dataset = import_dialogues(
                source=options["file"],
                fmt=options["fmt"],
                dataset_name=options["dataset"],
                subset=options["subset"],
                name=str(options["file"]),
            )
        except ImportFailed as error:
            raise CommandError(f"Nothing was imported. {error.message}", returncode=2) from None
        count = dataset.dialogues.count()
        self.stdout.write(self.style.SUCCESS(f"Dataset {dataset.name} holds {count} dialogues."))
