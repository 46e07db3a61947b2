"""The report's "Monitoring and stopping" section: whether collection stopped early and why
(from the campaign's recorded decisions), and each comparison's final test in its
anytime-valid form beside the fixed-sample one. Present when the campaign report carries
``meta["monitoring"]`` (``reports.monitoring.campaign_monitoring``); a tidy file analysed
without a campaign has none."""

from __future__ import annotations

from typing import Any

from evalplatform.protocols.render import Display, escape, num, pval
from evalplatform.protocols.report import Report
from evalplatform.reports import layout


def monitoring_block(report: Report) -> dict[str, Any] | None:
    block = report.meta.get("monitoring")
    return block if isinstance(block, dict) else None


def monitoring_sentences(report: Report) -> list[str]:
    block = monitoring_block(report)
    if block is None:
        return []
    out = []
    stops = [d for d in block["decisions"] if d["action"] == "stop"]
    if stops:
        stop = stops[0]
        out.append(
            f"Collection stopped early at {stop['at']}, after {stop['submitted_assignments']} "
            f"submitted assignments, {stop['hits_withdrawn']} HITs withdrawn: {stop['reason']}"
        )
    elif block["stop_when_settled"]:
        out.append("Collection was set to stop once every comparison was settled; it did not.")
    else:
        out.append("Collection ran to its planned size: stopping when settled was off.")
    for d in block["decisions"]:
        if d["action"] == "reallocate":
            added = d.get("hits_added", 0)  # kept reports from before HITs were added
            given = f" and {added} added for the undecided comparisons" if added else ""
            out.append(
                f"At {d['at']}, {d['hits_withdrawn']} HITs were withdrawn{given}: {d['reason']}"
            )
    smallest = block["smallest_difference"]
    source = block.get("smallest_difference_from")
    futility = (
        f"futile when it lies inside plus or minus {smallest:g} ({block['unit']}"
        f"{', set by ' + source if source else ''})"
        if smallest is not None
        else "no smallest difference worth detecting was set, so none is futile"
    )
    out.append(
        f"Each comparison has an {block['method']} (alpha = {block['alpha']:g}); it is "
        f"decided when the sequence excludes 0, {futility}. The fixed-sample column is a "
        "t-test over the same per-item values, valid only for a sample size fixed in advance."
    )
    return out


def monitoring_rows(report: Report) -> list[dict[str, Any]]:
    block = monitoring_block(report)
    if block is None:
        return []
    rows = []
    for c in block["comparisons"]:
        fixed = c.get("fixed_sample") or {}
        rows.append(
            {
                "scope": c["family"],
                "a": c["a"],
                "b": c["b"],
                "items": c["items"],
                "difference": c["estimate"],
                "anytime_valid_cs": _interval(c["cs"]),
                "state": c["status"],
                "fixed_ci95": _interval(fixed.get("ci95")),
                "fixed_adjusted_p": fixed.get("p_adjusted"),
            }
        )
    return rows


def _interval(bounds: Any) -> str:
    if not bounds or bounds[0] is None:
        return "-"
    return f"[{num(bounds[0], 3)}, {num(bounds[1], 3)}]"


def monitoring_table(report: Report) -> Display | None:
    return layout.generic(
        "monitoring-table",
        "Each comparison's anytime-valid confidence sequence (at the campaign's alpha split "
        "across comparisons) and the fixed-sample t-interval on the same items.",
        monitoring_rows(report),
    )


def monitoring_latex(report: Report) -> str:
    """A second table for the paper: the sequences beside the fixed-sample intervals."""
    rows = monitoring_rows(report)
    if not rows:
        return ""
    body = [
        " & ".join(
            [
                escape(r["scope"]),
                escape(r["a"]),
                escape(r["b"]),
                str(r["items"]),
                num(r["difference"], 3),
                escape(r["anytime_valid_cs"]),
                escape(r["state"]),
                escape(r["fixed_ci95"]),
                escape(pval(r["fixed_adjusted_p"])),
            ]
        )
        + r" \\"
        for r in rows
    ]
    stopped = monitoring_block(report) or {}
    how = "stopped early" if stopped.get("stopped_early") else "not stopped early"
    lines = [
        "\\begin{table}[t]",
        "\\centering",
        "\\small",
        "\\begin{tabular}{lllrrlllr}",
        "\\toprule",
        r"Scope & A & B & Items & Diff. & Anytime-valid CS & State & Fixed 95\% CI & $p_{adj}$ \\",
        "\\midrule",
        *body,
        "\\bottomrule",
        "\\end{tabular}",
        f"\\caption{{Monitoring while collecting (collection {how}): empirical-Bernstein "
        "confidence sequences (Howard et al., 2021) beside fixed-sample intervals.}",
        "\\end{table}",
    ]
    return "\n".join(lines) + "\n"
