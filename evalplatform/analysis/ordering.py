"""Deterministic orders for systems, criteria and subsets, and float clean-up.

Tables list things in a stable order so that two runs on the same data print the same
report: an explicit order first, then the order of first appearance in the data.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd


def first_appearance(*columns: pd.Series) -> list[Any]:
    """Distinct values in order of first appearance, scanning rows, then columns left to right.

    For A/B tables both ``system_a`` and ``system_b`` are passed, so a system that only ever
    shows up as ``b`` still gets a place after those seen earlier in the file.
    """
    if not columns:
        return []
    if len(columns) == 1:
        return list(pd.unique(columns[0].dropna()))
    frame = pd.concat([col.reset_index(drop=True) for col in columns], axis=1)
    stacked = frame.to_numpy().ravel()  # row-major: row 1 a, row 1 b, row 2 a, ...
    return list(pd.unique(pd.Series(stacked).dropna()))


def ordered(values: Iterable[Any], preferred: Sequence[Any] | None = None) -> list[Any]:
    """``values`` deduplicated, those named in ``preferred`` first (in that order)."""
    seen = list(dict.fromkeys(values))
    if not preferred:
        return seen
    head = [v for v in preferred if v in seen]
    return head + [v for v in seen if v not in head]


def clean(value: Any) -> Any:
    """A JSON-safe scalar: NaN and infinities become None, numpy scalars plain Python."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def as_float(value: Any) -> float | None:
    """``clean`` for numbers that must be floats (or None when undefined)."""
    value = clean(value)
    return None if value is None else float(value)
