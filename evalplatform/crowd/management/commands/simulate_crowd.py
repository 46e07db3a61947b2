"""python manage.py simulate_crowd CAMPAIGN --workers N [--spammers K] [--seed S]

For the demo, load tests and end-to-end tests: simulated workers with a planted quality per
system answer a published campaign through the worker pages' HTTP endpoints. Their answers
are marked simulated in the database and in every export.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from evalplatform.campaigns.selectors import campaign_by_name_or_id
from evalplatform.crowd.simulation.workers import planted_quality, simulate_campaign


class Command(BaseCommand):
    help = "Answer a published campaign with simulated workers, over HTTP."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("campaign", help="Campaign name or id.")
        parser.add_argument("--workers", type=int, required=True)
        parser.add_argument(
            "--spammers", type=int, default=0, help="How many of the workers straight-line or rush."
        )
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--hits-per-worker", type=int, default=None)
        parser.add_argument(
            "--quality",
            default="",
            help='Planted quality per system as JSON, e.g. {"a": 0.8, "b": 0.4}.',
        )
        parser.add_argument(
            "--url", default=None, help="Base URL of a running server; default: in-process."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        campaign = campaign_by_name_or_id(options["campaign"])
        if campaign is None:
            raise CommandError(f"No campaign named {options['campaign']!r}.", returncode=2)
        if campaign.status not in ("published", "collecting"):
            raise CommandError(
                f"Campaign {campaign.name!r} is {campaign.status}; publish it first.", returncode=2
            )
        if not 0 <= options["spammers"] <= options["workers"]:
            raise CommandError("--spammers must be between 0 and --workers.", returncode=2)
        quality = None
        if options["quality"]:
            try:
                quality = {str(k): float(v) for k, v in json.loads(options["quality"]).items()}
            except (ValueError, AttributeError) as error:
                raise CommandError(
                    f"--quality is not a JSON object of numbers: {error}", returncode=2
                ) from None
        names = list(campaign.systems.values_list("name", flat=True))
        result = simulate_campaign(
            campaign=campaign,
            workers=options["workers"],
            spammers=options["spammers"],
            seed=options["seed"],
            hits_per_worker=options["hits_per_worker"],
            quality=quality,
            base_url=options["url"],
        )
        plant = quality or planted_quality(
            list(campaign.systems.order_by("entries__position").values_list("name", flat=True))
        )
        self.stdout.write(
            f"{result.assignments} assignments and {result.answers} answers by "
            f"{options['workers']} simulated workers ({options['spammers']} spammers) on "
            f"{campaign.name}; planted quality {plant} over systems {names}."
        )
