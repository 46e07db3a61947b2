"""Three research "models" behind Python adapters, for the end-to-end tests: each answers
in its own way so the HITs show three different responses."""

from __future__ import annotations


def warm(dialogues, settings):  # type: ignore[no-untyped-def]
    return [
        (f"That sounds like a lot. How are you holding up? ({d.key})", d.emotion or "sad")
        for d in dialogues
    ]


def plain(dialogues, settings):  # type: ignore[no-untyped-def]
    return [(f"I see. Tell me more about it. ({d.key})", "neutral") for d in dialogues]


def curt(dialogues, settings):  # type: ignore[no-untyped-def]
    return [(f"Okay. ({d.key})", "neutral") for d in dialogues]
