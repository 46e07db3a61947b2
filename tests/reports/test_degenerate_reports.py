"""Issue 11, point 3: undefined tests are said to be undefined, in every format."""

from __future__ import annotations

import json
from io import BytesIO
from pathlib import Path

import pytest

from evalplatform.reports.html import to_html
from evalplatform.reports.pdf import to_pdf
from tests.reports.analyze_command import analyze
from tests.reports.degenerate import PROTOCOLS, report_for


def _write(tmp_path: Path, rows: list[tuple]) -> Path:
    path = tmp_path / "likert.csv"
    lines = ["item,worker,system,criterion,score"] + [",".join(map(str, r)) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _run(path: Path, fmt: str, *extra: str) -> str:
    return analyze(
        str(path), "--protocol", "likert", "--format", fmt, "--no-quality-filter", *extra
    )


ALL_FIVES_VS_ONES = [
    (i, f"w{(i + r) % 5}", s, "quality", 5 if s == "A" else 1)
    for i in range(12)
    for s in ("A", "B")
    for r in range(3)
]
BINARY_30_VS_0 = [(i, f"w{i % 6}", s, "right", int(s == "A")) for i in range(30) for s in "AB"]
IDENTICAL = [
    (i, f"w{(i + r) % 5}", s, "quality", 1 + i % 5)
    for i in range(10)
    for s in "AB"
    for r in range(2)
]


@pytest.mark.parametrize("rows", [ALL_FIVES_VS_ONES, BINARY_30_VS_0], ids=["5v1", "binary"])
def test_separated_systems_use_the_exact_sign_test_and_say_so(tmp_path, rows):
    path = _write(tmp_path, rows)
    tree = json.loads(_run(path, "json"))
    (block,) = tree["criteria"].values()
    assert block["pairwise"][0]["p"] is None  # Welch per rating is undefined here
    (pair,) = block["calibrated"]["pairs"]
    assert pair["test"].startswith("exact sign test") and pair["significant"]
    (finding,) = tree["findings"]
    assert "exact sign test over" in finding and "No pair" not in finding
    html = _run(path, "html")
    assert "exact sign test over" in html and "No pair of systems differed" not in html
    assert "$^\\dagger$" in _run(path, "latex")
    pdf = tmp_path / "r.pdf"
    _run(path, "pdf", "--out", str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF")


def test_identical_systems_say_no_test_applies_not_no_difference(tmp_path):
    path = _write(tmp_path, IDENTICAL)
    tree = json.loads(_run(path, "json"))
    assert tree["findings"][0].endswith("no test can separate them (this is not a test result).")
    assert "no test can separate them" in _run(path, "html")
    pdf = tmp_path / "r.pdf"
    _run(path, "pdf", "--out", str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("kind", ["degenerate", "empty"])
@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_degenerate_and_emptied_reports_render_in_html_and_pdf(protocol, kind):
    """Without LaTeX too: the HTML and the PDF of all-one-answer data and of data the
    quality filter emptied render, and the emptied one says which rule removed what."""
    report = report_for(protocol, kind)
    html = to_html(report)
    if kind == "empty":
        assert report.quality["after"]["rows"] == 0
        assert report.findings[0].startswith("The quality filter left no judgments")
        assert "straight-lining removed" in report.findings[0]
        assert "The quality filter left no judgments" in html
    else:
        assert report.data["rows_scored"] > 0 and report.findings
        assert "No judgments" not in html
    pdf = BytesIO()
    to_pdf(report, pdf)
    assert pdf.getvalue().startswith(b"%PDF")
