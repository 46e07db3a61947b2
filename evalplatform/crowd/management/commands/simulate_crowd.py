"""python manage.py simulate_crowd CAMPAIGN --workers N [--spammers K] [--seed S]
[--url URL [--concurrency C]]

For the demo, load tests and end-to-end tests: simulated workers with a planted quality per
system answer a published campaign through the worker pages' HTTP endpoints. Their answers
are marked simulated in the database and in every export. With ``--url`` it drives a
running server, up to C workers at once, and prints the throughput; the simulator reads the
same database as the server (it looks behind the pages for the planted quality), so it runs
beside it. It fails (exit status 1) when no answer could be stored.
"""

from __future__ import annotations

import json
import statistics
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from evalplatform.campaigns.models import Campaign
from evalplatform.campaigns.selectors import campaign_by_name_or_id
from evalplatform.crowd.simulation.run import SimulationResult, simulate_campaign
from evalplatform.crowd.simulation.transport import TransportError, transport_for
from evalplatform.crowd.simulation.workers import planted_quality


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
        parser.add_argument(
            "--concurrency",
            type=int,
            default=1,
            help="With --url: how many workers act at once (threads, one session each).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        campaign = self._campaign(options)
        quality = self._quality(options)
        self._check_server(options["url"])
        result = simulate_campaign(
            campaign=campaign,
            workers=options["workers"],
            spammers=options["spammers"],
            seed=options["seed"],
            hits_per_worker=options["hits_per_worker"],
            quality=quality,
            base_url=options["url"],
            concurrency=options["concurrency"],
        )
        names = list(campaign.systems.order_by("entries__position").values_list("name", flat=True))
        self.stdout.write(
            f"{result.assignments} assignments and {result.answers} answers by "
            f"{options['workers']} simulated workers ({options['spammers']} spammers) on "
            f"{campaign.name}; planted quality {quality or planted_quality(names)} over "
            f"systems {names}."
        )
        self.stdout.write(throughput(result))
        for message, count in result.common_errors():
            self.stderr.write(f"  {count} x {message}")
        if result.answers == 0:
            raise CommandError(_why_nothing(result, campaign))

    def _campaign(self, options: dict[str, Any]) -> Campaign:
        campaign = campaign_by_name_or_id(options["campaign"])
        if campaign is None:
            raise CommandError(f"No campaign named {options['campaign']!r}.", returncode=2)
        if campaign.status not in ("published", "collecting"):
            raise CommandError(
                f"Campaign {campaign.name!r} is {campaign.status}; publish it first.", returncode=2
            )
        if not 0 <= options["spammers"] <= options["workers"]:
            raise CommandError("--spammers must be between 0 and --workers.", returncode=2)
        if options["concurrency"] < 1:
            raise CommandError("--concurrency must be at least 1.", returncode=2)
        if options["concurrency"] > 1 and not options["url"]:
            raise CommandError(
                "--concurrency needs --url: in-process, workers take turns.", returncode=2
            )
        return campaign

    def _quality(self, options: dict[str, Any]) -> dict[str, float] | None:
        if not options["quality"]:
            return None
        try:
            return {str(k): float(v) for k, v in json.loads(options["quality"]).items()}
        except (ValueError, AttributeError) as error:
            raise CommandError(
                f"--quality is not a JSON object of numbers: {error}", returncode=2
            ) from None

    def _check_server(self, url: str | None) -> None:
        """Before any invitation is made: is the server there, and does it accept us?"""
        where = url or "the in-process server"
        transport = transport_for(url)
        try:
            status, _, _ = transport.get("/healthz")
        except TransportError as error:
            raise CommandError(f"Cannot reach {where}: {error}") from None
        finally:
            transport.close()
        if status != 200:
            raise CommandError(
                f"{where} answered HTTP {status} to /healthz; is it this project, and does "
                "DJANGO_ALLOWED_HOSTS name the host of --url?"
            )


def throughput(result: SimulationResult) -> str:
    seconds = max(result.seconds, 1e-9)
    line = (
        f"{result.seconds:.1f} s: {result.requests} requests ({result.requests / seconds:.1f}/s), "
        f"{result.answers} answers ({result.answers / seconds:.1f}/s), "
        f"{len(result.errors)} errors"
    )
    if len(result.latencies) >= 2:
        cuts = statistics.quantiles(result.latencies, n=100)
        line += f"; latency p50 {cuts[49] * 1000:.0f} ms, p99 {cuts[98] * 1000:.0f} ms"
    return line


def _why_nothing(result: SimulationResult, campaign: Campaign) -> str:
    if result.errors:
        first, count = result.common_errors(1)[0]
        return (
            f"No answer was stored: every simulated worker failed ({len(result.errors)} "
            f"errors; most common, {count} times: {first})."
        )
    return (
        f"No answer was stored: campaign {campaign.name!r} has no open assignments (every "
        "HIT is complete or its slots are leased)."
    )
