"""build_report and its JSON, CSV, HTML and PDF exports."""

from __future__ import annotations

import csv
import io
import json
import re

import pandas as pd
import pytest

from evalplatform.reports.builder import build_report
from evalplatform.reports.cli import run_analyze
from evalplatform.reports.config import ReportSettings
from evalplatform.reports.exports import csv_tables, to_csv, to_json
from evalplatform.reports.html import to_html
from evalplatform.reports.pdf import to_pdf
from evalplatform.reports.tidy import TidyError, judgments_to_tidy_csv
from tests.analysis.simulated import simulate_ab, simulate_ggb, simulate_likert
from tests.reports.goldens import check_golden, strip_svg
from tests.reports.seed_judgments import SEED000_META

SHARES = {"A": (0.30, 0.30, 0.40), "B": (0.35, 0.30, 0.35), "C": (0.45, 0.30, 0.25)}


@pytest.fixture(scope="module")
def ggb_report():
    df = simulate_ggb(SHARES, items_per_subset=150, workers=40, seed=3)
    return build_report(df, "ggb", ReportSettings(bootstrap=200))


def test_likert_json_has_the_stable_keys(seed000):
    tree = json.loads(to_json(build_report(seed000, "likert", meta=SEED000_META)))
    assert list(tree["criteria"]) == ["fluency", "consistency", "emotion_accuracy"]
    for block in tree["criteria"].values():
        assert {
            "systems",
            "fleiss_kappa",
            "kappa_items",
            "kappa_raters",
            "krippendorff_alpha",
            "pairwise",
        } <= set(block)
        for stats in block["systems"].values():
            assert {"mean", "sd", "n", "ci95"} <= set(stats) and len(stats["ci95"]) == 2
        for test in block["pairwise"]:
            assert {"a", "b", "t", "df", "p", "p_adjusted", "significant"} <= set(test)
    assert tree["criteria"]["emotion_accuracy"]["systems"]["BERT (JT)"]["mean"] == 0.69


def test_ab_json_has_the_stable_keys(seed004):
    tree = json.loads(to_json(build_report(seed004, "ab")))
    first = tree["pairs"][0]
    assert {"a", "b", "win", "loss", "tie", "n", "fleiss_kappa", "p"} <= set(first)
    assert (first["a"], first["b"], first["n"]) == ("ETHREED", "MIME", 300)
    assert first["win"] + first["loss"] + first["tie"] == pytest.approx(100.0)


def test_ggb_json_has_the_stable_keys_and_shares_sum_to_one(ggb_report):
    tree = json.loads(to_json(ggb_report))
    assert list(tree["subsets"]) == ["OS", "EDOS", "ED"]
    assert "fleiss_kappa" in tree and "gold" not in tree["subsets"]["OS"]
    for block in tree["subsets"].values():
        for v in block.values():
            assert set(v) == {"good", "okay", "bad", "n"}
            assert v["good"] + v["okay"] + v["bad"] == pytest.approx(1.0, abs=1e-12)


def test_report_is_a_pure_function_of_its_inputs(ggb_report):
    df = simulate_ggb(SHARES, items_per_subset=150, workers=40, seed=3)
    again = build_report(df, "ggb", ReportSettings(bootstrap=200))
    assert to_json(again) == to_json(ggb_report)
    assert to_html(again) == to_html(ggb_report)
    one, two = io.BytesIO(), io.BytesIO()
    to_pdf(again, one)
    to_pdf(ggb_report, two)
    assert one.getvalue() == two.getvalue() and one.getvalue().startswith(b"%PDF")


def test_export_then_analyze_reproduces_the_report(tmp_path):
    df = simulate_likert(
        {"A": 0.0, "B": 0.4},
        criteria=("fluency",),
        binary={"emo": {"A": 0.4, "B": 0.6}},
        items=30,
        raters=3,
        seed=4,
    )
    path = tmp_path / "judgments.csv"
    path.write_text(judgments_to_tidy_csv(df), encoding="utf-8")
    meta = {"title": "same"}
    from_file = json.loads(run_analyze(path, "likert", "json", meta=meta))
    direct = json.loads(to_json(build_report(df, "likert", meta=meta)))
    assert from_file == direct


def test_simulated_rows_are_flagged_everywhere(ggb_report):
    assert ggb_report.data["simulated_rows"] == ggb_report.data["rows_in"]
    assert "simulated raters, not people" in " ".join(ggb_report.methods)
    assert "Simulated data." in to_html(ggb_report)


def test_one_sentence_per_significant_difference():
    df = simulate_likert({"A": 0.0, "B": 0.0, "C": 1.0}, items=60, raters=3, seed=1)
    report = build_report(df, "likert")
    pairs = report.results["criteria"]["fluency"]["pairwise"]
    assert sum(t["significant"] for t in pairs) == len(report.findings) == 2
    assert all(f.startswith("On Fluency, C was rated higher than") for f in report.findings)
    assert "Holm-Bonferroni-adjusted p" in report.findings[0]


def test_ab_findings_name_the_preferred_system():
    df = simulate_ab([("X", "Y", 0.15, 0.25)], items=100, raters=3, seed=2)
    report = build_report(df, "ab", ReportSettings(system_order=("X",)))
    assert report.findings[0].startswith("Raters preferred Y over X")


def test_methods_say_which_test_correction_and_exclusions(ggb_report):
    text = " ".join(ggb_report.methods)
    assert "Bradley-Terry" in text and "200 bootstrap resamples" in text
    assert "Assignments with fewer than 2 bonus points: removed" in text
    assert ggb_report.agreement[0].startswith("Good / okay / bad labels: Fleiss' kappa = ")
    assert "(Landis & Koch)" in ggb_report.agreement[0]


def test_csv_tables(ggb_report):
    assert {"summary", "agreement", "bradley_terry", "workers"} <= set(csv_tables(ggb_report))
    rows = list(csv.DictReader(io.StringIO(to_csv(ggb_report))))
    assert list(rows[0]) == ["subset", "system", "good", "okay", "bad", "n"]
    assert len(rows) == 9
    workers = list(csv.DictReader(io.StringIO(to_csv(ggb_report, "workers"))))
    assert {"worker", "rows", "top_share", "gold_accuracy", "excluded"} <= set(workers[0])
    with pytest.raises(ValueError, match="unknown table"):
        to_csv(ggb_report, "nope")


def test_html_is_standalone_and_printable(ggb_report):
    html = to_html(ggb_report)
    assert html.startswith("<!DOCTYPE html>")
    assert "@media print" in html and html.count("<svg") == 2
    assert not re.search(r"<script|<link|src=\"http|url\(http", html)


def test_html_escapes_hostile_names_in_tables_and_figures():
    hostile = "<script>alert(1)</script>$x$"
    df = simulate_likert({hostile: 0.0, "B": 1.0}, items=20, raters=3, seed=0)
    html = to_html(build_report(df, "likert", meta={"title": "<b>t</b>"}))
    assert "<script>alert" not in html and "<b>t</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;$x$" in html


@pytest.mark.parametrize("name", ["seed000", "seed004", "seed002"])
def test_html_golden(name, request):
    df = request.getfixturevalue(name)
    protocol = {"seed000": "likert", "seed004": "ab", "seed002": "ggb"}[name]
    meta = SEED000_META if name == "seed000" else {"title": f"Seed {name[-3:]}"}
    report = build_report(df, protocol, ReportSettings(bootstrap=100), meta=meta)
    check_golden(f"{name}_report.html", strip_svg(to_html(report)))


def test_settings_round_trip_and_the_presets_quality_keys():
    settings = ReportSettings(
        alpha=0.01,
        correction="fdr_bh",
        binary_criteria=frozenset({"e"}),
        quality={
            "straightline_share": 0.95,
            "rush_minutes": 5,
            "rush_min_bonus_points": 2,
            "min_bonus_points": 2,
        },
    )
    assert ReportSettings.from_dict(json.loads(json.dumps(settings.to_dict()))) == settings
    with pytest.raises(ValueError, match="unknown report setting"):
        ReportSettings.from_dict({"alpah": 0.05})
    with pytest.raises(ValueError, match="correction"):
        ReportSettings(correction="sidak")


def test_bad_judgments_raise_tidy_errors():
    df = simulate_likert({"A": 0.0}, items=3, raters=2).assign(score=9)
    with pytest.raises(TidyError, match="line 2: score 9 is outside the 1-5 scale"):
        build_report(df, "likert")


def test_frames_shaped_like_the_campaign_selector_build():
    # campaign_judgments_frame: int assignment ids, None where no timing was recorded, a
    # "criterion" column on ggb/ab, subset "all", bool is_gold / simulated.
    df = simulate_ggb(
        SHARES, subsets=("all",), items_per_subset=60, workers=12, seed=5, categorical=False
    )
    df["seconds"] = df["seconds"].astype(object).where(df.index % 7 != 0, None)
    df["criterion"] = "appropriateness"
    report = build_report(df, "ggb", ReportSettings(bootstrap=50))
    assert list(report.results["subsets"]) == ["all"]
    assert report.quality["rules"][1]["applied"]  # rushing ran on the recorded seconds


def test_automatic_metrics_correlate_with_label_scores_and_bt_strengths():
    texts = {"A": "i am sorry to hear that .", "B": "ok .", "C": "that is so sad , sorry ."}
    gold = "i am so sorry to hear that ."
    ggb = simulate_ggb(SHARES, subsets=("all",), items_per_subset=40, workers=12, seed=6)
    cands = pd.DataFrame(
        [
            {"item": i, "system": s, "response": t, "gold": gold}
            for i in ggb["item"].unique()
            for s, t in texts.items()
        ]
    )
    report = build_report(ggb, "ggb", ReportSettings(bootstrap=50), candidates=cands)
    levels = {(c["level"], c["human"]) for c in report.automatic["correlations"]}
    assert ("system", "label_score") in levels and ("item", "label_score") in levels
    ab = simulate_ab([("A", "B", 0.6, 0.2), ("A", "C", 0.4, 0.2)], items=30, raters=3)
    cands_ab = pd.DataFrame(
        [
            {"item": i, "system": s, "response": t, "gold": gold}
            for i in ab["item"].unique()
            for s, t in texts.items()
        ]
    )
    report = build_report(ab, "ab", ReportSettings(bootstrap=50), candidates=cands_ab)
    corr = report.automatic["correlations"]
    assert {c["human"] for c in corr} == {"bradley_terry"} and {c["level"] for c in corr} == {
        "system"
    }
