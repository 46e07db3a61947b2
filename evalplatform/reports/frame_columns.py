"""The judgments frame's columns from the campaign's small tables and the judgments' ids:
pure pandas, no ORM (the reads are in ``selectors``)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np
import pandas as pd

from evalplatform.protocols.registry import JudgmentFacts, ProtocolSpec


def worker_pseudonym(worker_id: int) -> str:
    """Exports name workers by our id, never by the provider's (an MTurk WorkerId is
    personal data)."""
    return f"w{worker_id}"


def in_report_order(
    rows: pd.DataFrame, shown: pd.DataFrame, items: pd.DataFrame, *, nulls_largest: bool
) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """Rows (and their shown responses) by assignment, item position, shown response's
    position and criterion, sorted here on integer keys in memory rather than by a database
    sort of millions of joined rows; plus each row's place in ``items``.
    A judgment without a shown response sorts as the database sorts NULL
    (``nulls_largest``: after every position, as PostgreSQL does)."""
    at_item = items.index.get_indexer(rows["item_id"].to_numpy())
    missing = np.inf if nulls_largest else -np.inf
    order = np.lexsort(
        (
            rows["criterion_id"].to_numpy(),
            shown["position"].to_numpy(dtype=float, na_value=missing),
            items["position"].to_numpy()[at_item],
            rows["assignment_id"].to_numpy(),
        )
    )
    return rows.take(order).reset_index(drop=True), shown.iloc[order], at_item[order]


def taken(values: pd.Series, at: np.ndarray, categorical: bool) -> np.ndarray | pd.Categorical:
    """``values`` (a few distinct ones) at the rows' positions ``at``; with ``categorical``,
    text comes as a categorical of the same strings, its categories sorted as strings sort
    (a column with a missing value or a non-string stays as it is: the analysis reads a
    categorical's missing values differently from None)."""
    if categorical and len(values) and _all_text(values):
        small = pd.Categorical(values)
        return pd.Categorical.from_codes(small.codes[at], small.categories)
    return values.to_numpy()[at]


def _all_text(values: pd.Series) -> bool:
    """Every value a str, none missing: two passes in C, not a Python loop over each."""
    return pd.api.types.infer_dtype(values, skipna=False) == "string" and not values.isna().any()


def protocol_columns(
    spec: ProtocolSpec,
    facts: pd.DataFrame,
    pairs: dict[int, tuple[str, str]],
    categorical: bool = False,
) -> dict[str, np.ndarray | pd.Categorical]:
    """The protocol's columns, from its ``tidy_row`` on each distinct set of facts (a few
    hundred: criteria x answers x systems, times items for a pairwise protocol);
    ``categorical``: text columns (criterion, system, label, ...) as categoricals, see
    ``taken``."""
    key = np.zeros(len(facts), dtype=np.int64)
    for name in facts.columns:
        codes, uniques = pd.factorize(facts[name], use_na_sentinel=True)
        key = key * (len(uniques) + 1) + (codes + 1)
    group, _ = pd.factorize(key)
    _, first_rows = np.unique(group, return_index=True)
    out: dict[str, list[Any]] = defaultdict(list)
    for index in first_rows:
        row = facts.iloc[index]
        score = row["score"]
        judgment = JudgmentFacts(
            criterion=row["criterion"],
            score=None if pd.isna(score) else int(score),
            label=row["label"],
            system=row["system"] if isinstance(row["system"], str) else None,
            is_gold=bool(row["is_gold"]),
            pair=pairs.get(int(row["item_id"])),
        )
        tidy = {**spec.tidy_row(judgment), "criterion": judgment.criterion}
        tidy["is_gold"] = judgment.is_gold
        for name, value in tidy.items():
            out[name].append(value)
    # Typed as pandas types the whole column (ints with a None become floats, ...): the
    # types present are those of the distinct values, so typing these few is enough.
    return {name: taken(pd.Series(values), group, categorical) for name, values in out.items()}


def pseudonyms(worker_ids: np.ndarray, categorical: bool = False) -> Any:
    """One string per worker, shared by that worker's rows (not one per judgment)."""
    codes, uniques = pd.factorize(worker_ids)
    names = pd.Series(as_objects([worker_pseudonym(int(pk)) for pk in uniques]), dtype=object)
    return taken(names, codes, categorical)


def as_objects(values: Any) -> np.ndarray:
    array = np.empty(len(values), dtype=object)
    array[:] = list(values)
    return array


def inferred(values: Any, length: int) -> pd.Series:
    """A column typed as pandas types a list of the same Python values (ints with a None
    become floats, all None stays object), so the frame matches a frame built row by row."""
    if values is None:
        return pd.Series([None] * length, dtype=object)
    if isinstance(values, np.ndarray | pd.Categorical):  # typed already: no per-row inference
        return pd.Series(values, copy=False)
    return pd.Series(list(values))
