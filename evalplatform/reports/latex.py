"""LaTeX tables in the seed papers' forms (booktabs; needs ``\\usepackage{booktabs}``).

Styles (aliases by seed in brackets):
- ``means`` [seed000; Likert of seeds 003/004]: one row per system, one column per criterion,
  means to 2 decimals, binary criteria as percentages (seed 000's EmoAcc column);
- ``means-auto`` [seed001]: automatic metrics (BLEU, dist-1/2 x100, average length) next
  to the human means, under "Auto Eval" / "Manual Eval" headers;
- ``ggb`` [seed002]: Good / Okay / Bad shares per test set, ``.3097`` style;
- ``wlt`` [seed003]: "A vs B" rows with Win % / Loss % / Tie %, kappa in the caption;
- ``wlt-kappa`` [seed004]: the same with a kappa column per pair ("A vs" header when all
  pairs share their "a" system).
The best value of each column is bold; a dagger marks a best value that is significantly
better than every other system's after correction (the caption says which test).
"""

from __future__ import annotations

from evalplatform.protocols.registry import all_protocols, get
from evalplatform.protocols.render import escape
from evalplatform.protocols.report import Report
from evalplatform.reports.monitoring_section import monitoring_latex
from evalplatform.reports.plan_display import report_plan


def styles() -> dict[str, str]:
    """Every LaTeX style, with the protocol it is for."""
    return {style: p.name for p in all_protocols() for style in p.latex_styles()}


def _alias(style: str) -> str:
    """A seed name that no style of the report's protocol answers: what it names elsewhere
    (so that the error says which protocol the style is for)."""
    for protocol in all_protocols():
        if style in protocol.latex_aliases:
            return protocol.latex_aliases[style]
    return style


def resolve_style(report: Report, style: str | None) -> str:
    spec = get(report.protocol)
    if style is None:
        return spec.latex_default
    style = spec.latex_aliases.get(style) or _alias(style)
    known = styles()
    if style not in known:
        raise ValueError(f"unknown LaTeX style {style!r}; choose from {', '.join(known)}")
    if known[style] != report.protocol:
        raise ValueError(f"style {style!r} is for {known[style]} reports, not {report.protocol}")
    return style


def to_latex(report: Report, style: str | None = None) -> str:
    """The paper table for this report, as a complete ``table`` environment (then, in a
    campaign's report, the plan made before publishing and how the data were collected)."""
    style = resolve_style(report, style)
    table = get(report.protocol).latex_styles()[style](report)
    return table + plan_paragraph(report) + monitoring_latex(report)


def plan_paragraph(report: Report) -> str:
    """A campaign's report: the plan made before publishing, after the table, ready for the
    paper's method section (empty for ``analyze``, which has no campaign)."""
    plan = report_plan(report)
    if plan is None:
        return ""
    text = " ".join(escape(sentence) for sentence in plan["statement"])
    return f"\\paragraph{{Plan made before publishing.}} {text}\n"
