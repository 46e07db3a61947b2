from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import torch

from generation import (
    HF_CAUSAL,
    HF_SEQ2SEQ,
    IMPORTED,
    CheckpointNotFound,
    CorruptCheckpoint,
    DecodingSettings,
    EmptyDialogue,
    GenerationError,
    InvalidDecodingSettings,
    load_backend,
)
from generation.backends import loading
from generation.types import DialogueInput, Turn


def copy_of(source: Path, tmp_path: Path) -> Path:
    target = tmp_path / "checkpoint"
    shutil.copytree(source, target)
    return target


def test_missing_directory_is_checkpoint_not_found(tmp_path):
    missing = tmp_path / "nope"
    with pytest.raises(CheckpointNotFound, match="nope"):
        load_backend(HF_CAUSAL, str(missing))


def test_garbage_config_is_a_corrupt_checkpoint(tiny_models, tmp_path):
    path = copy_of(tiny_models["gpt2"], tmp_path)
    (path / "config.json").write_text("{ this is not json")
    with pytest.raises(CorruptCheckpoint, match=str(path)):
        load_backend(HF_CAUSAL, str(path))


def test_truncated_weights_are_a_corrupt_checkpoint(tiny_models, tmp_path):
    path = copy_of(tiny_models["bart"], tmp_path)
    weights = path / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:1000])
    with pytest.raises(CorruptCheckpoint, match="checkpoint") as caught:
        load_backend(HF_SEQ2SEQ, str(path))
    assert caught.value.path == str(path)


def test_missing_weights_are_not_silently_initialised(tiny_models, tmp_path):
    path = copy_of(tiny_models["gpt2"], tmp_path)
    config = json.loads((path / "config.json").read_text())
    config["n_layer"] += 1  # the saved weights lack the extra layer
    (path / "config.json").write_text(json.dumps(config))
    with pytest.raises(CorruptCheckpoint, match="missing"):
        load_backend(HF_CAUSAL, str(path))


def test_wrong_kind_is_a_corrupt_checkpoint(tiny_models):
    with pytest.raises(CorruptCheckpoint):
        load_backend(HF_SEQ2SEQ, str(tiny_models["gpt2"]))


def test_unknown_and_imported_kinds_have_no_backend(tiny_models):
    with pytest.raises(GenerationError, match="unknown backend kind"):
        load_backend("onnx", str(tiny_models["gpt2"]))
    with pytest.raises(GenerationError, match="imported"):
        load_backend(IMPORTED, "")


def test_models_are_loaded_once_per_process(tiny_models, causal):
    again = load_backend(HF_CAUSAL, str(tiny_models["gpt2"]), device="cpu")
    assert again is causal
    assert load_backend(HF_CAUSAL, str(tiny_models["gpt2"])) is causal  # CPU is the default here
    # The same directory spelled differently is the same cache entry.
    spelled = str(tiny_models["gpt2"] / ".." / "gpt2")
    assert load_backend(HF_CAUSAL, spelled, device="cpu") is causal


def test_failed_loads_are_not_cached(tiny_models, tmp_path):
    path = tmp_path / "later"
    with pytest.raises(CheckpointNotFound):
        load_backend(HF_CAUSAL, str(path))
    shutil.copytree(tiny_models["gpt2"], path)
    assert load_backend(HF_CAUSAL, str(path), device="cpu").kind == HF_CAUSAL


def test_empty_dialogue_is_refused_before_generation(causal):
    batch = [DialogueInput("ok", (Turn("a", "hi"),)), DialogueInput("empty-7", ())]
    with pytest.raises(EmptyDialogue, match="empty-7"):
        causal.generate(batch, DecodingSettings())
    with pytest.raises(EmptyDialogue, match="empty-7"):
        causal.gold_perplexity(batch)


def test_max_new_tokens_must_leave_room_for_context(causal, seq2seq):
    too_long = DecodingSettings(max_new_tokens=200)  # the tiny models have 128 positions
    dialogue = [DialogueInput("d", (Turn("a", "hi"),))]
    for backend in (causal, seq2seq):
        with pytest.raises(InvalidDecodingSettings, match="max_new_tokens"):
            backend.generate(dialogue, too_long)


def test_gpu_runs_in_half_precision(monkeypatch):
    assert loading.dtype_for("cpu") is torch.float32
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda: True)
    assert loading.dtype_for("cuda") is torch.bfloat16
    assert loading.dtype_for("cuda:1") is torch.bfloat16
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda: False)
    assert loading.dtype_for("cuda") is torch.float16


def test_default_device_follows_cuda_availability(monkeypatch):
    assert loading.resolve_device("cpu") == "cpu"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert loading.resolve_device(None) == "cpu"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert loading.resolve_device(None) == "cuda"


def test_classifier_falls_back_to_the_checkpoint_tokenizer(tiny_models, tmp_path, seq2seq):
    path = copy_of(tiny_models["bart"], tmp_path)
    for name in ("tokenizer.json", "tokenizer_config.json"):
        (path / "classifier" / name).unlink()
    backend = load_backend(HF_SEQ2SEQ, str(path), device="cpu")
    dialogue = [DialogueInput("d", (Turn("a", "My dog passed away. I feel really down."),))]
    assert backend.generate(dialogue, DecodingSettings())[0].label == (
        seq2seq.generate(dialogue, DecodingSettings())[0].label
    )


def test_corrupt_classifier_is_a_corrupt_checkpoint(tiny_models, tmp_path):
    path = copy_of(tiny_models["bart"], tmp_path)
    (path / "classifier" / "model.safetensors").write_bytes(b"\0" * 64)
    with pytest.raises(CorruptCheckpoint, match="classifier"):
        load_backend(HF_SEQ2SEQ, str(path))
