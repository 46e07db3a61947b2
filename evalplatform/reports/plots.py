"""Report figures: the protocol's own (``ProtocolSpec.figures``) and the Bradley-Terry
forest plot that any protocol with pairwise comparisons gets.

HTML embeds them as inline SVG, the PDF puts them on pages. SVG output is deterministic
(fixed hash salt, no date, text kept as text), so the same report gives the same bytes.
"""

from __future__ import annotations

import io

import matplotlib as mpl
import numpy as np
from matplotlib.backends import backend_svg  # noqa: F401 - loaded here, not on the first report
from matplotlib.figure import Figure

from evalplatform.protocols.figures import PALETTE, RC, literal, new_figure
from evalplatform.protocols.registry import get
from evalplatform.protocols.report import Report


def to_svg(fig: Figure) -> str:
    """The figure as an inline ``<svg>`` element (prolog and doctype stripped)."""
    buf = io.StringIO()
    with mpl.rc_context(RC):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    svg = buf.getvalue()
    return svg[svg.index("<svg") :].strip()


def bt_figure(report: Report) -> Figure | None:
    """Bradley-Terry strengths with bootstrap intervals (a forest plot)."""
    bt = report.bradley_terry or {}
    rows = bt.get("strengths", [])
    if not rows:
        return None
    fig = new_figure(6.0, 0.8 + 0.35 * len(rows))
    with mpl.rc_context(RC):
        ax = fig.subplots()
        y = np.arange(len(rows))
        theta = np.array([r["theta"] for r in rows])
        lo = np.array([r["ci95"][0] if r["ci95"][0] is not None else r["theta"] for r in rows])
        hi = np.array([r["ci95"][1] if r["ci95"][1] is not None else r["theta"] for r in rows])
        ax.errorbar(theta, y, xerr=[theta - lo, hi - theta], fmt="o", color=PALETTE[0], capsize=3)
        ax.axvline(0, color="#999999", linewidth=0.8, linestyle="--")
        ax.set_yticks(y, [literal(report.system_label(r["system"])) for r in rows])
        ax.invert_yaxis()
        ax.set_xlabel("Bradley-Terry strength (log scale, 95% bootstrap CI)")
    return fig


def figures(report: Report) -> list[tuple[str, str, Figure]]:
    """(key, caption, figure) for every figure this report has."""
    candidates = [
        *get(report.protocol).figures(),
        ("bradley_terry", "Bradley-Terry strengths with bootstrap intervals.", bt_figure),
    ]
    out = []
    for key, caption, build in candidates:
        fig = build(report)
        if fig is not None:
            out.append((key, caption, fig))
    return out
