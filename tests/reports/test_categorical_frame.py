"""The report reads the judgments with item and worker ids as categoricals (codes, not
millions of strings): the same values as the plain frame, the same report byte for byte."""

from __future__ import annotations

import pandas as pd
import pytest

from evalplatform.crowd.simulation.run import simulate_campaign
from evalplatform.reports.campaign_report import campaign_report
from evalplatform.reports.exports import render
from evalplatform.reports.selectors import campaign_judgments_frame
from tests.factories import make_campaign

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("relaxed", [False, True], ids=["default-rules", "relaxed-rules"])
@pytest.mark.parametrize("preset", ["good-okay-bad", "likert-fce", "ab-wlt"])
def test_categorical_frame_gives_the_same_values_and_the_same_report(preset, relaxed):
    campaign = make_campaign(preset)
    if relaxed:  # the default rules drop most simulated workers; these keep most
        campaign.quality_filter = {
            **(campaign.quality_filter or {}),
            "rush_minutes": 0.0,
            "min_bonus_points": 0,
        }
        campaign.save(update_fields=["quality_filter"])
    simulate_campaign(campaign=campaign, workers=6, seed=5, hits_per_worker=2)
    plain = campaign_judgments_frame(campaign)
    categorical = campaign_judgments_frame(campaign, categorical=True)
    text = [c for c in categorical.columns if isinstance(categorical[c].dtype, pd.CategoricalDtype)]
    expected = {
        "good-okay-bad": ["item", "worker", "system", "label", "subset", "criterion"],
        "likert-fce": ["item", "worker", "system", "criterion", "subset"],
        "ab-wlt": ["item", "worker", "system_a", "system_b", "choice", "subset", "criterion"],
    }
    assert text == expected[preset]
    pd.testing.assert_frame_equal(categorical.astype(plain.dtypes.to_dict()), plain)
    assert render(campaign_report(campaign, judgments=categorical), "json") == render(
        campaign_report(campaign, judgments=plain), "json"
    )
    assert render(campaign_report(campaign, judgments=categorical), "html") == render(
        campaign_report(campaign, judgments=plain), "html"
    )
