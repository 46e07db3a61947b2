"""Good / okay / bad sorting (seed 002): every response of an item is dragged into a bin.

Tidy rows ``item, worker, system, label``; shares of good, okay and bad per test set with
Fleiss' kappa; the default test between systems on the ordered labels per test set and
over all test sets (the seed reports none); gold responses earn bonus points,
which the quality filter reads.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd

from evalplatform.analysis.bradley_terry import comparisons_from_ggb
from evalplatform.analysis.columns import GGB_LABELS, GGB_RANK
from evalplatform.analysis.ggb import (
    ggb_agreement,
    ggb_calibrated,
    ggb_overall,
    ggb_shares,
    ggb_subset_kappas,
    scored_rows,
)
from evalplatform.analysis.monitoring import MonitoredComparison
from evalplatform.analysis.planning import PlanningModel
from evalplatform.protocols import tidy_values as tv
from evalplatform.protocols.default_test import (
    BIAS,
    FALLBACK,
    corrected_across,
    default_test_table,
    result_words,
    untestable,
)
from evalplatform.protocols.monitoring import ggb_kappa_units, ggb_monitored
from evalplatform.protocols.planning import GgbPlanning
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
    cell,
    correction_words,
    escape,
    kappa_value,
    kappa_words,
    num,
    table,
)
from evalplatform.protocols.report import Report
from evalplatform.protocols.warmup import GGB_CANDIDATES, WarmupCandidate

WORST_TO_BEST = tuple(sorted(GGB_LABELS, key=GGB_RANK.__getitem__))

MIN_CANDIDATES = 2  # a bin sort of one response is a rating, not a comparison
MAX_CANDIDATES = 8  # more cards than fit on a phone screen
BIN_NAMES = {"good": "Good", "okay": "Okay", "bad": "Bad"}


class GGBProtocol(ProtocolSpec):
    name = "ggb"
    title = "Good / okay / bad sorting"
    report_title = "Good / okay / bad sorting"
    required = ("item", "worker", "system", "label")
    response = "label"
    gold_bonus = True
    criterion_kinds = frozenset({"label"})
    task_template = "crowd/_board.html"
    bonus_rule = "Put it in Good or Okay"
    bonus_button = True
    default_test = "paired t-test over dialogues on the ordered labels, worker bias removed"
    latex_default = "ggb"
    latex_aliases = {"seed002": "ggb"}

    # ---- campaigns
    def system_problems(self, n_systems: int, gold_per_hit: int) -> list[str]:
        # Items without a gold check show one candidate per system; gold items show one more.
        fewest, most = n_systems, n_systems + (1 if gold_per_hit else 0)
        if fewest < MIN_CANDIDATES or most > MAX_CANDIDATES:
            shown = f"{fewest}" if fewest == most else f"{fewest} (up to {most} with gold)"
            return [
                f"A good/okay/bad campaign shows {MIN_CANDIDATES} to {MAX_CANDIDATES} "
                f"candidates per item; with {n_systems} systems it would show {shown}."
            ]
        return []

    # ---- worker pages
    def warmup_candidates(self) -> tuple[WarmupCandidate, ...]:
        return GGB_CANDIDATES

    # ---- simulated crowd
    def answer_scale(self, values: Sequence[str]) -> list[str]:
        return [label for label in WORST_TO_BEST if label in values] or list(values)

    def rushed_answer(self, values: Sequence[str], rng: Any) -> str:
        # Not reading, they dump most cards in Bad: gold checks catch them (seed 002).
        return str(rng.choices(WORST_TO_BEST, weights=[0.6, 0.2, 0.2])[0])

    def warmup_feedback(
        self,
        candidates: Sequence[WarmupCandidate],
        criteria: Sequence[CriterionLike],
        answers: Mapping[AnswerKey, str],
    ) -> list[str]:
        feedback = []
        for position, candidate in enumerate(candidates):
            placed = next((v for (p, _), v in answers.items() if p == position), None)
            if placed is None:
                feedback.append(f"Response {position + 1} is not sorted yet.")
            elif placed not in candidate.ggb:
                expected = " or ".join(BIN_NAMES[b] for b in sorted(candidate.ggb))
                feedback.append(
                    f"Response {position + 1} is in {BIN_NAMES.get(placed, placed)}; "
                    f"a better place is {expected}: "
                    + (
                        "it answers the speaker with care."
                        if candidate.good
                        else "it ignores what the speaker said."
                    )
                )
        return feedback

    # ---- tidy data
    def check_values(
        self, out: pd.DataFrame, binary: frozenset[str] | None, scale: tuple[int, int]
    ) -> None:
        out["label"] = tv.vocabulary(out, "label", GGB_LABELS)

    def tidy_row(self, facts: JudgmentFacts) -> dict[str, Any]:
        return {"system": facts.system, "label": facts.label}

    # ---- analysis
    def results(self, df: pd.DataFrame, settings: Any, binary: frozenset[str]) -> dict[str, Any]:
        s = settings
        return {
            "subsets": ggb_shares(df, s.system_order, s.subset_order),
            **ggb_agreement(df, s.label_alpha_level),
            "overall": ggb_overall(df, s.system_order),
            "subset_kappas": ggb_subset_kappas(df, s.subset_order),
            "calibrated": ggb_calibrated(
                df, s.system_order, s.subset_order, correction=s.correction, alpha=s.alpha
            ),
        }

    def empty_results(self, settings: Any) -> dict[str, Any]:
        return {"subsets": {}, "fleiss_kappa": None}

    def comparisons(self, df: pd.DataFrame, systems: list[str], settings: Any) -> Any:
        return comparisons_from_ggb(scored_rows(df), systems)

    def item_scores(self, df: pd.DataFrame) -> pd.DataFrame:
        rows = scored_rows(df)
        score = rows["label"].map(GGB_RANK).astype(float) / 2.0  # map keeps a categorical
        grouped = score.groupby([rows["item"], rows["system"]], sort=False, observed=True)
        return grouped.mean().rename("label_score").reset_index()

    # ---- report
    def summary_rows(self, report: Report) -> Rows:
        rows = []
        for subset, block in report.results.get("subsets", {}).items():
            for system, v in block.items():
                rows.append(
                    {
                        "subset": subset,
                        "system": system,
                        "good": v["good"],
                        "okay": v["okay"],
                        "bad": v["bad"],
                        "n": v["n"],
                    }
                )
        return rows

    def agreement_scopes(self, report: Report) -> list[tuple[str, dict[str, Any]]]:
        r = report.results
        return [("all", r), *r.get("subset_kappas", {}).items()]

    def agreement_sentences(self, report: Report) -> list[str]:
        r = report.results
        return [kappa_words("Good / okay / bad labels", r)] if "kappa_items" in r else []

    def main_tables(self, report: Report) -> list[Display]:
        rows = [
            [
                cell(r["subset"], "name"),
                cell(report.system_label(r["system"])),
                cell(f"{r['good']:.4f}", "num"),
                cell(f"{r['okay']:.4f}", "num"),
                cell(f"{r['bad']:.4f}", "num"),
                cell(num(r["n"]), "num"),
            ]
            for r in self.summary_rows(report)
        ]
        shares = {
            "id": "shares",
            "caption": "Shares of good / okay / bad per test set, normalised over the "
            "three labels.",
            "columns": ["Test set", "System", "Good", "Okay", "Bad", "n"],
            "rows": rows,
        }
        default = default_test_table(report, self.default_families(report), "label score (0-2)")
        return [shares, *([default] if default else [])]

    def methods(self, settings: dict[str, Any]) -> list[str]:
        return [
            (
                "Default test (findings): the ordered labels are scored bad 0, okay 1, good 2; "
                "per pair of systems, a paired t-test over dialogues on the per-response mean "
                f"score; {BIAS}. Each test set is tested on its own and all test sets "
                "together; p-values "
                + corrected_across(
                    settings,
                    "the pairs of systems on one test set (and, apart, over all test sets)",
                )
                + f", alpha = {settings['alpha']:g}. "
                + FALLBACK
            ),
            (
                "Shares of good, okay and bad per system and test set, normalised over the "
                "three labels (each system's shares sum to 1 on each test set, as in seed 002)."
            ),
            (
                "Agreement: Fleiss' kappa over the labels of (item, system) units rated by the "
                "most common number of raters, and Krippendorff's alpha "
                f"({settings['label_alpha_level']})."
            ),
            (
                "Seed 002 reports no significance test on the shares; the default test above "
                "and the Bradley-Terry intervals show which differences the data resolve."
            ),
        ]

    def findings(self, report: Report) -> list[str] | None:
        """From the default test, per test set and (with several) over all of them."""
        out = []
        for family, block in _calibrated_families(report):
            where = f"On test set {family}, " if family is not None else "Over all test sets, "
            for t in block["pairs"]:
                line = _finding(report, where, t)
                if line is not None:
                    out.append(line)
        return out

    def default_families(self, report: Report) -> list[tuple[str, list[dict[str, Any]]]]:
        return [
            (f"Test set {family}" if family is not None else "All test sets", block["pairs"])
            for family, block in _calibrated_families(report)
        ]

    def kappa_text(self, report: Report) -> str:
        r = report.results
        band = r.get("kappa_band", "undefined")
        return f"Fleiss' $\\kappa$: {kappa_value(r.get('fleiss_kappa'))} ({band})"

    def figures(self) -> list[FigureSpec]:
        # Imported here: matplotlib takes a second, and only reports draw figures.
        from evalplatform.protocols.figures import ggb_figure

        return [("ggb", "Shares of good, okay and bad per test set.", ggb_figure)]

    def latex_styles(self) -> Mapping[str, Callable[[Report], str]]:
        return {"ggb": _ggb_table}

    # ---- monitoring
    monitoring_unit = "label score (bad 0, okay 1, good 2)"

    def monitored(
        self,
        df: pd.DataFrame,
        *,
        scales: Mapping[str, tuple[int, int]],
        raters: int,
        system_order: Sequence[str] | None = None,
    ) -> list[MonitoredComparison]:
        return ggb_monitored(df, raters=raters, system_order=system_order)

    def kappa_units(
        self, df: pd.DataFrame, system_order: Sequence[str] | None = None
    ) -> list[KappaUnits]:
        return ggb_kappa_units(df)

    def monitoring_difference(
        self, difference: float, components: Mapping[str, Mapping[str, float]]
    ) -> float | None:
        return difference  # points of the 0/1/2 label score in both

    # ---- planning
    def planning_model(
        self,
        *,
        pilot: pd.DataFrame | None,
        criteria: Mapping[str, tuple[int, int]] | None,
        settings: Any,
    ) -> PlanningModel:
        return GgbPlanning.from_pilot(pilot)


def _calibrated_families(report: Report) -> list[tuple[str | None, dict[str, Any]]]:
    """The default test's blocks: per test set, then (None) over all test sets when there
    are several."""
    calibrated = report.results.get("calibrated") or {}
    out: list[tuple[str | None, dict[str, Any]]] = list(calibrated.get("subsets", {}).items())
    if len(out) > 1 and calibrated.get("overall"):
        out.append((None, calibrated["overall"]))
    return out


def _finding(report: Report, where: str, t: dict[str, Any]) -> str | None:
    """A pair the default test finds significant, or one no test could separate."""
    a, b = report.system_label(t["a"]), report.system_label(t["b"])
    if (line := untestable(where, a, b, t)) is not None:
        return line
    if not t["significant"]:
        return None
    hi, lo = (a, b) if t["difference"] >= 0 else (b, a)
    m_hi, m_lo = sorted((t["mean_a"], t["mean_b"]), reverse=True)
    return (
        f"{where}{hi} was labelled better than {lo} (mean label score {m_hi:.2f} vs "
        f"{m_lo:.2f}, bad 0 / okay 1 / good 2; "
        f"{result_words(report, t, 'paired t-test over dialogues, worker bias removed')})."
    )


def _share(value: float) -> str:
    """Seed 002 prints shares as .3097: four decimals, no leading zero."""
    text = f"{value:.4f}"
    return text.removeprefix("0")


def _ggb_table(report: Report) -> str:
    subsets = report.results.get("subsets", {})
    systems = list(dict.fromkeys(s for block in subsets.values() for s in block))
    head1 = " & ".join(f"\\multicolumn{{3}}{{c}}{{{escape(s)}}}" for s in subsets)
    rules = "".join(f"\\cmidrule(lr){{{2 + 3 * i}-{4 + 3 * i}}}" for i in range(len(subsets)))
    head2 = " & ".join("Good & Okay & Bad" for _ in subsets)
    best = {
        sub: max((b["good"] for b in block.values()), default=None)
        for sub, block in subsets.items()
    }
    rows = []
    for system in systems:
        cells = [escape(report.system_label(system))]
        for sub, block in subsets.items():
            v = block.get(system)
            for lab in ("good", "okay", "bad"):
                text = _share(v[lab]) if v else "--"
                if v and lab == "good" and v[lab] == best[sub]:
                    text = f"\\textbf{{{text}}}"
                if v and lab == "good" and _beats_all(report, sub, system):
                    text += "$^\\dagger$"
                cells.append(text)
        rows.append(" & ".join(cells) + r" \\")
    header = [f"Model & {head1} \\\\", rules, f" & {head2} \\\\"]
    caption = (
        "Human evaluation results on each test set. Numbers are normalised across the "
        "three quality categories on each test set; the best Good share is bold. "
        + GGB.kappa_text(report)
        + ". "
        + _dagger_text(report)
    )
    return table("l" + "ccc" * len(subsets), header, rows, caption, report)


def _beats_all(report: Report, subset: str, system: str) -> bool:
    """Significantly better than every other system on the test set (the default test)."""
    block = (report.results.get("calibrated") or {}).get("subsets", {}).get(subset)
    tests = [t for t in (block or {}).get("pairs", []) if system in (t["a"], t["b"])]
    return bool(tests) and all(
        t["significant"] and (t["difference"] > 0) == (t["a"] == system) for t in tests
    )


def _dagger_text(report: Report) -> str:
    corr = correction_words(report.settings, " within each test set")
    return (
        "$^\\dagger$: significantly better than every other system on the test set (paired "
        "$t$-test over dialogues on the label scores bad 0, okay 1, good 2, worker bias "
        f"removed; {corr}, $\\alpha = {report.settings['alpha']:g}$)."
    )


GGB = register(GGBProtocol())
