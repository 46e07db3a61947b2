"""From the database to the tidy tables the analysis reads: the only ORM in reports.

The columns are the ``analyze`` input format of DESIGN.md plus the ones quality filtering
needs (``assignment``, ``seconds``, ``is_gold``, ``subset``) and ``simulated``, so exporting
a campaign and analysing the file gives the report the admin shows.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

import numpy as np
import pandas as pd
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    BigIntegerField,
    Case,
    DurationField,
    ExpressionWrapper,
    F,
    Field,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, NullIf

from evalplatform.campaigns.models import (
    Campaign,
    Candidate,
    Criterion,
    CriterionKind,
    SampledDialogue,
    System,
)
from evalplatform.crowd.models import (
    Assignment,
    AssignmentStatus,
    BonusCheckRecord,
    Item,
    ItemCandidate,
    Judgment,
    PageVisit,
)
from evalplatform.crowd.selectors.shapes import NUMERIC_KINDS
from evalplatform.protocols.registry import get
from evalplatform.reports.frame_columns import (
    in_report_order,
    inferred,
    protocol_columns,
    pseudonyms,
    taken,
    worker_pseudonym,
)
from evalplatform.reports.int_columns import int_columns, raw_chunks

# Rejected, abandoned and in-progress work is not analysed.
ANALYSED_STATUSES = (AssignmentStatus.SUBMITTED, AssignmentStatus.APPROVED)
# On MTurk and Prolific the worker and assignment ids in a task URL are only claims until
# approval has checked them against the provider's records, so only approved work counts.
VERIFIED_STATUSES = (AssignmentStatus.APPROVED,)


def analysed_statuses(campaign: Campaign) -> tuple[str, ...]:
    return ANALYSED_STATUSES if campaign.provider == "local" else VERIFIED_STATUSES


GOLD_SYSTEM = "gold"


def campaign_judgments_frame(campaign: Campaign, *, categorical: bool = False) -> pd.DataFrame:
    """Every analysed judgment of the campaign, one row each, in the campaign's tidy format
    (never a filler's, nor one about a decoy label).

    Read as plain rows (ids, score, label) in chunks and joined in pandas to the campaign's
    small tables (items, shown responses, criteria): a million judgments never become a
    million model instances. The protocol's columns still come from its registry entry's
    ``tidy_row``, called once per distinct combination of facts, not once per judgment.
    ``categorical``: every text column (item and worker ids, criterion, system, label,
    subset, ...) as a pandas categorical of the same strings (what the report reads: codes
    instead of millions of strings, so the analysis groups, strips and checks a few
    categories instead of every row, as it does on the simulator's categorical frames).
    """
    spec = get(campaign.protocol)
    criteria = list(campaign.criteria.all())
    rows, shown = _judgment_rows(campaign, criteria, _shown_table(campaign))
    if rows.empty:
        return pd.DataFrame([], columns=spec.export_columns)
    items = _item_table(campaign)
    nulls_largest = connections[Judgment.objects.db].features.nulls_order_largest
    rows, shown, at_item = in_report_order(rows, shown, items, nulls_largest=nulls_largest)
    criterion = pd.Categorical(rows["criterion_id"])
    names = {c.pk: c.name for c in criteria}  # unique per campaign
    facts = pd.DataFrame(
        {
            "criterion": criterion.rename_categories([names[c] for c in criterion.categories]),
            "score": rows["score"].to_numpy(),
            "label": rows["label"].array,
            "system": shown["system"].array,
            "is_gold": shown["is_gold"].fillna(False).to_numpy(dtype=bool),
            "item_id": rows["item_id"].to_numpy() if spec.pairwise else 0,
        }
    )
    pairs = _pair_systems(campaign) if spec.pairwise else {}
    columns: dict[str, Any] = {
        "item": taken(items["external_id"], at_item, categorical),
        "worker": pseudonyms(rows["worker_id"].to_numpy(), categorical),
        "subset": taken(items["subset"], at_item, categorical),
        "assignment": rows["assignment_id"].to_numpy(),
        "seconds": _seconds_column(campaign, rows, items["position"].to_numpy()[at_item]),
        "simulated": rows["simulated"].to_numpy(dtype=bool),
        **protocol_columns(spec, facts, pairs, categorical),
    }
    return pd.DataFrame(
        {name: inferred(columns.get(name), len(rows)) for name in spec.export_columns}
    )


_JUDGMENT_FIELDS = (
    "assignment_id",
    "item_id",
    "item_candidate_id",
    "criterion_id",
    "score",
    "label",
    "simulated",
)


def _judgment_rows(
    campaign: Campaign, criteria: list[Criterion], shown: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The analysed judgments as ids and answers (plus ``worker_id``), in no order, and
    each one's shown response (a row of ``shown``; missing values where it has none).

    One query on the judgments table alone, by the campaign's criteria (its index returns
    the rows in table order), read as integers (``int_columns``);
    the assignment's status and worker and the shown response's kind come from the
    campaign's small tables in pandas. Joining four tables in SQL for each of millions of
    rows cost more than the rows themselves. No per-value converter runs (booleans arrive
    as 0/1 on SQLite); the ids come packed two integers a row (``_packed_rows``).
    """
    kinds = {c.pk: c.kind for c in criteria}
    judgments = Judgment.objects.filter(criterion_id__in=list(kinds)).order_by()
    rows = _packed_rows(judgments, list(kinds), _stored_labels(criteria))
    if rows is None:  # a label the criteria do not name (imported, say): every label read
        rows = _packed_rows(judgments, list(kinds), _distinct_labels(judgments))
    if rows is None:  # ids too large to pack, or a label written meanwhile: one column each
        rows = _plain_rows(judgments)
    if rows.empty:
        return pd.DataFrame(columns=[*_JUDGMENT_FIELDS, "worker_id"]), shown.iloc[:0]
    analysed = Assignment.objects.filter(
        hit__campaign=campaign, status__in=analysed_statuses(campaign)
    ).order_by()
    assignment_ids, worker_ids = int_columns(analysed, ["id", "worker_id"])
    if not len(assignment_ids):
        return rows.iloc[:0].assign(worker_id=np.array([], dtype=np.int64)), shown.iloc[:0]
    at = pd.Index(assignment_ids).get_indexer(rows["assignment_id"].to_numpy())
    answered = shown.reindex(rows["item_candidate_id"].to_numpy())
    # Filler responses stand in for gold on the page only; a decoy label was shown
    # beside a response whose system predicts none, so answers about it judge nothing.
    binary = rows["criterion_id"].map(kinds).to_numpy() == CriterionKind.BINARY
    filler = answered["is_filler"].fillna(False).to_numpy(dtype=bool)
    decoy = answered["label_is_decoy"].fillna(False).to_numpy(dtype=bool) & binary
    keep = (at >= 0) & ~filler & ~decoy
    rows = rows[keep].reset_index(drop=True)
    rows["worker_id"] = worker_ids[at[keep]]
    rows["simulated"] = rows["simulated"].astype(bool)
    return rows, answered[["system", "is_gold", "position"]][keep]


def _plain_rows(judgments: QuerySet) -> pd.DataFrame:
    """The judgments' fields, one column each."""
    chunks = []
    for chunk in raw_chunks(judgments.values_list(*_JUDGMENT_FIELDS)):
        frame = pd.DataFrame.from_records(chunk, columns=list(_JUDGMENT_FIELDS))
        # Few distinct labels: categories keep a million of them small, and the distinct
        # facts (protocol_columns) are found on their codes.
        frame["label"] = frame["label"].astype("category")
        chunks.append(frame)
    if not chunks:
        return pd.DataFrame(columns=list(_JUDGMENT_FIELDS))
    return pd.concat(chunks, ignore_index=True) if len(chunks) > 1 else chunks[0]


_INT64_MAX = 2**63 - 1


def _packed_rows(
    judgments: QuerySet, criteria: list[int], labels: list[str]
) -> pd.DataFrame | None:
    """The judgments' fields packed by the database into three integers a row, read by
    ``int_columns`` without a Python object per value: ``assignment * W + (shown response
    + 1, or 0 for none)``; the item, the criterion's place, simulated, whether the score is
    missing and the label's place among ``labels`` (sorted), as the digits of one integer;
    and the score (0 where missing). The driver's per-value work and pandas' conversion of
    seven columns were most of the read. The digits' ranges come from each table's largest
    id (which every foreign key is at most). None when a judgment's label is not among
    ``labels``, or when a packed value could pass the 64-bit range."""
    most = _largest_ids(judgments.db)
    ids = [("assignment_id", most["assignment"] + 1), ("shown", most["shown"] + 2)]
    facts = [
        ("item_id", most["item"] + 1),
        ("criterion", max(len(criteria), 1)),  # the judgments are of these criteria
        ("simulated", 2),
        ("no_score", 2),
        ("label", len(labels) + 1),  # the last: a label not among ``labels``
    ]
    if max(math.prod(radix for _, radix in digits) for digits in (ids, facts)) > _INT64_MAX:
        return None
    digit_values = {
        "assignment_id": F("assignment_id"),
        "shown": Coalesce(F("item_candidate_id") + Value(1), Value(0)),
        "item_id": F("item_id"),
        "criterion": _place_of("criterion_id", criteria),
        "simulated": _flag(Q(simulated=True)),
        "no_score": _flag(Q(score__isnull=True)),
        "label": _place_of("label", labels),
    }
    query = judgments.annotate(
        _ids=_packed(ids, digit_values),
        _facts=_packed(facts, digit_values),
        _score=Coalesce(F("score"), Value(0), output_field=BigIntegerField()),
    )
    packed_ids, packed_facts, score = int_columns(query, ["_ids", "_facts", "_score"])
    assignment, shown = _digits(packed_ids, ids)
    item, criterion, simulated, no_score, label = _digits(packed_facts, facts)
    if (label == len(labels)).any():
        return None
    # copy=False: the columns are arrays of their own already, not to be copied into one.
    return pd.DataFrame(
        copy=False,
        data={
            "assignment_id": assignment,
            "item_id": item,
            # -1 where the judgment has no shown response: no row of ``shown`` has it.
            "item_candidate_id": shown - 1,
            "criterion_id": np.asarray(criteria, dtype=np.int64)[criterion],
            # As pandas types the scores the driver returns: floats with NaN if any is
            # missing, integers otherwise.
            "score": np.where(no_score == 1, np.nan, score) if no_score.any() else score,
            # Few distinct labels: categories keep a million of them small, and the
            # distinct facts (protocol_columns) are found on their codes.
            "label": _labels(label, labels),
            "simulated": simulated.astype(bool),
        },
    )


def _stored_labels(criteria: list[Criterion]) -> list[str]:
    """The labels the criteria's answers are stored with: their legal values where an
    answer is a label, "" where it is a score (one pass over the judgments fewer than
    ``_distinct_labels``)."""
    labels = {""}
    for criterion in criteria:
        if criterion.kind not in NUMERIC_KINDS:
            labels.update(criterion.allowed_values())
    return sorted(labels)


def _distinct_labels(judgments: QuerySet) -> list[str]:
    return sorted(judgments.values_list("label", flat=True).distinct())


def _flag(condition: Q) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=BigIntegerField())


def _place_of(field: str, choices: list[Any]) -> Case:
    """The place of the field's value among ``choices``, or ``len(choices)`` for a value
    not among them."""
    return Case(
        *[When(Q(**{field: choice}), then=Value(i)) for i, choice in enumerate(choices)],
        default=Value(len(choices)),
        output_field=BigIntegerField(),
    )


def _packed(digits: list[tuple[str, int]], values: dict[str, Any]) -> ExpressionWrapper:
    """The digits as one integer, each below its radix: ``(d0 * r1 + d1) * r2 + d2 ...``
    (the first digit's radix only bounds the whole; 0 where nothing needs that bound)."""
    (first, _), *rest = digits
    packed = values[first]
    for name, radix in rest:
        if radix > 1:  # a digit with a single value (0) carries nothing
            packed = packed * Value(radix) + values[name]
    return ExpressionWrapper(packed, output_field=BigIntegerField())


def _digits(packed: np.ndarray, digits: list[tuple[str, int]]) -> list[np.ndarray]:
    """The digits ``_packed`` put into ``packed``, first to last."""
    out = []
    for _, radix in reversed(digits[1:]):
        if radix == 1:
            out.append(np.zeros_like(packed))
        else:
            packed, digit = np.divmod(packed, radix)
            out.append(digit)
    return [packed, *reversed(out)]


def _labels(codes: np.ndarray, labels: list[str]) -> pd.Categorical:
    """The labels' categorical, as pandas builds it from the strings: sorted categories,
    only those some row has (a judgment deleted between the reads leaves none unused)."""
    column = pd.Categorical.from_codes(codes, categories=pd.Index(labels, dtype=object))
    if len(labels) and np.bincount(codes, minlength=len(labels)).min() == 0:
        column = column.remove_unused_categories()
    return column


def _largest_ids(db: str) -> dict[str, int]:
    """The largest id of the assignments, shown responses and items tables (0 if empty),
    in one query: each is the end of its primary key's index."""
    connection = connections[db]
    quote = connection.ops.quote_name
    tables = {"assignment": Assignment, "shown": ItemCandidate, "item": Item}
    parts = ", ".join(
        f"(SELECT MAX({quote(_column(model._meta.pk))}) FROM {quote(model._meta.db_table)})"
        for model in tables.values()
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {parts}")
        found = cursor.fetchone()
    return {name: int(value or 0) for name, value in zip(tables, found, strict=True)}


def _column(field: Any) -> str:
    assert isinstance(field, Field) and field.column  # a concrete column, not a relation
    return field.column


def _item_table(campaign: Campaign) -> pd.DataFrame:
    """Item id -> position, dialogue external id and subset (``all`` when it has none)."""
    subset = Coalesce(NullIf(F("dialogue__subset"), Value("")), Value("all"))
    items = (
        Item.objects.filter(hit__campaign=campaign)
        .order_by()
        .annotate(_subset=subset)
        .values_list("id", "position", "dialogue__external_id", "_subset")
    )
    return pd.DataFrame.from_records(
        list(items), columns=["id", "position", "external_id", "subset"], index="id"
    )


def _shown_table(campaign: Campaign) -> pd.DataFrame:
    """Shown response id -> its system's name (``gold`` for the gold response, shown
    without a candidate: a check constraint), whether it is the gold check, its position,
    and whether it is a filler or was shown with a decoy label. System names come as a
    categorical (sorted, then ``gold``): a few names, not one string per shown response.

    Read as three integers a row (id, system id or 0, position * 8 + the three flags' bits)
    by ``int_columns``, and the few systems' names in a second query: the system's name per row
    through a join and seven columns through pandas cost more than the rows."""
    flags = [("is_gold", 2), ("is_filler", 2), ("label_is_decoy", 2)]
    digits = {"position": F("position"), **{name: _flag(Q(**{name: True})) for name, _ in flags}}
    query = (
        ItemCandidate.objects.filter(item__hit__campaign=campaign)
        .order_by()
        .annotate(
            _system=Coalesce(F("candidate__system_id"), Value(0)),
            _packed=_packed([("position", 0), *flags], digits),
        )
    )
    ids, system_ids, packed = int_columns(query, ["id", "_system", "_packed"])
    columns = ["system", "is_gold", "position", "is_filler", "label_is_decoy"]
    if not len(ids):
        return pd.DataFrame(columns=columns, index=pd.Index([], name="id"))
    position, is_gold, is_filler, label_is_decoy = _digits(packed, [("position", 0), *flags])
    known = np.unique(system_ids[system_ids > 0])
    name_of = dict(System.objects.filter(pk__in=known.tolist()).values_list("pk", "name"))
    categories = sorted(set(name_of.values()))
    gold = system_ids == 0
    if gold.any() and GOLD_SYSTEM not in categories:
        categories.append(GOLD_SYSTEM)
    place = {name: i for i, name in enumerate(categories)}
    known_codes = np.array([place[name_of[int(pk)]] for pk in known], dtype=np.int64)
    codes = known_codes[pd.Index(known).get_indexer(system_ids)] if len(known) else gold * 0
    if gold.any():
        codes = np.where(gold, place[GOLD_SYSTEM], codes)
    return pd.DataFrame(
        {
            "system": pd.Categorical.from_codes(codes, categories=pd.Index(categories)),
            "is_gold": is_gold == 1,
            "position": position,
            "is_filler": is_filler == 1,
            "label_is_decoy": label_is_decoy == 1,
        },
        index=pd.Index(ids, name="id"),
    )


def _seconds_column(campaign: Campaign, rows: pd.DataFrame, positions: np.ndarray) -> np.ndarray:
    """Each judgment's seconds on its item's page (NaN when never timed), looked up by one
    integer key per (assignment, item position)."""
    assignments, item_positions, spent = _visit_seconds(campaign)
    if not len(spent):
        return np.full(len(rows), None, dtype=object)
    width = int(max(item_positions.max(), positions.max())) + 1
    keys = pd.Index(assignments * width + item_positions)
    found = keys.get_indexer(rows["assignment_id"].to_numpy(dtype=np.int64) * width + positions)
    return np.append(spent, np.nan)[found]


def _pair_systems(campaign: Campaign) -> dict[int, tuple[str, str]]:
    """Item id -> (system shown as A, system shown as B)."""
    shown: dict[int, dict[int, str]] = defaultdict(dict)
    for item_id, position, name in ItemCandidate.objects.filter(
        item__hit__campaign=campaign
    ).values_list("item_id", "position", "candidate__system__name"):
        shown[item_id][position] = name
    return {item_id: (sides[0], sides[1]) for item_id, sides in shown.items()}


def _seconds_per_item(campaign: Campaign) -> dict[tuple[int, int], float]:
    """Server-measured seconds each assignment spent on each item's page."""
    assignments, positions, spent = _visit_seconds(campaign)
    keys = zip(assignments.tolist(), positions.tolist(), strict=True)
    return dict(zip(keys, spent.tolist(), strict=True))


def _visit_seconds(campaign: Campaign) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(assignment ids, item positions, seconds): what each assignment spent on each item's
    page, one row per page, not one per visit."""
    visits = PageVisit.objects.filter(
        assignment__hit__campaign=campaign,
        page="task",
        closed_at__isnull=False,
        item_position__isnull=False,
    ).order_by()
    if connections[visits.db].vendor == "sqlite":
        return _visit_seconds_in_pandas(visits)
    summed = visits.values_list("assignment_id", "item_position").annotate(
        spent=Sum(F("closed_at") - F("opened_at"), output_field=DurationField())
    )
    table = _frame_of(summed)
    if table.empty:
        return _no_visits()
    # An interval per page; total_seconds is exact for whole microseconds.
    seconds = np.array([spent.total_seconds() for spent in table[2]], dtype=float)
    return table[0].to_numpy(dtype=np.int64), table[1].to_numpy(dtype=np.int64), seconds


def _visit_seconds_in_pandas(visits: QuerySet) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """SQLite subtracts datetimes through a Python function called for every visit, and
    Django's driver parses every datetime it returns in Python (together about a minute of
    CPU per million visits): here SQLite gives each visit's whole microseconds as one
    integer from the stored text (``YYYY-MM-DD HH:MM:SS[.ffffff]``, UTC) and pandas sums
    them per page, to the same microseconds that function returns."""
    micros = RawSQL(_sqlite_micros_spent(connections[visits.db]), ())
    columns = ["assignment_id", "item_position", "micros"]
    read = int_columns(visits.annotate(micros=micros), columns)
    table = pd.DataFrame(dict(zip(columns, read, strict=True)))
    if table.empty:
        return _no_visits()
    summed = table.groupby(columns[:2], sort=False)["micros"].sum()
    seconds = summed.to_numpy(dtype=np.int64) / 1e6
    keys = summed.index
    return (
        keys.get_level_values(0).to_numpy(dtype=np.int64),
        keys.get_level_values(1).to_numpy(dtype=np.int64),
        seconds,
    )


def _sqlite_micros_spent(connection: BaseDatabaseWrapper) -> str:
    """closed_at - opened_at in whole microseconds, from SQLite's stored text: the
    seconds' difference from ``julianday`` of the whole seconds (its float error is far
    below half a second, so rounding is exact), plus the fractions' difference (Django
    writes six digits or none; the padding reads none as 0)."""
    quote = connection.ops.quote_name

    def column(name: str) -> str:
        field = PageVisit._meta.get_field(name)
        assert isinstance(field, Field) and field.column  # a concrete column, not a relation
        return f"{quote(PageVisit._meta.db_table)}.{quote(field.column)}"

    opened, closed = column("opened_at"), column("closed_at")

    def fraction(column: str) -> str:
        return f"CAST(substr({column} || '000000', 21, 6) AS INTEGER)"

    whole = (
        f"round((julianday(substr({closed}, 1, 19)) - julianday(substr({opened}, 1, 19))) * 86400)"
    )
    return f"CAST({whole} AS INTEGER) * 1000000 + {fraction(closed)} - {fraction(opened)}"


def _frame_of(query: QuerySet) -> pd.DataFrame:
    parts = [pd.DataFrame.from_records(chunk) for chunk in raw_chunks(query)]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _no_visits() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    empty = np.array([], dtype=np.int64)
    return empty, empty, np.array([], dtype=float)


def campaign_candidates_frame(campaign: Campaign) -> pd.DataFrame:
    """The sampled dialogues' candidates with their gold, for automatic metrics:
    columns ``item, system, response, gold``."""
    sample = SampledDialogue.objects.filter(campaign=campaign).values("dialogue_id")
    candidates = (
        Candidate.objects.filter(dialogue_id__in=sample, system__in=campaign.systems.all())
        .select_related("system", "dialogue")
        .order_by("dialogue_id", "system__name")
    )
    rows = [
        {
            "item": c.dialogue.external_id,
            "system": c.system.name,
            "response": c.text,
            "gold": c.dialogue.gold_response,
        }
        for c in candidates
    ]
    return pd.DataFrame(rows, columns=["item", "system", "response", "gold"])


def campaign_bonus_checks_frame(campaign: Campaign) -> pd.DataFrame:
    """Every press of "Bonus Validate" in the campaign: ``worker, assignment, item,
    outcome, at`` (workers by pseudonym), whatever became of the assignment."""
    rows = (
        BonusCheckRecord.objects.filter(assignment__hit__campaign=campaign)
        .order_by("created_at", "pk")
        .values_list(
            "assignment__worker_id", "assignment_id", "item__position", "outcome", "created_at"
        )
    )
    return pd.DataFrame(
        [
            {
                "worker": worker_pseudonym(worker),
                "assignment": assignment,
                "item": position,
                "outcome": outcome,
                "at": at.isoformat(),
            }
            for worker, assignment, position, outcome, at in rows
        ],
        columns=["worker", "assignment", "item", "outcome", "at"],
    )
