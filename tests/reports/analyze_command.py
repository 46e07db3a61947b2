"""``manage.py analyze`` run in-process, for the tests that read what it writes."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command


def analyze(*args: str) -> str:
    """``manage.py analyze ARGS``'s standard output; its standard error is dropped."""
    out = StringIO()
    call_command("analyze", *args, stdout=out, stderr=StringIO())
    return out.getvalue()
