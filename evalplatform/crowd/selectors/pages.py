"""What worker pages show, as plain view models.

These are the only shapes a worker's browser receives (HTML and JSON alike). They refer
to a response by its position in the item as shown, never by system, candidate id or
gold flag: the mapping back stays in ItemCandidate on the server.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from evalplatform.campaigns.models import Campaign, Criterion, CriterionKind
from evalplatform.crowd.models import (
    Assignment,
    AssignmentStatus,
    Hit,
    Item,
    ItemCandidate,
    Judgment,
)
from evalplatform.crowd.selectors.shapes import campaign_criteria, hit_shape
from evalplatform.crowd.warmup import TURNS, warmup_candidates
from evalplatform.protocols.registry import get

CHOICE_CAPTIONS = {"a": "Response A", "b": "Response B", "tie": "Tie", "both_bad": "Both bad"}
BINARY_CAPTIONS = {"0": "No", "1": "Yes"}
BINS = (("good", "Good"), ("okay", "Okay"), ("bad", "Bad"))
AnswerKey = tuple[int | None, str]


@dataclass(frozen=True)
class OptionView:
    value: str
    caption: str
    anchor: str
    checked: bool


@dataclass(frozen=True)
class QuestionView:
    criterion: str
    question: str
    kind: str
    field: str  # the radio group's name, unique on the page
    candidate: int | None
    options: tuple[OptionView, ...]
    label: str = ""  # binary criteria: the predicted emotion the response is judged against

    @property
    def answered(self) -> bool:
        return any(option.checked for option in self.options)


@dataclass(frozen=True)
class CandidateView:
    handle: int  # position in the item as shown
    text: str
    placed: str = ""  # good/okay/bad: the bin it is in
    questions: tuple[QuestionView, ...] = ()

    @property
    def number(self) -> int:
        return self.handle + 1

    @property
    def letter(self) -> str:
        return "AB"[self.handle] if self.handle < 2 else str(self.number)


@dataclass(frozen=True)
class TurnView:
    side: int  # 1: speaker 1, shown left; 2: the other speaker, shown right
    text: str

    @property
    def speaker(self) -> str:
        return f"Speaker {self.side}"


@dataclass(frozen=True)
class BinView:
    value: str
    caption: str
    cards: tuple[CandidateView, ...]


@dataclass(frozen=True)
class ItemView:
    protocol: str
    position: int
    total: int
    turns: tuple[TurnView, ...]
    candidates: tuple[CandidateView, ...]
    questions: tuple[QuestionView, ...] = ()  # about the item as a whole (A/B)
    sort_criterion: str = ""  # good/okay/bad: the label criterion's name
    sort_question: str = ""
    answers: tuple[tuple[int | None, str, str], ...] = field(default=())

    @property
    def task_template(self) -> str:
        """The protocol's answer widgets (a board, a pair, rating scales)."""
        return get(self.protocol).task_template

    @property
    def number(self) -> int:
        return self.position + 1

    @property
    def pool(self) -> tuple[CandidateView, ...]:
        return tuple(card for card in self.candidates if not card.placed)

    @property
    def bins(self) -> tuple[BinView, ...]:
        return tuple(
            BinView(value, caption, tuple(c for c in self.candidates if c.placed == value))
            for value, caption in BINS
        )

    def answers_json(self) -> list[dict[str, Any]]:
        return [
            {"candidate": candidate, "criterion": criterion, "value": value}
            for candidate, criterion, value in self.answers
        ]


def criterion_options(criterion: Criterion, ab_allow_both_bad: bool) -> list[tuple[str, str, str]]:
    """(value, caption, anchor wording) for each legal answer, in the order shown."""
    anchors = {str(key): str(value) for key, value in (criterion.anchors or {}).items()}
    if criterion.kind == CriterionKind.SCALE:
        return [
            (str(v), str(v), anchors.get(str(v), ""))
            for v in range(criterion.scale_min, criterion.scale_max + 1)
        ]
    if criterion.kind == CriterionKind.BINARY:
        return [(v, anchors.get(v, BINARY_CAPTIONS[v]).capitalize(), "") for v in ("0", "1")]
    if criterion.kind == CriterionKind.CHOICE:
        values = ["a", "b", "tie"] + (["both_bad"] if ab_allow_both_bad else [])
        return [(v, CHOICE_CAPTIONS[v], "") for v in values]
    return [(value, caption, "") for value, caption in BINS]


def _turns(raw: Any) -> tuple[TurnView, ...]:
    """Speaker 1 is whoever speaks first; everyone else is shown as the other speaker."""
    turns = []
    first = None
    for turn in raw if isinstance(raw, list) else []:
        speaker = str(turn.get("speaker", "")) if isinstance(turn, dict) else ""
        text = str(turn.get("text", "")) if isinstance(turn, dict) else str(turn)
        first = speaker if first is None else first
        turns.append(TurnView(side=1 if speaker == first else 2, text=text))
    return tuple(turns)


def build_item_view(
    *,
    campaign: Campaign,
    criteria: Sequence[Criterion],
    position: int,
    total: int,
    turns: tuple[TurnView, ...],
    shown: Sequence[tuple[str, str]],
    answers: dict[AnswerKey, str],
) -> ItemView:
    """An item page from plain parts: ``shown`` is (text, predicted label) per response in
    the order shown; ``answers`` maps (response position or None, criterion) to a value."""

    def question(criterion: Criterion, candidate: int | None, label: str) -> QuestionView:
        chosen = answers.get((candidate, criterion.name))
        prefix = f"r{candidate}" if candidate is not None else "item"
        return QuestionView(
            criterion=criterion.name,
            question=criterion.question,
            kind=criterion.kind,
            field=f"{prefix}-{criterion.name}",
            candidate=candidate,
            label=label if criterion.kind == CriterionKind.BINARY else "",
            options=tuple(
                OptionView(value, caption, anchor, checked=value == chosen)
                for value, caption, anchor in criterion_options(
                    criterion, campaign.ab_allow_both_bad
                )
            ),
        )

    per_candidate = [c for c in criteria if c.kind in (CriterionKind.SCALE, CriterionKind.BINARY)]
    per_item = [c for c in criteria if c.kind == CriterionKind.CHOICE]
    sort = next((c for c in criteria if c.kind == CriterionKind.LABEL), None)
    candidates = tuple(
        CandidateView(
            handle=handle,
            text=text,
            placed=answers.get((handle, sort.name), "") if sort else "",
            questions=tuple(question(c, handle, label) for c in per_candidate),
        )
        for handle, (text, label) in enumerate(shown)
    )
    return ItemView(
        protocol=campaign.protocol,
        position=position,
        total=total,
        turns=turns,
        candidates=candidates,
        questions=tuple(question(c, None, "") for c in per_item),
        sort_criterion=sort.name if sort else "",
        sort_question=sort.question if sort else "",
        answers=tuple(
            (candidate, criterion, value) for (candidate, criterion), value in answers.items()
        ),
    )


def _text_and_label(shown: ItemCandidate, shows_labels: bool) -> tuple[str, str]:
    """The response's text and the predicted label stored with it when the HIT was built
    (every response of a labelled campaign carries one, so none stands out)."""
    return shown.text, shown.shown_label if shows_labels else ""


def item_view(
    *,
    hit: Hit,
    position: int,
    assignment: Assignment | None = None,
    answers: dict[AnswerKey, str] | None = None,
) -> ItemView:
    """The item at ``position`` of a HIT, with the assignment's answers when given (or
    ``answers`` when the caller read them already)."""
    candidates = list(
        ItemCandidate.objects.filter(item__hit=hit, item__position=position)
        .select_related("item__dialogue", "candidate", "filler_dialogue")
        .order_by("position")
    )
    if not candidates:
        raise Item.DoesNotExist(f"No dialogue at position {position} of {hit}.")
    if answers is None and assignment is not None:
        rows = Judgment.objects.filter(
            assignment=assignment, item_id=candidates[0].item_id
        ).values_list("item_candidate__position", "criterion__name", "score", "label")
        answers = {
            (candidate, criterion): label or str(score)
            for candidate, criterion, score, label in rows
        }
    return shown_item_view(hit=hit, candidates=candidates, answers=answers or {})


def shown_item_view(
    *, hit: Hit, candidates: Sequence[ItemCandidate], answers: dict[AnswerKey, str]
) -> ItemView:
    """An item page from its responses as shown (with ``item__dialogue``, ``candidate`` and
    ``filler_dialogue`` loaded) and the answers given; criteria and the HIT's size come
    from the shape caches."""
    campaign = hit.campaign
    criteria = campaign_criteria(campaign)
    shows_labels = any(c.kind == CriterionKind.BINARY for c in criteria)
    shown = [_text_and_label(ic, shows_labels) for ic in candidates]
    item = candidates[0].item
    return build_item_view(
        campaign=campaign,
        criteria=criteria,
        position=item.position,
        total=len(hit_shape(hit).items),
        turns=_turns(item.dialogue.turns),
        shown=shown,
        answers=answers,
    )


def warmup_view(*, campaign: Campaign) -> ItemView:
    """The instructions page's practice item, built like a real one."""
    return build_item_view(
        campaign=campaign,
        criteria=list(campaign.criteria.all()),
        position=0,
        total=1,
        turns=tuple(TurnView(side, text) for side, text in TURNS),
        shown=[(c.text, c.label) for c in warmup_candidates(campaign.protocol)],
        answers={},
    )


@dataclass(frozen=True)
class HitBrief:
    """The welcome page's facts about the work."""

    title: str
    description: str
    protocol: str
    items: int
    minutes: int
    reward: str
    bonus: str
    bonus_checks: int
    max_hits: int
    hits_done: int

    @property
    def has_bonus(self) -> bool:
        return self.bonus_checks > 0 and self.bonus not in ("", "0.00")

    @property
    def what_template(self) -> str:
        """The protocol's "What you do" sentence."""
        return get(self.protocol).what_template

    @property
    def howto_template(self) -> str:
        """The protocol's instructions."""
        return get(self.protocol).howto_template

    @property
    def bonus_rule(self) -> str:
        """What the worker does with a gold response to earn its bonus point."""
        return get(self.protocol).bonus_rule


def hit_brief(*, hit: Hit, assignment: Assignment | None = None) -> HitBrief:
    campaign = hit.campaign
    done = 0
    if assignment is not None:
        done = Assignment.objects.filter(
            hit__campaign=campaign,
            worker_id=assignment.worker_id,
            status__in=(
                AssignmentStatus.SUBMITTED,
                AssignmentStatus.APPROVED,
                AssignmentStatus.REJECTED,
            ),
        ).count()
    return HitBrief(
        title=campaign.title,
        description=campaign.description,
        protocol=campaign.protocol,
        items=hit.items.count(),
        minutes=campaign.minutes_per_hit,
        reward=f"{campaign.reward:.2f}",
        bonus=f"{campaign.bonus:.2f}",
        bonus_checks=hit.items.filter(has_gold=True).count(),
        max_hits=campaign.max_hits_per_worker,
        hits_done=done,
    )
