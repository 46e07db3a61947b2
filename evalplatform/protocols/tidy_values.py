"""Column-level parsing of tidy judgment files, with errors that name the line.

Every frame handled here carries line numbers in its index (header = line 1).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

_TRUE = {"1", "true", "t", "yes", "y"}
_FALSE = {"0", "false", "f", "no", "n", ""}
_INTEGER = re.compile(r"^[+-]?\d+$")


class TidyError(ValueError):
    """A malformed judgments file; ``line`` counts the header as line 1."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.line = line
        self.detail = message
        super().__init__(f"line {line}: {message}" if line else message)


def line_of(frame: pd.DataFrame, mask: pd.Series | np.ndarray) -> int:
    """The line number of the first row flagged by ``mask`` (the index holds line numbers)."""
    position = int(np.flatnonzero(np.asarray(mask))[0])
    return int(frame.index[position])


def text(col: pd.Series) -> pd.Series:
    """Stripped strings. Categoricals stay categorical and numeric ids stay numbers: both
    are cheap for millions of rows, and ids only need to be consistent, not textual."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        # tolist: the same values as iterating the categories, not one lookup each.
        cats = [str(c).strip() for c in col.cat.categories.tolist()]
        if len(set(cats)) == len(cats):
            return col.cat.rename_categories(cats)
    if pd.api.types.is_numeric_dtype(col.dtype) and not pd.api.types.is_bool_dtype(col.dtype):
        return col
    return col.astype(str).str.strip()


def blank(col: pd.Series) -> pd.Series:
    """Missing or empty cells."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        return col.isna() | col.isin([c for c in col.cat.categories.tolist() if str(c) == ""])
    if pd.api.types.is_numeric_dtype(col.dtype):
        return col.isna()
    return col.isna() | (col.astype(str) == "")


def _stripped(col: pd.Series) -> pd.Series:
    """Text with missing values as "" (pandas keeps None missing through ``astype(str)``)."""
    return col.astype(str).fillna("").str.strip()


def integers(out: pd.DataFrame, col: str) -> pd.Series:
    """Integer column; "4.5", "x" or "" is an error naming the line."""
    values = out[col]
    if pd.api.types.is_integer_dtype(values.dtype):
        return values.astype(np.int64)
    words = _stripped(values)
    bad = ~words.str.match(_INTEGER)
    if bad.any():
        raise TidyError(f"{col} {words[bad].iloc[0]!r} is not an integer", line_of(out, bad))
    return words.astype(np.int64)


def vocabulary(out: pd.DataFrame, col: str, allowed: tuple[str, ...]) -> pd.Series:
    """Lower-cased labels that must be one of ``allowed``."""
    values = text(out[col])
    categories = values.cat.categories if isinstance(values.dtype, pd.CategoricalDtype) else None
    if categories is not None and len({c.lower() for c in categories}) == len(categories):
        values = values.cat.rename_categories([c.lower() for c in categories])
    else:
        values = values.astype(str).str.lower()
    bad = ~values.isin(allowed)
    if bad.any():
        raise TidyError(
            f"{col} {str(values[bad].iloc[0])!r} is not one of {', '.join(allowed)}",
            line_of(out, bad),
        )
    return values


def booleans(out: pd.DataFrame, col: str) -> pd.Series:
    """1/0, true/false, yes/no (any case); blank is false."""
    if pd.api.types.is_bool_dtype(out[col].dtype):
        return out[col]
    words = _stripped(out[col]).str.lower().replace({"nan": "", "none": ""})
    bad = ~words.isin(_TRUE | _FALSE)
    if bad.any():
        raise TidyError(
            f"{col} {words[bad].iloc[0]!r} is not a boolean (1/0, true/false)", line_of(out, bad)
        )
    return words.isin(_TRUE)


def seconds(out: pd.DataFrame) -> pd.Series:
    """Non-negative floats; blank means unknown (NaN). Numeric columns skip the text path."""
    raw = out["seconds"]
    if pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
        values = raw.astype(float)
        bad = values < 0
    else:
        # None / NaN / "": no timing was recorded for the item.
        missing = _stripped(raw).str.lower().isin(("", "nan", "none"))
        values = pd.to_numeric(raw.where(~missing, np.nan), errors="coerce")
        bad = (values.isna() & ~missing) | (values < 0)
    if bad.any():
        value = str(raw[bad].iloc[0]).strip()
        raise TidyError(f"seconds {value!r} is not a non-negative number", line_of(out, bad))
    return values.astype(float)
