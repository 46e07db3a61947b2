"""A simulated crowd, for the demo, load tests and end-to-end tests.

Simulated workers answer through the same HTTP endpoints a browser uses (invite link,
worker pages, ``api/answer``, ``api/leave``, ``api/submit``), never by writing judgments.
What a person perceives, the quality of each response, is planted: every system gets a
latent quality in [0, 1] and each worker adds a bias and per-answer noise. Spammers either
straight-line (the same answer everywhere) or rush (random answers, seconds per item).

Everything they store is marked simulated (their invite makes a simulated worker, whose
assignments and judgments carry the flag), so exports and reports say so. Time on task is
declared per page by the simulator and recorded only for simulated assignments; a real
worker's time is always measured by the server.
"""

from __future__ import annotations

import json
import math
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from evalplatform.campaigns.models import Campaign
from evalplatform.crowd.models import Assignment, ItemCandidate
from evalplatform.crowd.services.invites import invite_path, invites_create
from evalplatform.crowd.simulation.transport import Transport, transport_for
from evalplatform.crowd.tokens import assignment_from_token

GGB_LABELS = ("bad", "okay", "good")
GOLD_QUALITY = 0.9
TOKEN_IN_URL = re.compile(r"/w/a/([^/]+)/")
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PAGE_DATA = re.compile(r'<script id="page-data" type="application/json">(.*?)</script>', re.DOTALL)


@dataclass(frozen=True)
class SimulatedWorker:
    name: str
    kind: str  # honest | straightliner | rusher
    bias: float
    noise: float
    seconds_per_item: float


@dataclass
class SimulationResult:
    assignments: int = 0
    answers: int = 0
    refused: list[str] = field(default_factory=list)
    workers: list[SimulatedWorker] = field(default_factory=list)


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


def simulate_campaign(
    *,
    campaign: Campaign,
    workers: int,
    spammers: int = 0,
    seed: int = 0,
    hits_per_worker: int | None = None,
    quality: dict[str, float] | None = None,
    base_url: str | None = None,
) -> SimulationResult:
    """Let ``workers`` simulated people (the first ``spammers`` of them spammers) do HITs
    of a published campaign until each reaches ``hits_per_worker`` (default: the
    campaign's limit) or no work is left. ``base_url`` talks to a running server;
    without it, requests go through Django's in-process test client."""
    rng = random.Random(seed)
    names = list(campaign.systems.order_by("entries__position").values_list("name", flat=True))
    quality = quality or planted_quality(names)
    limit = hits_per_worker or campaign.max_hits_per_worker
    result = SimulationResult(workers=make_workers(workers, spammers, rng))
    invites = invites_create(campaign=campaign, count=workers, label="simulated", simulated=True)
    transport = transport_for(base_url)
    # Round robin, as a crowd works: everyone takes a HIT, then everyone takes another.
    active = list(zip(result.workers, invites, strict=True))
    for _ in range(limit):
        still_working = []
        for worker, invite in active:
            status, final_url = _start_from_invite(transport, invite_path(invite))
            token = TOKEN_IN_URL.search(final_url or "")
            if status != 200 or not token:
                result.refused.append(f"{worker.name}: no more work ({status})")
                continue
            result.answers += _do_assignment(transport, token.group(1), worker, quality, rng)
            result.assignments += 1
            still_working.append((worker, invite))
        active = still_working
        if not active:
            break
    return result


def _start_from_invite(transport: Transport, path: str) -> tuple[int, str]:
    """Open the invitation and press Start, as a person does: the GET shows the page and
    its CSRF token, the form post leases work and redirects into it."""
    status, _, html = transport.get(path)
    csrf = CSRF_INPUT.search(html)
    if status != 200 or not csrf:
        return status, ""
    status, final_url, _ = transport.post_form(path, {"csrfmiddlewaretoken": csrf.group(1)})
    return status, final_url


def _do_assignment(
    transport: Transport,
    token: str,
    worker: SimulatedWorker,
    quality: dict[str, float],
    rng: random.Random,
) -> int:
    assignment = assignment_from_token(token)
    shown = _shown_systems(assignment)
    api = f"/w/a/{token}/api/"
    _status, state = transport.get_json(api + "state")
    answered = 0
    for item in state["items"]:
        position = item["position"]
        _, _, html = transport.get(f"/w/a/{token}/item/{position}/")
        visit = _visit_id(html)
        for body in _answers(state, item, shown[position], worker, quality, rng):
            status, reply = transport.post_json(api + "answer", body)
            if status != 200:
                raise RuntimeError(f"answer refused: {reply}")
            answered += 1
        seconds = max(1.0, rng.gauss(worker.seconds_per_item, worker.seconds_per_item * 0.2))
        transport.post_json(api + "leave", {"visit": visit, "simulated_seconds": seconds})
    status, reply = transport.post_json(api + "submit", {})
    if status != 200:
        raise RuntimeError(f"submit refused: {reply}")
    return answered


def _visit_id(html: str) -> int | None:
    match = PAGE_DATA.search(html)
    return json.loads(match.group(1)).get("visit") if match else None


def _shown_systems(assignment: Assignment) -> dict[int, dict[int, str | None]]:
    """Item position -> candidate position -> system name (None for gold). The simulator
    stands in for a person's perception of quality, so it may look behind the page."""
    shown: dict[int, dict[int, str | None]] = {}
    rows = ItemCandidate.objects.filter(item__hit=assignment.hit).values_list(
        "item__position", "position", "is_gold", "candidate__system__name"
    )
    for item_position, position, is_gold, system in rows:
        shown.setdefault(item_position, {})[position] = None if is_gold else system
    return shown


def _answers(
    state: dict[str, Any],
    item: dict[str, Any],
    systems: dict[int, str | None],
    worker: SimulatedWorker,
    quality: dict[str, float],
    rng: random.Random,
) -> list[dict[str, Any]]:
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
    if worker.kind == "rusher":
        if protocol == "ggb":
            # Not reading, they dump most cards in Bad: gold checks catch them (seed 002).
            return rng.choices(["bad", "okay", "good"], weights=[0.6, 0.2, 0.2])[0]
        return rng.choice(values)
    if protocol == "ggb":
        label = GGB_LABELS[min(2, int(latent * 3))]
        return label if label in values else values[0]
    if kind == "binary":
        return "1" if latent > 0.5 else "0"
    # A Likert scale: the latent quality spread over the points, rounded.
    index = min(len(values) - 1, max(0, math.floor(latent * len(values))))
    return values[index]


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
