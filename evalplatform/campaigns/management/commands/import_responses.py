"""python manage.py import_responses FILE --system NAME --dataset NAME [--replace]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from evalplatform.campaigns.importers import import_responses
from evalplatform.campaigns.models import Dataset, System
from evalplatform.common.errors import ImportFailed


class Command(BaseCommand):
    help = "Import a system's responses from JSONL (all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--system", required=True)
        parser.add_argument("--dataset", required=True)
        parser.add_argument("--replace", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        system = System.objects.filter(name=options["system"]).first()
        dataset = Dataset.objects.filter(name=options["dataset"]).first()
        if system is None or dataset is None:
            missing = "system" if system is None else "dataset"
            raise CommandError(f"No {missing} named {options[missing]!r}.", returncode=2)
        try:
            stored = import_responses(
                source=options["file"],
                system=system,
                dataset=dataset,
                replace=options["replace"],
                name=str(options["file"]),
            )
        except ImportFailed as error:
            raise CommandError(f"Nothing was imported. {error.message}", returncode=2) from None
        self.stdout.write(self.style.SUCCESS(f"Stored {stored} responses for {system.name}."))
