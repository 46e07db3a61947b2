"""Pilots for the planner's tests: a tidy Likert CSV (the ``analyze`` columns) drawn from a
seeded crowd, small enough that a plan of a few sets runs in seconds."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from evalplatform.campaigns.models import Campaign, CriterionKind


def pilot_csv(
    systems: Sequence[str],
    criteria: Sequence[str] = ("fluency",),
    *,
    items: int = 12,
    workers: int = 4,
    raters: int = 3,
    seed: int = 0,
) -> str:
    """Each item rated by ``raters`` of ``workers`` on every system and criterion, 1 to 5,
    the first system a little better than the others."""
    rng = np.random.default_rng(seed)
    lines = ["item,worker,system,criterion,score"]
    for item in range(items):
        context = rng.normal(0, 0.5)
        for worker in rng.choice(workers, size=raters, replace=False):
            for index, system in enumerate(systems):
                for criterion in criteria:
                    mean = 3.2 + (0.4 if index == 0 else 0.0) + context
                    score = int(np.clip(np.rint(rng.normal(mean, 0.8)), 1, 5))
                    lines.append(f"i{item},w{worker},{system},{criterion},{score}")
    return "\n".join(lines) + "\n"


def campaign_pilot_csv(campaign: Campaign, **kwargs: object) -> str:
    """A pilot for ``campaign``'s own systems and scale criteria."""
    systems = list(campaign.systems.order_by("entries__position").values_list("name", flat=True))
    scale = campaign.criteria.filter(kind=CriterionKind.SCALE).values_list("name", flat=True)
    return pilot_csv(systems, list(scale), **kwargs)  # type: ignore[arg-type]
