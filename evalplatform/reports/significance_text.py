"""Words for the default significance test (``calibrated`` keys): findings and methods.

The findings come from the default test and name it; a pair that no test could separate
says so instead of being folded into "no significant difference". The seeds' own forms
(Welch per rating, sign test per judgment) are described beside it, with what they assume.
"""

from __future__ import annotations

from typing import Any

from evalplatform.analysis.crowd_tests import NO_SHARED, NO_TEST, SIGN_FALLBACK
from evalplatform.analysis.quality import emptied_message
from evalplatform.analysis.significance import CORRECTION_NAMES
from evalplatform.reports.model import Report


def fmt_p(p: float | None) -> str:
    if p is None:
        return "p undefined"
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def _adjusted(s: dict[str, Any]) -> str:
    if s["correction"] == "none":
        return "uncorrected"
    return f"{CORRECTION_NAMES[s['correction']]}-adjusted"


def _test_words(t: dict[str, Any], s: dict[str, Any], name: str) -> str:
    """``paired t-test over items: t(39) = 3.10, Holm-adjusted p = 0.006``."""
    p = f"{_adjusted(s)} {fmt_p(t['p_adjusted'])}"
    if t["test"] == SIGN_FALLBACK:
        return f"exact sign test over {t['n_items']} items ({t['fallback']}), {p}"
    return f"{name}: t({t['df']:.0f}) = {abs(t['t']):.2f}, {p}"


def _interval(t: dict[str, Any]) -> str:
    lo, hi = t["ci95"]
    return "" if lo is None else f" [95% CI {lo:.2f}, {hi:.2f}]"


def _untestable(where: str, a: str, b: str, t: dict[str, Any]) -> str | None:
    if t["test"] == NO_TEST:
        return (
            f"{where}{a} and {b} got the same score on every one of their {t['n_items']} "
            "shared items: no test can separate them (this is not a test result)."
        )
    if t["test"] == NO_SHARED:
        return f"{where}{a} and {b} share no item, so they were not compared."
    return None


def likert_findings(report: Report) -> list[str]:
    s, out = report.settings, []
    for crit, block in report.results.get("criteria", {}).items():
        where = f"On {report.criterion_label(crit)}, "
        for t in block.get("calibrated", {}).get("pairs", []):
            a, b = report.system_label(t["a"]), report.system_label(t["b"])
            if (line := _untestable(where, a, b, t)) is not None:
                out.append(line)
                continue
            if not t["significant"]:
                continue
            hi, lo = (a, b) if t["difference"] >= 0 else (b, a)
            m_hi, m_lo = sorted((t["mean_a"], t["mean_b"]), reverse=True)
            values = (
                f"{100 * m_hi:.1f}% vs {100 * m_lo:.1f}% per response"
                if block["binary"]
                else f"mean {m_hi:.2f} vs {m_lo:.2f} per response"
            )
            verb = (
                "was judged right more often than" if block["binary"] else "was rated higher than"
            )
            out.append(
                f"{where}{hi} {verb} {lo} ({values}, difference {abs(t['difference']):.2f}"
                f"{_interval(t) if t['difference'] >= 0 else ''}; "
                f"{_test_words(t, s, 'paired t-test over items, worker bias removed')})."
            )
    return out


def ab_findings(report: Report) -> list[str]:
    s, out = report.settings, []
    for p in report.results.get("pairs", []):
        t = p.get("calibrated")
        if t is None:
            continue
        a, b = report.system_label(p["a"]), report.system_label(p["b"])
        if (line := _untestable("", a, b, {**t, "a": p["a"], "b": p["b"]})) is not None:
            out.append(line)
            continue
        if not t["significant"]:
            continue
        better, worse = (a, b) if t["difference"] >= 0 else (b, a)
        out.append(
            f"Raters preferred {better} over {worse} ({a} won {p['win']:.1f}%, lost "
            f"{p['loss']:.1f}%, tied {p['tie']:.1f}% of {p['n']} judgments on {t['n_items']} "
            f"items; mean preference for {a} {t['difference']:+.2f} on a -1 to 1 scale; "
            f"{_test_words(t, s, 't-test over items of the per-item mean preference')})."
        )
    return out


def ggb_findings(report: Report) -> list[str]:
    s, out = report.settings, []
    calibrated = report.results.get("calibrated") or {}
    families = [(f"On test set {k}, ", v) for k, v in calibrated.get("subsets", {}).items()]
    if len(families) > 1 and calibrated.get("overall"):
        families.append(("Over all test sets, ", calibrated["overall"]))
    for where, block in families:
        for t in block["pairs"]:
            a, b = report.system_label(t["a"]), report.system_label(t["b"])
            if (line := _untestable(where, a, b, t)) is not None:
                out.append(line)
                continue
            if not t["significant"]:
                continue
            hi, lo = (a, b) if t["difference"] >= 0 else (b, a)
            m_hi, m_lo = sorted((t["mean_a"], t["mean_b"]), reverse=True)
            out.append(
                f"{where}{hi} was labelled better than {lo} (mean label score {m_hi:.2f} vs "
                f"{m_lo:.2f}, bad 0 / okay 1 / good 2; "
                f"{_test_words(t, s, 'paired t-test over dialogues, worker bias removed')})."
            )
    return out


def any_significant(report: Report) -> bool:
    r = report.results
    blocks = [b.get("calibrated", {}) for b in r.get("criteria", {}).values()]
    blocks += [{"pairs": [p["calibrated"] for p in r.get("pairs", []) if "calibrated" in p]}]
    calibrated = r.get("calibrated") or {}
    blocks += [*calibrated.get("subsets", {}).values(), calibrated.get("overall", {})]
    return any(t["significant"] for b in blocks for t in b.get("pairs", []))


def no_findings(report: Report) -> str:
    """The sentence when no pair differed: what was tested, so silence is not a claim."""
    s = report.settings
    return (
        "No pair of systems differed significantly by the default test "
        f"({DEFAULT_NAMES[report.protocol]}; {_adjusted(s)} p-values, alpha = {s['alpha']:g})."
    )


def emptied_findings(report: Report) -> list[str]:
    """When nothing was left to score: say why, and that no test ran."""
    message = emptied_message(report.quality)
    if message is None:
        return []
    return [message[0].upper() + message[1:] + " No significance test was run."]


DEFAULT_NAMES = {
    "likert": "paired t-test over items on per-response means, worker bias removed",
    "ab": "t-test over items of the per-item mean preference",
    "ggb": "paired t-test over dialogues on the ordered labels, worker bias removed",
}


def _family(s: dict[str, Any], protocol: str) -> str:
    if protocol == "likert":
        return (
            "the pairs of systems on one criterion"
            if s["correction_family"] == "criterion"
            else "every pair on every criterion together"
        )
    if protocol == "ab":
        return "the compared pairs of systems"
    return "the pairs of systems on one test set (and, apart, over all test sets)"


def _correction_words(s: dict[str, Any], protocol: str) -> str:
    if s["correction"] == "none":
        return f"not corrected for multiple comparisons (family: {_family(s, protocol)})"
    name = CORRECTION_NAMES[s["correction"]]
    return f"corrected with the {name} method across {_family(s, protocol)}"


_BIAS = (
    "each worker's additive bias is estimated by least squares against the other ratings "
    "of the same responses (model: rating = response mean + worker bias + noise), shrunk "
    "towards zero by empirical Bayes, and removed"
)
_FALLBACK = (
    "When every item differs by the same amount the t-test is undefined and the exact sign "
    "test over items is used instead (said next to the result)."
)


def default_test_methods(protocol: str, s: dict[str, Any]) -> list[str]:
    """The default test (findings and significance marks), then the seed's form beside it."""
    alpha = f"alpha = {s['alpha']:g}"
    corr = _correction_words(s, protocol)
    if protocol == "likert":
        return [
            (
                "Default test (findings and significance marks): every pair of systems on "
                f"every criterion by a paired t-test over items; {_BIAS}; the corrected "
                "ratings of each response are averaged and the unit is the item (context), "
                "so neither the raters of one response nor the systems' answers to one "
                f"context count as independent observations. p-values {corr}, {alpha}. " + _FALLBACK
            ),
            (
                "Welch's t-test per rating (seed 000's form, below, kept so that a paper can "
                "quote it) assumes every rating is an independent observation; ratings "
                "that share a response, a context or a rater are not, so it finds "
                "differences too often (benchmarks/calibration.py, README)."
            ),
        ]
    if protocol == "ab":
        return [
            (
                "Default test (findings and significance marks): per pair, a one-sample "
                "t-test over items of the per-item mean preference (+1 win, -1 loss, 0 tie "
                "or both bad), so the judgments of one item count as one vote and a lean "
                f"they share is not counted several times. p-values {corr}, {alpha}. " + _FALLBACK
            ),
            (
                "The sign test per judgment (ParlAI ACUTE-Eval's form, below, kept so that a "
                "paper can quote it) assumes judgments are independent; judgments of one item "
                "that share a lean are not, so it finds differences too often."
            ),
        ]
    return [
        (
            "Default test (findings): the ordered labels are scored bad 0, okay 1, good 2; "
            f"per pair of systems, a paired t-test over dialogues on the per-response mean "
            f"score; {_BIAS}. Each test set is tested on its own and all test sets "
            f"together; p-values {corr}, {alpha}. " + _FALLBACK
        ),
    ]
