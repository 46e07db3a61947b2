"""Every importer on good and malformed input: a bad file names its line, stores nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from evalplatform.campaigns.importers import import_dialogues, import_responses
from evalplatform.campaigns.models import Candidate, Dataset, Dialogue, System
from evalplatform.common.errors import ImportFailed
from tests.campaigns.conftest import dialogue_row, write_jsonl

pytestmark = pytest.mark.django_db
DEMO = Path(__file__).resolve().parents[2] / "demo"


def import_text(text: str, fmt: str, **kwargs) -> Dataset:
    return import_dialogues(
        source=io.BytesIO(text.encode()), fmt=fmt, dataset_name="upload", name="up", **kwargs
    )


def test_jsonl_import_stores_turns_in_order(tmp_path):
    path = write_jsonl(tmp_path / "d.jsonl", [dialogue_row(1), dialogue_row(2, "OS")])
    dataset = import_dialogues(source=path, fmt="jsonl", dataset_name="set")
    first = Dialogue.objects.get(dataset=dataset, external_id="ED-1")
    assert [t["speaker"] for t in first.turns] == ["speaker1", "speaker2"]
    assert first.gold_response == "That sounds hard."
    assert first.emotion == "sad" and first.subset == "ED"
    assert Dialogue.objects.get(external_id="OS-2").position == 1


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"id": "x", "turns": [{"speaker": "a", "text": "hi"}], "mood": "odd"}', "unknown key"),
        ('{"id": "x"}', "needs 'id' and 'turns'"),
        ('{"id": "x", "turns": [{"speaker": "a"}]}', "exactly 'speaker' and 'text'"),
        ('{"id": "x", "turns": []}', "has no turns"),
        ('{"id": "x", "turns": [{"speaker": "a", "text": "  "}]}', "'text' is empty"),
        ('{"id": "", "turns": [{"speaker": "a", "text": "hi"}]}', "'id' must be"),
        ("[1, 2]", "must be a JSON object"),
        ('{"id": "x", "turns": [', "invalid JSON"),
    ],
)
def test_jsonl_import_rejects_bad_line_and_stores_nothing(line, message):
    good = '{"id": "ok", "turns": [{"speaker": "a", "text": "hello"}]}'
    with pytest.raises(ImportFailed) as error:
        import_text(f"{good}\n{line}\n", "jsonl")
    assert "line 2" in str(error.value)
    assert message in str(error.value)
    assert not Dialogue.objects.exists()
    assert not Dataset.objects.exists()


def test_jsonl_import_rejects_duplicate_ids_naming_both_lines():
    row = '{"id": "x", "turns": [{"speaker": "a", "text": "hello"}]}'
    with pytest.raises(ImportFailed, match=r"appears twice \(first on line 1\).*|line 2"):
        import_text(f"{row}\n{row}\n", "jsonl")
    assert not Dialogue.objects.exists()


def test_import_refuses_ids_already_in_the_dataset():
    row = '{"id": "x", "turns": [{"speaker": "a", "text": "hello"}]}'
    import_text(row, "jsonl")
    with pytest.raises(ImportFailed, match="already in dataset"):
        import_text('{"id": "y", "turns": [{"speaker": "a", "text": "hi"}]}\n' + row, "jsonl")
    assert Dialogue.objects.count() == 1


def test_import_refuses_oversized_file(settings):
    settings.EVALPLATFORM_MAX_IMPORT_BYTES = 100
    row = '{"id": "x", "turns": [{"speaker": "a", "text": "%s"}]}' % ("y" * 200)
    with pytest.raises(ImportFailed, match="over the import limit of 100 bytes"):
        import_text(row, "jsonl")
    assert not Dialogue.objects.exists()


def test_import_refuses_empty_and_non_utf8_files():
    with pytest.raises(ImportFailed, match="empty"):
        import_text("  \n", "jsonl")
    with pytest.raises(ImportFailed, match="not valid UTF-8"):
        import_dialogues(source=io.BytesIO(b"\xff\xfe\x00"), fmt="jsonl", dataset_name="d")


CSV_HEADER = "dialogue_id,turn_index,speaker,text,emotion,situation,subset,gold_response\n"


def test_csv_import_groups_rows_into_dialogues():
    text = CSV_HEADER + (
        'd1,0,speaker1,"Hi, I got the job!",excited,,ED,Congratulations!\n'
        "d1,1,speaker2,That is great news.,,,,\n"
        "d2,0,speaker1,I feel lonely.,lonely,,OS,I am here for you.\n"
    )
    dataset = import_text(text, "csv")
    d1 = Dialogue.objects.get(dataset=dataset, external_id="d1")
    assert [t["text"] for t in d1.turns] == ["Hi, I got the job!", "That is great news."]
    assert d1.gold_response == "Congratulations!" and d1.emotion == "excited"
    assert Dialogue.objects.get(external_id="d2").subset == "OS"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("dialogue_id,speaker,text,colour\nd1,a,hi,red\n", "unknown column(s): colour"),
        ("dialogue_id,text\nd1,hi\n", "missing column(s): speaker"),
        (CSV_HEADER + "d1,0,a,hi,,,,\nd1,0,b,again,,,,\n", "'turn_index' must increase"),
        (CSV_HEADER + "d1,x,a,hi,,,,\n", "'turn_index' must be an integer"),
        (CSV_HEADER + "d1,0,a,hi,sad,,,\nd1,1,b,yo,happy,,,\n", "'emotion' differs"),
        (CSV_HEADER + "d1,0,a,hi,,,,\nd2,0,a,yo,,,,\nd1,1,b,back,,,,\n", "not on consecutive"),
        (CSV_HEADER + "d1,0,a\n", "expected 8 fields, found 3"),
    ],
)
def test_csv_import_rejects_malformed_rows(text, message):
    with pytest.raises(ImportFailed) as error:
        import_text(text, "csv")
    assert message in str(error.value)
    assert "line " in str(error.value)
    assert not Dialogue.objects.exists()


ED_HEADER = "conv_id,utterance_idx,context,prompt,speaker_idx,utterance,selfeval,tags\n"


def test_empathetic_dialogues_import_makes_one_dialogue_per_context_turn():
    prefix = "hit:1_conv:2,{},proud,I won a prize_comma_ finally.,{},{},5|5|5_2|2|5,\n"
    text = ED_HEADER + "".join(
        prefix.format(index, speaker, utterance)
        for index, speaker, utterance in [
            (1, 1, "I won first place_comma_ guess!"),
            (2, 0, "Wow! Congratulations."),
            (3, 1, "Thanks_comma_ I worked hard."),
        ]
    )
    dataset = import_text(text, "ed")
    dialogues = list(Dialogue.objects.filter(dataset=dataset).order_by("position"))
    assert [d.external_id for d in dialogues] == ["hit:1_conv:2:1", "hit:1_conv:2:2"]
    assert dialogues[0].turns == [{"speaker": "1", "text": "I won first place, guess!"}]
    assert dialogues[0].gold_response == "Wow! Congratulations."
    assert len(dialogues[1].turns) == 2
    assert dialogues[1].gold_response == "Thanks, I worked hard."
    assert dialogues[0].emotion == "proud"
    assert dialogues[0].situation == "I won a prize, finally."
    assert dialogues[0].subset == "ED"


def test_empathetic_dialogues_import_rejects_repeated_index_and_unknown_column():
    repeated = ED_HEADER + "c,1,sad,p,1,hi,,\nc,1,sad,p,0,yo,,\n"
    with pytest.raises(ImportFailed, match="repeats an utterance_idx"):
        import_text(repeated, "ed")
    with pytest.raises(ImportFailed, match="unknown column"):
        import_text(ED_HEADER.strip() + ",extra\nc,1,sad,p,1,hi,,,x\n", "ed")
    assert not Dialogue.objects.exists()


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("example_dialogues.jsonl", "jsonl"),
        ("example_dialogues.csv", "csv"),
        ("example_empathetic_dialogues.csv", "ed"),
    ],
)
def test_example_files_in_the_repository_import(name, fmt):
    dataset = import_dialogues(source=DEMO / name, fmt=fmt, dataset_name=name)
    assert dataset.dialogues.count() >= 3


def make_responses(rows: list[str]) -> io.BytesIO:
    return io.BytesIO("\n".join(rows).encode())


def test_responses_import_stores_candidates_with_labels(dataset):
    system = System.objects.create(name="elsewhere", kind="imported")
    stored = import_responses(
        source=make_responses(
            [
                '{"dialogue_id": "ED-1", "response": "So sorry.", "label": "sad"}',
                '{"dialogue_id": "OS-2", "response": "Oh no."}',
            ]
        ),
        system=system,
        dataset=dataset,
        name="r.jsonl",
    )
    assert stored == 2
    candidate = Candidate.objects.get(system=system, dialogue__external_id="ED-1")
    assert candidate.text == "So sorry." and candidate.label == "sad"


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (['{"dialogue_id": "nope", "response": "x"}'], "'nope' is not in dataset"),
        (['{"dialogue_id": "ED-1", "response": ""}'], "'response' is empty"),
        (['{"dialogue_id": "ED-1", "response": "x", "score": 3}'], "unknown key(s) score"),
        (['{"dialogue_id": "ED-1", "response": "x"}'] * 2, "second response"),
    ],
)
def test_responses_import_rejects_bad_lines_and_stores_nothing(dataset, rows, message):
    system = System.objects.create(name="elsewhere", kind="imported")
    good = '{"dialogue_id": "ED-3", "response": "fine"}'
    with pytest.raises(ImportFailed) as error:
        import_responses(source=make_responses([good, *rows]), system=system, dataset=dataset)
    assert message in str(error.value) and "line " in str(error.value)
    assert not Candidate.objects.exists()


def test_responses_import_refuses_overwrite_unless_asked(dataset):
    system = System.objects.create(name="elsewhere", kind="imported")
    row = '{"dialogue_id": "ED-1", "response": "first"}'
    import_responses(source=make_responses([row]), system=system, dataset=dataset)
    with pytest.raises(ImportFailed, match="already has a response"):
        import_responses(
            source=make_responses(['{"dialogue_id": "ED-1", "response": "second"}']),
            system=system,
            dataset=dataset,
        )
    import_responses(
        source=make_responses(['{"dialogue_id": "ED-1", "response": "second"}']),
        system=system,
        dataset=dataset,
        replace=True,
    )
    assert Candidate.objects.get(system=system).text == "second"


def test_import_command_names_the_line_and_exits_2(tmp_path):
    import subprocess
    import sys

    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "turns": [{"speaker": "s", "text": "hi"}]}\n{"id": "b"}\n')
    result = subprocess.run(
        [sys.executable, "manage.py", "import_dialogues", str(bad), "--dataset", "x"],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "EVALPLATFORM_VAR_DIR": str(tmp_path)},
    )
    assert result.returncode == 2
    assert f"{bad}, line 2: each dialogue needs 'id' and 'turns'" in result.stderr
