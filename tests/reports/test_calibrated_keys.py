"""The default test's keys in ``analyze``'s JSON, beside the seeds' stable keys."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from benchmarks.calibration import (
    AB_DESIGNS,
    GGB_DESIGNS,
    LIKERT_DESIGNS,
    simulate_ab,
    simulate_ggb,
    simulate_likert,
)
from evalplatform.analysis.crowd_tests import PAIRED_T
from evalplatform.analysis.significance import welch_test
from evalplatform.reports.tidy import judgments_to_tidy_csv
from tests.reports.analyze_command import analyze


def _analyze(tmp_path: Path, df: pd.DataFrame, protocol: str, *args: str) -> dict:
    path = tmp_path / f"{protocol}.csv"
    path.write_text(judgments_to_tidy_csv(df, protocol), encoding="utf-8")
    return json.loads(analyze(str(path), "--protocol", protocol, *args))


def test_likert_criteria_carry_the_default_test_beside_welch(tmp_path):
    df = simulate_likert(LIKERT_DESIGNS[1], 0.8, np.random.default_rng(1))
    tree = _analyze(tmp_path, df, "likert", "--no-quality-filter")
    block = tree["criteria"]["quality"]
    assert [(t["a"], t["b"]) for t in block["calibrated"]["pairs"]] == [
        (t["a"], t["b"]) for t in block["pairwise"]
    ]
    assert block["calibrated"]["method"] == PAIRED_T and block["calibrated"]["unit"] == "item"
    first = block["calibrated"]["pairs"][0]
    assert first["n_items"] == 40 and first["significant"]
    # pairwise keeps its meaning: Welch's test per rating.
    s0, s1 = (df.loc[df["system"] == s, "score"] for s in ("S0", "S1"))
    assert block["pairwise"][0]["p"] == pytest.approx(welch_test(s0, s1).p)


def test_ab_pairs_carry_the_default_test_beside_the_sign_test(tmp_path):
    df = simulate_ab(AB_DESIGNS[0], 30, np.random.default_rng(2))
    tree = _analyze(tmp_path, df, "ab", "--no-quality-filter")
    for pair in tree["pairs"]:
        assert {"win", "loss", "tie", "n", "p"} <= set(pair)
        calibrated = pair["calibrated"]
        assert calibrated["unit"] == "item" and calibrated["n_items"] == 40
        assert -1 <= calibrated["difference"] <= 1
    assert tree["pairs"][0]["calibrated"]["significant"]


def test_ggb_has_the_default_test_per_test_set_and_overall(tmp_path):
    rng = np.random.default_rng(3)
    parts = [
        simulate_ggb(GGB_DESIGNS[0], 1.0, rng).assign(
            subset=s, item=lambda f, s=s: s + f["item"].astype(str)
        )
        for s in ("OS", "ED")
    ]
    tree = _analyze(tmp_path, pd.concat(parts), "ggb", "--no-quality-filter")
    calibrated = tree["calibrated"]
    assert list(calibrated["subsets"]) == ["OS", "ED"]
    assert calibrated["overall"]["pairs"][0]["n_items"] == 80
    assert calibrated["overall"]["pairs"][0]["significant"]
    assert set(tree["subsets"]["OS"]) == {"S0", "S1", "S2"}


@pytest.mark.parametrize("protocol", ["likert", "ab", "ggb"])
def test_html_latex_and_pdf_take_their_marks_from_the_default_test(tmp_path, protocol):
    rng = np.random.default_rng(4)
    df = {
        "likert": lambda: simulate_likert(LIKERT_DESIGNS[0], 1.0, rng),
        "ab": lambda: simulate_ab(AB_DESIGNS[0], 30, rng),
        "ggb": lambda: simulate_ggb(GGB_DESIGNS[0], 1.0, rng),
    }[protocol]()
    path = tmp_path / "data.csv"
    path.write_text(judgments_to_tidy_csv(df, protocol), encoding="utf-8")

    def run(fmt: str, *extra: str) -> str:
        return analyze(
            str(path), "--protocol", protocol, "--format", fmt, "--no-quality-filter", *extra
        )

    html = run("html")
    assert "Default test (the findings and marks come from it)" in html
    tree = json.loads(run("json"))
    assert any("paired t-test" in f or "t-test over items" in f for f in tree["findings"])
    assert any(m.startswith("Default test") for m in tree["methods"])
    if protocol != "ggb":
        latex = run("latex")
        assert "t$-test over items" in latex and "Welch" not in latex
    pdf = tmp_path / "r.pdf"
    run("pdf", "--out", str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF")
