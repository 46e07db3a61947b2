"""Report figures: the protocol's own (``ProtocolSpec.figures``) and the Bradley-Terry
forest plot that any protocol with pairwise comparisons gets.

HTML embeds them as inline SVG, the PDF puts them on pages. SVG output is deterministic
(fixed hash salt, no date, text kept as text), so the same report gives the same bytes.
"""

from __future__ import annotations

import io
from typing import Any

import matplotlib as mpl
import numpy as np
from matplotlib.backends import backend_svg  # noqa: F401 - loaded here, not on the first report
from matplotlib.figure import Figure

from evalplatform.protocols.figures import PALETTE, RC, literal, new_figure
from evalplatform.protocols.registry import get
from evalplatform.protocols.report import Report
from evalplatform.reports.plan_display import interval


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


def power_curve(result: dict[str, Any]) -> Figure | None:
    """Power against the number of items, one line per number of raters, with the
    Monte-Carlo intervals, the target as a dashed line and the current design marked."""
    rows = result.get("rows") or []
    if not rows:
        return None
    target = float((result.get("inputs") or {}).get("target") or 0.8)
    fig = new_figure(6.0, 3.4)
    with mpl.rc_context(RC):
        _power_lines(fig.subplots(), result, rows, target)
    return fig


def _power_lines(
    ax: Any, result: dict[str, Any], rows: list[dict[str, Any]], target: float
) -> None:
    for index, raters in enumerate(sorted({r["raters"] for r in rows})):
        line = sorted((r for r in rows if r["raters"] == raters), key=lambda r: r["items"])
        items = [r["items"] for r in line]
        power = [r.get("power") or 0.0 for r in line]
        bounds = [interval(r) for r in line]
        below = [
            max(0.0, p - low) if low is not None else 0.0
            for p, (low, _) in zip(power, bounds, strict=True)
        ]
        above = [
            max(0.0, high - p) if high is not None else 0.0
            for p, (_, high) in zip(power, bounds, strict=True)
        ]
        ax.errorbar(
            items,
            power,
            yerr=[below, above],
            marker="o",
            capsize=2,
            color=PALETTE[index % len(PALETTE)],
            label=f"{raters} raters",
        )
    ax.axhline(target, color="#999999", linewidth=0.8, linestyle="--", label="target")
    current = result.get("current")
    if current and current.get("power") is not None:
        ax.plot(
            [current["items"]],
            [current["power"]],
            marker="*",
            markersize=12,
            color="#000000",
            linestyle="none",
            label="current design",
        )
    ax.set_ylim(0, 1)
    ax.set_xlabel("items")
    ax.set_ylabel("power (95% Monte-Carlo interval)")
    ax.legend(fontsize=8, frameon=False, loc="lower right")


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
