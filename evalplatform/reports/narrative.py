"""The report's words: what was done, what was found, how much raters agreed."""

from __future__ import annotations

from typing import Any

from evalplatform.analysis.significance import CORRECTION_NAMES
from evalplatform.reports.model import Report
from evalplatform.reports.quality_text import quality_sentences
from evalplatform.reports.significance_text import (
    ab_findings,
    any_significant,
    default_test_methods,
    emptied_findings,
    ggb_findings,
    likert_findings,
    no_findings,
)


def methods(report: Report) -> list[str]:
    s, d = report.settings, report.data
    out = [
        f"{d.get('rows_scored', 0)} judgments by {d.get('workers_scored', 0)} workers on "
        f"{d.get('items_scored', 0)} items were scored ({d.get('rows_in', 0)} rows in"
        + (
            f"; {d['gold_rows']} gold-candidate rows judge the workers and are not scored"
            if d.get("gold_rows")
            else ""
        )
        + ")."
    ]
    if d.get("simulated_rows"):
        out.append(
            f"{d['simulated_rows']} rows are marked simulated: they come from simulated "
            "raters, not people."
        )
    out += quality_sentences(report.quality)
    out += default_test_methods(report.protocol, s)
    out += {"likert": _likert_methods, "ab": _ab_methods, "ggb": _ggb_methods}[report.protocol](s)
    if report.bradley_terry and report.bradley_terry.get("fitted"):
        bt = report.bradley_terry
        out.append(
            "Bradley-Terry strengths (log scale, mean 0) were fitted by maximum "
            "likelihood (MM algorithm); a tie counts as half a win for each side and each "
            "compared pair gets one virtual tie so that strengths stay finite; 95% "
            f"intervals are percentiles of {bt['bootstrap']} bootstrap resamples of items "
            f"(seed {bt['seed']})."
        )
    if report.automatic:
        emb = (
            "; embedding similarity is the cosine between response and gold embeddings "
            "(all-MiniLM-L6-v2)"
            if report.automatic.get("embedding")
            else ""
        )
        out.append(
            "Automatic metrics compare each response with the gold reply: corpus BLEU "
            "(sacrebleu, 13a tokens), Distinct-1/2 and average length in tokens"
            + emb
            + ". Their correlation with human scores is Pearson's r and Spearman's rho "
            "at system and item level."
        )
    return out


def _likert_methods(s: dict[str, Any]) -> list[str]:
    unit = (
        "each rating is one observation"
        if s["unit"] == "rating"
        else "the ratings of each response are averaged first and each response is one observation"
    )
    family = (
        "within each criterion"
        if s["correction_family"] == "criterion"
        else "across all criteria together"
    )
    effect = "Hedges' g" if s["effect"] == "hedges_g" else "Cohen's d"
    binary = (
        "Wilson 95% intervals"
        if s["unit"] == "rating"
        else "t intervals on the per-response proportions"
    )
    return [
        (
            f"Per system and criterion: mean, sample SD and n ({unit}) with a 95% t interval; "
            f"binary criteria are shown as percentages with {binary}."
        ),
        (
            "Seed 000's form: every pair of systems was compared on every criterion with Welch's "
            f"unequal-variance t-test (two-sided); p-values were {_adjust_words(s)} {family} "
            f"and compared with alpha = {s['alpha']:g}. Effect size: {effect} (pooled SD)."
        ),
        (
            "Agreement: Fleiss' kappa per criterion over (item, system) units rated by the "
            "most common number of raters, and Krippendorff's alpha "
            f"({s['likert_alpha_level']}; nominal for binary criteria) over every unit with "
            "two or more ratings."
        ),
    ]


def _adjust_words(s: dict[str, Any]) -> str:
    if s["correction"] == "none":
        return "not corrected for multiple comparisons"
    return f"corrected for multiple comparisons with the {CORRECTION_NAMES[s['correction']]} method"


def _ab_methods(s: dict[str, Any]) -> list[str]:
    return [
        (
            "Each pair of systems is read in one orientation (the first system is 'a'); win, "
            "loss and tie are percentages of the pair's n judgments from a's side."
        ),
        (
            "ACUTE-Eval's form: two-sided exact sign test of wins against losses (ties left out) "
            f"per pair; p-values {_adjust_words(s)} across pairs, alpha = {s['alpha']:g}."
        ),
        (
            "Agreement: Fleiss' kappa per pair over items rated by the most common number of "
            "raters (categories win / loss / tie)."
        ),
    ]


def _ggb_methods(s: dict[str, Any]) -> list[str]:
    return [
        (
            "Shares of good, okay and bad per system and test set, normalised over the three "
            "labels (each system's shares sum to 1 on each test set, as in seed 002)."
        ),
        (
            "Agreement: Fleiss' kappa over the labels of (item, system) units rated by the "
            f"most common number of raters, and Krippendorff's alpha ({s['label_alpha_level']})."
        ),
        (
            "Seed 002 reports no significance test on the shares; the default test above and "
            "the Bradley-Terry intervals show which differences the data resolve."
        ),
    ]


def findings(report: Report) -> list[str]:
    """From the default test (issue 11), naming it; never "no difference" for an untested
    pair or for data that the quality filter emptied."""
    if emptied := emptied_findings(report):
        return emptied
    out = {"likert": likert_findings, "ab": ab_findings, "ggb": ggb_findings}[report.protocol](
        report
    )
    if not any(report.results.get(k) for k in ("criteria", "pairs", "subsets")):
        return ["There were no judgments to test."]
    return out if any_significant(report) else [*out, no_findings(report)]


def _kappa_words(label: str, k: dict[str, Any]) -> str:
    if k.get("fleiss_kappa") is None:
        return (
            f"{label}: Fleiss' kappa is undefined (too few units rated by two or more raters, "
            "or a single category used)."
        )
    return (
        f"{label}: Fleiss' kappa = {k['fleiss_kappa']:.2f}, {k['kappa_band']} agreement "
        f"(Landis & Koch); {k['kappa_items']} units x {k['kappa_raters']} raters "
        f"of {k['kappa_units_total']} units."
    )


def agreement_sentences(report: Report) -> list[str]:
    r = report.results
    if report.protocol == "likert":
        return [
            _kappa_words(report.criterion_label(c), b) for c, b in r.get("criteria", {}).items()
        ]
    if report.protocol == "ab":
        out = [
            _kappa_words(f"{report.system_label(p['a'])} vs {report.system_label(p['b'])}", p)
            for p in r.get("pairs", [])
        ]
        if r.get("overall_kappa"):
            out.append(_kappa_words("All pairs together", r["overall_kappa"]))
        return out
    return [_kappa_words("Good / okay / bad labels", r)] if "kappa_items" in r else []
