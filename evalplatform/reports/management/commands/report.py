"""python manage.py report CAMPAIGN [--format html|json|csv|latex|pdf|judgments] [--out PATH]"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from evalplatform.campaigns.selectors import campaign_by_name_or_id
from evalplatform.reports.campaign_report import FORMATS, campaign_export
from evalplatform.reports.tidy import TidyError


class Command(BaseCommand):
    help = "Export a campaign's report (the same function as the admin's report page)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("campaign", help="Campaign name or id.")
        parser.add_argument("--format", dest="fmt", choices=FORMATS, default="json")
        parser.add_argument("--out", type=Path, default=None)
        parser.add_argument(
            "--embeddings",
            action="store_true",
            help="Add MiniLM embedding similarity to the automatic metrics.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        campaign = campaign_by_name_or_id(options["campaign"])
        if campaign is None:
            raise CommandError(f"No campaign named {options['campaign']!r}.", returncode=2)
        try:
            output = campaign_export(campaign, options["fmt"], embeddings=options["embeddings"])
        except TidyError as error:
            raise CommandError(f"{campaign.name}: {error}", returncode=2) from None
        if options["out"]:
            data = output if isinstance(output, bytes) else output.encode()
            options["out"].write_bytes(data)
            self.stdout.write(f"Wrote {options['out']}.")
        elif isinstance(output, bytes):
            raise CommandError("PDF output needs --out PATH.", returncode=2)
        else:
            self.stdout.write(output, ending="")
