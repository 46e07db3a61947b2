"""PDF tables stay on the page: a long, wide table wraps its cells and continues
on the next pages with its header repeated, instead of running off the page."""

from __future__ import annotations

import dataclasses
import io

from matplotlib.figure import Figure

from evalplatform.reports import pdf
from evalplatform.reports.builder import build_report
from evalplatform.reports.config import ReportSettings
from evalplatform.reports.layout import quality_tables
from tests.analysis.simulated import simulate_ggb

SHARES = {"a": (0.4, 0.3, 0.3), "b": (0.3, 0.3, 0.4)}


class CollectedPages:
    """Stands for matplotlib's PdfPages (the file format is the edge): keeps each page."""

    def __init__(self) -> None:
        self.pages: list[Figure] = []

    def savefig(self, fig: Figure) -> None:
        self.pages.append(fig)


def many_excluded_workers():
    df = simulate_ggb(SHARES, subsets=("ED",), items_per_subset=20, workers=8, seed=1)
    report = build_report(df, "ggb", ReportSettings(bootstrap=50, seed=0))
    columns = {f"a rather long statistic name {i}": 0.123456 * i for i in range(14)}
    workers = [
        {
            "worker": f"w{n}",
            "excluded": "failed 2 of 3 gold checks and answered faster than the median " * 2,
            **columns,
        }
        for n in range(150)
    ]
    return dataclasses.replace(report, workers=workers)


def tables_on(pages: list[Figure]):
    for page in pages:
        for ax in page.axes:
            for table in ax.tables:
                yield page, ax, table


def test_a_long_wide_table_continues_on_new_pages_with_its_header():
    report = many_excluded_workers()
    excluded = next(t for t in quality_tables(report) if t["id"] == "excluded-workers")
    collected = CollectedPages()
    pdf._write(pdf._Pages(collected), report)

    body_rows, pages_with_it = 0, set()
    for page, ax, table in tables_on(collected.pages):
        x0, y0, width, height = ax.get_position().bounds
        assert y0 >= pdf._BOTTOM - 1e-9 and y0 + height <= 1  # on the page
        assert x0 >= 0 and x0 + width <= 1
        cells = table.get_celld()
        n_columns = 1 + max(col for _, col in cells)
        header = [cells[(0, col)].get_text().get_text() for col in range(n_columns)]
        if n_columns != len(excluded["columns"]) or header[0].replace("\n", "") != "worker":
            continue
        pages_with_it.add(id(page))
        # Every part carries the table's whole header, wrapped to its column.
        squeezed = [h.replace("\n", "").replace(" ", "") for h in header]
        assert squeezed == [c.replace(" ", "") for c in excluded["columns"]]
        body_rows += max(row for row, _ in cells)
    assert len(pages_with_it) >= 3
    assert body_rows == 150


def test_the_pdf_of_a_report_with_a_long_table_is_written():
    buffer = io.BytesIO()
    pdf.to_pdf(many_excluded_workers(), buffer)
    assert buffer.getvalue().startswith(b"%PDF")
