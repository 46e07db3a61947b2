"""Every LaTeX export compiles with a real engine (pdflatex, installed by
``scripts/install-latex.sh`` from ``make test``), including degenerate and empty data."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from evalplatform.reports.latex import to_latex
from tests.reports.degenerate import KINDS, PROTOCOLS, report_for

STYLES = {
    "likert": ("means", "means-auto", "seed000", "seed001", "seed003", "seed004", None),
    "ab": ("wlt", "wlt-kappa", "seed003", "seed004", None),
    "ggb": ("ggb", "seed002", None),
}


@pytest.fixture(scope="module")
def pdflatex() -> str:
    """The engine; skipped with a reason when it is missing, except in CI where it must run
    (as the browser tests do for Chromium)."""
    found = shutil.which("pdflatex")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pdflatex is missing in CI: run scripts/install-latex.sh (make test does)")
        pytest.skip("pdflatex is not installed: run scripts/install-latex.sh (make test does)")
    return found


def _compile(pdflatex: str, tmp_path: Path, fragment: str) -> None:
    doc = (
        "\\documentclass{article}\n\\usepackage[utf8]{inputenc}\n\\usepackage{booktabs}\n"
        "\\usepackage{amssymb}\n\\begin{document}\n" + fragment + "\n\\end{document}\n"
    )
    (tmp_path / "doc.tex").write_text(doc, encoding="utf-8")
    run = subprocess.run(
        [pdflatex, "-interaction=nonstopmode", "-halt-on-error", "doc.tex"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-2000:]
    assert (tmp_path / "doc.pdf").exists()


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_every_latex_export_compiles(pdflatex, tmp_path, protocol, kind):
    report = report_for(protocol, kind)
    fragments = [to_latex(report, style) for style in STYLES[protocol]]
    _compile(pdflatex, tmp_path, "\n".join(fragments))
