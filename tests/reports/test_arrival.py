"""Each judgment's ``arrival`` (the monitoring's completion order) is the rank of its
assignment's submission time; ties go by assignment id, and an assignment never submitted
comes after every submitted one, by id."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from evalplatform.crowd.models import Assignment
from evalplatform.crowd.simulation.run import simulate_campaign
from evalplatform.reports.monitoring import with_arrival
from tests.factories import make_campaign

pytestmark = pytest.mark.django_db


def test_arrival_ranks_submissions_with_ties_by_id_and_unsubmitted_last():
    campaign = make_campaign("good-okay-bad")
    simulate_campaign(campaign=campaign, workers=4, seed=3, hits_per_worker=2)
    ids = list(
        Assignment.objects.filter(hit__campaign=campaign)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    assert len(ids) >= 4
    first, second, third, never = ids[-1], ids[0], ids[1], ids[2]
    start = datetime(2026, 1, 1, tzinfo=UTC)
    times = {first: start, second: start + timedelta(1), third: start + timedelta(1)}
    for pk in ids:
        Assignment.objects.filter(pk=pk).update(submitted_at=times.get(pk))
    frame = pd.DataFrame({"assignment": [never, third, second, first, third, 10**9]})
    arrival = with_arrival(campaign, frame)["arrival"]
    # Three submitted: ranks 0, 1 and 2 (the tie by id); the rest after them by id.
    assert list(arrival) == [3 + never, 2, 1, 0, 2, 3 + 10**9]
    assert arrival.dtype == float
