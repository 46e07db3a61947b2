"""Adapters (``module:callable``) used by the generation tests, importable by a worker
process started from the repository root."""

from __future__ import annotations

import os
import time
from pathlib import Path


def echo(dialogues, settings):  # type: ignore[no-untyped-def]
    """Answers with the last turn, shouting, and labels the dialogue's emotion."""
    return [(d.turns[-1].text.upper(), d.emotion or "neutral") for d in dialogues]


def raises(dialogues, settings):  # type: ignore[no-untyped-def]
    raise RuntimeError("the research model crashed")


def one_short(dialogues, settings):  # type: ignore[no-untyped-def]
    return ["only one"] * (len(dialogues) - 1)


def slow_echo(dialogues, settings):  # type: ignore[no-untyped-def]
    """Like echo, but slowly, announcing its process id so a test can kill it mid-batch."""
    marker = os.environ.get("EVALPLATFORM_TEST_MARKER")
    if marker:
        Path(marker).write_text(str(os.getpid()))
    seen = os.environ.get("EVALPLATFORM_TEST_SEEN_DIR")
    if seen:  # which process handled which dialogues
        keys = ",".join(d.key for d in dialogues)
        Path(seen, f"{os.getpid()}-{time.monotonic_ns()}").write_text(keys)
    time.sleep(float(os.environ.get("EVALPLATFORM_TEST_DELAY", "0.5")))
    return [d.turns[-1].text.upper() for d in dialogues]
