"""python manage.py plan [CAMPAIGN] [--pilot FILE --protocol likert|ab|ggb] --difference D

The power planner (``analysis/planning.py``): the designs (items x raters) it simulated, each
with its power, Monte-Carlo interval, cost and hours of work, and the cheapest design that
reaches the target power. Variance components come from a tidy pilot CSV (the ``analyze``
columns) when one is given, else from the planner's documented defaults. A campaign gives
systems, criteria, HIT shape, pay, provider, alpha and correction, and its current design
is simulated too; without one, options give them.
"""

from __future__ import annotations

import dataclasses
import json
import time
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from evalplatform.analysis.planning import RATERS, Plan, Row
from evalplatform.campaigns.models import Campaign
from evalplatform.campaigns.selectors import campaign_by_name_or_id
from evalplatform.protocols.registry import names
from evalplatform.reports.planning import (
    PlanError,
    PlanInputs,
    campaign_plan_inputs,
    plan_from,
)
from evalplatform.reports.tidy import TidyError, read_judgments


class Command(BaseCommand):
    help = "Plan a campaign: the cheapest items x raters reaching the target power."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("campaign", nargs="?", help="Campaign name or id (a draft).")
        parser.add_argument("--pilot", help="Tidy pilot CSV (the analyze command's columns).")
        parser.add_argument("--protocol", choices=names())
        parser.add_argument(
            "--difference",
            type=float,
            required=True,
            help="Smallest difference worth detecting: points on the scale (likert), "
            "percentage points of preference among non-ties (ab), or points of the 0/1/2 "
            "label score (ggb; 0.1 = a tenth of the labels one step up).",
        )
        parser.add_argument("--target", type=float, default=0.8)
        parser.add_argument("--alpha", type=float, default=None)
        parser.add_argument(
            "--systems", help="Without a campaign: default the pilot's, else A,B,C."
        )
        parser.add_argument("--raters", default=",".join(map(str, RATERS)))
        parser.add_argument("--items-per-hit", type=int, default=None)
        parser.add_argument("--hits-per-worker", type=float, default=2.0)
        parser.add_argument("--provider", choices=("local", "mturk", "prolific"), default=None)
        parser.add_argument("--reward", type=Decimal, default=None)
        parser.add_argument("--bonus", type=Decimal, default=None)
        parser.add_argument("--minutes-per-hit", type=float, default=None)
        parser.add_argument("--sets", type=int, default=200, help="Simulated data sets a design.")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--format", dest="fmt", choices=("text", "json"), default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        inputs = self._inputs(self._campaign(options["campaign"]), options)
        pilot = None
        if options["pilot"]:
            try:
                pilot = read_judgments(options["pilot"], inputs.protocol)
            except (TidyError, OSError) as error:
                raise CommandError(f"{options['pilot']}: {error}", returncode=2) from None
        started = time.perf_counter()
        try:
            plan = plan_from(
                inputs,
                difference=options["difference"],
                target=options["target"],
                pilot=pilot,
                sets=options["sets"],
                seed=options["seed"],
            )
        except (PlanError, TidyError) as error:
            raise CommandError(str(error), returncode=2) from None
        seconds = time.perf_counter() - started
        if options["fmt"] == "json":
            self.stdout.write(json.dumps({**plan.to_dict(), "seconds": round(seconds, 1)}))
        else:
            self.stdout.write(plan_text(plan, seconds))

    def _campaign(self, name: str | None) -> Campaign | None:
        if name is None:
            return None
        campaign = campaign_by_name_or_id(name)
        if campaign is None:
            raise CommandError(f"No campaign named {name!r}.", returncode=2)
        return campaign

    def _inputs(self, campaign: Campaign | None, o: dict[str, Any]) -> PlanInputs:
        """The campaign's inputs (or the defaults), with the options given on top."""
        if campaign is not None:
            inputs = campaign_plan_inputs(campaign)
        elif o["protocol"]:
            given = o["systems"] or ("" if o["pilot"] else "A,B,C")
            systems = tuple(s.strip() for s in given.split(",") if s.strip())
            inputs = PlanInputs(protocol=o["protocol"], systems=systems)
        else:
            raise CommandError("Give a campaign or --protocol likert|ab|ggb.", returncode=2)
        given = {
            "provider": o["provider"],
            "reward": o["reward"],
            "bonus": o["bonus"],
            "minutes_per_hit": o["minutes_per_hit"],
            "items_per_hit": o["items_per_hit"],
        }
        changes = {k: v for k, v in given.items() if v is not None}
        changes["hits_per_worker"] = o["hits_per_worker"]
        changes["raters"] = tuple(int(r) for r in o["raters"].split(","))
        if o["alpha"] is not None:
            changes["settings"] = inputs.settings.with_(alpha=o["alpha"])
        return dataclasses.replace(inputs, **changes)


def plan_text(plan: Plan, seconds: float) -> str:
    p = plan.problem
    lines = [
        f"Plan: {p.protocol}, systems {', '.join(p.systems)}; smallest difference "
        f"{p.difference:g} {p.model.unit}; target power {p.target:.0%} at alpha "
        f"{p.alpha:g} ({p.correction} across the family); components from the "
        f"{p.model.source}.",
        "",
        "items  raters  power  95% MC interval  sets   HITs  assignments      cost   hours",
    ]
    for row in plan.rows:
        lines.append(_line(row))
    if plan.current is not None:
        lines += ["", "Current design:", _line(plan.current)]
    lines.append("")
    if plan.cheapest is None:
        lines.append("No simulated design reaches the target; allow more raters or items.")
    else:
        lines += ["Cheapest design reaching the target:", _line(plan.cheapest)]
    lines.append(
        f"(Up to {plan.sets} simulated data sets a design, fewer where a design is clearly "
        f"on one side of the target; {seconds:.0f} s.)"
    )
    return "\n".join(lines) + "\n"


def _line(row: Row) -> str:
    low, high = row.power.interval()
    d = row.design
    return (
        f"{d.items:5d}  {d.raters:6d}  {row.power.estimate:5.2f}  [{low:.2f}, {high:.2f}]"
        f"      {row.power.sets:4d}  {row.hits:5d}  {row.assignments:11d}"
        f"  {row.cost:8.2f}  {row.hours:6.1f}"
    )
