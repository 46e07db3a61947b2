"""A plan's result (``reports.planning.Plan.to_dict()``) as people read it: the table of
designs, the power curve, and the sentences a report states about the plan frozen with the
campaign. The console's plan page and the report both show plans through here, so the
result's keys are read in this one module."""

from __future__ import annotations

from typing import Any

from evalplatform.protocols.report import Report

Row = dict[str, Any]
# Where a campaign's report carries its plan section (``Report.meta``; the tree's ``plan``).
PLAN_KEY = "plan"


def report_plan(report: Report) -> dict[str, Any] | None:
    """The report's plan section (``plan_section``); None for a report without a campaign."""
    plan = report.meta.get(PLAN_KEY)
    return dict(plan) if plan is not None else None


def unit_words(result: dict[str, Any] | None) -> str:
    return str(((result or {}).get("inputs") or {}).get("unit") or "")


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def interval(row: Row) -> tuple[float | None, float | None]:
    low, high = row.get("power_interval95") or (None, None)
    return low, high


def design_words(row: Row) -> str:
    return f"{row['items']} items x {row['raters']} raters"


def power_words(row: Row) -> str:
    """ "84% (95% Monte-Carlo interval 79% to 88%)"."""
    low, high = interval(row)
    around = (
        "" if low is None else f" (95% Monte-Carlo interval {_percent(low)} to {_percent(high)})"
    )
    return f"{_percent(row.get('power'))}{around}"


def money(value: float | None) -> str:
    return "—" if value is None else f"${value:,.2f}"


def table_rows(result: dict[str, Any]) -> list[dict[str, str]]:
    """One display row per simulated design, cheapest first, marking the current design
    and the cheapest one reaching the target."""
    current, cheapest = result.get("current"), result.get("cheapest")
    target = float((result.get("inputs") or {}).get("target") or 0.8)
    out = []
    for row in sorted(result.get("rows") or [], key=lambda r: (r.get("cost") or 0, r["items"])):
        low, high = interval(row)
        notes = []
        if _same(row, current):
            notes.append("current design")
        if _same(row, cheapest):
            notes.append("cheapest reaching the target")
        out.append(
            {
                "items": str(row["items"]),
                "raters": str(row["raters"]),
                "power": _percent(row.get("power")),
                "interval": "—" if low is None else f"{_percent(low)} to {_percent(high)}",
                "cost": money(row.get("cost")),
                "hours": f"{row.get('hours', 0):.1f}",
                "reaches": "yes" if (row.get("power") or 0) >= target else "no",
                "notes": ", ".join(notes),
            }
        )
    return out


def _same(row: Row, other: Row | None) -> bool:
    return bool(other) and all(row.get(k) == other.get(k) for k in ("items", "raters"))  # type: ignore[union-attr]


def summary(result: dict[str, Any]) -> dict[str, str]:
    """The current design and the cheapest design reaching the target, in words."""
    current, cheapest = result.get("current"), result.get("cheapest")
    return {
        "current": (
            f"{design_words(current)}: power {power_words(current)}, {money(current.get('cost'))}"
            if current
            else ""
        ),
        "cheapest": (
            f"{design_words(cheapest)}: power {power_words(cheapest)}, "
            f"{money(cheapest.get('cost'))}, {cheapest.get('hours', 0):.1f} hours of work"
            if cheapest
            else ""
        ),
    }


# ---- the report's statement of the plan frozen at publishing


def plan_section(frozen: dict[str, Any] | None) -> dict[str, Any]:
    """The report's ``plan``: whether a plan was made before publishing, what it said
    (``statement``, sentences) and the frozen record itself."""
    if frozen is None:
        return {
            "made": False,
            "statement": [
                "No power plan was made before this campaign was published: its design "
                "(items and raters) was not chosen for a target power."
            ],
        }
    return {"made": True, "statement": plan_statement(frozen), **frozen}


def plan_statement(frozen: dict[str, Any]) -> list[str]:
    result = frozen.get("result") or {}
    unit = unit_words(result)
    design = frozen["design"]
    made = str(frozen.get("requested_at") or "")[:10]
    who = f" by {frozen['requested_by']}" if frozen.get("requested_by") else ""
    sentences = [
        f"The plan made before publishing (plan {frozen['plan']}, {made}{who}) set the "
        f"smallest difference worth detecting at {frozen['difference']:g}"
        f"{' ' + unit if unit else ''} and the target power at {_percent(frozen['target'])}, "
        f"with variance components from {frozen['pilot']} (seed {frozen['seed']}, "
        f"{frozen['sets']} simulated data sets a design, through the report's own analysis)."
    ]
    predicted = frozen.get("predicted")
    published = (
        f"{design['items']} items x {design['raters']} raters, {design['items_per_hit']} "
        "items a HIT"
    )
    if predicted:
        sentences.append(
            f"The published design ({published}) had a predicted power of {power_words(predicted)}."
        )
    else:
        sentences.append(
            f"The published design ({published}) was not among the designs the plan "
            "simulated, so the plan predicts no power for it."
        )
    cheapest = result.get("cheapest")
    if cheapest:
        sentences.append(
            f"The cheapest simulated design reaching the target was {design_words(cheapest)} "
            f"({power_words(cheapest)}, {money(cheapest.get('cost'))})."
        )
    else:
        sentences.append("No simulated design reached the target power.")
    if monitoring := frozen.get("monitoring"):
        sentences.append(_monitoring_sentence(monitoring, frozen["difference"]))
    return sentences


def _monitoring_sentence(monitoring: dict[str, Any], planned: float) -> str:
    """Which smallest difference the monitoring used: the plan's, in the monitoring's
    unit, or the researcher's own, which wins."""
    unit = monitoring.get("unit") or ""
    if monitoring.get("taken"):
        return (
            "While the campaign collected, the monitoring took it as its smallest difference "
            f"worth detecting: {monitoring['difference']:g} {unit}."
        )
    if monitoring.get("researchers") is not None:
        return (
            "The monitoring's smallest difference worth detecting was not the plan's "
            f"{planned:g} but the researcher's own: {monitoring['researchers']:g} {unit}."
        )
    return "The monitoring could not use the plan's smallest difference (no common unit)."
