"""A campaign's report states the plan made before publishing (the one frozen with the
campaign) in its JSON tree (``plan``), HTML, LaTeX (compiled) and PDF, or says that no plan
was made; ``analyze``'s reports, which have no campaign, carry no ``plan``."""

from __future__ import annotations

import json

import pytest

from evalplatform.campaigns.models import Campaign, CampaignStatus
from evalplatform.crowd.services import campaign_publish_hits
from evalplatform.crowd.simulation.run import simulate_campaign
from evalplatform.reports.campaign_report import campaign_report
from evalplatform.reports.exports import render, report_tree
from evalplatform.reports.latex import to_latex
from evalplatform.reports.plan_runs import campaign_plan_request, campaign_plan_run
from tests.factories import make_campaign
from tests.reports.degenerate import report_for
from tests.reports.test_latex_compiles import _compile, pdflatex  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def collected(*, plan: bool) -> Campaign:
    campaign = make_campaign("likert-fce", status=CampaignStatus.READY)
    if plan:
        made, _ = campaign_plan_request(campaign=campaign, difference=0.4, sets=10, seed=3)
        campaign_plan_run(plan_id=made.pk)
    campaign_publish_hits(campaign=campaign)
    simulate_campaign(campaign=campaign, workers=3, seed=1, hits_per_worker=2)
    return Campaign.objects.get(pk=campaign.pk)


def test_the_report_states_the_plan_frozen_at_publishing(tmp_path, pdflatex):  # noqa: F811
    campaign = collected(plan=True)
    report = campaign_report(campaign)
    tree = report_tree(report)
    plan = tree["plan"]
    assert plan["made"] is True and "plan" not in tree["meta"]
    assert plan["difference"] == 0.4 and plan["target"] == 0.8 and plan["seed"] == 3
    statement = " ".join(plan["statement"])
    assert "smallest difference worth detecting at 0.4" in statement
    assert "target power at 80%" in statement and "seed 3" in statement
    design = f"{campaign.sample_size} items x {campaign.assignments_per_hit} raters"
    assert f"The published design ({design}" in statement and "predicted power of" in statement
    assert json.loads(render(report, "json"))["plan"]["statement"] == plan["statement"]

    html = render(report, "html")
    assert 'id="plan"' in html and "The plan made before publishing" in html
    assert html.count("<svg") >= 2  # the report's figures and the plan's power curve
    latex = to_latex(report)
    assert "\\paragraph{Plan made before publishing.}" in latex
    _compile(pdflatex, tmp_path, latex)
    assert render(report, "pdf").startswith(b"%PDF")


def test_the_report_says_when_no_plan_was_made(tmp_path, pdflatex):  # noqa: F811
    report = campaign_report(collected(plan=False))
    plan = report_tree(report)["plan"]
    assert plan["made"] is False
    assert plan["statement"][0].startswith("No power plan was made before this campaign")
    assert "No power plan was made" in render(report, "html")
    _compile(pdflatex, tmp_path, to_latex(report))


def test_a_report_without_a_campaign_has_no_plan_section():
    report = report_for("likert", "normal")
    assert "plan" not in report_tree(report)
    assert "Plan made before publishing" not in to_latex(report)
    assert 'id="plan"' not in render(report, "html")
