"""The report says whether collection stopped early and why, and sets each comparison's
anytime-valid sequence beside its fixed-sample test: JSON, HTML, LaTeX (compiled), PDF."""

from __future__ import annotations

import json

import pytest

from evalplatform.reports.campaign_report import campaign_export, campaign_report
from evalplatform.reports.latex import to_latex
from evalplatform.reports.stopping import campaign_monitor
from tests.factories import make_campaign
from tests.reports.test_latex_compiles import _compile, pdflatex  # noqa: F401 (fixture)
from tests.reports.test_stopping import WIDER_THAN_THE_SCALE, submit_one_hit

pytestmark = pytest.mark.django_db


@pytest.fixture
def stopped_campaign():
    campaign = make_campaign(
        "likert-fce",
        overrides={"monitor_stop": True, "smallest_difference": WIDER_THAN_THE_SCALE},
        name="stopped & <early>",
    )
    submit_one_hit(campaign)
    assert campaign_monitor(campaign=campaign) is not None
    return campaign


def test_json_records_the_stop_and_both_forms_of_each_test(stopped_campaign):
    tree = json.loads(campaign_export(stopped_campaign, "json"))
    block = tree["meta"]["monitoring"]
    assert block["stopped_early"] and block["decisions"][0]["action"] == "stop"
    first = block["comparisons"][0]
    assert first["status"] == "futile" and len(first["cs"]) == 2
    assert set(first["fixed_sample"]) == {"difference", "ci95", "p", "p_adjusted", "significant"}


def test_html_and_pdf_have_the_monitoring_section(stopped_campaign):
    html = campaign_export(stopped_campaign, "html")
    assert isinstance(html, str)
    assert "Monitoring and stopping" in html and "Collection stopped early" in html
    assert 'id="monitoring-table"' in html
    pdf = campaign_export(stopped_campaign, "pdf")
    assert isinstance(pdf, bytes) and pdf.startswith(b"%PDF")


def test_a_campaign_that_was_not_monitored_says_it_ran_to_its_planned_size():
    campaign = make_campaign("likert-fce")
    submit_one_hit(campaign)
    html = campaign_export(campaign, "html")
    assert "Collection ran to its planned size" in html


def test_the_monitoring_table_compiles_with_pdflatex(pdflatex, tmp_path, stopped_campaign):  # noqa: F811
    latex = to_latex(campaign_report(stopped_campaign))
    assert "Anytime-valid CS" in latex and "stopped early" in latex
    _compile(pdflatex, tmp_path, latex)
