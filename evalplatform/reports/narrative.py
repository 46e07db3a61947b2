"""The report's words: what was done, what was found, how much raters agreed."""

from __future__ import annotations

from evalplatform.analysis.quality import emptied_message
from evalplatform.protocols.default_test import any_significant, no_findings
from evalplatform.protocols.registry import get
from evalplatform.protocols.render import correction_adjusted
from evalplatform.protocols.report import Report
from evalplatform.reports.quality_text import quality_sentences


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
    out += get(report.protocol).methods(s)
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


def findings(report: Report) -> list[str]:
    """One sentence per significant difference (from the protocol's default test, naming
    it) and per pair no test could separate; then, when nothing differed, a sentence
    saying what was tested. Never "no difference" for data that the quality filter emptied
    (it says which rule removed what) or that had nothing to test. Nothing when the
    protocol runs no test."""
    if emptied := _emptied(report):
        return emptied
    spec = get(report.protocol)
    out = spec.findings(report)
    if out is None:
        return []
    if not report.data.get("rows_scored"):
        return ["There were no judgments to test."]
    families = spec.default_families(report)
    if spec.default_test is None:  # a protocol without a default test: its own sentences
        return out or [_nothing_significant(report)]
    if any_significant(families):
        return out
    return [*out, no_findings(report, spec.default_test)]


def _emptied(report: Report) -> list[str]:
    """When the quality filter left nothing to score: say why, and that no test ran."""
    message = emptied_message(report.quality)
    if message is None:
        return []
    return [message[0].upper() + message[1:] + " No significance test was run."]


def _nothing_significant(report: Report) -> str:
    alpha = report.settings["alpha"]
    none = f"No difference between systems was significant at alpha = {alpha:g}"
    return f"{none} ({correction_adjusted(report)} p-values)."


def agreement_sentences(report: Report) -> list[str]:
    return get(report.protocol).agreement_sentences(report)
