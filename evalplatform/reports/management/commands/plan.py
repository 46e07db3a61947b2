"""python manage.py plan [CAMPAIGN] [--pilot FILE --protocol likert|ab|ggb] --difference D

The power planner (``analysis/planning.py``): the designs (items x raters) it simulated, each
with its power, Monte-Carlo interval, cost and hours of work, and the cheapest design that
reaches the target power. Variance components come from a tidy pilot CSV (the ``analyze``
columns) when one is given, else from the planner's documented defaults. A campaign gives
systems, criteria, HIT shape, pay, provider, alpha and correction, and its current design
is simulated too; without one, options give them.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from evalplatform.analysis.ab import canonical_ab
from evalplatform.analysis.planning import (
    DEFAULT_LIKERT,
    RATERS,
    CostModel,
    Design,
    Plan,
    Problem,
    plan_designs,
)
from evalplatform.analysis.variance_components import fit_ab, fit_ggb, fit_likert
from evalplatform.campaigns.models import Campaign, CriterionKind
from evalplatform.campaigns.selectors import campaign_by_name_or_id
from evalplatform.providers.costs import mturk_assignment_fee, mturk_bonus_fee
from evalplatform.reports.tidy import TidyError, read_judgments

UNITS = {"likert": "points", "ab": "points of preference", "ggb": "points of label score"}


def assignment_cost(
    provider: str, reward: Decimal, bonus: Decimal, *, masters: bool = False
) -> Callable[[int], float]:
    """One assignment's cost with the provider's fees (``providers/costs.py``'s rules)."""

    def cost(raters: int) -> float:
        if provider == "mturk":
            fee = mturk_assignment_fee(reward, raters, masters=masters)
            extra = bonus + mturk_bonus_fee(bonus) if bonus > 0 else Decimal(0)
            return float(reward + fee + extra)
        if provider == "prolific":
            return float((reward + bonus) * (1 + Decimal(settings.PROLIFIC_FEE_RATE)))
        return float(reward + bonus)

    return cost


class Command(BaseCommand):
    help = "Plan a campaign: the cheapest items x raters reaching the target power."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("campaign", nargs="?", help="Campaign name or id (a draft).")
        parser.add_argument("--pilot", help="Tidy pilot CSV (the analyze command's columns).")
        parser.add_argument("--protocol", choices=sorted(UNITS))
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
        parser.add_argument("--systems", default="A,B,C", help="Without a campaign or pilot.")
        parser.add_argument("--raters", default=",".join(map(str, RATERS)))
        parser.add_argument("--items-per-hit", type=int, default=None)
        parser.add_argument("--hits-per-worker", type=float, default=2.0)
        parser.add_argument("--provider", choices=("local", "mturk", "prolific"), default=None)
        parser.add_argument("--reward", type=Decimal, default=None)
        parser.add_argument("--bonus", type=Decimal, default=Decimal("0"))
        parser.add_argument("--minutes-per-hit", type=float, default=None)
        parser.add_argument("--sets", type=int, default=200, help="Simulated data sets a design.")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--format", dest="fmt", choices=("text", "json"), default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        campaign = self._campaign(options["campaign"])
        protocol = campaign.protocol if campaign else options["protocol"]
        if protocol not in UNITS:
            raise CommandError("Give a campaign or --protocol likert|ab|ggb.", returncode=2)
        started = time.perf_counter()
        problem = self._problem(protocol, campaign, options)
        plan = plan_designs(
            problem,
            self._costs(campaign, options),
            raters=[int(r) for r in options["raters"].split(",")],
            items_per_hit=options["items_per_hit"] or (campaign.items_per_hit if campaign else 10),
            current=self._current(campaign),
            sets=options["sets"],
            seed=options["seed"],
        )
        seconds = time.perf_counter() - started
        if options["fmt"] == "json":
            self.stdout.write(json.dumps(plan_json(plan, seconds), indent=2))
        else:
            self.stdout.write(plan_text(plan, seconds))

    def _campaign(self, name: str | None) -> Campaign | None:
        if name is None:
            return None
        campaign = campaign_by_name_or_id(name)
        if campaign is None:
            raise CommandError(f"No campaign named {name!r}.", returncode=2)
        return campaign

    def _problem(self, protocol: str, campaign: Campaign | None, o: dict[str, Any]) -> Problem:
        systems = self._systems(campaign, o)
        alpha = o["alpha"] or (float(campaign.alpha) if campaign else 0.05)
        common: dict[str, Any] = {
            "alpha": alpha,
            "target": o["target"],
            "hits_per_worker": o["hits_per_worker"],
        }
        if campaign is not None:
            common["correction"] = campaign.correction
        if o["pilot"]:
            common.update(self._fitted(protocol, o["pilot"]))
            systems = common.pop("systems")
        elif protocol == "likert" and campaign is not None:
            scale = campaign.criteria.filter(kind=CriterionKind.SCALE)
            common["likert"] = {c.name: DEFAULT_LIKERT for c in scale}
            if not common["likert"]:
                raise CommandError("The planner needs a scale criterion (binary: not yet).")
        if len(systems) < 2:
            raise CommandError("A plan needs at least two systems.", returncode=2)
        return Problem(protocol, tuple(systems), o["difference"], **common)

    def _systems(self, campaign: Campaign | None, o: dict[str, Any]) -> list[str]:
        if campaign is not None:
            return [e.system.name for e in campaign.entries.select_related("system")]
        return [s.strip() for s in o["systems"].split(",") if s.strip()]

    def _fitted(self, protocol: str, path: str) -> dict[str, Any]:
        try:
            pilot = read_judgments(path, protocol)
        except (TidyError, OSError) as error:
            raise CommandError(f"{path}: {error}", returncode=2) from None
        if protocol == "ab":
            systems = sorted(
                set(pilot["system_a"].astype(str)) | set(pilot["system_b"].astype(str))
            )
            return {"systems": systems, "ab": fit_ab(canonical_ab(pilot, systems), pilot)}
        systems = list(dict.fromkeys(pilot["system"].astype(str)))
        if protocol == "ggb":
            return {"systems": systems, "ggb": fit_ggb(pilot)}
        return {"systems": systems, "likert": fit_likert(pilot)}

    def _costs(self, campaign: Campaign | None, o: dict[str, Any]) -> CostModel:
        provider = o["provider"] or (campaign.provider if campaign else "local")
        reward = (
            o["reward"]
            if o["reward"] is not None
            else (Decimal(campaign.reward) if campaign else Decimal("1.00"))
        )
        bonus = o["bonus"] or (Decimal(campaign.bonus) if campaign else Decimal(0))
        masters = bool(((campaign.worker_requirements or {}) if campaign else {}).get("masters"))
        minutes = o["minutes_per_hit"] or (campaign.minutes_per_hit if campaign else 10)
        return CostModel(assignment_cost(provider, reward, bonus, masters=masters), minutes)

    def _current(self, campaign: Campaign | None) -> Design | None:
        if campaign is None:
            return None
        return Design(campaign.sample_size, campaign.assignments_per_hit, campaign.items_per_hit)


def plan_json(plan: Plan, seconds: float) -> dict[str, Any]:
    p = plan.problem
    return {
        "protocol": p.protocol,
        "systems": list(p.systems),
        "difference": p.difference,
        "unit": UNITS[p.protocol],
        "target": p.target,
        "alpha": p.alpha,
        "correction": p.correction,
        "components": _components(p),
        "designs": [r.as_dict() for r in plan.rows],
        "cheapest": plan.cheapest.as_dict() if plan.cheapest else None,
        "current": plan.current.as_dict() if plan.current else None,
        "seconds": round(seconds, 1),
    }


def _components(p: Problem) -> dict[str, Any]:
    if p.protocol == "ab":
        return vars(p.ab)
    if p.protocol == "ggb":
        return vars(p.ggb)
    return {name: vars(c) for name, c in p.likert.items()}


def plan_text(plan: Plan, seconds: float) -> str:
    p = plan.problem
    lines = [
        f"Plan: {p.protocol}, systems {', '.join(p.systems)}; smallest difference "
        f"{p.difference:g} {UNITS[p.protocol]}; target power {p.target:.0%} at alpha {p.alpha:g} "
        f"({p.correction} across the family).",
        "",
        "items  raters  power  95% MC interval   HITs  assignments      cost   hours",
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
    lines.append(f"({plan.rows[0].power.sets} simulated data sets a design; {seconds:.0f} s.)")
    return "\n".join(lines) + "\n"


def _line(row: Any) -> str:
    low, high = row.power.interval()
    d = row.design
    return (
        f"{d.items:5d}  {d.raters:6d}  {row.power.estimate:5.2f}  [{low:.2f}, {high:.2f}]"
        f"      {row.hits:5d}  {row.assignments:11d}  {row.cost:8.2f}  {row.hours:6.1f}"
    )
