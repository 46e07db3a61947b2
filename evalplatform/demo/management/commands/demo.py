"""python manage.py demo: set up the whole job on the embedded default and serve it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.urls import reverse

from evalplatform.crowd.simulation.run import simulate_campaign
from evalplatform.demo import orchestration as demo


class Command(BaseCommand):
    help = "Set up and serve the demo: models, one campaign per preset, a simulated crowd."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--minutes",
            type=float,
            default=2.5,
            help="CPU minutes for training the demo models (first run only).",
        )
        parser.add_argument(
            "--size",
            choices=["tiny", "small"],
            default="small",
            help="Model size; tiny trains in seconds (for tests).",
        )
        parser.add_argument(
            "--no-serve", action="store_true", help="Set everything up, print the summary and stop."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        base_url = f"http://127.0.0.1:{options['port']}"
        state = demo.prepare(
            base_url=base_url, minutes=options["minutes"], model_size=options["size"]
        )
        server = demo.start_web_server(options["port"])
        state.processes.append(server)
        try:
            for spec, campaign in zip(demo.CAMPAIGNS, state.campaigns, strict=True):
                if spec.simulate and not campaign.hits.filter(assignments__simulated=True).exists():
                    demo.say(f"Simulated crowd on {campaign.name}")
                    simulate_campaign(
                        campaign=campaign,
                        base_url=base_url,
                        workers=8,
                        spammers=2,
                        seed=7,
                        hits_per_worker=1,
                    )
            demo.build_reports(state.campaigns)
            reports = {
                c.preset: base_url + reverse("admin:reports_campaign_report", args=[c.pk])
                for c in state.campaigns
            }
            self.stdout.write(demo.summary(state, reports, serving=not options["no_serve"]))
            if not options["no_serve"]:
                try:
                    server.wait()
                except KeyboardInterrupt:
                    self.stdout.write("Stopping.")
        finally:
            for process in state.processes:
                process.terminate()
            for process in state.processes:
                process.wait(timeout=30)
