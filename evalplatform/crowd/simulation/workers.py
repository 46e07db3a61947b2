"""Simulated workers: who they are and how they answer.

What a person perceives, the quality of each response, is planted: every system gets a
latent quality in [0, 1] and each worker adds a bias and per-answer noise. Spammers either
straight-line (the same answer everywhere) or rush (random answers, seconds per item).
Pure functions of the task state and a random generator: the HTTP side is in ``run``.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from evalplatform.protocols.registry import get as get_protocol

GOLD_QUALITY = 0.9


@dataclass(frozen=True)
class SimulatedWorker:
    name: str
    kind: str  # honest | straightliner | rusher
    bias: float
    noise: float
    seconds_per_item: float


def planted_quality(system_names: Sequence[str]) -> dict[str, float]:
    """The default plant: quality falls evenly from the first system (0.8) to the last
    (0.3), so the campaign's system order is the ranking a report should recover."""
    if len(system_names) == 1:
        return {system_names[0]: 0.6}
    step = 0.5 / (len(system_names) - 1)
    return {name: round(0.8 - i * step, 4) for i, name in enumerate(system_names)}


def make_workers(count: int, spammers: int, rng: random.Random) -> list[SimulatedWorker]:
    workers = []
    for index in range(count):
        if index < spammers:
            kind = "straightliner" if index % 2 == 0 else "rusher"
            seconds = 4.0 if kind == "rusher" else rng.uniform(20, 40)
            workers.append(SimulatedWorker(f"spammer-{index}", kind, 0.0, 0.0, seconds))
        else:
            workers.append(
                SimulatedWorker(
                    f"worker-{index}",
                    "honest",
                    bias=rng.gauss(0, 0.05),
                    noise=rng.uniform(0.08, 0.15),
                    seconds_per_item=rng.uniform(35, 70),
                )
            )
    return workers


def item_answers(
    state: dict[str, Any],
    item: dict[str, Any],
    systems: dict[int, str | None],
    worker: SimulatedWorker,
    quality: dict[str, float],
    rng: random.Random,
) -> list[dict[str, Any]]:
    """The ``api/answer`` bodies a worker posts for one item of the task state; ``systems``
    maps each response's handle to its system (None for a gold response)."""
    protocol = state["protocol"]
    bodies = []
    for criterion in state["criteria"]:
        values = [option["value"] for option in criterion["options"]]
        if criterion["about"] == "pair":
            pair = [_perceive(systems[p], quality, worker, rng) for p in (0, 1)]
            bodies.append(
                {
                    "item": item["position"],
                    "criterion": criterion["name"],
                    "value": _choose_pair(pair, values, worker, rng),
                }
            )
            continue
        for response in item["responses"]:
            handle = response["handle"]
            latent = _perceive(systems[handle], quality, worker, rng)
            bodies.append(
                {
                    "item": item["position"],
                    "candidate": handle,
                    "criterion": criterion["name"],
                    "value": _choose(latent, values, protocol, criterion["kind"], worker, rng),
                }
            )
    return bodies


def _perceive(
    system: str | None, quality: dict[str, float], worker: SimulatedWorker, rng: random.Random
) -> float:
    base = GOLD_QUALITY if system is None else quality.get(system, 0.5)
    return min(1.0, max(0.0, base + worker.bias + rng.gauss(0, worker.noise)))


def _choose(
    latent: float,
    values: list[str],
    protocol: str,
    kind: str,
    worker: SimulatedWorker,
    rng: random.Random,
) -> str:
    if worker.kind == "straightliner":
        return "good" if "good" in values else values[-1]
    spec = get_protocol(protocol)
    if worker.kind == "rusher":
        return spec.rushed_answer(values, rng)
    if kind == "binary":
        return "1" if latent > 0.5 else "0"
    # The latent quality spread over the answers from worst to best, rounded down.
    scale = spec.answer_scale(values)
    return scale[min(len(scale) - 1, max(0, math.floor(latent * len(scale))))]


def _choose_pair(
    latent: list[float], values: list[str], worker: SimulatedWorker, rng: random.Random
) -> str:
    if worker.kind == "straightliner":
        return "a"
    if worker.kind == "rusher":
        return rng.choice(values)
    difference = latent[0] - latent[1]
    if abs(difference) < 0.08:
        return "both_bad" if "both_bad" in values and max(latent) < 0.3 else "tie"
    return "a" if difference > 0 else "b"
