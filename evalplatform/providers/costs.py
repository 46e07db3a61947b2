"""Cost estimates, fees included, as upper bounds (every assignment approved, every
bonus earned).

MTurk (https://www.mturk.com/pricing, brief section 12): 20 % of reward and bonus, another
20 % of the reward when a HIT has 10 or more assignments, Masters 5 %, at least $0.01 per
assignment and per bonus, rounded half up. Prolific: a platform fee rate on rewards and
bonuses (setting PROLIFIC_FEE_RATE; see conf.py for the published rates). Local links: no
platform fees.

``design_cost(provider, pay, hits=..., assignments_per_hit=...)`` prices any design by the
provider's rules: a campaign's estimate is its own design priced this way, and the power
planner (``reports/planning.py``) prices the designs it simulates with the same function,
so a plan's cost is the estimate the campaign would show for that design.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

from evalplatform.campaigns.models import Campaign
from evalplatform.campaigns.sampling import hit_count, sample_target
from evalplatform.providers.base import CostEstimate

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Pay:
    """What one assignment earns: the reward and the most bonus it can earn."""

    reward: Decimal
    bonus: Decimal = ZERO
    masters: bool = False  # MTurk's Masters qualification (its fee is higher)

    @classmethod
    def of(cls, campaign: Campaign) -> Pay:
        # The bonus is earned on gold checks (crowd/scoring.py): none without them.
        return cls(
            reward=Decimal(campaign.reward),
            bonus=Decimal(campaign.bonus) if campaign.gold_per_hit else ZERO,
            masters=bool((campaign.worker_requirements or {}).get("masters")),
        )


def _fee(amount: Decimal, rate: Decimal, minimum: Decimal = CENT) -> Decimal:
    return max((amount * rate).quantize(CENT, rounding=ROUND_HALF_UP), minimum)


def mturk_assignment_fee(
    reward: Decimal, max_assignments: int, *, masters: bool = False
) -> Decimal:
    rate = Decimal("0.20")
    if max_assignments >= 10:
        rate += Decimal("0.20")
    if masters:
        rate += Decimal("0.05")
    return _fee(reward, rate)


def mturk_bonus_fee(bonus: Decimal) -> Decimal:
    return _fee(bonus, Decimal("0.20"))


def campaign_hit_count(campaign: Campaign) -> int:
    """The HITs built already, or the number the campaign's sample will give."""
    built = campaign.hits.count()
    if built:
        return built
    dialogues = sample_target(
        protocol=campaign.protocol,
        sample_size=campaign.sample_size,
        n_systems=campaign.entries.count(),
    )
    return hit_count(n_dialogues=dialogues, items_per_hit=campaign.items_per_hit)


def mturk_cost(pay: Pay, *, hits: int, assignments_per_hit: int) -> CostEstimate:
    """MTurk's fees: per assignment on the reward, per bonus paid."""
    per_hit = assignments_per_hit
    assignments = hits * per_hit
    fee = mturk_assignment_fee(pay.reward, per_hit, masters=pay.masters)
    bonus_fee = mturk_bonus_fee(pay.bonus) if pay.bonus > 0 else ZERO
    rewards = pay.reward * assignments
    bonuses = pay.bonus * assignments
    fees = fee * assignments + bonus_fee * assignments
    notes = [
        f"MTurk fee {fee} per assignment"
        + (" (includes the extra 20 % for 10 or more assignments per HIT)" if per_hit >= 10 else "")
        + (" and Masters' 5 %" if pay.masters else "")
        + "."
    ]
    if pay.bonus > 0:
        notes.append(
            f"Upper bound: every assignment earns the {pay.bonus} bonus (fee {bonus_fee} each)."
        )
    notes.append("Fees are charged on approval only; rejected work costs nothing.")
    return CostEstimate(
        hits=hits,
        assignments=assignments,
        reward_per_assignment=pay.reward,
        rewards=rewards,
        bonuses=bonuses,
        fees=fees,
        total=rewards + bonuses + fees,
        notes=notes,
    )


def prolific_cost(pay: Pay, *, hits: int, assignments_per_hit: int) -> CostEstimate:
    """Prolific's platform fee rate on the study's rewards and bonuses."""
    assignments = hits * assignments_per_hit
    rate = Decimal(settings.PROLIFIC_FEE_RATE)
    rewards, bonuses = pay.reward * assignments, pay.bonus * assignments
    fees = _fee(rewards, rate, ZERO) + (_fee(bonuses, rate, ZERO) if bonuses else ZERO)
    notes = [
        f"Prolific platform fee {rate * 100:.1f} % on rewards and bonuses "
        "(PROLIFIC_FEE_RATE); VAT may apply on top for some accounts.",
        "Amounts are in the study's currency.",
    ]
    return CostEstimate(
        hits=hits,
        assignments=assignments,
        reward_per_assignment=pay.reward,
        rewards=rewards,
        bonuses=bonuses,
        fees=fees,
        total=rewards + bonuses + fees,
        notes=notes,
    )


def local_cost(pay: Pay, *, hits: int, assignments_per_hit: int) -> CostEstimate:
    """Local participants are paid by the researcher directly: no platform fees."""
    assignments = hits * assignments_per_hit
    rewards, bonuses = pay.reward * assignments, pay.bonus * assignments
    notes = ["Local participants are paid by the researcher directly: no platform fees."]
    if bonuses:
        notes.append(f"Upper bound: every assignment earns the {pay.bonus} bonus.")
    return CostEstimate(
        hits=hits,
        assignments=assignments,
        reward_per_assignment=pay.reward,
        rewards=rewards,
        bonuses=bonuses,
        fees=ZERO,
        total=rewards + bonuses,
        notes=notes,
    )


DesignCost = Callable[..., CostEstimate]
# Each provider's pricing rules, by the provider's name (``Campaign.provider``).
PRICING: dict[str, DesignCost] = {
    "mturk": mturk_cost,
    "prolific": prolific_cost,
    "local": local_cost,
}


def design_cost(provider: str, pay: Pay, *, hits: int, assignments_per_hit: int) -> CostEstimate:
    """``hits`` HITs of ``assignments_per_hit`` assignments each, priced by ``provider``."""
    try:
        price = PRICING[provider]
    except KeyError:
        known = ", ".join(sorted(PRICING))
        raise ValueError(f"Unknown crowd provider {provider!r} (known: {known}).") from None
    return price(pay, hits=hits, assignments_per_hit=assignments_per_hit)


def campaign_estimate(campaign: Campaign, provider: str | None = None) -> CostEstimate:
    """The campaign's own design priced by ``provider`` (default: the campaign's)."""
    return design_cost(
        provider or str(campaign.provider),
        Pay.of(campaign),
        hits=campaign_hit_count(campaign),
        assignments_per_hit=campaign.assignments_per_hit,
    )
