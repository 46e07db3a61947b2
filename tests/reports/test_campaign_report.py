"""A campaign's report: the admin page and `manage.py report` from one function, and the
judgments export that `analyze` turns back into the same report."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from evalplatform.crowd.simulation.run import simulate_campaign
from evalplatform.reports.campaign_report import campaign_report_settings
from evalplatform.reports.kept import kept_report_build
from tests.factories import make_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client() -> Client:
    user = get_user_model().objects.create_user(
        "r", password="pw", is_staff=True, is_superuser=True
    )
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("preset", ["good-okay-bad", "likert-fce", "ab-wlt"])
def test_export_then_analyze_reproduces_the_campaign_report(preset, tmp_path):
    campaign = make_campaign(preset)
    # The simulated workers finish in seconds and miss gold: keep rules 2 and 3 from emptying
    # (analyze exits non-zero then; test_analyze_says_which_rule_left_nothing_to_score).
    campaign.quality_filter = {
        **(campaign.quality_filter or {}),
        "rush_minutes": 0.0,
        "min_bonus_points": 0,
    }
    campaign.save(update_fields=["quality_filter"])
    simulate_campaign(campaign=campaign, workers=4, seed=2, hits_per_worker=2)
    exported, report = io.StringIO(), io.StringIO()
    call_command("report", campaign.name, fmt="judgments", stdout=exported)
    call_command("report", campaign.name, fmt="json", stdout=report)
    path = tmp_path / "judgments.csv"
    path.write_text(exported.getvalue())
    # The campaign's analysis settings, as analyze takes them from a file.
    settings_file = tmp_path / "settings.json"
    settings_file.write_text(json.dumps(campaign_report_settings(campaign).to_dict()))
    analyzed = io.StringIO()
    call_command(
        "analyze",
        str(path),
        protocol=campaign.protocol,
        fmt="json",
        analysis_settings=str(settings_file),
        stdout=analyzed,
    )
    ours, theirs = json.loads(report.getvalue()), json.loads(analyzed.getvalue())
    key = {"likert": "criteria", "ab": "pairs", "ggb": "subsets"}[campaign.protocol]
    mine, reanalysed = _flat(ours[key]), _flat(theirs[key])
    assert mine.keys() == reanalysed.keys()
    for path, value in mine.items():
        if isinstance(value, float):
            assert value == pytest.approx(reanalysed[path], rel=1e-12, abs=1e-12), path
        else:
            assert value == reanalysed[path], path
    assert ours.get("fleiss_kappa") == pytest.approx(theirs.get("fleiss_kappa"))
    assert ours["quality"]["after"] == theirs["quality"]["after"]


def _flat(tree, prefix=""):
    """Every leaf of a JSON tree by its path: numbers compared with a tolerance, since
    sums in another order may differ in the last bit."""
    if isinstance(tree, dict):
        return {
            k: v for key, value in tree.items() for k, v in _flat(value, f"{prefix}/{key}").items()
        }
    if isinstance(tree, list):
        return {
            k: v for i, value in enumerate(tree) for k, v in _flat(value, f"{prefix}/{i}").items()
        }
    return {prefix: tree}


def test_admin_report_page_and_downloads(staff_client):
    campaign = make_campaign("good-okay-bad")
    simulate_campaign(campaign=campaign, workers=3, seed=1, hits_per_worker=1)
    url = f"/admin/campaigns/campaign/{campaign.pk}/report/"
    assert staff_client.post(url + "rebuild/").status_code == 302  # the task is asked for it
    kept_report_build(campaign_id=campaign.pk)  # what the task runs
    page = staff_client.get(url)
    assert page.status_code == 200
    assert b"?format=pdf" in page.content and b"simulated" in page.content.lower()
    download = staff_client.get(url + "?format=json")
    assert download["Content-Disposition"].endswith('report.json"')
    assert "subsets" in json.loads(download.content)
    judgments = staff_client.get(url + "?format=judgments").content.decode()
    assert judgments.splitlines()[0].startswith("item,worker,system,label")
    pdf = staff_client.get(url + "?format=pdf")
    assert pdf.content.startswith(b"%PDF")
    assert staff_client.get(url + "?format=docx").status_code == 400


def test_admin_report_page_needs_staff_and_judgments(staff_client):
    campaign = make_campaign("likert-fce")
    url = f"/admin/campaigns/campaign/{campaign.pk}/report/"
    assert Client().get(url).status_code == 302  # to the login page
    empty = staff_client.get(url)
    assert empty.status_code == 409 and b"No report yet" in empty.content


def test_report_command_refuses_unknown_campaign_and_pdf_to_stdout():
    campaign = make_campaign("likert-fce")
    simulate_campaign(campaign=campaign, workers=2, seed=1, hits_per_worker=1)
    with pytest.raises(Exception, match="No campaign named 'nope'"):
        call_command("report", "nope")
    with pytest.raises(Exception, match="PDF output needs --out"):
        call_command("report", campaign.name, fmt="pdf")


def test_analyze_says_which_rule_left_nothing_to_score(tmp_path, staff_client):
    """Issue 11: an emptied report is an error naming the rule, on the CLI and the page."""
    campaign = make_campaign("good-okay-bad")
    simulate_campaign(campaign=campaign, workers=4, seed=2, hits_per_worker=2)
    exported = io.StringIO()
    call_command("report", campaign.name, fmt="judgments", stdout=exported)
    path = tmp_path / "judgments.csv"
    path.write_text(exported.getvalue())
    with pytest.raises(CommandError) as info:
        call_command("analyze", str(path), protocol="ggb", fmt="json", stdout=io.StringIO())
    assert info.value.returncode == 2
    assert "quality filter left no judgments to score" in str(info.value)
    assert "rushing removed" in str(info.value)
    report = io.StringIO()
    call_command("report", campaign.name, fmt="json", stdout=report)
    findings = json.loads(report.getvalue())["findings"]
    assert findings[0].startswith("The quality filter left no judgments to score")
    assert not any("No pair of systems differed" in f for f in findings)


def test_the_report_counts_bonus_points_by_the_campaigns_gold_rule():
    """Workers were paid by the campaign's gold rule; the quality filter must count by it."""
    strict = make_campaign("good-okay-bad", overrides={"gold_rule": "ranked_top"})
    assert campaign_report_settings(strict).quality_config["gold_rule"] == "ranked_top"
    seed = make_campaign("good-okay-bad", name="seed rule")
    assert campaign_report_settings(seed).quality_config["gold_rule"] == "acceptable"
    # A rule written into the campaign's quality filter is the researcher's explicit choice.
    strict.quality_filter = {**(strict.quality_filter or {}), "gold_rule": "acceptable"}
    assert campaign_report_settings(strict).quality_config["gold_rule"] == "acceptable"
