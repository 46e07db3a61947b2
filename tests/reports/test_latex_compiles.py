"""Every LaTeX export compiles with a real engine (pdflatex, installed by
``scripts/install-latex.sh`` from ``make test``), including degenerate and empty data."""

from __future__ import annotations

import io
import shutil
import subprocess
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
from evalplatform.reports.builder import build_report
from evalplatform.reports.config import ReportSettings
from evalplatform.reports.html import to_html
from evalplatform.reports.latex import to_latex
from evalplatform.reports.pdf import to_pdf

PDFLATEX = shutil.which("pdflatex")
pytestmark = pytest.mark.skipif(
    PDFLATEX is None, reason="pdflatex missing: run scripts/install-latex.sh (make test does)"
)
STYLES = {
    "likert": ("means", "means-auto", "seed000", "seed001", "seed003", "seed004", None),
    "ab": ("wlt", "wlt-kappa", "seed003", "seed004", None),
    "ggb": ("ggb", "seed002", None),
}


def _likert_degenerate() -> pd.DataFrame:
    rows = [
        (i, f"w{i % 4}", s, 'fluency & "style" 50%', 5 if s == "A_1" else 1)
        for i in range(12)
        for s in ("A_1", "B#2")
    ]
    return pd.DataFrame(rows, columns=["item", "worker", "system", "criterion", "score"])


def _emptied(protocol: str) -> pd.DataFrame:
    """Every worker straight-lines on items no one else saw: the filter removes them all."""
    rng = np.random.default_rng(0)
    data = {
        "likert": simulate_likert(LIKERT_DESIGNS[0], 0.0, rng).assign(score=3),
        "ab": simulate_ab(AB_DESIGNS[0], 0, rng).assign(choice="a"),
        "ggb": simulate_ggb(GGB_DESIGNS[0], 0.0, rng).assign(label="good"),
    }[protocol]
    return data.assign(item=data["item"].astype(str) + "-" + data["worker"].astype(str))


def _data(protocol: str, kind: str) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    if kind == "empty":
        return _emptied(protocol)
    if protocol == "likert":
        return (
            _likert_degenerate()
            if kind == "degenerate"
            else simulate_likert(LIKERT_DESIGNS[1], 0.5, rng)
        )
    if protocol == "ab":
        data = simulate_ab(AB_DESIGNS[0], 20, rng)
        return data.assign(choice="a", system_a="S0") if kind == "degenerate" else data
    data = simulate_ggb(GGB_DESIGNS[0], 0.5, rng)
    return data.assign(label="good") if kind == "degenerate" else data


def _compile(tmp_path: Path, fragment: str) -> None:
    doc = (
        "\\documentclass{article}\n\\usepackage[utf8]{inputenc}\n\\usepackage{booktabs}\n"
        "\\usepackage{amssymb}\n\\begin{document}\n" + fragment + "\n\\end{document}\n"
    )
    (tmp_path / "doc.tex").write_text(doc, encoding="utf-8")
    run = subprocess.run(
        [str(PDFLATEX), "-interaction=nonstopmode", "-halt-on-error", "doc.tex"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-2000:]
    assert (tmp_path / "doc.pdf").exists()


@pytest.mark.parametrize("kind", ["normal", "degenerate", "empty"])
@pytest.mark.parametrize("protocol", ["likert", "ab", "ggb"])
def test_every_latex_export_compiles(tmp_path, protocol, kind):
    data = _data(protocol, kind)
    if protocol == "ab" and kind == "degenerate":
        data = data[data["system_b"] != "S0"]
    # Empty: every worker straight-lines alone, however few their answers.
    quality = {"straightline_min_answers": 1} if kind == "empty" else {}
    report = build_report(data, protocol, ReportSettings(quality=quality))
    if kind == "empty":
        assert report.quality["after"]["rows"] == 0
        assert report.findings[0].startswith("The quality filter left no judgments")
        assert "The quality filter left no judgments" in to_html(report)
        pdf = io.BytesIO()
        to_pdf(report, pdf)
        assert pdf.getvalue().startswith(b"%PDF")
    fragments = [to_latex(report, style) for style in STYLES[protocol]]
    _compile(tmp_path, "\n".join(fragments))
