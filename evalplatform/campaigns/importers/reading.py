"""Reading uploaded files safely: size limits, encoding, JSON lines and CSV rows."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.conf import settings

from evalplatform.common.errors import ImportFailed

Source = str | Path | IO[bytes]


def read_text(source: Source, *, name: str) -> str:
    """The file's text, refused clearly when too large, empty or not UTF-8."""
    limit = settings.EVALPLATFORM_MAX_IMPORT_BYTES
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.is_file():
            raise ImportFailed("no such file", source=name)
        if path.stat().st_size > limit:
            raise ImportFailed(_too_large(path.stat().st_size, limit), source=name)
        data = path.read_bytes()
    else:
        data = source.read(limit + 1)
        if len(data) > limit:
            raise ImportFailed(_too_large(len(data), limit), source=name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportFailed("not valid UTF-8 text", line=line, source=name) from None
    if not text.strip():
        raise ImportFailed("the file is empty", source=name)
    return text


def _too_large(size: int, limit: int) -> str:
    return f"the file is {size:,} bytes, over the import limit of {limit:,} bytes"


def json_lines(text: str, *, name: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each non-blank line, which must hold a JSON object."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            raise ImportFailed(f"invalid JSON ({error.msg})", line=number, source=name) from None
        if not isinstance(value, dict):
            raise ImportFailed("each line must be a JSON object", line=number, source=name)
        yield number, value


def csv_rows(
    text: str, *, name: str, required: set[str], allowed: set[str]
) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) for each data row; the header must hold the required columns
    and nothing outside the allowed ones."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [column.strip() for column in next(reader)]
    except (StopIteration, csv.Error) as error:
        raise ImportFailed(f"unreadable CSV header ({error})", line=1, source=name) from None
    missing = sorted(required - set(header))
    if missing:
        raise ImportFailed(f"missing column(s): {', '.join(missing)}", line=1, source=name)
    unknown = [column for column in header if column not in allowed]
    if unknown:
        raise ImportFailed(
            f"unknown column(s): {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}",
            line=1,
            source=name,
        )
    if len(set(header)) != len(header):
        raise ImportFailed("a column name appears twice", line=1, source=name)
    try:
        for row in reader:
            number = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise ImportFailed(
                    f"expected {len(header)} fields, found {len(row)}", line=number, source=name
                )
            yield number, dict(zip(header, row, strict=True))
    except csv.Error as error:
        raise ImportFailed(f"malformed CSV ({error})", line=reader.line_num, source=name) from None


def require_string(
    value: object, *, field: str, line: int, name: str, allow_empty: bool = False
) -> str:
    if not isinstance(value, str):
        raise ImportFailed(f"{field!r} must be a string", line=line, source=name)
    if not allow_empty and not value.strip():
        raise ImportFailed(f"{field!r} is empty", line=line, source=name)
    return value
