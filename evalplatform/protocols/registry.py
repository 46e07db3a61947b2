"""The protocol registry: one ``ProtocolSpec`` object per evaluation protocol.

A protocol (Likert ratings, A/B preference, good/okay/bad sorting, ...) owns everything
that differs between protocols: its tidy columns and their validation, how HITs show
systems, its worker-page templates and warm-up, its analysis, its tables, LaTeX forms
and narrative. The layers below and above hand it plain data (DataFrames, dicts, the
``Report`` tree) and ask; none of them branches on the protocol's name.

The built-in protocols (``likert``, ``ab``, ``ggb``) are imported by ``get`` on first use,
so that no module needs to import them for their side effect; other protocols call
``register`` when their module is imported.
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

import pandas as pd

from evalplatform.analysis.columns import OPTIONAL
from evalplatform.analysis.monitoring import MonitoredComparison
from evalplatform.analysis.ordering import first_appearance, ordered
from evalplatform.analysis.planning import PlanningModel
from evalplatform.protocols.render import Display, kappa_value, kappa_words
from evalplatform.protocols.report import Report
from evalplatform.protocols.warmup import RATED_CANDIDATES, WarmupCandidate

BUILTIN: tuple[str, ...] = ("likert", "ab", "ggb")
_REGISTRY: dict[str, ProtocolSpec] = {}

Rows = list[dict[str, Any]]
# A figure: key, caption and the function that draws it from the report (or returns None).
FigureSpec = tuple[str, str, Callable[[Report], Any]]
AnswerKey = tuple[int | None, str]
# (scope, rows, unit columns, answer column) of one Fleiss' kappa.
KappaUnits = tuple[str, pd.DataFrame, list[str], str]


class CriterionLike(Protocol):
    """What a protocol reads of a campaign criterion (the ORM model has these fields)."""

    name: str
    question: str
    kind: str
    scale_min: int
    scale_max: int


@dataclass(frozen=True)
class JudgmentFacts:
    """One stored judgment as plain data, for ``ProtocolSpec.tidy_row``.

    ``system`` is the judged response's system (``gold`` for the gold response) or None
    for an answer about the whole item; ``pair`` the systems shown as A and B when the
    item shows a pair.
    """

    criterion: str
    score: int | None
    label: str
    system: str | None
    is_gold: bool
    pair: tuple[str, str] | None = None


class ProtocolSpec(ABC):
    """The base every protocol derives from; subclasses set the class attributes and
    implement the abstract methods (``warmup_feedback``, ``check_values``, ``tidy_row``,
    ``results``, ``summary_rows``, ``main_tables``, ``methods``, ``latex_styles``). The
    other methods have defaults that fit a protocol where each row judges one system's
    response and no significance test is run."""

    name: ClassVar[str]
    title: ClassVar[str]  # the campaign's choice label, e.g. "Likert rating"
    report_title: ClassVar[str]  # the report's kicker, e.g. "Likert ratings"

    # Tidy judgments (the ``analyze`` input format of DESIGN.md).
    required: ClassVar[tuple[str, ...]]
    response: ClassVar[str]  # the column holding the worker's answer
    numeric_columns: ClassVar[tuple[str, ...]] = ()  # parsed by check_values, not stripped
    judgment_key: ClassVar[tuple[str, ...]] = ("item", "worker", "system")
    judgment_key_words: ClassVar[str] = "item, worker, system"
    # Gold rows carry bonus points (the seed 002 rules 2 and 3, the gold accuracy).
    gold_bonus: ClassVar[bool] = False

    # Campaigns and HITs.
    criterion_kinds: ClassVar[frozenset[str]]
    pairwise: ClassVar[bool] = False  # an item shows a pair of systems, not every system
    gold_checks: ClassVar[bool] = True
    min_systems: ClassVar[int] = 1

    # Worker pages (templates under frontend/templates): the answer widgets; the
    # instructions and the welcome page's "What you do" are ``howto_template`` and
    # ``what_template`` below, in crowd/protocols/<name>/.
    task_template: ClassVar[str] = "crowd/_rate.html"
    bonus_rule: ClassVar[str] = "Rate it at least in the middle of every scale"
    bonus_button: ClassVar[bool] = False  # the task page's "Bonus Validate" button

    # The default significance test (``protocols.default_test``): its name, which
    # the findings give when no pair differed; None when the protocol runs none.
    default_test: ClassVar[str | None] = None

    # LaTeX: style name -> table builder; the default style; seed aliases of its styles.
    latex_default: ClassVar[str]
    latex_aliases: ClassVar[Mapping[str, str]] = {}

    # ---- campaigns
    def system_problems(self, n_systems: int, gold_per_hit: int) -> list[str]:
        """Why this many systems cannot run (empty when they can)."""
        if n_systems < self.min_systems and self.min_systems > 1:
            return [f"A {self.title} campaign needs at least {self.min_systems} systems."]
        return []

    def dialogues_needed(self, sample_size: int, n_systems: int) -> int:
        return sample_size

    # ---- worker pages
    @property
    def howto_template(self) -> str:
        return f"crowd/protocols/{self.name}/howto.html"

    @property
    def what_template(self) -> str:
        return f"crowd/protocols/{self.name}/what.html"

    def warmup_candidates(self) -> tuple[WarmupCandidate, ...]:
        return RATED_CANDIDATES

    @abstractmethod
    def warmup_feedback(
        self,
        candidates: Sequence[WarmupCandidate],
        criteria: Sequence[CriterionLike],
        answers: Mapping[AnswerKey, str],
    ) -> list[str]:
        """What the worker should change in the warm-up (empty when right)."""
        raise NotImplementedError

    # ---- simulated crowd (the demo, load tests and end-to-end tests)
    def answer_scale(self, values: Sequence[str]) -> list[str]:
        """A criterion's answer options from worst to best, for a simulated worker who
        turns a perceived quality into an answer. A rating scale is already in order."""
        return list(values)

    def rushed_answer(self, values: Sequence[str], rng: Any) -> str:
        """What a simulated worker who does not read picks: anything."""
        return str(rng.choice(values))

    # ---- tidy data
    @abstractmethod
    def check_values(
        self, out: pd.DataFrame, binary: frozenset[str] | None, scale: tuple[int, int]
    ) -> None:
        """Normalise and check the answer columns of ``out`` in place; raise ``TidyError``."""
        raise NotImplementedError

    def duplicate_keys(self, out: pd.DataFrame) -> pd.DataFrame:
        """The columns that identify one judgment (two equal rows are a duplicate)."""
        return out[list(self.judgment_key)]

    @abstractmethod
    def tidy_row(self, facts: JudgmentFacts) -> dict[str, Any]:
        """The protocol's columns of one stored judgment."""
        raise NotImplementedError

    @property
    def export_columns(self) -> list[str]:
        """Columns of the campaign's judgments export, in order."""
        criterion = [] if "criterion" in self.required else ["criterion"]
        return [*self.required, *OPTIONAL, *criterion]

    # ---- analysis (``settings`` is a ``reports.config.ReportSettings``)
    def binary_criteria(self, df: pd.DataFrame, settings: Any) -> frozenset[str]:
        return frozenset()

    @abstractmethod
    def results(self, df: pd.DataFrame, settings: Any, binary: frozenset[str]) -> dict[str, Any]:
        """The protocol's result tree (its stable JSON keys first); ``df`` is not empty."""
        raise NotImplementedError

    def empty_results(self, settings: Any) -> dict[str, Any]:
        return {}

    def systems(self, df: pd.DataFrame, settings: Any) -> list[str]:
        return [str(x) for x in ordered(first_appearance(df["system"]), settings.system_order)]

    def comparisons(
        self, df: pd.DataFrame, systems: list[str], settings: Any
    ) -> pd.DataFrame | None:
        """Pairwise comparisons for Bradley-Terry, or None when the protocol has none."""
        return None

    def item_scores(self, df: pd.DataFrame) -> pd.DataFrame:
        """``item, system`` and one column per human measure (mean over raters)."""
        return pd.DataFrame(columns=["item", "system"])

    def system_scores(self, bradley_terry: dict[str, Any] | None) -> pd.DataFrame | None:
        """Per-system human scores when item scores do not exist (None: from items)."""
        return None

    def data_counts(self, binary: frozenset[str]) -> dict[str, Any]:
        return {}

    # ---- report: tables, text, LaTeX
    @abstractmethod
    def summary_rows(self, report: Report) -> Rows:
        raise NotImplementedError

    def pairwise_rows(self, report: Report) -> Rows:
        return []

    def agreement_scopes(self, report: Report) -> list[tuple[str, dict[str, Any]]]:
        """(scope, block with ``fleiss_kappa`` ...) for each agreement the report has."""
        r = report.results
        return [("all", r)]

    def scope_label(self, report: Report, scope: str) -> str:
        return scope

    @abstractmethod
    def main_tables(self, report: Report) -> list[Display]:
        raise NotImplementedError

    @abstractmethod
    def methods(self, settings: dict[str, Any]) -> list[str]:
        raise NotImplementedError

    def findings(self, report: Report) -> list[str] | None:
        """One sentence per significant difference (and per pair no test could separate);
        None when no test is run."""
        return None

    def default_families(self, report: Report) -> list[tuple[str, list[dict[str, Any]]]]:
        """The default test's pairs by family (a family is corrected together): what the
        findings and marks come from; empty when the protocol runs no default test."""
        return []

    def agreement_sentences(self, report: Report) -> list[str]:
        return [
            kappa_words(self.scope_label(report, scope), block)
            for scope, block in self.agreement_scopes(report)
            if "kappa_items" in block
        ]

    def kappa_text(self, report: Report) -> str:
        """The LaTeX caption's agreement clause."""
        return f"Fleiss' $\\kappa$: {kappa_value(report.results.get('fleiss_kappa'))}"

    def figures(self) -> list[FigureSpec]:
        """(key, caption, builder) of the protocol's figures; a builder returns a matplotlib
        ``Figure``, or None when the report has nothing to draw."""
        return []

    @abstractmethod
    def latex_styles(self) -> Mapping[str, Callable[[Report], str]]:
        raise NotImplementedError

    # ---- monitoring (anytime-valid confidence sequences while a campaign collects)
    # What a comparison's difference is measured in: the unit of the campaign's smallest
    # difference worth detecting, in words.
    monitoring_unit: ClassVar[str] = ""

    def monitored(
        self,
        df: pd.DataFrame,
        *,
        scales: Mapping[str, tuple[int, int]],
        raters: int,
        system_order: Sequence[str] | None = None,
    ) -> list[MonitoredComparison]:
        """The campaign's comparisons as per-item values in completion order (``df`` has an
        ``arrival`` column); empty when the protocol is not monitored."""
        return []

    def kappa_units(
        self, df: pd.DataFrame, system_order: Sequence[str] | None = None
    ) -> list[KappaUnits]:
        """For the live view's kappa intervals: (scope as ``results`` names it, the scored
        rows, unit columns, answer column) of each Fleiss' kappa the analysis reports."""
        return []

    def monitoring_difference(
        self, difference: float, components: Mapping[str, Mapping[str, float]]
    ) -> float | None:
        """A plan's smallest difference worth detecting (in the planning model's unit, with
        the variance components it was planned with) in ``monitoring_unit``: what the
        monitoring calls futile once the plan is frozen at publishing. None when this
        protocol's plans and monitoring share no unit."""
        return None

    # ---- planning
    # The power planner (``analysis/planning.py``) asks the protocol for its model of crowd
    # data: how a design is simulated and run through this protocol's default test.
    def planning_model(
        self,
        *,
        pilot: pd.DataFrame | None,
        criteria: Mapping[str, tuple[int, int]] | None,
        settings: Any,
    ) -> PlanningModel:
        """The planner's model: variance components fitted from ``pilot`` (validated tidy
        judgments of this protocol) or documented defaults; ``criteria`` are the
        campaign's rated criteria with their scales (a binary one (0, 1); None without a
        campaign); ``settings`` a
        ``reports.config.ReportSettings`` (correction family).
        ``ValueError`` when the protocol cannot be planned or the pilot cannot be fitted."""
        raise ValueError(f"The power planner has no model of {self.title} campaigns.")

    # ---- end of planning


def register(spec: ProtocolSpec) -> ProtocolSpec:
    """Add a protocol; its name must be new (a second registration is a mistake)."""
    if spec.name in _REGISTRY:
        raise ValueError(f"protocol {spec.name!r} is already registered")
    _REGISTRY[spec.name] = spec
    return spec


def unregister(name: str) -> None:
    """Remove a protocol (tests register their own and take it away after)."""
    _REGISTRY.pop(name, None)


def get(name: str) -> ProtocolSpec:
    """The protocol called ``name``; ``ValueError`` naming the known ones otherwise."""
    name = str(name)  # a Protocol choice (TextChoices) names its value
    if name not in _REGISTRY and name in BUILTIN:
        importlib.import_module(f"evalplatform.protocols.{name}")
    try:
        return _REGISTRY[name]
    except KeyError:
        raise ValueError(f"unknown protocol {name!r} (use {', '.join(names())})") from None


def names() -> tuple[str, ...]:
    """Every protocol's name: the built-in ones first, then those registered since."""
    return (*BUILTIN, *(n for n in _REGISTRY if n not in BUILTIN))


def all_protocols() -> list[ProtocolSpec]:
    return [get(name) for name in names()]
