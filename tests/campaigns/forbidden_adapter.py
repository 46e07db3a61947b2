"""An adapter module that is NOT on the test suite's allow-list: the generation worker must
refuse it without importing it (a test checks that this module never lands in sys.modules)."""

from __future__ import annotations


def run(dialogues, settings):  # type: ignore[no-untyped-def]
    return ["should never run"] * len(dialogues)
