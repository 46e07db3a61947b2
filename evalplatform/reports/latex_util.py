"""Small LaTeX helpers: escaping, the table environment, the kappa sentence."""

from __future__ import annotations

from evalplatform.reports.model import Report

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


def _kappa(value: float | None) -> str:
    return "undefined" if value is None else f"{value:.2f}"


def kappa_text(report: Report) -> str:
    """ "Fleiss' kappa: Flu 0.53, Cons 0.49" (per criterion / pair) or a single value."""
    r = report.results
    if report.protocol == "likert":
        parts = [
            f"{escape(report.criterion_label(c))} {_kappa(b['fleiss_kappa'])}"
            for c, b in r.get("criteria", {}).items()
        ]
        return "Fleiss' $\\kappa$: " + ", ".join(parts)
    if report.protocol == "ab":
        overall = r.get("overall_kappa", {})
        band = overall.get("kappa_band", "undefined")
        return f"Fleiss' $\\kappa$ over all pairs: {_kappa(overall.get('fleiss_kappa'))} ({band})"
    return (
        f"Fleiss' $\\kappa$: {_kappa(r.get('fleiss_kappa'))} ({r.get('kappa_band', 'undefined')})"
    )


_CORRECTION = {"holm": "Holm", "bonferroni": "Bonferroni", "fdr_bh": "Benjamini-Hochberg"}


def correction_words(settings: dict[str, object], scope: str) -> str:
    """ "Holm-corrected within each criterion" / "uncorrected"."""
    name = _CORRECTION.get(str(settings["correction"]))
    return f"{name}-corrected{scope}" if name else "uncorrected"
