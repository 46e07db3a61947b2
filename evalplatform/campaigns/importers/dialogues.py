"""Dialogue importers: our JSONL and CSV formats, and the EmpatheticDialogues CSV."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from evalplatform.campaigns.importers.reading import (
    Source,
    csv_rows,
    json_lines,
    read_text,
    require_string,
)
from evalplatform.campaigns.models import Dataset, Dialogue
from evalplatform.common.errors import ImportFailed

MAX_TURNS = 200
MAX_TEXT = 5000


@dataclass
class ParsedDialogue:
    line: int
    external_id: str
    turns: list[dict[str, str]] = field(default_factory=list)
    emotion: str = ""
    situation: str = ""
    subset: str = ""
    gold_response: str = ""


JSONL_KEYS = {"id", "turns", "emotion", "situation", "subset", "gold"}


def parse_jsonl(text: str, *, name: str, subset: str = "") -> list[ParsedDialogue]:
    """One object per line: ``{"id", "turns": [{"speaker", "text"}], "emotion",
    "situation", "subset", "gold"}``; only id and turns are required."""
    parsed = []
    for line, obj in json_lines(text, name=name):
        unknown = sorted(set(obj) - JSONL_KEYS)
        if unknown:
            raise ImportFailed(
                f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(JSONL_KEYS))}",
                line=line,
                source=name,
            )
        if "id" not in obj or "turns" not in obj:
            raise ImportFailed("each dialogue needs 'id' and 'turns'", line=line, source=name)
        external_id = obj["id"] if isinstance(obj["id"], str) else None
        if isinstance(obj["id"], int) and not isinstance(obj["id"], bool):
            external_id = str(obj["id"])
        if not external_id or not external_id.strip():
            raise ImportFailed("'id' must be a non-empty string", line=line, source=name)
        turns = obj["turns"]
        if not isinstance(turns, list):
            raise ImportFailed("'turns' must be a list", line=line, source=name)
        dialogue = ParsedDialogue(line=line, external_id=external_id.strip())
        for index, turn in enumerate(turns):
            if not isinstance(turn, dict) or set(turn) != {"speaker", "text"}:
                raise ImportFailed(
                    f"turn {index + 1} must be an object with exactly 'speaker' and 'text'",
                    line=line,
                    source=name,
                )
            dialogue.turns.append(_turn(turn["speaker"], turn["text"], line=line, name=name))
        for key, attribute in (
            ("emotion", "emotion"),
            ("situation", "situation"),
            ("subset", "subset"),
            ("gold", "gold_response"),
        ):
            if key in obj:
                value = require_string(obj[key], field=key, line=line, name=name, allow_empty=True)
                setattr(dialogue, attribute, value.strip())
        dialogue.subset = dialogue.subset or subset
        parsed.append(dialogue)
    return parsed


CSV_REQUIRED = {"dialogue_id", "speaker", "text"}
CSV_ALLOWED = CSV_REQUIRED | {"turn_index", "emotion", "situation", "subset", "gold_response"}
CSV_DIALOGUE_FIELDS = ("emotion", "situation", "subset", "gold_response")


def parse_csv(text: str, *, name: str, subset: str = "") -> list[ParsedDialogue]:
    """One row per turn: ``dialogue_id, speaker, text`` and optionally ``turn_index``,
    ``emotion``, ``situation``, ``subset``, ``gold_response``. Rows of a dialogue are
    consecutive; its dialogue-level fields must agree wherever they are filled in."""
    parsed: dict[str, ParsedDialogue] = {}
    last_index: dict[str, int] = {}
    previous_id = ""
    for line, row in csv_rows(text, name=name, required=CSV_REQUIRED, allowed=CSV_ALLOWED):
        external_id = row["dialogue_id"].strip()
        if not external_id:
            raise ImportFailed("'dialogue_id' is empty", line=line, source=name)
        if external_id in parsed and external_id != previous_id:
            raise ImportFailed(
                f"the turns of dialogue {external_id!r} are not on consecutive rows",
                line=line,
                source=name,
            )
        previous_id = external_id
        dialogue = parsed.setdefault(
            external_id, ParsedDialogue(line=line, external_id=external_id)
        )
        if row.get("turn_index", "").strip():
            index = _int(row["turn_index"], field="turn_index", line=line, name=name)
            if index <= last_index.get(external_id, -1):
                raise ImportFailed(
                    "'turn_index' must increase within a dialogue", line=line, source=name
                )
            last_index[external_id] = index
        dialogue.turns.append(_turn(row["speaker"], row["text"], line=line, name=name))
        for attribute in CSV_DIALOGUE_FIELDS:
            value = row.get(attribute, "").strip()
            current = getattr(dialogue, attribute)
            if value and current and value != current:
                raise ImportFailed(
                    f"{attribute!r} differs from the dialogue's earlier rows",
                    line=line,
                    source=name,
                )
            if value:
                setattr(dialogue, attribute, value)
    for dialogue in parsed.values():
        dialogue.subset = dialogue.subset or subset
    return list(parsed.values())


ED_REQUIRED = {"conv_id", "utterance_idx", "context", "prompt", "speaker_idx", "utterance"}
ED_ALLOWED = ED_REQUIRED | {"selfeval", "tags"}


def parse_empathetic_dialogues(text: str, *, name: str, subset: str = "ED") -> list[ParsedDialogue]:
    """The EmpatheticDialogues CSV: one row per utterance, commas escaped as ``_comma_``.

    Each conversation of n utterances gives n - 1 dialogues: the first k utterances as the
    context and utterance k + 1 as its gold response. The emotion comes from ``context``
    and the situation from ``prompt``.
    """
    conversations: dict[str, list[tuple[int, int, dict[str, str]]]] = {}
    for line, row in csv_rows(text, name=name, required=ED_REQUIRED, allowed=ED_ALLOWED):
        conv_id = row["conv_id"].strip()
        if not conv_id:
            raise ImportFailed("'conv_id' is empty", line=line, source=name)
        index = _int(row["utterance_idx"], field="utterance_idx", line=line, name=name)
        conversations.setdefault(conv_id, []).append((index, line, row))
    parsed = []
    for conv_id, rows in conversations.items():
        rows.sort(key=lambda entry: entry[0])
        indexes = [index for index, _, _ in rows]
        if len(set(indexes)) != len(indexes):
            raise ImportFailed(
                f"conversation {conv_id!r} repeats an utterance_idx", line=rows[0][1], source=name
            )
        turns = [
            _turn(_unescape(row["speaker_idx"]), _unescape(row["utterance"]), line=line, name=name)
            for _, line, row in rows
        ]
        first = rows[0][2]
        for k in range(1, len(turns)):
            parsed.append(
                ParsedDialogue(
                    line=rows[k][1],
                    external_id=f"{conv_id}:{k}",
                    turns=turns[:k],
                    emotion=_unescape(first["context"]).strip(),
                    situation=_unescape(first["prompt"]).strip(),
                    subset=subset,
                    gold_response=turns[k]["text"],
                )
            )
    return parsed


def _unescape(value: str) -> str:
    return value.replace("_comma_", ",")


def _turn(speaker: object, text: object, *, line: int, name: str) -> dict[str, str]:
    speaker = require_string(speaker, field="speaker", line=line, name=name).strip()
    text = require_string(text, field="text", line=line, name=name).strip()
    if len(text) > MAX_TEXT:
        raise ImportFailed(f"a turn is longer than {MAX_TEXT} characters", line=line, source=name)
    return {"speaker": speaker[:50], "text": text}


def _int(value: str, *, field: str, line: int, name: str) -> int:
    try:
        return int(value.strip())
    except ValueError:
        raise ImportFailed(
            f"{field!r} must be an integer, not {value!r}", line=line, source=name
        ) from None


DIALOGUE_FORMATS: dict[str, Callable[..., list[ParsedDialogue]]] = {
    "jsonl": parse_jsonl,
    "csv": parse_csv,
    "ed": parse_empathetic_dialogues,
}


def import_dialogues(
    *, source: Source, fmt: str, dataset_name: str, subset: str = "", name: str = ""
) -> Dataset:
    """Parse the whole file, then store every dialogue in one transaction, or nothing."""
    name = name or str(getattr(source, "name", source))
    if fmt not in DIALOGUE_FORMATS:
        raise ImportFailed(f"unknown format {fmt!r}; use one of {', '.join(DIALOGUE_FORMATS)}")
    text = read_text(source, name=name)
    kwargs = {"subset": subset} if subset else {}
    parsed = DIALOGUE_FORMATS[fmt](text, name=name, **kwargs)
    _check_dialogues(parsed, name=name)
    with transaction.atomic():
        dataset, _ = Dataset.objects.get_or_create(name=dataset_name)
        existing = set(
            Dialogue.objects.filter(
                dataset=dataset, external_id__in=[d.external_id for d in parsed]
            ).values_list("external_id", flat=True)
        )
        for dialogue in parsed:
            if dialogue.external_id in existing:
                raise ImportFailed(
                    f"dialogue {dialogue.external_id!r} is already in dataset {dataset_name!r}",
                    line=dialogue.line,
                    source=name,
                )
        start = Dialogue.objects.filter(dataset=dataset).count()
        Dialogue.objects.bulk_create(
            Dialogue(
                dataset=dataset,
                external_id=d.external_id,
                turns=d.turns,
                emotion=d.emotion[:100],
                situation=d.situation,
                subset=d.subset[:100],
                gold_response=d.gold_response,
                position=start + position,
            )
            for position, d in enumerate(parsed)
        )
    return dataset


def _check_dialogues(parsed: list[ParsedDialogue], *, name: str) -> None:
    if not parsed:
        raise ImportFailed("the file holds no dialogues", source=name)
    seen: dict[str, int] = {}
    for dialogue in parsed:
        if not dialogue.turns:
            raise ImportFailed(
                f"dialogue {dialogue.external_id!r} has no turns", line=dialogue.line, source=name
            )
        if len(dialogue.turns) > MAX_TURNS:
            raise ImportFailed(
                f"dialogue {dialogue.external_id!r} has more than {MAX_TURNS} turns",
                line=dialogue.line,
                source=name,
            )
        if dialogue.external_id in seen:
            raise ImportFailed(
                f"dialogue id {dialogue.external_id!r} appears twice "
                f"(first on line {seen[dialogue.external_id]})",
                line=dialogue.line,
                source=name,
            )
        seen[dialogue.external_id] = dialogue.line
