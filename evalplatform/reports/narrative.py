"""The report's words: what was done, what was found, how much raters agreed."""

from __future__ import annotations

from typing import Any

from evalplatform.analysis.significance import CORRECTION_NAMES
from evalplatform.reports.model import Report
from evalplatform.reports.quality_text import quality_sentences


def fmt_p(p: float | None) -> str:
    if p is None:
        return "p undefined"
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def _correction(report: Report) -> str:
    s = report.settings
    name = CORRECTION_NAMES[s["correction"]]
    return "uncorrected" if s["correction"] == "none" else f"{name}-adjusted"


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
            "Every pair of systems was compared on every criterion with Welch's "
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
            "Significance: two-sided exact sign test of wins against losses (ties left out) "
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
            "No significance test is run on the shares (seed 002 reports none); the "
            "Bradley-Terry intervals show which differences the data resolve."
        ),
    ]


def findings(report: Report) -> list[str]:
    if report.protocol == "likert":
        out = _likert_findings(report)
    elif report.protocol == "ab":
        out = _ab_findings(report)
    else:
        return []
    if not out:
        alpha = report.settings["alpha"]
        none = f"No difference between systems was significant at alpha = {alpha:g}"
        out = [f"{none} ({_correction(report)} p-values)."]
    return out


def _likert_findings(report: Report) -> list[str]:
    out = []
    for crit, block in report.results.get("criteria", {}).items():
        for t in block["pairwise"]:
            if not t["significant"]:
                continue
            hi, lo = (t["a"], t["b"]) if t["mean_a"] >= t["mean_b"] else (t["b"], t["a"])
            m_hi, m_lo = max(t["mean_a"], t["mean_b"]), min(t["mean_a"], t["mean_b"])
            effect = t.get("hedges_g", t.get("cohens_d"))
            name = "Hedges' g" if "hedges_g" in t else "Cohen's d"
            values = (
                f"{100 * m_hi:.1f}% vs {100 * m_lo:.1f}%"
                if block["binary"]
                else f"mean {m_hi:.2f} vs {m_lo:.2f}"
            )
            verb = (
                "was judged right more often than" if block["binary"] else "was rated higher than"
            )
            test = f"Welch's t({t['df']:.1f}) = {abs(t['t']):.2f}"
            out.append(
                f"On {report.criterion_label(crit)}, {report.system_label(hi)} {verb} "
                f"{report.system_label(lo)} ({values}; {test}, "
                f"{_correction(report)} {fmt_p(t['p_adjusted'])}; {name} = {abs(effect or 0):.2f})."
            )
    return out


def _ab_findings(report: Report) -> list[str]:
    out = []
    for p in report.results.get("pairs", []):
        if not p["significant"]:
            continue
        better, worse = (p["a"], p["b"]) if p["win"] >= p["loss"] else (p["b"], p["a"])
        out.append(
            f"Raters preferred {report.system_label(better)} over {report.system_label(worse)} "
            f"({report.system_label(p['a'])} won {p['win']:.1f}%, lost {p['loss']:.1f}%, "
            f"tied {p['tie']:.1f}% of {p['n']}; sign test, {_correction(report)} "
            f"{fmt_p(p['p_adjusted'])})."
        )
    return out


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
