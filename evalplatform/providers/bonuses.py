"""Which approved assignments earn a bonus, and how much.

The rule is ``campaign.provider_settings["bonus_rule"]``:
- ``"all_gold"`` (default; seed 002): every gold check of the HIT passed, i.e. the bonus
  points the worker earned equal the HIT's gold items (and the HIT has some);
- ``"min_points:N"``: at least N bonus points;
- ``"none"``: no bonuses.
The amount is ``campaign.bonus``; nothing is due when it is zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from evalplatform.campaigns.models import Campaign
from evalplatform.common.errors import ApplicationError
from evalplatform.crowd.models import Assignment, Item


@dataclass(frozen=True)
class BonusDue:
    rule: str
    amount: Decimal
    reason: str


def bonus_rule(campaign: Campaign) -> str:
    rule = str((campaign.provider_settings or {}).get("bonus_rule", "all_gold"))
    if rule in ("all_gold", "none") or rule.startswith("min_points:"):
        return rule
    raise ApplicationError(f"Unknown bonus rule {rule!r}: use all_gold, min_points:N or none.")


def bonus_due(assignment: Assignment, *, gold_items: int | None = None) -> BonusDue | None:
    campaign = assignment.hit.campaign
    amount = Decimal(campaign.bonus)
    rule = bonus_rule(campaign)
    if amount <= 0 or rule == "none":
        return None
    points = assignment.bonus_points
    if rule == "all_gold":
        if gold_items is None:
            gold_items = Item.objects.filter(hit_id=assignment.hit_id, has_gold=True).count()
        if gold_items == 0 or points < gold_items:
            return None
        reason = (
            f"Bonus: you passed all {gold_items} quality checks in this HIT. "
            "Thank you for your careful work!"
        )
    else:
        needed = int(rule.split(":", 1)[1])
        if points < needed:
            return None
        reason = f"Bonus: you earned {points} bonus points in this HIT. Thank you!"
    return BonusDue(rule=rule.replace(":", "-"), amount=amount, reason=reason)
