"""A protocol defined only here ("yesno": is each response acceptable, yes or no) runs
through everything a built-in one does: the ``analyze`` input, campaign validation, HIT
building, the worker pages with their answer endpoint, the analysis and the campaign
report. If a layer still branched on the built-in names, this protocol would fall
through it.

What a real fourth protocol adds besides its module and templates is its value in
``campaigns.models.Protocol`` and the migration for it; the fixture stands in for those
two (field choices and the database's check constraint) for the test's duration.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import BaseConstraint, CheckConstraint, Q

from evalplatform.campaigns.models import Campaign, Protocol
from evalplatform.campaigns.presets import PRESETS, Preset, PresetCriterion
from evalplatform.campaigns.validation import campaign_problems
from evalplatform.crowd.models import Item, Judgment
from evalplatform.crowd.services import assignment_lease
from evalplatform.crowd.tokens import assignment_url
from evalplatform.protocols.figures import new_figure
from evalplatform.protocols.registry import (
    AnswerKey,
    CriterionLike,
    FigureSpec,
    JudgmentFacts,
    ProtocolSpec,
    Rows,
    register,
    unregister,
)
from evalplatform.protocols.render import Display, cell, escape, num, table
from evalplatform.protocols.report import Report
from evalplatform.protocols.tidy_values import vocabulary
from evalplatform.protocols.warmup import WarmupCandidate
from evalplatform.reports.campaign_report import campaign_export
from evalplatform.reports.cli import run_analyze
from tests.factories import answer_all, make_campaign, worker_post

TEMPLATES = Path(__file__).parent / "templates"


class YesNoProtocol(ProtocolSpec):
    """One yes/no question per response; the result is each system's share of yes."""

    name = "yesno"
    title = "Yes / no per response"
    report_title = "Yes / no per response"
    required = ("item", "worker", "system", "answer")
    response = "answer"
    criterion_kinds = frozenset({"binary"})
    latex_default = "yes-shares"

    def warmup_feedback(
        self,
        candidates: Sequence[WarmupCandidate],
        criteria: Sequence[CriterionLike],
        answers: Mapping[AnswerKey, str],
    ) -> list[str]:
        return [
            f"Response {position + 1}: look again."
            for position, candidate in enumerate(candidates)
            for criterion in criteria
            if answers.get((position, criterion.name)) != ("1" if candidate.good else "0")
        ]

    def check_values(
        self, out: pd.DataFrame, binary: frozenset[str] | None, scale: tuple[int, int]
    ) -> None:
        out["answer"] = vocabulary(out, "answer", ("yes", "no"))

    def tidy_row(self, facts: JudgmentFacts) -> dict[str, Any]:
        return {"system": facts.system, "answer": "yes" if facts.score == 1 else "no"}

    def results(self, df: pd.DataFrame, settings: Any, binary: frozenset[str]) -> dict[str, Any]:
        yes = (df["answer"] == "yes").groupby(df["system"], sort=True)
        return {
            "systems": {
                str(system): {"yes": float(share), "n": int(n)}
                for (system, share), n in zip(yes.mean().items(), yes.size(), strict=True)
            }
        }

    def empty_results(self, settings: Any) -> dict[str, Any]:
        return {"systems": {}}

    def summary_rows(self, report: Report) -> Rows:
        return [{"system": s, **v} for s, v in report.results["systems"].items()]

    def main_tables(self, report: Report) -> list[Display]:
        rows = [
            [cell(report.system_label(r["system"]), "name"), cell(num(r["yes"]), "num")]
            for r in self.summary_rows(report)
        ]
        return [
            {"id": "yes", "caption": "Share of yes.", "columns": ["System", "Yes"], "rows": rows}
        ]

    def methods(self, settings: dict[str, Any]) -> list[str]:
        return ["Each system's share of yes answers over its responses."]

    def figures(self) -> list[FigureSpec]:
        def bars(report: Report) -> Any:
            rows = self.summary_rows(report)
            fig = new_figure(4.0, 2.0)
            fig.subplots().bar([r["system"] for r in rows], [r["yes"] for r in rows])
            return fig

        return [("yes", "Share of yes per system.", bars)]

    def latex_styles(self) -> Mapping[str, Callable[[Report], str]]:
        def shares(report: Report) -> str:
            rows = [
                f"{escape(report.system_label(r['system']))} & {r['yes']:.2f} \\\\"
                for r in self.summary_rows(report)
            ]
            return table("lc", ["System & Yes \\\\"], rows, "Share of yes.", report)

        return {"yes-shares": shares}


PRESET = Preset(
    key="yesno-test",
    seed="test",
    title="Is this reply acceptable?",
    protocol="yesno",
    criteria=(
        PresetCriterion(
            name="acceptable",
            question="Is this reply an acceptable next turn?",
            kind="binary",
            anchors={"0": "no", "1": "yes"},
        ),
    ),
    sample_size=4,
    assignments_per_hit=1,
    items_per_hit=2,
    reward=Decimal("0.50"),
)


@pytest.fixture
def yesno(db, monkeypatch, settings) -> Iterator[ProtocolSpec]:
    spec = register(YesNoProtocol())
    field = Campaign._meta.get_field("protocol")
    choices = [*(field.choices or ()), (spec.name, spec.title)]
    monkeypatch.setattr(field, "choices", choices)
    monkeypatch.setattr(Campaign._meta, "constraints", _constraints_with(spec.name))
    monkeypatch.setitem(PRESETS, PRESET.key, PRESET)
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], TEMPLATES]}
    ]
    _check_constraint(enabled=False)
    try:
        yield spec
    finally:
        _check_constraint(enabled=True)
        unregister(spec.name)


def _constraints_with(protocol: str) -> list[BaseConstraint]:
    """The model's constraints, with ``protocol`` among the valid protocols."""
    out: list[BaseConstraint] = []
    for constraint in Campaign._meta.constraints:
        if constraint.name == "campaign_protocol_valid":
            valid = Q(protocol__in=[*Protocol.values, protocol])
            constraint = CheckConstraint(condition=valid, name=constraint.name)
        out.append(constraint)
    return out


def _check_constraint(*, enabled: bool) -> None:
    """The database refuses protocols outside ``Protocol``; a real protocol migrates it."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA ignore_check_constraints = {'OFF' if enabled else 'ON'}")
        elif not enabled:  # PostgreSQL: rolled back with the test's transaction
            table_name = Campaign._meta.db_table
            cursor.execute(f"ALTER TABLE {table_name} DROP CONSTRAINT campaign_protocol_valid")


def post(client, url: str, body: dict[str, Any]):
    return worker_post(client, url, body)


def test_analyze_reads_and_reports_the_new_protocol(yesno, tmp_path):
    path = tmp_path / "yesno.csv"
    path.write_text(
        "item,worker,system,answer\n"
        "d1,w1,sysA,yes\nd1,w1,sysB,no\nd2,w1,sysA,YES\nd2,w1,sysB,yes\n",
        encoding="utf-8",
    )
    tree = json.loads(run_analyze(path, "yesno", "json"))
    assert tree["protocol"] == "yesno"
    assert tree["systems"] == {"sysA": {"yes": 1.0, "n": 2}, "sysB": {"yes": 0.5, "n": 2}}
    latex = run_analyze(path, "yesno", "latex")
    assert "sysA & 1.00" in str(latex) and "tab:human-eval-yesno" in str(latex)
    out = io.StringIO()
    call_command("analyze", str(path), "--protocol", "yesno", "--format", "csv", stdout=out)
    assert out.getvalue().splitlines()[0] == "system,yes,n"
    path.write_text("item,worker,system,answer\nd1,w1,sysA,maybe\n", encoding="utf-8")
    with pytest.raises(Exception, match="line 2"):
        run_analyze(path, "yesno", "json")


def test_campaign_runs_from_hits_through_worker_pages_to_the_report(yesno, client, worker):
    campaign = make_campaign(PRESET.key, n_systems=2)
    assert campaign_problems(campaign) == []
    items = Item.objects.filter(hit__campaign=campaign)
    # Not paired like A/B: every item shows both systems' responses.
    assert items.count() == 4 and all(item.candidates.count() == 2 for item in items)

    lease = assignment_lease(campaign=campaign, worker=worker)
    welcome = client.get(assignment_url(lease, "welcome")).content.decode()
    assert "say Yes or No to every possible next reply" in welcome
    instructions = client.get(assignment_url(lease, "instructions")).content.decode()
    assert "acceptable next reply" in instructions
    warmup = post(
        client,
        assignment_url(lease, "api-warmup"),
        {"answers": [{"candidate": 0, "criterion": "acceptable", "value": "1"}]},
    ).json()
    assert warmup["correct"] is False and warmup["feedback"] == ["Response 2: look again."]

    page = client.get(assignment_url(lease, "item", position=0))
    assert page.status_code == 200
    assert "Is this reply an acceptable next turn?" in page.content.decode()
    saved = post(
        client,
        assignment_url(lease, "api-answer"),
        {"item": 0, "candidate": 0, "criterion": "acceptable", "value": "0"},
    )
    assert saved.json()["ok"] is True
    assert Judgment.objects.get(assignment=lease).score == 0

    answer_all(lease)  # the rest (and item 0's first answer again) as yes
    submitted = post(client, assignment_url(lease, "api-submit"), {}).json()
    assert submitted["status"] == "submitted"

    tree = json.loads(campaign_export(campaign, "json"))
    systems = tree["systems"]
    assert sorted(systems) == sorted(campaign.systems.values_list("name", flat=True))
    assert sum(v["n"] for v in systems.values()) == 4
    html = str(campaign_export(campaign, "html"))
    assert "Yes / no per response" in html and "Share of yes." in html
    assert 'id="fig-yes"' in html and "Share of yes per system." in html
    judgments = str(campaign_export(campaign, "judgments"))
    assert judgments.splitlines()[0].startswith("item,worker,system,answer,")
