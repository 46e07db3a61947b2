"""Figures of the built-in protocols, and the drawing helpers every figure shares:
matplotlib ``Figure`` objects (no pyplot: no global figure state).

Each protocol names its figures (``ProtocolSpec.figures``) and imports this module only
when a report is drawn: matplotlib takes a second to import, which worker pages and
campaign validation need not pay. Colours: the Okabe-Ito palette, readable with the
common colour-vision deficiencies.
"""

from __future__ import annotations

from typing import Any

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure

from evalplatform.protocols.report import Report

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
LABEL_COLOURS = {"good": "#009E73", "okay": "#E69F00", "bad": "#D55E00"}
OUTCOME_COLOURS = {"win": "#0072B2", "tie": "#BBBBBB", "both_bad": "#666666", "loss": "#D55E00"}
RC: Any = {  # matplotlib types rc keys as a Literal union
    "svg.hashsalt": "evalplatform",
    "svg.fonttype": "none",
    "font.size": 9,
    "font.family": "DejaVu Sans",
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def literal(text: str) -> str:
    """Literal text: a "$" in a system name would otherwise start matplotlib mathtext."""
    return str(text).replace("$", r"\$")


def new_figure(width: float, height: float) -> Figure:
    with mpl.rc_context(RC):
        return Figure(figsize=(width, height), layout="constrained")


def means_figure(report: Report) -> Figure | None:
    """Mean per criterion and system with 95% intervals; binary criteria in their own panel."""
    criteria = report.results.get("criteria", {})
    systems = report.results.get("systems", [])
    groups = [
        [c for c, b in criteria.items() if not b["binary"]],
        [c for c, b in criteria.items() if b["binary"]],
    ]
    groups = [g for g in groups if g]
    if not groups or not systems:
        return None
    widths = [max(len(g), 1) for g in groups]
    fig = new_figure(min(2.2 + 1.3 * sum(widths), 9.0), 3.2)
    with mpl.rc_context(RC):
        axes = fig.subplots(1, len(groups), width_ratios=widths, squeeze=False)[0]
        for ax, crits in zip(axes, groups, strict=True):
            _means_panel(ax, report, crits, systems)
        axes[-1].legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig


def _means_panel(ax: Any, report: Report, crits: list[str], systems: list[str]) -> None:
    criteria = report.results["criteria"]
    binary = criteria[crits[0]]["binary"]
    scale = 100.0 if binary else 1.0
    step = 0.8 / len(systems)
    for j, system in enumerate(systems):
        means, lo, hi = [], [], []
        for c in crits:
            v = criteria[c]["systems"].get(system, {})
            m = v.get("mean")
            ci = v.get("ci95", [None, None])
            means.append(np.nan if m is None else m * scale)
            # max(0, .): a Wilson bound at 100 % can round to just below the mean.
            lo.append(0.0 if m is None or ci[0] is None else max(0.0, (m - ci[0]) * scale))
            hi.append(0.0 if m is None or ci[1] is None else max(0.0, (ci[1] - m) * scale))
        x = np.arange(len(crits)) - 0.4 + step * (j + 0.5)
        ax.bar(
            x,
            means,
            step * 0.9,
            yerr=[lo, hi],
            capsize=2,
            color=PALETTE[j % len(PALETTE)],
            label=literal(report.system_label(system)),
            error_kw={"elinewidth": 0.8},
        )
    ax.set_xticks(range(len(crits)), [literal(report.criterion_label(c)) for c in crits])
    ax.set_ylim(*((0, 100) if binary else (1, 5)))
    ax.set_ylabel("% judged 1 (95% Wilson CI)" if binary else "mean rating (95% CI)")


def ggb_figure(report: Report) -> Figure | None:
    """Stacked good / okay / bad shares, one panel per test set."""
    subsets = report.results.get("subsets", {})
    if not subsets:
        return None
    n_sys = max(len(b) for b in subsets.values())
    fig = new_figure(7.0, 0.6 + len(subsets) * (0.35 * n_sys + 0.5))
    with mpl.rc_context(RC):
        axes = fig.subplots(len(subsets), 1, sharex=True, squeeze=False)[:, 0]
        for ax, (subset, block) in zip(axes, subsets.items(), strict=True):
            names = list(block)
            left = np.zeros(len(names))
            for label, colour in LABEL_COLOURS.items():
                share = np.array([block[s][label] for s in names])
                ax.barh(range(len(names)), share, left=left, color=colour, label=label)
                left += share
            ax.set_yticks(range(len(names)), [literal(report.system_label(s)) for s in names])
            ax.invert_yaxis()
            ax.set_title(literal(subset), loc="left", fontsize=9)
        axes[-1].set_xlim(0, 1)
        axes[-1].set_xlabel("share of judgments")
        axes[0].legend(
            ncols=3, fontsize=8, frameon=False, loc="lower right", bbox_to_anchor=(1.0, 1.0)
        )
    return fig


def wlt_figure(report: Report) -> Figure | None:
    """Win / tie / loss percentages per pair, from the first system's side."""
    pairs = report.results.get("pairs", [])
    if not pairs:
        return None
    fig = new_figure(7.0, 0.9 + 0.4 * len(pairs))
    names = [f"{report.system_label(p['a'])} vs {report.system_label(p['b'])}" for p in pairs]
    with mpl.rc_context(RC):
        ax = fig.subplots()
        left = np.zeros(len(pairs))
        for outcome, colour in OUTCOME_COLOURS.items():
            values = np.array([p.get(outcome, 0.0) or 0.0 for p in pairs])
            if outcome == "both_bad" and not values.any():
                continue
            ax.barh(
                range(len(pairs)), values, left=left, color=colour, label=outcome.replace("_", " ")
            )
            left += values
        ax.set_yticks(range(len(pairs)), [literal(n) for n in names])
        ax.invert_yaxis()
        ax.set_xlim(0, 100)
        ax.set_xlabel("% of judgments")
        ax.legend(ncols=4, fontsize=8, frameon=False, loc="lower right", bbox_to_anchor=(1, 1))
    return fig
