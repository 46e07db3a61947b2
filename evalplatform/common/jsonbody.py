"""Reading JSON request bodies from strangers: a size limit before reading, a nesting limit
after parsing, and errors that say which limit was hit (never a RecursionError's 500).

Used by the worker endpoints (crowd/views/common.py) and, through ``LimitedJSONParser``, by
the DRF API, so every JSON endpoint has the same limits.
"""

from __future__ import annotations

import json
from typing import Any, Protocol

from django.conf import settings
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import BaseParser
from rest_framework.renderers import JSONRenderer


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class BodyRefused(Exception):
    """A body the server will not read; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def max_bytes() -> int:
    return int(settings.EVALPLATFORM_MAX_JSON_BYTES)


def max_depth() -> int:
    return int(settings.EVALPLATFORM_MAX_JSON_DEPTH)


def too_large(limit: int) -> BodyRefused:
    return BodyRefused(f"The request body is too large (at most {limit:,} bytes).", 413)


def read_limited(stream: Readable, declared_length: int | None) -> bytes:
    """Read at most the limit; the declared length is checked before reading anything."""
    limit = max_bytes()
    if declared_length is not None and declared_length > limit:
        raise too_large(limit)
    raw = stream.read(limit + 1)
    if len(raw) > limit:
        raise too_large(limit)
    return bytes(raw)


def _depth_exceeds(value: Any, limit: int) -> bool:
    """Whether containers nest deeper than ``limit``, walked without recursion."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children = list(node.values())
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # NaN and Infinity, as DRF's strict parser


def parse_json(raw: bytes) -> Any:
    """The parsed body. Raises ``BodyRefused`` (400) for invalid JSON and for nesting past
    the limit; a body nested past Python's recursion limit counts as nested too deeply."""
    limit = max_depth()
    nested = BodyRefused(f"The request body is nested too deeply (at most {limit} levels).", 400)
    try:
        value = json.loads(raw, parse_constant=_refuse_constant)
    except RecursionError:
        raise nested from None
    except (ValueError, UnicodeDecodeError):
        raise BodyRefused("The request body is not valid JSON.", 400) from None
    if _depth_exceeds(value, limit):
        raise nested
    return value


class PayloadTooLarge(APIException):
    status_code = 413
    default_detail = "The request body is too large."
    default_code = "payload_too_large"


class LimitedJSONParser(BaseParser):
    """DRF's JSON parser with the same size and nesting limits as the worker endpoints. Not a
    subclass of DRF's JSONParser: DRF reads ``request.body`` whole for those before parsing,
    which a 6 MB body turns into Django's RequestDataTooBig (a 400 HTML page)."""

    media_type = "application/json"
    renderer_class = JSONRenderer

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        request = (parser_context or {}).get("request")
        declared = None
        if request is not None:
            try:
                declared = int(request.META.get("CONTENT_LENGTH") or 0) or None
            except ValueError:
                declared = None
        try:
            return parse_json(read_limited(stream, declared))
        except BodyRefused as refused:
            if refused.status == 413:
                raise PayloadTooLarge(refused.message) from None
            raise ParseError(refused.message) from None
