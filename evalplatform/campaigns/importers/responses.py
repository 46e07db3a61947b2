"""Importing responses that a system produced elsewhere (JSONL)."""

from __future__ import annotations

from django.db import transaction

from evalplatform.campaigns.importers.reading import Source, json_lines, read_text, require_string
from evalplatform.campaigns.models import Candidate, Dataset, Dialogue, System
from evalplatform.common.errors import ImportFailed

RESPONSE_KEYS = {"dialogue_id", "response", "label"}


def import_responses(
    *, source: Source, system: System, dataset: Dataset, replace: bool = False, name: str = ""
) -> int:
    """One object per line: ``{"dialogue_id", "response", "label"?}``, the id being the
    dialogue's external id in ``dataset``. Returns how many candidates were stored."""
    name = name or str(getattr(source, "name", source))
    text = read_text(source, name=name)
    rows: dict[str, tuple[int, str, str]] = {}
    for line, obj in json_lines(text, name=name):
        unknown = sorted(set(obj) - RESPONSE_KEYS)
        if unknown:
            raise ImportFailed(
                f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(RESPONSE_KEYS))}",
                line=line,
                source=name,
            )
        dialogue_id = require_string(
            obj.get("dialogue_id"), field="dialogue_id", line=line, name=name
        )
        response = require_string(obj.get("response"), field="response", line=line, name=name)
        label = require_string(
            obj.get("label", ""), field="label", line=line, name=name, allow_empty=True
        )
        if dialogue_id in rows:
            raise ImportFailed(
                f"dialogue {dialogue_id!r} has a second response "
                f"(first on line {rows[dialogue_id][0]})",
                line=line,
                source=name,
            )
        rows[dialogue_id] = (line, response.strip(), label.strip()[:100])
    if not rows:
        raise ImportFailed("the file holds no responses", source=name)
    with transaction.atomic():
        dialogues = dict(
            Dialogue.objects.filter(dataset=dataset, external_id__in=list(rows)).values_list(
                "external_id", "pk"
            )
        )
        for dialogue_id, (line, _, _) in rows.items():
            if dialogue_id not in dialogues:
                raise ImportFailed(
                    f"dialogue {dialogue_id!r} is not in dataset {dataset.name!r}",
                    line=line,
                    source=name,
                )
        existing = Candidate.objects.filter(system=system, dialogue_id__in=dialogues.values())
        if existing.exists() and not replace:
            taken = {pk: eid for eid, pk in dialogues.items()}
            first = taken[existing.values_list("dialogue_id", flat=True)[0]]
            raise ImportFailed(
                f"system {system.name!r} already has a response for dialogue {first!r}; "
                "import with replace to overwrite",
                line=rows[first][0],
                source=name,
            )
        existing.delete()
        Candidate.objects.bulk_create(
            Candidate(system=system, dialogue_id=dialogues[dialogue_id], text=text, label=label)
            for dialogue_id, (_, text, label) in rows.items()
        )
    return len(rows)
