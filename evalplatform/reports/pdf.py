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
from evalplatform.reports.monitoring_section import monitoring_sentences, monitoring_table
from evalplatform.reports.plan_display import report_plan
from evalplatform.reports.plots import figures, power_curve

A4 = (8.27, 11.69)
_TOP, _BOTTOM, _LEFT = 0.95, 0.05, 0.07
_LINE = 0.0165  # one line of 9 pt text, as a fraction of the page height
_WRAP = 105
_MAX_TABLE_ROWS = 400
_TABLE_FONT = 7
# Characters of 7 pt text across the printable width, and the narrowest wrapped column.
_TABLE_CHARS = 120
_MIN_COLUMN = 6
_TABLE_LINE = _LINE * 0.85  # one line of 7 pt text in a cell


def _column_widths(texts: list[list[str]]) -> list[int]:
    """Each column as wide as its longest text, narrowed in proportion when the table
    would be wider than the page (its text then wraps)."""
    natural = [max(len(str(r[j])) for r in texts) + 1 for j in range(len(texts[0]))]
    if sum(natural) <= _TABLE_CHARS:
        return natural
    scale = _TABLE_CHARS / sum(natural)
    return [max(_MIN_COLUMN, int(w * scale)) for w in natural]


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, max(width - 1, 1), break_long_words=True)) or text


def _row_height(row: list[str]) -> float:
    return _TABLE_LINE * (max(t.count("\n") for t in row) + 1.4)


def _rows_that_fit(body: list[list[str]], room: float) -> int:
    """How many rows fit in ``room`` (at least one, so that a table always moves on)."""
    used, count = 0.0, 0
    for row in body:
        used += _row_height(row)
        if used > room and count:
            break
        count += 1
    return count


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
        """A table that wraps its cells to the page's width and continues on the next
        page, with its header repeated, when it does not fit on this one."""
        rows = display["rows"]
        if not rows:
            return
        shown = rows[:_MAX_TABLE_ROWS]
        note = (
            f" Showing the first {len(shown)} of {len(rows)}; the CSV export has them all."
            if len(rows) > len(shown)
            else ""
        )
        texts = [[c["text"] for c in r] for r in shown]
        widths = _column_widths([list(display["columns"]), *texts])
        header = [_wrap(str(name), w) for name, w in zip(display["columns"], widths, strict=True)]
        body = [[_wrap(t, w) for t, w in zip(r, widths, strict=True)] for r in texts]
        caption = display["caption"] + note
        while body:
            self._room(_LINE * 2 + _row_height(header) + _row_height(body[0]))
            self.text(caption, size=8)
            room = self.y - _BOTTOM - _row_height(header)
            count = _rows_that_fit(body, room)
            self._draw(header, body[:count], widths)
            body = body[count:]
            if body:
                self.flush()
                caption = f"{display['caption']} (continued)"

    def _draw(self, header: list[str], body: list[list[str]], widths: list[int]) -> None:
        heights = [_row_height(header), *(_row_height(r) for r in body)]
        height = sum(heights)
        fig = self._room(height)
        ax = fig.add_axes((_LEFT, self.y - height, 1 - 2 * _LEFT, height))
        ax.axis("off")
        tbl = ax.table(
            cellText=[[t.replace("$", r"\$") for t in r] for r in body],
            colLabels=[t.replace("$", r"\$") for t in header],
            loc="upper left",
            cellLoc="left",
            colLoc="left",
            bbox=Bbox.from_bounds(0, 0, 1, 1),
        )
        tbl.auto_set_font_size(False)
        tbl.set_fontsize(_TABLE_FONT)
        for (row, col), cell in tbl.get_celld().items():
            cell.set_width(widths[col] / sum(widths))
            cell.set_height(heights[row] / height)
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
    if sentences := monitoring_sentences(report):
        _section(pages, "Monitoring and stopping", sentences)
        if (monitoring := monitoring_table(report)) is not None:
            pages.table(monitoring)
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
    plan = report_plan(report)
    if plan is not None:
        _section(pages, "The plan made before publishing", plan["statement"])
    _section(pages, "Methods", report.methods, numbered=True)
    for _, caption, fig in figures(report):
        fig.suptitle(caption, fontsize=9)
        pages.figure(fig)
    curve = power_curve(plan.get("result") or {}) if plan is not None else None
    if curve is not None:
        curve.suptitle("The power curve of the plan made before publishing.", fontsize=9)
        pages.figure(curve)
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
