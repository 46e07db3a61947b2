"""PDF export with matplotlib's PdfPages: text, tables and figures on A4 pages.

Works offline with no system libraries (WeasyPrint would need Pango). The HTML report also
carries a print stylesheet, so a browser's "print to PDF" gives a second, richer PDF.
Dates are left out of the PDF metadata so the same report gives the same bytes.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import IO, Any

import matplotlib as mpl
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from evalplatform.protocols.figures import RC
from evalplatform.protocols.report import Report
from evalplatform.reports import layout, tables
from evalplatform.reports.plots import figures

A4 = (8.27, 11.69)
_TOP, _BOTTOM, _LEFT = 0.95, 0.05, 0.07
_LINE = 0.0165  # one line of 9 pt text, as a fraction of the page height
_WRAP = 105
_MAX_TABLE_ROWS = 40


class _Pages:
    """Flows headings, paragraphs and tables down A4 pages, starting a new page when full."""

    def __init__(self, pdf: PdfPages) -> None:
        self.pdf = pdf
        self.fig: Figure | None = None
        self.y = _TOP

    def _room(self, height: float) -> Figure:
        """The current page, or a fresh one when ``height`` does not fit."""
        if self.fig is None or self.y - height < _BOTTOM:
            self.flush()
            self.fig = Figure(figsize=A4)
            self.y = _TOP
        return self.fig

    def flush(self) -> None:
        if self.fig is not None:
            self.pdf.savefig(self.fig)
            self.fig = None

    def text(self, text: str, size: float = 9, weight: str = "normal", indent: str = "") -> None:
        lines = textwrap.wrap(text, int(_WRAP * 9 / size), subsequent_indent=indent) or [""]
        step = _LINE * size / 9
        fig = self._room(step * len(lines))
        for line in lines:
            fig.text(
                _LEFT, self.y, line.replace("$", r"\$"), fontsize=size, fontweight=weight, va="top"
            )
            self.y -= step
        self.y -= step * 0.4

    def table(self, display: layout.Display) -> None:
        rows = display["rows"][:_MAX_TABLE_ROWS]
        if not rows:
            return
        height = _LINE * 1.25 * (len(rows) + 1)
        self.text(display["caption"], size=8)
        ax = self._room(height).add_axes((_LEFT, self.y - height, 1 - 2 * _LEFT, height))
        ax.axis("off")
        cells = [[c["text"].replace("$", r"\$") for c in r] for r in rows]
        tbl = ax.table(
            cellText=cells,
            colLabels=display["columns"],
            loc="upper left",
            cellLoc="left",
            colLoc="left",
            bbox=Bbox.from_bounds(0, 0, 1, 1),
        )
        tbl.auto_set_font_size(False)
        tbl.set_fontsize(7)
        # Columns as wide as their longest text; the bbox then scales them to the page.
        texts = [display["columns"], *cells]
        widths = [max(len(str(r[j])) for r in texts) + 2 for j in range(len(texts[0]))]
        for (row, col), cell in tbl.get_celld().items():
            cell.set_width(widths[col] / sum(widths))
            cell.set_linewidth(0.3)
            if row == 0:
                cell.set_text_props(fontweight="bold")
                cell.set_facecolor("#f0f2f5")
        self.y -= height + _LINE

    def figure(self, fig: Figure) -> None:
        self.flush()
        self.pdf.savefig(fig)


def _write(pages: _Pages, report: Report) -> None:
    pages.text(report.title, size=16, weight="bold")
    for key in ("campaign", "preset", "dataset", "generated_at"):
        if report.meta.get(key):
            pages.text(f"{key}: {report.meta[key]}", size=8)
    if report.data.get("simulated_rows"):
        pages.text(
            f"SIMULATED DATA: {report.data['simulated_rows']} judgments come from "
            "simulated raters, not people.",
            weight="bold",
        )
    _section(pages, "Findings", report.findings or ["No significance test for this protocol."])
    for display in layout.main_tables(report):
        pages.table(display)
    _section(pages, "Agreement", report.agreement)
    agreement = layout.generic("agreement", "Agreement per scope.", layout.agreement_rows(report))
    if agreement:
        pages.table(agreement)
    pages.text("Quality filter", size=12, weight="bold")
    for display in layout.quality_tables(report):
        pages.table(display)
    for rows, caption in _extras(report):
        extra = layout.generic("extra", caption, rows)
        if extra:
            pages.table(extra)
    _section(pages, "Methods", report.methods, numbered=True)
    for _, caption, fig in figures(report):
        fig.suptitle(caption, fontsize=9)
        pages.figure(fig)
    pages.flush()


def _extras(report: Report) -> list[tuple[list[dict[str, Any]], str]]:
    return [
        (tables.bradley_terry(report), "Bradley-Terry strengths (95% bootstrap CI)."),
        (tables.automatic(report), "Automatic metrics per system."),
        (tables.correlations(report), "Correlation of automatic metrics with human scores."),
    ]


def _section(pages: _Pages, title: str, sentences: list[str], numbered: bool = False) -> None:
    pages.text(title, size=12, weight="bold")
    for i, sentence in enumerate(sentences, 1):
        pages.text(f"{i}. {sentence}" if numbered else f"• {sentence}", indent="   ")


def to_pdf(report: Report, path: str | Path | IO[bytes]) -> None:
    """Write the report as a multi-page A4 PDF to ``path`` (a file name or binary file)."""
    metadata = {
        "Title": report.title,
        "Creator": "evalplatform",
        "Producer": "evalplatform",
        "CreationDate": None,
        "ModDate": None,
    }
    with mpl.rc_context({**RC, "pdf.fonttype": 3}), PdfPages(path, metadata=metadata) as pdf:
        _write(_Pages(pdf), report)
