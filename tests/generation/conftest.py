"""Tiny models built once per test session, offline, in a few seconds."""

from __future__ import annotations

import os

# Before anything imports transformers: the tests must never reach the network.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from pathlib import Path

import pytest
import torch

from generation import HF_CAUSAL, HF_SEQ2SEQ, Backend, load_backend
from generation.synthetic import synthetic_dialogues
from generation.tiny import build_tiny_models
from generation.types import DialogueInput


@pytest.fixture(scope="session")
def train_dialogues() -> list[DialogueInput]:
    return synthetic_dialogues(150, seed=3, prefix="train")


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory: pytest.TempPathFactory, train_dialogues) -> dict[str, Path]:
    # The matrices are tiny: a second intra-op thread costs more in synchronisation than it
    # saves, and stalls badly when other processes share the two cores.
    torch.set_num_threads(1)
    out = tmp_path_factory.mktemp("tiny-models")
    return build_tiny_models(train_dialogues, out, steps=150, seed=0, sizes="tiny")


@pytest.fixture(scope="session")
def seq2seq(tiny_models: dict[str, Path]) -> Backend:
    return load_backend(HF_SEQ2SEQ, str(tiny_models["bart"]), device="cpu")


@pytest.fixture(scope="session")
def causal(tiny_models: dict[str, Path]) -> Backend:
    return load_backend(HF_CAUSAL, str(tiny_models["gpt2"]), device="cpu")


@pytest.fixture(scope="session")
def unseen_dialogues() -> list[DialogueInput]:
    # A different seed: mostly new combinations of turns, with lengths from 1 to 4 turns.
    return synthetic_dialogues(40, seed=99, prefix="test")
