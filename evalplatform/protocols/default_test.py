"""The default significance test's words and display table, shared by the
protocols that run it (each names its families, its test and its unit).

The default test is the calibrated one under the ``calibrated`` keys (``analysis.
crowd_tests``): the findings, the significance marks and the default-test table come from
it and name it; a pair that no test could separate says so instead of being folded into
"no significant difference". The seeds' own forms (Welch per rating, the sign test per
judgment) stay beside it, labelled, with what they assume.
"""

from __future__ import annotations

from typing import Any

from evalplatform.analysis.crowd_tests import NO_SHARED, NO_TEST, SIGN_FALLBACK
from evalplatform.analysis.significance import CORRECTION_NAMES
from evalplatform.protocols.render import Cell, Display, cell, correction_adjusted, fmt_p, num, pval
from evalplatform.protocols.report import Report

# (family label, the default test's pairs in it): one family is corrected together.
Family = tuple[str, list[dict[str, Any]]]

# What ``analysis.crowd_tests.remove_worker_bias`` does, including when it does nothing.
BIAS = (
    "each worker's additive bias is estimated by least squares against the other ratings "
    "of the same responses (model: rating = response mean + worker bias + noise) and, when "
    "a chi-square test at 5% shows more spread between workers than the estimates' noise, "
    "shrunk towards zero by empirical Bayes and removed"
)
FALLBACK = (
    "When every item differs by the same amount the t-test is undefined and the exact sign "
    "test over items is used instead (said next to the result)."
)


def result_words(report: Report, t: dict[str, Any], name: str) -> str:
    """``paired t-test over items: t(39) = 3.10, Holm-adjusted p = 0.006``."""
    p = f"{correction_adjusted(report)} {fmt_p(t['p_adjusted'])}"
    if t["test"] == SIGN_FALLBACK:
        return f"exact sign test over {t['n_items']} items ({t['fallback']}), {p}"
    return f"{name}: t({t['df']:.0f}) = {abs(t['t']):.2f}, {p}"


def interval(t: dict[str, Any]) -> str:
    lo, hi = t["ci95"]
    return "" if lo is None else f" [95% CI {lo:.2f}, {hi:.2f}]"


def untestable(where: str, a: str, b: str, t: dict[str, Any]) -> str | None:
    """The sentence for a pair no test could separate, or None when a test applied."""
    if t["test"] == NO_TEST:
        return (
            f"{where}{a} and {b} got the same score on every one of their {t['n_items']} "
            "shared items: no test can separate them (this is not a test result)."
        )
    if t["test"] == NO_SHARED:
        return f"{where}{a} and {b} share no item, so they were not compared."
    return None


def corrected_across(s: dict[str, Any], family: str) -> str:
    """How the p-values were corrected, naming the family."""
    if s["correction"] == "none":
        return f"not corrected for multiple comparisons (family: {family})"
    return f"corrected with the {CORRECTION_NAMES[s['correction']]} method across {family}"


def any_significant(families: list[Family]) -> bool:
    return any(t["significant"] for _, pairs in families for t in pairs)


def no_findings(report: Report, name: str) -> str:
    """The sentence when no pair differed: what was tested, so silence is not a claim."""
    s = report.settings
    return (
        f"No pair of systems differed significantly by the default test ({name}; "
        f"{correction_adjusted(report)} p-values, alpha = {s['alpha']:g})."
    )


def default_test_table(report: Report, families: list[Family], unit: str) -> Display | None:
    """One row per compared pair: family, difference A - B in mean ``unit`` with its
    interval, the test that applied, p and adjusted p. The significance highlight
    (``sig``) comes from this table."""
    rows = [_row(report, f, t) for f, pairs in families for t in pairs]
    if not rows:
        return None
    return {
        "id": "default-test",
        "caption": "Default test (the findings and marks come from it): every pair of "
        "systems per family, the item as unit, raters' bias removed; difference A - B in "
        f"mean {unit} with its 95% interval; adjusted p after the "
        "multiple-comparison correction within the family.",
        "columns": [
            "Family",
            "A",
            "B",
            "items",
            "difference",
            "test",
            "p",
            "p adj.",
            "significant",
        ],
        "rows": rows,
    }


def _row(report: Report, family: str, t: dict[str, Any]) -> list[Cell]:
    sig = "sig" if t["significant"] else ""
    lo, hi = t["ci95"]
    shown = "" if lo is None else f" [{lo:.2f}, {hi:.2f}]"
    return [
        cell(family, "name"),
        cell(report.system_label(t["a"])),
        cell(report.system_label(t["b"])),
        cell(num(t["n_items"]), "num"),
        cell(f"{num(t['difference'])}{shown}", "num"),
        cell(t["test"]),
        cell(pval(t["p"]), "num"),
        cell(pval(t["p_adjusted"]), f"num {sig}"),
        cell("yes" if t["significant"] else "no", sig),
    ]
