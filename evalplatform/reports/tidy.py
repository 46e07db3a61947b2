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

from evalplatform.analysis.columns import AB_CHOICES, GGB_LABELS, OPTIONAL, PROTOCOLS, REQUIRED
from evalplatform.reports import tidy_values as tv
from evalplatform.reports.tidy_values import TidyError

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
    if protocol not in PROTOCOLS:
        raise TidyError(f"unknown protocol {protocol!r} (use {', '.join(PROTOCOLS)})")
    missing = [c for c in REQUIRED[protocol] if c not in frame.columns]
    if missing:
        raise TidyError(
            f"missing column(s) {', '.join(missing)} for protocol {protocol}; "
            f"the header has: {', '.join(map(str, frame.columns))}",
            1,
        )
    if frame.empty:
        raise TidyError("no judgments")
    keep = list(REQUIRED[protocol]) + [c for c in OPTIONAL if c in frame.columns]
    out = frame[keep].copy()
    if not keep_index:
        out.index = pd.RangeIndex(2, len(out) + 2)
    for col in REQUIRED[protocol]:
        out[col] = tv.text(out[col]) if col != "score" else out[col]
        empty = tv.blank(out[col])
        if empty.any():
            raise TidyError(f"empty value in column {col!r}", tv.line_of(out, empty))
    _check_protocol(out, protocol, binary_criteria, scale)
    _check_optional(out)
    _check_duplicates(out, protocol)
    return out.reset_index(drop=True)


def _check_protocol(
    out: pd.DataFrame, protocol: str, binary: Collection[str] | None, scale: tuple[int, int]
) -> None:
    if protocol == "likert":
        out["score"] = tv.integers(out, "score")
        _check_scale(out, binary, scale)
    elif protocol == "ab":
        out["choice"] = tv.vocabulary(out, "choice", AB_CHOICES)
        same = out["system_a"].astype(str) == out["system_b"].astype(str)
        if same.any():
            raise TidyError("system_a and system_b are the same system", tv.line_of(out, same))
    else:
        out["label"] = tv.vocabulary(out, "label", GGB_LABELS)


def _check_scale(out: pd.DataFrame, binary: Collection[str] | None, scale: tuple[int, int]) -> None:
    # Without an explicit list, a criterion is binary only when all its scores are 0 or 1
    # (and one is 0): a 0 among 1-5 scores is then off the scale, and its line is named.
    flags = set(binary) if binary is not None else _binary_criteria(out)
    is_binary = out["criterion"].astype(str).isin(flags)
    lo, hi = scale
    bad_binary = is_binary & ~out["score"].isin((0, 1))
    bad_scale = ~is_binary & ((out["score"] < lo) | (out["score"] > hi))
    first = bad_binary | bad_scale
    if first.any():
        pos = int(np.flatnonzero(first.to_numpy())[0])
        row = out.iloc[pos]
        if bad_binary.iloc[pos]:
            why = f"is not 0 or 1 on binary criterion {row['criterion']!r}"
        else:
            why = f"is outside the {lo}-{hi} scale (criterion {row['criterion']!r})"
        raise TidyError(f"score {row['score']} {why}", int(out.index[pos]))


def _binary_criteria(out: pd.DataFrame) -> set[str]:
    criterion = out["criterion"].astype(str)
    with_zero = set(criterion[out["score"] == 0].unique())
    off_binary = set(criterion[~out["score"].isin((0, 1))].unique())
    return with_zero - off_binary


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


def _check_duplicates(out: pd.DataFrame, protocol: str) -> None:
    if protocol == "ab":
        sa, sb = out["system_a"].astype(str), out["system_b"].astype(str)
        keys = pd.DataFrame(
            {
                "item": out["item"],
                "worker": out["worker"],
                "lo": sa.where(sa <= sb, sb),
                "hi": sb.where(sa <= sb, sa),
            }
        )
    else:
        cols = ["item", "worker", "system"] + (["criterion"] if protocol == "likert" else [])
        keys = out[cols]
    dup = keys.duplicated(keep="first")
    if dup.any():
        pos = int(np.flatnonzero(dup.to_numpy())[0])
        same = (keys == keys.iloc[pos]).all(axis=1).to_numpy()
        first = int(out.index[int(np.flatnonzero(same)[0])])
        what = ", ".join(REQUIRED[protocol][:3] if protocol != "ab" else ("item", "worker"))
        what += ", criterion" if protocol == "likert" else ""
        what += ", pair of systems" if protocol == "ab" else ""
        raise TidyError(f"duplicate judgment (same {what} as line {first})", int(out.index[pos]))


def infer_protocol(frame: pd.DataFrame) -> str:
    """The protocol whose required columns the frame has (A/B first: it has no ``system``)."""
    for protocol in ("ab", "likert", "ggb"):
        if all(c in frame.columns for c in REQUIRED[protocol]):
            return protocol
    raise TidyError(
        f"cannot tell the protocol from the columns: {', '.join(map(str, frame.columns))}"
    )


def judgments_to_tidy_csv(frame: pd.DataFrame, protocol: str | None = None) -> str:
    """The ``analyze`` input format: required columns, then the optional ones present.

    Booleans are written 1/0 and floats with full precision, so reading the text back
    gives the same report. Other columns are dropped.
    """
    protocol = protocol or infer_protocol(frame)
    cols = list(REQUIRED[protocol]) + [c for c in OPTIONAL if c in frame.columns]
    out = frame[cols].copy()
    for col in ("is_gold", "simulated"):
        if col in out.columns:
            out[col] = out[col].astype(bool).astype(int)
    return out.to_csv(index=False, lineterminator="\n")
