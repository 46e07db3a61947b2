"""A/B preference with tie: each item shows two systems' responses to one dialogue.

Tidy rows ``item, worker, system_a, system_b, choice``; win / loss / tie per pair; the
default test per pair (a t-test over items of the per-item mean preference)
beside the sign test per judgment (ParlAI ACUTE-Eval's form); the win/loss/tie tables of
seeds 003 and 004.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from itertools import combinations
from typing import Any

import pandas as pd

from evalplatform.analysis.ab import ab_overall_kappa, ab_pairs, ab_system_order, canonical_ab
from evalplatform.analysis.bradley_terry import comparisons_from_ab
from evalplatform.analysis.columns import AB_CHOICES
from evalplatform.analysis.monitoring import MonitoredComparison
from evalplatform.analysis.planning import PlanningModel
from evalplatform.protocols import tidy_values as tv
from evalplatform.protocols.default_test import (
    FALLBACK,
    corrected_across,
    default_test_table,
    result_words,
    untestable,
)
from evalplatform.protocols.monitoring import ab_kappa_units, ab_monitored, ab_net_preference
from evalplatform.protocols.planning import AbPlanning
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
from evalplatform.protocols.render import (
    Display,
    adjust_words,
    cell,
    correction_words,
    escape,
    kappa_value,
    kappa_words,
    num,
    pval,
    table,
)
from evalplatform.protocols.report import Report
from evalplatform.protocols.tidy_values import TidyError
from evalplatform.protocols.warmup import WarmupCandidate

SUMMARY_KEYS = (
    "a",
    "b",
    "n",
    "win",
    "loss",
    "tie",
    "both_bad",
    "fleiss_kappa",
    "kappa_items",
    "kappa_raters",
    "p",
    "p_adjusted",
    "significant",
)


class ABProtocol(ProtocolSpec):
    name = "ab"
    title = "A/B comparison with tie"
    report_title = "A/B preference (win / loss / tie)"
    required = ("item", "worker", "system_a", "system_b", "choice")
    response = "choice"
    judgment_key = ("item", "worker", "lo", "hi")
    judgment_key_words = "item, worker, pair of systems"
    criterion_kinds = frozenset({"choice"})
    pairwise = True
    gold_checks = False
    min_systems = 2
    task_template = "crowd/_pair.html"
    default_test = "t-test over items of the per-item mean preference"
    latex_default = "wlt-kappa"
    latex_aliases = {"seed003": "wlt", "seed004": "wlt-kappa"}

    # ---- campaigns
    def system_problems(self, n_systems: int, gold_per_hit: int) -> list[str]:
        if n_systems < 2:
            return [f"An A/B campaign needs at least two systems; it has {n_systems}."]
        return []

    def dialogues_needed(self, sample_size: int, n_systems: int) -> int:
        """A distinct set of dialogues per pair of systems."""
        pairs = len(list(combinations(range(n_systems), 2)))
        return sample_size * max(1, pairs)

    # ---- worker pages
    def warmup_feedback(
        self,
        candidates: Sequence[WarmupCandidate],
        criteria: Sequence[CriterionLike],
        answers: Mapping[AnswerKey, str],
    ) -> list[str]:
        feedback = []
        for criterion in criteria:
            choice = answers.get((None, criterion.name))
            if choice is None:
                feedback.append(f"Answer “{criterion.question}”.")
            elif choice != "a":
                feedback.append(
                    "Response A is the better one here: it answers the speaker with care, "
                    "while Response B ignores what they said."
                )
        return feedback

    # ---- tidy data
    def check_values(
        self, out: pd.DataFrame, binary: frozenset[str] | None, scale: tuple[int, int]
    ) -> None:
        out["choice"] = tv.vocabulary(out, "choice", AB_CHOICES)
        same = out["system_a"].astype(str) == out["system_b"].astype(str)
        if same.any():
            raise TidyError("system_a and system_b are the same system", tv.line_of(out, same))

    def duplicate_keys(self, out: pd.DataFrame) -> pd.DataFrame:
        """The pair in either orientation is the same pair."""
        sa, sb = out["system_a"].astype(str), out["system_b"].astype(str)
        return pd.DataFrame(
            {
                "item": out["item"],
                "worker": out["worker"],
                "lo": sa.where(sa <= sb, sb),
                "hi": sb.where(sa <= sb, sa),
            }
        )

    def tidy_row(self, facts: JudgmentFacts) -> dict[str, Any]:
        system_a, system_b = facts.pair or ("", "")
        return {"system_a": system_a, "system_b": system_b, "choice": facts.label}

    # ---- analysis
    def results(self, df: pd.DataFrame, settings: Any, binary: frozenset[str]) -> dict[str, Any]:
        s = settings
        return {
            "pairs": ab_pairs(
                df, system_order=s.system_order, correction=s.correction, alpha=s.alpha
            ),
            "overall_kappa": ab_overall_kappa(df, s.system_order),
        }

    def empty_results(self, settings: Any) -> dict[str, Any]:
        return {"pairs": [], "overall_kappa": {}}

    def systems(self, df: pd.DataFrame, settings: Any) -> list[str]:
        return ab_system_order(df, settings.system_order)

    def comparisons(self, df: pd.DataFrame, systems: list[str], settings: Any) -> Any:
        canon = canonical_ab(df, settings.system_order).astype({"a": str, "b": str})
        return comparisons_from_ab(canon, systems)

    def system_scores(self, bradley_terry: dict[str, Any] | None) -> pd.DataFrame | None:
        """A/B has no per-item score: systems are compared by their Bradley-Terry strength."""
        if bradley_terry and bradley_terry.get("fitted"):
            return pd.DataFrame(
                [
                    {"system": r["system"], "bradley_terry": r["theta"]}
                    for r in bradley_terry["strengths"]
                ]
            )
        return pd.DataFrame(columns=["system"])

    # ---- report
    def summary_rows(self, report: Report) -> Rows:
        return [{k: p.get(k) for k in SUMMARY_KEYS} for p in report.results.get("pairs", [])]

    def agreement_scopes(self, report: Report) -> list[tuple[str, dict[str, Any]]]:
        r = report.results
        scoped = [(f"{p['a']} vs {p['b']}", p) for p in r.get("pairs", [])]
        if r.get("overall_kappa"):
            scoped.append(("all pairs", r["overall_kappa"]))
        return scoped

    def agreement_sentences(self, report: Report) -> list[str]:
        r = report.results
        out = [
            kappa_words(f"{report.system_label(p['a'])} vs {report.system_label(p['b'])}", p)
            for p in r.get("pairs", [])
        ]
        if r.get("overall_kappa"):
            out.append(kappa_words("All pairs together", r["overall_kappa"]))
        return out

    def main_tables(self, report: Report) -> list[Display]:
        default = default_test_table(
            report, self.default_families(report), "preference (+1 / 0 / -1)"
        )
        return [_wlt_display(report), *([default] if default else [])]

    def methods(self, settings: dict[str, Any]) -> list[str]:
        return [
            *_default_test_methods(settings),
            (
                "Each pair of systems is read in one orientation (the first system is 'a'); "
                "win, loss and tie are percentages of the pair's n judgments from a's side."
            ),
            (
                "ACUTE-Eval's form: two-sided exact sign test of wins against losses (ties "
                f"left out) per pair; p-values {adjust_words(settings)} across pairs, "
                f"alpha = {settings['alpha']:g}."
            ),
            (
                "Agreement: Fleiss' kappa per pair over items rated by the most common number "
                "of raters (categories win / loss / tie)."
            ),
        ]

    def findings(self, report: Report) -> list[str] | None:
        """From the default test, naming it; the sign test per judgment stays in the tables."""
        found = (_finding(report, p) for p in report.results.get("pairs", []))
        return [line for line in found if line is not None]

    def default_families(self, report: Report) -> list[tuple[str, list[dict[str, Any]]]]:
        pairs = [
            {**p["calibrated"], "a": p["a"], "b": p["b"]}
            for p in report.results.get("pairs", [])
            if "calibrated" in p
        ]
        return [("A/B", pairs)] if pairs else []

    def kappa_text(self, report: Report) -> str:
        overall = report.results.get("overall_kappa", {})
        band = overall.get("kappa_band", "undefined")
        value = kappa_value(overall.get("fleiss_kappa"))
        return f"Fleiss' $\\kappa$ over all pairs: {value} ({band})"

    def figures(self) -> list[FigureSpec]:
        # Imported here: matplotlib takes a second, and only reports draw figures.
        from evalplatform.protocols.figures import wlt_figure

        return [("wlt", "Win, tie and loss percentages per pair.", wlt_figure)]

    def latex_styles(self) -> Mapping[str, Callable[[Report], str]]:
        return {
            "wlt": lambda report: _wlt_table(report, with_kappa=False),
            "wlt-kappa": lambda report: _wlt_table(report, with_kappa=True),
        }

    # ---- monitoring
    monitoring_unit = "net preference from -1 (b always) to 1 (a always)"

    def monitored(
        self,
        df: pd.DataFrame,
        *,
        scales: Mapping[str, tuple[int, int]],
        raters: int,
        system_order: Sequence[str] | None = None,
    ) -> list[MonitoredComparison]:
        return ab_monitored(df, raters=raters, system_order=system_order)

    def kappa_units(
        self, df: pd.DataFrame, system_order: Sequence[str] | None = None
    ) -> list[KappaUnits]:
        return ab_kappa_units(df, system_order)

    def monitoring_difference(
        self, difference: float, components: Mapping[str, Mapping[str, float]]
    ) -> float | None:
        return ab_net_preference(difference, components)

    # ---- planning
    def planning_model(
        self,
        *,
        pilot: pd.DataFrame | None,
        criteria: Mapping[str, tuple[int, int]] | None,
        settings: Any,
    ) -> PlanningModel:
        systems = self.systems(pilot, settings) if pilot is not None else []
        return AbPlanning.from_pilot(pilot, systems)


def _default_test_methods(s: dict[str, Any]) -> list[str]:
    """The default test (findings and significance marks), then what ACUTE-Eval's form
    assumes."""
    return [
        (
            "Default test (findings and significance marks): per pair, a one-sample "
            "t-test over items of the per-item mean preference (+1 win, -1 loss, 0 tie "
            "or both bad), so the judgments of one item count as one vote and a lean "
            "they share is not counted several times. p-values "
            f"{corrected_across(s, 'the compared pairs of systems')}, alpha = {s['alpha']:g}. "
            + FALLBACK
        ),
        (
            "The sign test per judgment (ParlAI ACUTE-Eval's form, below, kept so that a "
            "paper can quote it) assumes judgments are independent; judgments of one item "
            "that share a lean are not, so it finds differences too often."
        ),
    ]


def _finding(report: Report, p: dict[str, Any]) -> str | None:
    """A pair the default test finds significant, or one no test could separate."""
    t = p.get("calibrated")
    if t is None:
        return None
    a, b = report.system_label(p["a"]), report.system_label(p["b"])
    if (line := untestable("", a, b, t)) is not None:
        return line
    if not t["significant"]:
        return None
    better, worse = (a, b) if t["difference"] >= 0 else (b, a)
    return (
        f"Raters preferred {better} over {worse} ({a} won {p['win']:.1f}%, lost "
        f"{p['loss']:.1f}%, tied {p['tie']:.1f}% of {p['n']} judgments on {t['n_items']} "
        f"items; mean preference for {a} {t['difference']:+.2f} on a -1 to 1 scale; "
        f"{result_words(report, t, 't-test over items of the per-item mean preference')})."
    )


def _wlt_display(report: Report) -> Display:
    pairs = report.results.get("pairs", [])
    both = any("both_bad" in p for p in pairs)
    rows = []
    for p in pairs:
        sig = "sig" if p["significant"] else ""
        row = [
            cell(f"{report.system_label(p['a'])} vs {report.system_label(p['b'])}", "name"),
            cell(num(p["n"]), "num"),
            cell(num(p["win"]), "num"),
            cell(num(p["loss"]), "num"),
            cell(num(p["tie"]), "num"),
        ]
        row += [cell(num(p.get("both_bad", 0.0)), "num")] if both else []
        kappa = num(p["fleiss_kappa"]) + (f" ({p['kappa_band']})" if p["fleiss_kappa"] else "")
        row += [
            cell(kappa, "num"),
            cell(pval(p["p"]), "num"),
            cell(pval(p["p_adjusted"]), f"num {sig}"),
            cell("yes" if p["significant"] else "no", sig),
        ]
        rows.append(row)
    columns = ["Pair", "n", "Win %", "Loss %", "Tie %"] + (["Both bad %"] if both else [])
    columns += ["Fleiss' κ", "sign test p", "p adj.", "significant"]
    return {
        "id": "wlt",
        "caption": "Win / loss / tie from the first system's side, agreement "
        "per pair and ACUTE-Eval's sign test on wins vs losses per judgment (for quoting; "
        "it treats judgments as independent; the findings use the default test below).",
        "columns": columns,
        "rows": rows,
    }


def _wlt_table(report: Report, with_kappa: bool) -> str:
    """Seed 003 (``wlt``) and seed 004 (``wlt-kappa``: a kappa column per pair, and an
    "A vs" header when all pairs share their "a" system)."""
    pairs = report.results.get("pairs", [])
    shared_a = len({p["a"] for p in pairs}) == 1 and with_kappa
    if shared_a:
        first = f"{escape(report.system_label(pairs[0]['a']))} vs"
        heads = ["Win(\\%)", "Loss(\\%)", "Tie(\\%)"]
    else:
        first = "Method"
        heads = ["Win \\%", "Loss \\%", "Tie \\%"]
    has_both_bad = any("both_bad" in p for p in pairs)
    heads += ["Both bad \\%"] if has_both_bad else []
    heads += ["$\\kappa$"] if with_kappa else []
    rows = [_wlt_row(report, p, shared_a, has_both_bad, with_kappa) for p in pairs]
    caption = "Results of the A/B test, from the first system's side. "
    if not with_kappa:
        caption += AB.kappa_text(report) + ". "
    caption += _sign_test_text(report)
    return table(
        "l" + "c" * len(heads), [" & ".join([first, *heads]) + r" \\"], rows, caption, report
    )


def _wlt_row(
    report: Report, p: dict[str, Any], shared_a: bool, both_bad: bool, with_kappa: bool
) -> str:
    name = (
        escape(report.system_label(p["b"]))
        if shared_a
        else (f"{escape(report.system_label(p['a']))} vs {escape(report.system_label(p['b']))}")
    )
    # The dagger goes on the larger of win and loss: the side the test favours. The default
    # test decides it; the sign test per judgment stays in JSON.
    mark = "$^\\dagger$" if p.get("calibrated", p)["significant"] else ""
    win = f"{p['win']:.2f}" + (mark if p["win"] >= p["loss"] else "")
    loss = f"{p['loss']:.2f}" + (mark if p["win"] < p["loss"] else "")
    cells = [name, win, loss, f"{p['tie']:.2f}"]
    if both_bad:
        cells.append(f"{p.get('both_bad', 0.0):.2f}")
    if with_kappa:
        k = p.get("fleiss_kappa")
        cells.append("--" if k is None else f"{k:.2f}")
    return " & ".join(cells) + r" \\"


def _sign_test_text(report: Report) -> str:
    s = report.settings
    corr = correction_words(s, " across pairs")
    return (
        "$^\\dagger$: wins and losses differ by a $t$-test over items of the per-item mean "
        "preference (one vote per item; the exact sign test over items where it is undefined; "
        f"{corr}, $\\alpha = {s['alpha']:g}$)."
    )


AB = register(ABProtocol())
