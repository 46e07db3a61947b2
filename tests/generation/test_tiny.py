from __future__ import annotations

import json

import pytest
from safetensors.torch import load_file

from generation import DecodingSettings, load_backend
from generation.synthetic import synthetic_dialogues
from generation.tiny import KINDS, build_tiny_models, main, read_jsonl


def test_built_models_are_recorded_in_the_manifest(tiny_models):
    manifest = json.loads((tiny_models["bart"].parent / "manifest.json").read_text())
    assert {manifest[name]["kind"] for name in ("bart", "gpt2")} == {"hf_seq2seq", "hf_causal"}
    training = manifest["training"]
    assert set(training) == {"bart", "gpt2", "classifier"}
    for run in training.values():
        assert run["steps"] == 150 and run["last_loss"] < 0.75 * run["first_loss"]


def test_the_classifier_is_stored_under_the_seq2seq_checkpoint(tiny_models):
    config = json.loads((tiny_models["bart"] / "classifier" / "config.json").read_text())
    assert sorted(config["id2label"].values()) == sorted(
        {d.emotion for d in synthetic_dialogues(150, seed=3)}
    )
    assert not (tiny_models["gpt2"] / "classifier").exists()


def test_same_seed_and_steps_give_the_same_weights(tmp_path):
    dialogues = synthetic_dialogues(20, seed=1)
    first = build_tiny_models(dialogues, tmp_path / "a", steps=3, seed=5)
    second = build_tiny_models(dialogues, tmp_path / "b", steps=3, seed=5)
    for name in ("bart", "gpt2"):
        a = load_file(first[name] / "model.safetensors")
        b = load_file(second[name] / "model.safetensors")
        assert a.keys() == b.keys() and all(a[k].equal(b[k]) for k in a)


def test_cli_trains_from_jsonl_and_the_models_generate(tmp_path, capsys):
    rows = [
        {"key": "a", "turns": ["I lost my job.", "Oh no, I am sorry."], "gold": "Thanks."},
        {
            "key": "b",
            "turns": [{"speaker": "x", "text": "We won the match!"}],
            "emotion": "joyful",
            "gold": "Congratulations!",
        },
    ]
    data = tmp_path / "dialogues.jsonl"
    data.write_text("\n".join(json.dumps(row) for row in rows) + "\n\n")
    parsed = read_jsonl(data)
    assert [len(d.turns) for d in parsed] == [2, 1]
    assert parsed[0].turns[1].speaker != parsed[0].turns[0].speaker

    assert (
        main([str(tmp_path / "out"), "--dialogues", str(data), "--steps", "2", "--size", "tiny"])
        == 0
    )
    manifest = json.loads(capsys.readouterr().out)
    for name, kind in KINDS.items():
        backend = load_backend(kind, manifest[name]["path"], device="cpu")
        result = backend.generate(parsed, DecodingSettings(max_new_tokens=3))
        assert [r.key for r in result] == ["a", "b"]


def test_cli_needs_a_budget(tmp_path):
    with pytest.raises(SystemExit):
        main([str(tmp_path), "--dialogues", str(tmp_path / "x.jsonl")])
