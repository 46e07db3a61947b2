"""Adapters for the adapter-backend tests (imported by `module:callable` spec)."""

from __future__ import annotations

from generation.types import DecodingSettings, DialogueInput

calls: list[int] = []


def echo(dialogues: list[DialogueInput], settings: DecodingSettings) -> list[object]:
    """Mixes the three accepted item forms."""
    calls.append(len(dialogues))
    out: list[object] = []
    for index, dialogue in enumerate(dialogues):
        last = dialogue.turns[-1].text
        if index % 3 == 0:
            out.append(f" echo: {last} ")
        elif index % 3 == 1:
            out.append((f"echo: {last}", "sad"))
        else:
            out.append({"response": f"echo: {last}", "label": str(settings.max_new_tokens)})
    return out


def broken(dialogues: list[DialogueInput], settings: DecodingSettings) -> list[str]:
    raise RuntimeError("model server unreachable")


def one_short(dialogues: list[DialogueInput], settings: DecodingSettings) -> list[str]:
    return ["x"] * (len(dialogues) - 1)


def numbers(dialogues: list[DialogueInput], settings: DecodingSettings) -> list[int]:
    return [1] * len(dialogues)


def bad_label(dialogues: list[DialogueInput], settings: DecodingSettings) -> list[object]:
    return [("ok", 3)] * len(dialogues)


def a_string(dialogues: list[DialogueInput], settings: DecodingSettings) -> str:
    return "x" * len(dialogues)


class Holder:
    @staticmethod
    def respond(dialogues: list[DialogueInput], settings: DecodingSettings) -> list[str]:
        return ["held"] * len(dialogues)


NOT_CALLABLE = 42
