"""How a campaign's one smallest difference reads on each of its criteria.

A Likert campaign names one smallest difference worth detecting, in points of its rating
scales. A yes/no criterion has no points: there the difference is a share of yes, the same
fraction of its 0/1 range as the difference is of the widest rating scale's range (0.5
points beside a 1-5 scale: 12.5 points more yes), or the difference itself when every
criterion is yes/no. The planner plants it so and the monitoring calls a comparison futile
by it, so what was planned and what stops collection agree.
"""

from __future__ import annotations

from collections.abc import Mapping

Scale = tuple[int, int]
BINARY: Scale = (0, 1)


def difference_share(scale: Scale, scales: Mapping[str, Scale]) -> float:
    """What one unit of the campaign's difference is on a criterion of ``scale``, among
    the campaign's criteria ``scales``."""
    if tuple(scale) != BINARY:
        return 1.0
    ranges = [hi - lo for lo, hi in scales.values() if (lo, hi) != BINARY]
    return 1.0 / max(ranges, default=1)
