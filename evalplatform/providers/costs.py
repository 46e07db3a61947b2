"""Cost estimates, fees included, as upper bounds (every assignment approved, every
bonus earned).

MTurk (https://www.mturk.com/pricing, brief section 12): 20 % of reward and bonus, another
20 % of the reward when a HIT has 10 or more assignments, Masters 5 %, at least $0.01 per
assignment and per bonus, rounded half up. Prolific: a platform fee rate on rewards and
bonuses (setting PROLIFIC_FEE_RATE; see conf.py for the published rates).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

from evalplatform.campaigns.models import Campaign
from evalplatform.campaigns.sampling import hit_count, sample_target
from evalplatform.providers.base import CostEstimate

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


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


def mturk_estimate(campaign: Campaign) -> CostEstimate:
    hits = campaign_hit_count(campaign)
    per_hit = campaign.assignments_per_hit
    assignments = hits * per_hit
    reward = Decimal(campaign.reward)
    masters = bool((campaign.worker_requirements or {}).get("masters"))
    fee = mturk_assignment_fee(reward, per_hit, masters=masters)
    bonus = Decimal(campaign.bonus)
    bonus_fee = mturk_bonus_fee(bonus) if bonus > 0 else ZERO
    rewards = reward * assignments
    bonuses = bonus * assignments
    fees = fee * assignments + bonus_fee * assignments
    notes = [
        f"MTurk fee {fee} per assignment"
        + (" (includes the extra 20 % for 10 or more assignments per HIT)" if per_hit >= 10 else "")
        + (" and Masters' 5 %" if masters else "")
        + "."
    ]
    if bonus > 0:
        notes.append(
            f"Upper bound: every assignment earns the {bonus} bonus (fee {bonus_fee} each)."
        )
    notes.append("Fees are charged on approval only; rejected work costs nothing.")
    return CostEstimate(
        hits=hits,
        assignments=assignments,
        reward_per_assignment=reward,
        rewards=rewards,
        bonuses=bonuses,
        fees=fees,
        total=rewards + bonuses + fees,
        notes=notes,
    )


def prolific_estimate(campaign: Campaign) -> CostEstimate:
    hits = campaign_hit_count(campaign)
    assignments = hits * campaign.assignments_per_hit
    rate = Decimal(settings.PROLIFIC_FEE_RATE)
    reward, bonus = Decimal(campaign.reward), Decimal(campaign.bonus)
    rewards, bonuses = reward * assignments, bonus * assignments
    fees = _fee(rewards, rate, ZERO) + (_fee(bonuses, rate, ZERO) if bonuses else ZERO)
    notes = [
        f"Prolific platform fee {rate * 100:.1f} % on rewards and bonuses "
        "(PROLIFIC_FEE_RATE); VAT may apply on top for some accounts.",
        "Amounts are in the study's currency.",
    ]
    return CostEstimate(
        hits=hits,
        assignments=assignments,
        reward_per_assignment=reward,
        rewards=rewards,
        bonuses=bonuses,
        fees=fees,
        total=rewards + bonuses + fees,
        notes=notes,
    )
