"""The campaign's judgments frame read as plain rows equals the frame built from
model instances: same columns, rows, order and dtypes, for every protocol."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import pytest
from django.db import connection
from django.db.models import DurationField, F, Sum
from django.test.utils import CaptureQueriesContext

from evalplatform.crowd.models import (
    Assignment,
    AssignmentStatus,
    ItemCandidate,
    Judgment,
    PageVisit,
)
from evalplatform.crowd.simulation.run import simulate_campaign
from evalplatform.reports import selectors
from evalplatform.reports.selectors import _seconds_per_item, campaign_judgments_frame
from tests.factories import make_campaign
from tests.reports.reference_frame import judgments_frame_from_models

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("preset", ["good-okay-bad", "likert-fce", "ab-wlt"])
def test_fast_frame_equals_the_model_frame(preset):
    campaign = make_campaign(preset)
    simulate_campaign(campaign=campaign, workers=4, seed=3, hits_per_worker=2)
    # Rejected work is left out by both.
    rejected = Assignment.objects.filter(hit__campaign=campaign).first()
    Assignment.objects.filter(pk=rejected.pk).update(status=AssignmentStatus.REJECTED)
    expected = judgments_frame_from_models(campaign)
    assert len(expected) >= 12
    with CaptureQueriesContext(connection) as queries:
        fast = campaign_judgments_frame(campaign)
    pd.testing.assert_frame_equal(fast, expected, check_exact=True)
    assert list(fast.dtypes) == list(expected.dtypes)
    # A fixed number whatever the campaign's size (among them the tables' largest ids,
    # which bound the packed read, and the shown systems' names).
    assert len(queries) <= 10


@pytest.mark.parametrize("preset", ["good-okay-bad", "likert-fce", "ab-wlt"])
def test_unpacked_read_gives_the_same_frame(preset, monkeypatch):
    """Where ids are too large to pack two to an integer, the judgments are read one
    column each, to the same frame."""
    campaign = make_campaign(preset)
    simulate_campaign(campaign=campaign, workers=4, seed=3, hits_per_worker=2)
    packed = campaign_judgments_frame(campaign, categorical=True)
    monkeypatch.setattr(selectors, "_INT64_MAX", 1)
    plain = campaign_judgments_frame(campaign, categorical=True)
    assert len(packed) >= 12
    pd.testing.assert_frame_equal(plain, packed, check_exact=True)


def spy(monkeypatch, name):
    """Calls of ``selectors.<name>``, which still does its work."""
    calls, real = [], getattr(selectors, name)
    monkeypatch.setattr(selectors, name, lambda *args: calls.append(args) or real(*args))
    return calls


@pytest.mark.parametrize("preset", ["good-okay-bad", "ab-wlt"])
def test_a_label_the_criteria_do_not_name_has_every_label_read(preset, monkeypatch):
    """Labels are coded in SQL against those the criteria accept; a judgment with another
    label (imported, say) has the judgments' own labels read and the read done again."""
    campaign = make_campaign(preset)
    simulate_campaign(campaign=campaign, workers=4, seed=3, hits_per_worker=2)
    answered = Judgment.objects.filter(criterion__campaign=campaign).exclude(label="")
    answered.filter(label=answered.first().label).update(label="zzz")
    expected = judgments_frame_from_models(campaign)
    assert "zzz" in set(expected.drop(columns=["is_gold", "simulated"]).to_numpy().ravel())
    every_label, plain = spy(monkeypatch, "_distinct_labels"), spy(monkeypatch, "_plain_rows")
    pd.testing.assert_frame_equal(campaign_judgments_frame(campaign), expected, check_exact=True)
    assert every_label and not plain


def test_a_label_written_between_the_reads_sends_the_read_to_plain_rows(monkeypatch):
    """A label among neither the criteria's nor those read (written in between): the whole
    read is the plain one, no judgment lost."""
    campaign = make_campaign("good-okay-bad")
    simulate_campaign(campaign=campaign, workers=4, seed=3, hits_per_worker=2)
    judgments = Judgment.objects.filter(criterion__campaign=campaign)
    judgments.filter(label="bad").update(label="zzz")
    expected = campaign_judgments_frame(campaign, categorical=True)
    assert "zzz" in set(expected["label"])
    real = selectors._distinct_labels
    monkeypatch.setattr(selectors, "_distinct_labels", lambda rows: real(rows)[:-1])
    assert real(judgments)[-1] == "zzz"
    plain = spy(monkeypatch, "_plain_rows")
    pd.testing.assert_frame_equal(
        campaign_judgments_frame(campaign, categorical=True), expected, check_exact=True
    )
    assert plain


def test_labels_no_judgment_has_are_no_categories():
    """Labels coded but that no judgment has (a criterion's unused answers) are no
    categories of the label column, as when pandas builds it from the judgments' strings."""
    campaign = make_campaign("good-okay-bad")
    simulate_campaign(campaign=campaign, workers=4, seed=3, hits_per_worker=2)
    judgments = Judgment.objects.filter(criterion__campaign=campaign)
    criteria = list(campaign.criteria.values_list("id", flat=True))
    packed = selectors._packed_rows(judgments, criteria, ["", "bad", "good", "okay", "zz"])
    labels = sorted(set(judgments.values_list("label", flat=True)))
    assert list(packed["label"].cat.categories) == labels


def test_fast_frame_of_a_campaign_without_judgments_is_empty_with_the_columns():
    campaign = make_campaign("likert-fce")
    fast, expected = campaign_judgments_frame(campaign), judgments_frame_from_models(campaign)
    assert list(fast.columns) == list(expected.columns) and fast.empty


def test_seconds_per_page_equal_the_database_sum():
    """The seconds column sums each page's visits to the microsecond as the database's own
    aggregate does (on SQLite it is now summed in pandas, not through Django's per-row
    datetime function)."""
    campaign = make_campaign("likert-fce")
    simulate_campaign(campaign=campaign, workers=3, seed=4, hits_per_worker=2)
    visits = PageVisit.objects.filter(
        assignment__hit__campaign=campaign, page="task", closed_at__isnull=False
    )
    first = visits.first()
    # A second visit of the same page, with microseconds: the sum must keep them.
    PageVisit.objects.create(
        assignment=first.assignment,
        page="task",
        item_position=first.item_position,
        opened_at=first.closed_at,
        closed_at=first.closed_at + timedelta(seconds=3, microseconds=123_457),
    )
    # Fractions that borrow a second (.999999 -> a whole second) and a stamp without one.
    PageVisit.objects.create(
        assignment=first.assignment,
        page="task",
        item_position=first.item_position,
        opened_at=first.closed_at.replace(microsecond=999_999),
        closed_at=first.closed_at.replace(microsecond=0) + timedelta(seconds=2),
    )
    summed = (
        visits.order_by()
        .values_list("assignment_id", "item_position")
        .annotate(spent=Sum(F("closed_at") - F("opened_at"), output_field=DurationField()))
    )
    expected = {(a, p): spent.total_seconds() for a, p, spent in summed}
    assert len(expected) >= 6
    assert _seconds_per_item(campaign) == expected


def test_fast_frame_leaves_out_fillers_decoys_and_other_campaigns_as_the_model_frame():
    """The judgments are read by the campaign's criteria and filtered in pandas: the same
    rows as the joined query (fillers out, decoy labels out on binary criteria only,
    rejected work out, another campaign's judgments out)."""
    campaign, other = make_campaign("likert-fce"), make_campaign("likert-fce")
    simulate_campaign(campaign=campaign, workers=3, seed=6, hits_per_worker=2)
    simulate_campaign(campaign=other, workers=3, seed=7, hits_per_worker=2)
    before = len(campaign_judgments_frame(campaign))
    shown = ItemCandidate.objects.filter(item__hit__campaign=campaign, judgments__isnull=False)
    filler, decoy = shown.distinct().order_by("pk")[:2]
    ItemCandidate.objects.filter(pk=filler.pk).update(
        is_filler=True, candidate=None, filler_dialogue=filler.item.dialogue_id
    )
    ItemCandidate.objects.filter(pk=decoy.pk).update(label_is_decoy=True)
    rejected = Assignment.objects.filter(hit__campaign=campaign).last()
    Assignment.objects.filter(pk=rejected.pk).update(status=AssignmentStatus.REJECTED)
    expected = judgments_frame_from_models(campaign)
    assert 0 < len(expected) < before
    decoy_rows = Judgment.objects.filter(item_candidate=decoy).exclude(assignment=rejected)
    assert decoy_rows.exclude(criterion__kind="binary").exists()  # these stay in
    pd.testing.assert_frame_equal(campaign_judgments_frame(campaign), expected, check_exact=True)
