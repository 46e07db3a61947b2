"""From the database to the tidy tables the analysis reads: the only ORM in reports.

The columns are the ``analyze`` input format of DESIGN.md plus the ones quality filtering
needs (``assignment``, ``seconds``, ``is_gold``, ``subset``) and ``simulated``, so exporting
a campaign and analysing the file gives the report the admin shows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
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
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from evalplatform.campaigns.models import (
    Campaign,
    Candidate,
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
from evalplatform.protocols.registry import get
from evalplatform.reports.frame_columns import (
    in_report_order,
    inferred,
    protocol_columns,
    pseudonyms,
    taken,
    worker_pseudonym,
)

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
    rows, shown = _judgment_rows(campaign, _shown_table(campaign))
    if rows.empty:
        return pd.DataFrame([], columns=spec.export_columns)
    items = _item_table(campaign)
    nulls_largest = connections[Judgment.objects.db].features.nulls_order_largest
    rows, shown, at_item = in_report_order(rows, shown, items, nulls_largest=nulls_largest)
    criteria = dict(campaign.criteria.values_list("id", "name"))  # names unique per campaign
    criterion = pd.Categorical(rows["criterion_id"])
    facts = pd.DataFrame(
        {
            "criterion": criterion.rename_categories([criteria[c] for c in criterion.categories]),
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
_CHUNK = 100_000


def _judgment_rows(campaign: Campaign, shown: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The analysed judgments as ids and answers (plus ``worker_id``), in no order, and
    each one's shown response (a row of ``shown``; missing values where it has none).

    One query on the judgments table alone, by the campaign's criteria (its index returns
    the rows in table order), read in chunks from the cursor (server-side on PostgreSQL);
    the assignment's status and worker and the shown response's kind come from the
    campaign's small tables in pandas. Joining four tables in SQL for each of millions of
    rows cost more than the rows themselves. No per-value converter runs (booleans arrive
    as 0/1 on SQLite); the ids come packed two integers a row (``_packed_rows``).
    """
    kinds = dict(campaign.criteria.values_list("id", "kind"))
    judgments = Judgment.objects.filter(criterion_id__in=list(kinds)).order_by()
    rows = _packed_rows(judgments, list(kinds))
    if rows is None:  # ids too large to pack: one column each
        rows = _plain_rows(judgments)
    if rows.empty:
        return pd.DataFrame(columns=[*_JUDGMENT_FIELDS, "worker_id"]), shown.iloc[:0]
    assignments = _frame_of(
        Assignment.objects.filter(
            hit__campaign=campaign, status__in=analysed_statuses(campaign)
        ).values_list("id", "worker_id")
    )
    if assignments.empty:
        return rows.iloc[:0].assign(worker_id=np.array([], dtype=np.int64)), shown.iloc[:0]
    at = pd.Index(assignments[0]).get_indexer(rows["assignment_id"].to_numpy())
    answered = shown.reindex(rows["item_candidate_id"].to_numpy())
    # Filler responses stand in for gold on the page only; a decoy label was shown
    # beside a response whose system predicts none, so answers about it judge nothing.
    binary = rows["criterion_id"].map(kinds).to_numpy() == CriterionKind.BINARY
    filler = answered["is_filler"].fillna(False).to_numpy(dtype=bool)
    decoy = answered["label_is_decoy"].fillna(False).to_numpy(dtype=bool) & binary
    keep = (at >= 0) & ~filler & ~decoy
    rows = rows[keep].reset_index(drop=True)
    rows["worker_id"] = assignments[1].to_numpy()[at[keep]]
    rows["simulated"] = rows["simulated"].astype(bool)
    return rows, answered[["system", "is_gold", "position"]][keep]


def _plain_rows(judgments: QuerySet) -> pd.DataFrame:
    """The judgments' fields, one column each."""
    chunks = []
    for chunk in _raw_chunks(judgments.values_list(*_JUDGMENT_FIELDS)):
        frame = pd.DataFrame.from_records(chunk, columns=list(_JUDGMENT_FIELDS))
        # Few distinct labels: categories keep a million of them small, and the distinct
        # facts (protocol_columns) are found on their codes.
        frame["label"] = frame["label"].astype("category")
        chunks.append(frame)
    if not chunks:
        return pd.DataFrame(columns=list(_JUDGMENT_FIELDS))
    return pd.concat(chunks, ignore_index=True) if len(chunks) > 1 else chunks[0]


_INT64_MAX = 2**63 - 1


def _packed_rows(judgments: QuerySet, criteria: list[int]) -> pd.DataFrame | None:
    """The judgments' fields with the ids packed by the database into two integers a row,
    ``assignment * W + (shown response + 1, or 0 for none)`` and ``item * 2C + criterion's
    place * 2 + simulated``, read into numpy without a Python object per id: the driver's
    per-value work and pandas' conversion of seven columns were most of the read. The
    widths come from each table's largest id (which every foreign key is at most); None
    when a packed value could pass the 64-bit range (then ``_plain_rows``)."""
    most = _largest_ids(judgments.db)
    width = most["shown"] + 2
    places = 2 * max(len(criteria), 1)
    if (most["assignment"] + 1) * width > _INT64_MAX or (most["item"] + 1) * places > _INT64_MAX:
        return None
    big = BigIntegerField()
    ids = ExpressionWrapper(
        F("assignment_id") * Value(width) + Coalesce(F("item_candidate_id") + Value(1), Value(0)),
        output_field=big,
    )
    place = Case(
        *[When(criterion_id=pk, then=Value(2 * i)) for i, pk in enumerate(criteria)],
        default=Value(0),
        output_field=big,
    )
    simulated = Case(When(simulated=True, then=Value(1)), default=Value(0), output_field=big)
    facts = ExpressionWrapper(F("item_id") * Value(places) + place + simulated, output_field=big)
    query = judgments.annotate(_ids=ids, _facts=facts).values_list(
        "_ids", "_facts", "score", "label"
    )
    layout = [("ids", np.int64), ("facts", np.int64), ("score", object), ("label", object)]
    parts = [np.fromiter(chunk, dtype=layout, count=len(chunk)) for chunk in _raw_chunks(query)]
    if not parts:
        return pd.DataFrame(columns=list(_JUDGMENT_FIELDS))
    packed = np.concatenate(parts) if len(parts) > 1 else parts[0]
    del parts
    ids_, facts_ = packed["ids"], packed["facts"]
    return pd.DataFrame(
        {
            "assignment_id": ids_ // width,
            "item_id": facts_ // places,
            # -1 where the judgment has no shown response: no row of ``shown`` has it.
            "item_candidate_id": ids_ % width - 1,
            "criterion_id": np.asarray(criteria, dtype=np.int64)[(facts_ % places) // 2],
            "score": pd.to_numeric(pd.Series(packed["score"], copy=False)).to_numpy(),
            # Few distinct labels: categories keep a million of them small, and the
            # distinct facts (protocol_columns) are found on their codes.
            "label": pd.Categorical(packed["label"]),
            "simulated": (facts_ % 2).astype(bool),
        }
    )


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


def _raw_chunks(query: QuerySet) -> Iterator[list[tuple[Any, ...]]]:
    sql, params = query.query.sql_with_params()
    with connections[query.db].chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(_CHUNK):
            yield chunk


def _item_table(campaign: Campaign) -> pd.DataFrame:
    """Item id -> position, dialogue external id and subset (``all`` when it has none)."""
    items = Item.objects.filter(hit__campaign=campaign).values_list(
        "id", "position", "dialogue__external_id", "dialogue__subset"
    )
    table = pd.DataFrame.from_records(
        list(items), columns=["id", "position", "external_id", "subset"], index="id"
    )
    table["subset"] = [subset or "all" for subset in table["subset"]]
    return table


def _shown_table(campaign: Campaign) -> pd.DataFrame:
    """Shown response id -> its system's name (``gold`` for the gold response, shown
    without a candidate: a check constraint), whether it is the gold check, its position,
    and whether it is a filler or was shown with a decoy label. System names come as a
    categorical (sorted, then ``gold``): a few names, not one string per shown response.

    Read as three integers a row (id, system id or 0, position * 8 + the three flags' bits)
    into numpy, and the few systems' names in a second query: the system's name per row
    through a join and seven columns through pandas cost more than the rows."""
    big = BigIntegerField()

    def bit(flag: str, value: int) -> Case:
        return Case(When(**{flag: True}, then=Value(value)), default=Value(0), output_field=big)

    packed = ExpressionWrapper(
        F("position") * Value(8)
        + bit("is_gold", 4)
        + bit("is_filler", 2)
        + bit("label_is_decoy", 1),
        output_field=big,
    )
    query = (
        ItemCandidate.objects.filter(item__hit__campaign=campaign)
        .annotate(_system=Coalesce(F("candidate__system_id"), Value(0)), _packed=packed)
        .values_list("id", "_system", "_packed")
    )
    layout = [("id", np.int64), ("system", np.int64), ("packed", np.int64)]
    parts = [np.fromiter(chunk, dtype=layout, count=len(chunk)) for chunk in _raw_chunks(query)]
    columns = ["system", "is_gold", "position", "is_filler", "label_is_decoy"]
    if not parts:
        return pd.DataFrame(columns=columns, index=pd.Index([], name="id"))
    table = np.concatenate(parts) if len(parts) > 1 else parts[0]
    system_ids, bits = table["system"], table["packed"]
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
            "is_gold": (bits & 4) > 0,
            "position": bits // 8,
            "is_filler": (bits & 2) > 0,
            "label_is_decoy": (bits & 1) > 0,
        },
        index=pd.Index(table["id"], name="id"),
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
    table = _frame_of(
        visits.annotate(
            micros=RawSQL(_sqlite_micros_spent(connections[visits.db]), ())
        ).values_list("assignment_id", "item_position", "micros")
    )
    if table.empty:
        return _no_visits()
    summed = table.groupby([0, 1], sort=False)[2].sum()
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
    parts = [pd.DataFrame.from_records(chunk) for chunk in _raw_chunks(query)]
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
