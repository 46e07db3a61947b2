"""``manage.py analyze``: outputs, and exit status 2 with the line for malformed input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management.base import CommandError

from evalplatform.reports.tidy import judgments_to_tidy_csv
from tests.analysis.simulated import simulate_ab
from tests.reports.analyze_command import analyze

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def ab_file(tmp_path: Path) -> Path:
    path = tmp_path / "ab.csv"
    df = simulate_ab([("X", "Y", 0.5, 0.2), ("X", "Z", 0.4, 0.2)], items=30, raters=3)
    path.write_text(judgments_to_tidy_csv(df), encoding="utf-8")
    return path


def test_json_output_has_the_pairs(ab_file):
    tree = json.loads(analyze(str(ab_file), "--protocol", "ab"))
    assert [(p["a"], p["b"]) for p in tree["pairs"]] == [("X", "Y"), ("X", "Z")]
    assert tree["settings"]["correction"] == "holm"


def test_options_reach_the_report(ab_file, tmp_path):
    tree = json.loads(
        analyze(str(ab_file), "--protocol", "ab", "--alpha", "0.01", "--correction", "bonferroni")
    )
    assert tree["settings"]["alpha"] == 0.01
    pair = tree["pairs"][0]
    assert pair["p_adjusted"] == pytest.approx(min(1.0, 2 * pair["p"]))
    latex = analyze(
        str(ab_file), "--protocol", "ab", "--format", "latex", "--latex-style", "seed003"
    )
    assert latex.startswith("% Requires \\usepackage{booktabs}.")
    out = tmp_path / "report.pdf"
    analyze(str(ab_file), "--protocol", "ab", "--format", "pdf", "--out", str(out))
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("content", "protocol", "message"),
    [
        (
            "item,worker,system,criterion,score\n1,w,A,flu,3\n1,v,A,flu,6\n",
            "likert",
            "line 3: score 6 is outside the 1-5 scale",
        ),
        (
            "item,worker,system,label\n1,w,A,good\n1,v,A,fine\n",
            "ggb",
            "line 3: label 'fine' is not one of good, okay, bad",
        ),
        ("item,worker,system_a,system_b\n1,w,A,B\n", "ab", "line 1: missing column(s) choice"),
        ("", "ab", "the file is empty"),
    ],
)
def test_malformed_input_exits_with_status_2(tmp_path, content, protocol, message):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError) as info:
        analyze(str(path), "--protocol", protocol)
    assert info.value.returncode == 2
    assert message in str(info.value)


def test_subprocess_exit_status_and_stderr(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "item,worker,system_a,system_b,choice\n1,w,A,B,a\n2,w,A,B,maybe\n", encoding="utf-8"
    )
    done = subprocess.run(
        [sys.executable, "manage.py", "analyze", str(path), "--protocol", "ab"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "line 3: choice 'maybe' is not one of a, b, tie, both_bad" in done.stderr
    assert done.stdout == ""


def test_pdf_needs_an_output_path(ab_file):
    with pytest.raises(CommandError, match="--out") as info:
        analyze(str(ab_file), "--protocol", "ab", "--format", "pdf")
    assert info.value.returncode == 2
