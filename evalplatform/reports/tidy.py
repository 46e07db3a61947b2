"""Tidy judgment files: reading, validation and writing (the ``analyze`` input format).

Errors name the line the way an editor shows it, counting the header as line 1 (a record
whose quoted field spans lines is named by its last line). DataFrames that did not come
from a file (the campaign selector) are validated the same way; their "line" is the one
the row gets in ``judgments_to_tidy_csv``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd

from evalplatform.analysis.columns import OPTIONAL
from evalplatform.protocols import tidy_values as tv
from evalplatform.protocols.registry import ProtocolSpec, all_protocols, get
from evalplatform.protocols.tidy_values import TidyError

__all__ = ["TidyError", "judgments_to_tidy_csv", "read_judgments", "validate_judgments"]


def read_judgments(
    source: str | Path | IO[str],
    protocol: str,
    *,
    binary_criteria: Collection[str] | None = None,
    scale: tuple[int, int] = (1, 5),
) -> pd.DataFrame:
    """Read and validate a tidy CSV; raises ``TidyError`` naming the first bad line."""
    frame = _read_csv(_read_text(source))
    return validate_judgments(
        frame, protocol, binary_criteria=binary_criteria, scale=scale, keep_index=True
    )


def _read_text(source: str | Path | IO[str]) -> str:
    if hasattr(source, "read"):
        text = source.read()
        return text.decode("utf-8-sig") if isinstance(text, bytes) else str(text)
    path = Path(source)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise TidyError(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise TidyError("not UTF-8 text", line) from exc


def _read_csv(text: str) -> pd.DataFrame:
    """Parse with the csv module, which knows each record's line; index = line number."""
    if not text.strip():
        raise TidyError("the file is empty")
    reader = csv.reader(io.StringIO(text))
    try:
        header = [name.strip() for name in next(reader)]
        rows, lines = [], []
        for record in reader:
            if not any(field.strip() for field in record):
                continue  # a blank line carries nothing
            if len(record) != len(header):
                raise TidyError(
                    f"expected {len(header)} fields, found {len(record)}", reader.line_num
                )
            rows.append(record)
            lines.append(reader.line_num)
    except csv.Error as exc:
        raise TidyError(f"unreadable CSV: {exc}", reader.line_num) from exc
    if not rows:
        raise TidyError("no data rows below the header")
    return pd.DataFrame(rows, columns=header, index=pd.Index(lines, name="line"), dtype=str)


def validate_judgments(
    frame: pd.DataFrame,
    protocol: str,
    *,
    binary_criteria: Collection[str] | None = None,
    scale: tuple[int, int] = (1, 5),
    keep_index: bool = False,
) -> pd.DataFrame:
    """A normalised copy: text keys stripped, ints, lower-case labels, booleans, floats.

    Line numbers come from the row position, header = line 1 (``keep_index``: from the
    index, where ``read_judgments`` puts each record's line in the file).
    """
    try:
        spec = get(protocol)
    except ValueError as exc:
        raise TidyError(str(exc)) from exc
    missing = [c for c in spec.required if c not in frame.columns]
    if missing:
        raise TidyError(
            f"missing column(s) {', '.join(missing)} for protocol {protocol}; "
            f"the header has: {', '.join(map(str, frame.columns))}",
            1,
        )
    if frame.empty:
        raise TidyError("no judgments")
    keep = list(spec.required) + [c for c in OPTIONAL if c in frame.columns]
    out = frame[keep].copy()
    if not keep_index:
        out.index = pd.RangeIndex(2, len(out) + 2)
    for col in spec.required:
        out[col] = out[col] if col in spec.numeric_columns else tv.text(out[col])
        empty = tv.blank(out[col])
        if empty.any():
            raise TidyError(f"empty value in column {col!r}", tv.line_of(out, empty))
    binary = frozenset(binary_criteria) if binary_criteria is not None else None
    spec.check_values(out, binary, scale)
    _check_optional(out)
    _check_duplicates(out, spec)
    return out.reset_index(drop=True)


def _check_optional(out: pd.DataFrame) -> None:
    for col in ("is_gold", "simulated"):
        if col in out.columns:
            out[col] = tv.booleans(out, col)
    if "seconds" in out.columns:
        out["seconds"] = tv.seconds(out)
    for col in ("subset", "assignment"):
        if col in out.columns:
            out[col] = tv.text(out[col])
    if "subset" in out.columns:
        _check_subset(out)


def _check_subset(out: pd.DataFrame) -> None:
    """All blank: the column is dropped (one table, "all"); partly blank: an error, except
    on gold rows, which are not scored."""
    blank = out["subset"].astype(str).isin(("", "nan"))
    if blank.all():
        del out["subset"]
        return
    gold = out["is_gold"] if "is_gold" in out.columns else False
    bad = blank & ~gold
    if bad.any():
        raise TidyError("empty subset (other rows name one)", tv.line_of(out, bad))


def _check_duplicates(out: pd.DataFrame, spec: ProtocolSpec) -> None:
    keys = spec.duplicate_keys(out)
    dup = keys.duplicated(keep="first")
    if dup.any():
        pos = int(np.flatnonzero(dup.to_numpy())[0])
        same = (keys == keys.iloc[pos]).all(axis=1).to_numpy()
        first = int(out.index[int(np.flatnonzero(same)[0])])
        what = spec.judgment_key_words
        raise TidyError(f"duplicate judgment (same {what} as line {first})", int(out.index[pos]))


def infer_protocol(frame: pd.DataFrame) -> str:
    """The protocol whose required columns the frame has; when several fit, the one that
    requires the most columns (A/B's columns are no subset of the others')."""
    fitting = [p for p in all_protocols() if all(c in frame.columns for c in p.required)]
    if fitting:
        return max(fitting, key=lambda p: len(p.required)).name
    raise TidyError(
        f"cannot tell the protocol from the columns: {', '.join(map(str, frame.columns))}"
    )


def judgments_to_tidy_csv(frame: pd.DataFrame, protocol: str | None = None) -> str:
    """The ``analyze`` input format: required columns, then the optional ones present.

    Booleans are written 1/0 and floats with full precision, so reading the text back
    gives the same report. Other columns are dropped.
    """
    protocol = protocol or infer_protocol(frame)
    cols = list(get(protocol).required) + [c for c in OPTIONAL if c in frame.columns]
    out = frame[cols].copy()
    for col in ("is_gold", "simulated"):
        if col in out.columns:
            out[col] = out[col].astype(bool).astype(int)
    return out.to_csv(index=False, lineterminator="\n")
