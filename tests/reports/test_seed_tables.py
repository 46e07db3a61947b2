"""The LaTeX exports reproduce the seed papers' tables (golden files + the papers' digits).

Regenerate the golden files after an intended change with
``EVALPLATFORM_UPDATE_GOLDEN=1 pytest tests/reports`` and review the diff.
"""

from __future__ import annotations

import re

from evalplatform.reports.builder import build_report
from evalplatform.reports.config import ReportSettings
from evalplatform.reports.latex import to_latex
from tests.reports.goldens import check_golden
from tests.reports.seed_judgments import SEED000_META, SEED001_META


def _row(latex: str, name: str) -> list[str]:
    line = next(ln for ln in latex.splitlines() if ln.startswith(name + " &"))
    cells = [c.strip() for c in line.removesuffix(r"\\").split("&")[1:]]
    return [re.sub(r"\\textbf\{(.*?)\}|\$\^\\dagger\$", r"\1", c) for c in cells]


def test_seed000_table2_means_and_emotion_accuracy(seed000):
    latex = to_latex(build_report(seed000, "likert", meta=SEED000_META), "seed000")
    assert "Model & Flu & Cons & EmoAcc" in latex
    assert _row(latex, "Bi-LSTM (JT)") == ["3.82", "3.73", r"48\%"]
    assert _row(latex, r"Bi-LSTM + Attn (JT)") == ["3.93", "3.82", r"55\%"]
    assert _row(latex, "BERT (JT)") == ["4.11", "3.96", r"69\%"]
    check_golden("seed000_table2.tex", latex)


def test_seed001_table2_auto_and_manual_columns(seed001, seed001_candidates):
    report = build_report(seed001, "likert", candidates=seed001_candidates, meta=SEED001_META)
    latex = to_latex(report, "seed001")
    assert r"\multicolumn{4}{c}{Auto Eval} & \multicolumn{4}{c}{Manual Eval}" in latex
    assert "Model & BLEU & dist-1 & dist-2 & Avg Len & Emo & Flu & Info & Relv" in latex
    assert _row(latex, "R+E6")[4:] == ["3.59", "3.82", "3.62", "3.96"]
    assert _row(latex, "R")[4:] == ["3.44", "3.48", "3.63", "3.55"]
    check_golden("seed001_table2.tex", latex)


def test_seed002_table5_shares_per_test_set(seed002):
    latex = to_latex(build_report(seed002, "ggb"), "seed002")
    assert r"\multicolumn{3}{c}{OS} & \multicolumn{3}{c}{EDOS} & \multicolumn{3}{c}{ED}" in latex
    assert _row(latex, "Pre-trained (OS)") == [
        ".3097",
        ".2878",
        ".4025",
        ".2975",
        ".2933",
        ".4091",
        ".1799",
        ".3037",
        ".5164",
    ]
    assert _row(latex, r"MEED2 (OS $\rightarrow$ ED)") == [
        ".3513",
        ".3125",
        ".3362",
        ".3535",
        ".3093",
        ".3372",
        ".4890",
        ".3033",
        ".2077",
    ]
    check_golden("seed002_table5.tex", latex)


def test_seed003_table5_win_loss_tie_with_kappa_in_the_caption(seed003):
    settings = ReportSettings(system_order=("Ours(Soft)",))  # "Soft vs Hard", as printed
    latex = to_latex(build_report(seed003, "ab", settings), "seed003")
    assert "Method & Win \\% & Loss \\% & Tie \\%" in latex
    assert _row(latex, "Ours(Hard) vs EmpDG") == ["38.00", "20.33", "41.67"]
    assert _row(latex, "Ours(Soft) vs MIME") == ["59.00", "19.67", "21.33"]
    assert _row(latex, "Ours(Soft) vs Ours(Hard)") == ["33.00", "29.33", "37.67"]
    assert "Fleiss' $\\kappa$ over all pairs: 0.63" in latex
    check_golden("seed003_table5.tex", latex)


def test_seed004_table2_win_loss_tie_and_kappa_per_pair(seed004):
    latex = to_latex(build_report(seed004, "ab"), "seed004")
    assert "ETHREED vs & Win(\\%) & Loss(\\%) & Tie(\\%) & $\\kappa$" in latex
    assert _row(latex, "MIME") == ["46.67", "27.33", "26.00", "0.45"]
    assert _row(latex, "EmpDG") == ["41.33", "35.33", "23.33", "0.44"]
    assert _row(latex, "KEMP") == ["43.33", "31.67", "25.00", "0.46"]
    assert _row(latex, "EmpHi") == ["40.67", "37.67", "21.67", "0.36"]
    check_golden("seed004_table2.tex", latex)
