"""Pure text helpers that protocols and the report exports share: LaTeX escaping and the
table environment, display-table cells, and the sentences about p-values and kappa."""

from __future__ import annotations

from typing import Any

from evalplatform.analysis.significance import CORRECTION_NAMES
from evalplatform.protocols.report import Report

Cell = dict[str, str]
Display = dict[str, Any]

# ---- LaTeX

_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "\u2192": r"$\rightarrow$",  # seed 002 names models "MEED2 (OS -> ED)" with an arrow
}


def escape(text: object) -> str:
    """Text safe in a LaTeX table cell (system names come from users)."""
    return "".join(_SPECIAL.get(ch, ch) for ch in str(text))


def table(colspec: str, header: list[str], rows: list[str], caption: str, report: Report) -> str:
    label = escape(report.meta.get("latex_label", f"tab:human-eval-{report.protocol}"))
    if not rows:  # no data: the headers would have more cells than the column spec
        colspec, header = "l", ["No judgments to report (see the quality filter). \\\\"]
    lines = [
        "% Requires \\usepackage{booktabs}.",
        "\\begin{table}[t]",
        "\\centering",
        "\\small",
        f"\\begin{{tabular}}{{{colspec}}}",
        "\\toprule",
        *header,
        "\\midrule",
        *rows,
        "\\bottomrule",
        "\\end{tabular}",
        f"\\caption{{{caption}}}",
        f"\\label{{{label}}}",
        "\\end{table}",
    ]
    return "\n".join(lines) + "\n"


def kappa_value(value: float | None) -> str:
    return "undefined" if value is None else f"{value:.2f}"


_CORRECTION = {"holm": "Holm", "bonferroni": "Bonferroni", "fdr_bh": "Benjamini-Hochberg"}


def correction_words(settings: dict[str, object], scope: str) -> str:
    """ "Holm-corrected within each criterion" / "uncorrected"."""
    name = _CORRECTION.get(str(settings["correction"]))
    return f"{name}-corrected{scope}" if name else "uncorrected"


# ---- display tables (HTML and PDF)


def num(value: Any, digits: int = 2) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:.{digits}f}"


def pval(p: float | None) -> str:
    if p is None:
        return "—"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def cell(text: str, cls: str = "") -> Cell:
    return {"text": text, "cls": cls}


def ci_text(v: dict[str, Any], scale: float = 1.0, digits: int = 2) -> str:
    lo, hi = v["ci95"]
    if lo is None or hi is None:
        return ""
    return f"[{lo * scale:.{digits}f}, {hi * scale:.{digits}f}]"


# ---- sentences


def fmt_p(p: float | None) -> str:
    if p is None:
        return "p undefined"
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def correction_adjusted(report: Report) -> str:
    s = report.settings
    name = CORRECTION_NAMES[s["correction"]]
    return "uncorrected" if s["correction"] == "none" else f"{name}-adjusted"


def adjust_words(s: dict[str, Any]) -> str:
    if s["correction"] == "none":
        return "not corrected for multiple comparisons"
    return f"corrected for multiple comparisons with the {CORRECTION_NAMES[s['correction']]} method"


def kappa_words(label: str, k: dict[str, Any]) -> str:
    if k.get("fleiss_kappa") is None:
        return (
            f"{label}: Fleiss' kappa is undefined (too few units rated by two or more raters, "
            "or a single category used)."
        )
    return (
        f"{label}: Fleiss' kappa = {k['fleiss_kappa']:.2f}, {k['kappa_band']} agreement "
        f"(Landis & Koch); {k['kappa_items']} units x {k['kappa_raters']} raters "
        f"of {k['kappa_units_total']} units."
    )
