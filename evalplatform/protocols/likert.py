"""Likert ratings: every response rated on each criterion (a 1-5 scale or a yes/no).

Tidy rows ``item, worker, system, criterion, score``; the default test per pair of systems
and criterion (a paired t-test over items on per-response means, worker bias removed)
beside Welch's t-test per rating (seed 000's form); the means table of seeds
000 / 001 / 003 / 004.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from evalplatform.analysis.crowd_tests import PAIRED_T
from evalplatform.analysis.descriptive import infer_binary_criteria
from evalplatform.analysis.likert import analyze_likert
from evalplatform.analysis.monitoring import MonitoredComparison
from evalplatform.analysis.planning import PlanningModel
from evalplatform.protocols import tidy_values as tv
from evalplatform.protocols.default_test import (
    BIAS,
    FALLBACK,
    corrected_across,
    default_test_table,
    interval,
    result_words,
    untestable,
)
from evalplatform.protocols.likert_tables import (
    likert_kappa_text,
    means_display,
    means_table,
    pairwise_display,
)
from evalplatform.protocols.monitoring import likert_kappa_units, likert_monitored
from evalplatform.protocols.planning import LikertPlanning
from evalplatform.protocols.registry import (
    AnswerKey,
    CriterionLike,
    FigureSpec,
    JudgmentFacts,
    KappaUnits,
    ProtocolSpec,
    Rows,
    register,
)
from evalplatform.protocols.render import Display, adjust_words, kappa_words
from evalplatform.protocols.report import Report
from evalplatform.protocols.tidy_values import TidyError
from evalplatform.protocols.warmup import WarmupCandidate


class LikertProtocol(ProtocolSpec):
    name = "likert"
    title = "Likert rating"
    report_title = "Likert ratings"
    required = ("item", "worker", "system", "criterion", "score")
    response = "score"
    numeric_columns = ("score",)
    judgment_key = ("item", "worker", "system", "criterion")
    judgment_key_words = "item, worker, system, criterion"
    criterion_kinds = frozenset({"scale", "binary"})
    task_template = "crowd/_rate.html"
    default_test = PAIRED_T
    latex_default = "means"
    latex_aliases = {
        "seed000": "means",
        "seed001": "means-auto",
        "seed003": "means",
        "seed004": "means",
    }

    # ---- worker pages
    def warmup_feedback(
        self,
        candidates: Sequence[WarmupCandidate],
        criteria: Sequence[CriterionLike],
        answers: Mapping[AnswerKey, str],
    ) -> list[str]:
        feedback = []
        for position, candidate in enumerate(candidates):
            for criterion in criteria:
                raw = answers.get((position, criterion.name))
                if raw is None or not raw.lstrip("-").isdigit():
                    feedback.append(f"Response {position + 1}: answer “{criterion.question}”.")
                    continue
                if not _warmup_rating_ok(criterion, int(raw), candidate.good):
                    feedback.append(
                        f"Response {position + 1}, “{criterion.question}”: look again - this "
                        + ("response is a good one." if candidate.good else "response is poor.")
                    )
        return feedback

    # ---- tidy data
    def check_values(
        self, out: pd.DataFrame, binary: frozenset[str] | None, scale: tuple[int, int]
    ) -> None:
        out["score"] = tv.integers(out, "score")
        _check_scale(out, binary, scale)

    def tidy_row(self, facts: JudgmentFacts) -> dict[str, Any]:
        return {"system": facts.system, "score": facts.score}

    # ---- analysis
    def binary_criteria(self, df: pd.DataFrame, settings: Any) -> frozenset[str]:
        if settings.binary_criteria is not None:
            return frozenset(settings.binary_criteria)
        return infer_binary_criteria(df)

    def results(self, df: pd.DataFrame, settings: Any, binary: frozenset[str]) -> dict[str, Any]:
        s = settings
        return analyze_likert(
            df,
            binary_criteria=binary,
            unit=s.unit,
            alpha=s.alpha,
            correction=s.correction,
            family=s.correction_family,
            effect=s.effect,
            alpha_level=s.likert_alpha_level,
            confidence=s.confidence,
            system_order=s.system_order,
        )

    def empty_results(self, settings: Any) -> dict[str, Any]:
        return {"criteria": {}, "systems": [], "unit": settings.unit}

    def item_scores(self, df: pd.DataFrame) -> pd.DataFrame:
        means = df.groupby(["item", "system", "criterion"], sort=False, observed=True)["score"]
        return means.mean().unstack("criterion").reset_index()

    def data_counts(self, binary: frozenset[str]) -> dict[str, Any]:
        return {"binary_criteria": sorted(binary)}

    # ---- report
    def summary_rows(self, report: Report) -> Rows:
        rows = []
        for crit, block in report.results.get("criteria", {}).items():
            for system, v in block["systems"].items():
                rows.append(
                    {
                        "criterion": crit,
                        "system": system,
                        "n": v["n"],
                        "mean": v["mean"],
                        "sd": v["sd"],
                        "ci_low": v["ci95"][0],
                        "ci_high": v["ci95"][1],
                        "binary": block["binary"],
                        "percent": v.get("percent"),
                    }
                )
        return rows

    def pairwise_rows(self, report: Report) -> Rows:
        rows = []
        effect = report.settings.get("effect", "hedges_g")
        for crit, block in report.results.get("criteria", {}).items():
            for t in block["pairwise"]:
                keys = ("a", "b", "mean_a", "mean_b", "n_a", "n_b", "t", "df", "p")
                rows.append(
                    {
                        "criterion": crit,
                        **{k: t[k] for k in keys},
                        "p_adjusted": t["p_adjusted"],
                        "significant": t["significant"],
                        effect: t.get(effect),
                    }
                )
        return rows

    def agreement_scopes(self, report: Report) -> list[tuple[str, dict[str, Any]]]:
        return list(report.results.get("criteria", {}).items())

    def scope_label(self, report: Report, scope: str) -> str:
        return report.criterion_label(scope)

    def agreement_sentences(self, report: Report) -> list[str]:
        criteria = report.results.get("criteria", {})
        return [kappa_words(report.criterion_label(c), b) for c, b in criteria.items()]

    def main_tables(self, report: Report) -> list[Display]:
        default = default_test_table(report, self.default_families(report), "rating")
        return [
            means_display(report),
            *([default] if default else []),
            pairwise_display(self.pairwise_rows(report), report),
        ]

    def methods(self, settings: dict[str, Any]) -> list[str]:
        return [*_default_test_methods(settings), *_methods(settings)]

    def findings(self, report: Report) -> list[str] | None:
        """From the default test, naming it; Welch's test per rating stays in the tables."""
        out = []
        for crit, block in report.results.get("criteria", {}).items():
            for t in block.get("calibrated", {}).get("pairs", []):
                line = _finding(report, crit, block, t)
                if line is not None:
                    out.append(line)
        return out

    def default_families(self, report: Report) -> list[tuple[str, list[dict[str, Any]]]]:
        return [
            (report.criterion_label(c), b["calibrated"]["pairs"])
            for c, b in report.results.get("criteria", {}).items()
            if "calibrated" in b
        ]

    def kappa_text(self, report: Report) -> str:
        return likert_kappa_text(report)

    def figures(self) -> list[FigureSpec]:
        # Imported here: matplotlib takes a second, and only reports draw figures.
        from evalplatform.protocols.figures import means_figure

        return [
            ("means", "Mean rating per criterion and system, with 95% intervals.", means_figure)
        ]

    def latex_styles(self) -> Mapping[str, Callable[[Report], str]]:
        return {
            "means": means_table,
            "means-auto": lambda report: means_table(report, with_auto=True),
        }

    # ---- monitoring
    monitoring_unit = "points on the rating scale (a yes/no criterion: share of yes)"

    def monitored(
        self,
        df: pd.DataFrame,
        *,
        scales: Mapping[str, tuple[int, int]],
        raters: int,
        system_order: Sequence[str] | None = None,
    ) -> list[MonitoredComparison]:
        return likert_monitored(df, scales=scales, raters=raters, system_order=system_order)

    def kappa_units(
        self, df: pd.DataFrame, system_order: Sequence[str] | None = None
    ) -> list[KappaUnits]:
        return likert_kappa_units(df)

    def monitoring_difference(
        self, difference: float, components: Mapping[str, Mapping[str, float]]
    ) -> float | None:
        return difference  # points on the scale in both

    # ---- planning
    def planning_model(
        self,
        *,
        pilot: pd.DataFrame | None,
        criteria: Mapping[str, tuple[int, int]] | None,
        settings: Any,
    ) -> PlanningModel:
        return LikertPlanning.from_pilot(pilot, criteria, family=settings.correction_family)


def _warmup_rating_ok(criterion: CriterionLike, value: int, good: bool) -> bool:
    if criterion.kind == "binary":
        return value == (1 if good else 0)
    middle = (criterion.scale_min + criterion.scale_max) / 2
    # Lenient on the good one (3 of 5 passes), firm on the broken one.
    return value >= middle if good else value < middle


def _check_scale(out: pd.DataFrame, binary: frozenset[str] | None, scale: tuple[int, int]) -> None:
    # Without an explicit list, a criterion is binary only when all its scores are 0 or 1
    # (and one is 0): a 0 among 1-5 scores is then off the scale, and its line is named.
    flags = set(binary) if binary is not None else _binary_criteria(out)
    is_binary = out["criterion"].astype(str).isin(flags)
    lo, hi = scale
    bad_binary = is_binary & ~out["score"].isin((0, 1))
    bad_scale = ~is_binary & ((out["score"] < lo) | (out["score"] > hi))
    first = bad_binary | bad_scale
    if first.any():
        pos = int(np.flatnonzero(first.to_numpy())[0])
        row = out.iloc[pos]
        if bad_binary.iloc[pos]:
            why = f"is not 0 or 1 on binary criterion {row['criterion']!r}"
        else:
            why = f"is outside the {lo}-{hi} scale (criterion {row['criterion']!r})"
        raise TidyError(f"score {row['score']} {why}", int(out.index[pos]))


def _binary_criteria(out: pd.DataFrame) -> set[str]:
    criterion = out["criterion"].astype(str)
    with_zero = set(criterion[out["score"] == 0].unique())
    off_binary = set(criterion[~out["score"].isin((0, 1))].unique())
    return with_zero - off_binary


def _default_test_methods(s: dict[str, Any]) -> list[str]:
    """The default test (findings and significance marks), then what seed 000's form
    assumes."""
    family = (
        "the pairs of systems on one criterion"
        if s["correction_family"] == "criterion"
        else "every pair on every criterion together"
    )
    return [
        (
            "Default test (findings and significance marks): every pair of systems on "
            f"every criterion by a paired t-test over items; {BIAS}; the corrected "
            "ratings of each response are averaged and the unit is the item (context), "
            "so neither the raters of one response nor the systems' answers to one "
            f"context count as independent observations. p-values "
            f"{corrected_across(s, family)}, alpha = {s['alpha']:g}. " + FALLBACK
        ),
        (
            "Welch's t-test per rating (seed 000's form, below, kept so that a paper can "
            "quote it) assumes every rating is an independent observation; ratings "
            "that share a response, a context or a rater are not, so it finds "
            "differences too often (benchmarks/calibration.py, README)."
        ),
    ]


def _methods(s: dict[str, Any]) -> list[str]:
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
            f"unequal-variance t-test (two-sided); p-values were {adjust_words(s)} {family} "
            f"and compared with alpha = {s['alpha']:g}. Effect size: {effect} (pooled SD)."
        ),
        (
            "Agreement: Fleiss' kappa per criterion over (item, system) units rated by the "
            "most common number of raters, and Krippendorff's alpha "
            f"({s['likert_alpha_level']}; nominal for binary criteria) over every unit with "
            "two or more ratings."
        ),
    ]


def _finding(report: Report, crit: str, block: dict[str, Any], t: dict[str, Any]) -> str | None:
    """A significant pair of the default test, or a pair no test could separate."""
    where = f"On {report.criterion_label(crit)}, "
    a, b = report.system_label(t["a"]), report.system_label(t["b"])
    if (line := untestable(where, a, b, t)) is not None:
        return line
    if not t["significant"]:
        return None
    hi, lo = (a, b) if t["difference"] >= 0 else (b, a)
    m_hi, m_lo = sorted((t["mean_a"], t["mean_b"]), reverse=True)
    values = (
        f"{100 * m_hi:.1f}% vs {100 * m_lo:.1f}% per response"
        if block["binary"]
        else f"mean {m_hi:.2f} vs {m_lo:.2f} per response"
    )
    verb = "was judged right more often than" if block["binary"] else "was rated higher than"
    return (
        f"{where}{hi} {verb} {lo} ({values}, difference {abs(t['difference']):.2f}"
        f"{interval(t) if t['difference'] >= 0 else ''}; "
        f"{result_words(report, t, 'paired t-test over items, worker bias removed')})."
    )


LIKERT = register(LikertProtocol())
