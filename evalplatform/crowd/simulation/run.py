"""A simulated crowd at work, for the demo, load tests and end-to-end tests.

Simulated workers answer through the same HTTP endpoints a browser uses (invite link,
worker pages, ``api/answer``, ``api/leave``, ``api/submit``), never by writing judgments.
How they answer is in ``workers``; here they find work, do it and are counted.

Everything they store is marked simulated (their invite makes a simulated worker, whose
assignments and judgments carry the flag), so exports and reports say so. Time on task is
declared per page by the simulator and recorded only for simulated assignments; a real
worker's time is always measured by the server.

Against a running server (``base_url``) up to ``concurrency`` workers act at once, each in
a thread with its own session; in-process (Django's test client) they take turns.
"""

from __future__ import annotations

import json
import random
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db import connections

from evalplatform.campaigns.models import Campaign
from evalplatform.crowd.models import ItemCandidate
from evalplatform.crowd.services.invites import invite_path, invites_create
from evalplatform.crowd.simulation.transport import Transport, TransportError, transport_for
from evalplatform.crowd.simulation.workers import (
    SimulatedWorker,
    item_answers,
    make_workers,
    planted_quality,
)
from evalplatform.crowd.tokens import assignment_from_token

TOKEN_IN_URL = re.compile(r"/w/a/([^/]+)/")
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PAGE_DATA = re.compile(r'<script id="page-data" type="application/json">(.*?)</script>', re.DOTALL)
# The invite page answers 409 when the campaign has nothing left for this person (no free
# slot, or their per-worker limit reached): the end of their work, not an error.
NO_MORE_WORK = 409

ShownSystems = dict[int, dict[int, str | None]]
LooksBehind = Callable[[str], ShownSystems]
Acts = Callable[[Callable[["Person"], "HitOutcome"], list["Person"]], list["HitOutcome"]]


class SimulationFailed(Exception):
    """A step of a simulated worker's HIT was refused or went unanswered."""


@dataclass
class Person:
    """A simulated worker with their invitation, their own random stream and browser."""

    worker: SimulatedWorker
    invite: str
    rng: random.Random
    transport: Transport


@dataclass(frozen=True)
class HitOutcome:
    answers: int = 0
    submitted: bool = False
    refused: str = ""
    error: str = ""


@dataclass
class SimulationResult:
    assignments: int = 0
    answers: int = 0
    requests: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    workers: list[SimulatedWorker] = field(default_factory=list)

    def add(self, outcome: HitOutcome) -> None:
        self.assignments += outcome.submitted
        self.answers += outcome.answers
        if outcome.refused:
            self.refused.append(outcome.refused)
        if outcome.error:
            self.errors.append(outcome.error)

    def common_errors(self, limit: int = 5) -> list[tuple[str, int]]:
        return Counter(self.errors).most_common(limit)


def simulate_campaign(
    *,
    campaign: Campaign,
    workers: int,
    spammers: int = 0,
    seed: int = 0,
    hits_per_worker: int | None = None,
    quality: dict[str, float] | None = None,
    base_url: str | None = None,
    concurrency: int = 1,
) -> SimulationResult:
    """Let ``workers`` simulated people (the first ``spammers`` of them spammers) do HITs
    of a published campaign until each reaches ``hits_per_worker`` (default: the
    campaign's limit) or no work is left. ``base_url`` talks to a running server, with up
    to ``concurrency`` people at once; without it, requests go through Django's
    in-process test client, one person at a time."""
    rng = random.Random(seed)
    names = list(campaign.systems.order_by("entries__position").values_list("name", flat=True))
    quality = quality or planted_quality(names)
    limit = hits_per_worker or campaign.max_hits_per_worker
    result = SimulationResult(workers=make_workers(workers, spammers, rng))
    invites = invites_create(campaign=campaign, count=workers, label="simulated", simulated=True)
    at_once = concurrency if base_url else 1
    people = [
        Person(worker, invite_path(invite), stream, transport_for(base_url))
        for worker, invite, stream in zip(
            result.workers, invites, _streams(rng, workers, at_once), strict=True
        )
    ]
    started = time.perf_counter()
    with _acting(at_once) as (act, look_behind):
        # Round robin, as a crowd works: everyone takes a HIT, then everyone takes another.
        active = people
        for _ in range(limit):
            outcomes = act(partial(_one_hit, quality=quality, look_behind=look_behind), active)
            for outcome in outcomes:
                result.add(outcome)
            active = [p for p, o in zip(active, outcomes, strict=True) if o.submitted]
            if not active:
                break
    result.seconds = time.perf_counter() - started
    for person in people:
        result.requests += person.transport.requests
        result.latencies.extend(person.transport.latencies)
        person.transport.close()
    return result


def _streams(rng: random.Random, count: int, at_once: int) -> list[random.Random]:
    """Taking turns, everyone draws from the one seeded stream in the order of turns, so a
    seed repeats a run exactly; at once, each person has a stream of their own, since
    threads must not share one generator."""
    if at_once <= 1:
        return [rng] * count
    return [random.Random(rng.getrandbits(64)) for _ in range(count)]


@contextmanager
def _acting(concurrency: int) -> Iterator[tuple[Acts, LooksBehind]]:
    """How people act (in turn, or on a bounded pool of threads) and how the simulator
    looks behind their pages. The database is read from one thread either way: one
    connection per pool thread would take as many connections as the concurrency, and
    PostgreSQL refuses clients past its ``max_connections``."""
    if concurrency <= 1:
        yield (lambda job, people: [job(person) for person in people]), shown_systems
        return
    with (
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="simulated-db") as database,
        ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="simulated") as pool,
    ):
        try:
            yield (
                (lambda job, people: list(pool.map(job, people))),
                (lambda token: database.submit(shown_systems, token).result()),
            )
        finally:
            database.submit(connections.close_all).result()


def _one_hit(person: Person, *, quality: dict[str, float], look_behind: LooksBehind) -> HitOutcome:
    name = person.worker.name
    try:
        status, final_url = _start_from_invite(person.transport, person.invite)
        if status == NO_MORE_WORK:
            return HitOutcome(refused=f"{name}: no more work")
        token = TOKEN_IN_URL.search(final_url or "")
        if status != 200 or not token:
            return HitOutcome(error=f"start: HTTP {status}")
        answers = _do_assignment(person, token.group(1), quality, look_behind(token.group(1)))
    except (SimulationFailed, TransportError) as error:
        return HitOutcome(error=str(error))
    return HitOutcome(answers=answers, submitted=True)


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
    person: Person, token: str, quality: dict[str, float], shown: ShownSystems
) -> int:
    transport, worker, rng = person.transport, person.worker, person.rng
    api = f"/w/a/{token}/api/"
    # POST: the simulated worker takes the HIT over for itself, as a client without pages.
    status, state = transport.post_json(api + "state", {})
    if status != 200:
        raise SimulationFailed(f"state: HTTP {status}")
    # Every write carries the nonce of the page it comes from, as a browser's script does:
    # the state's at first, then that of each dialogue's page (opening it issues a new one).
    session = state["session"]
    answered = 0
    for item in state["items"]:
        position = item["position"]
        _, _, html = transport.get(f"/w/a/{token}/item/{position}/")
        page = _page_data(html)
        visit, session = page.get("visit"), page.get("session", session)
        for body in item_answers(state, item, shown[position], worker, quality, rng):
            status, reply = transport.post_json(api + "answer", {**body, "session": session})
            if status != 200:
                raise SimulationFailed(f"answer: HTTP {status}: {reply}")
            answered += 1
        seconds = max(1.0, rng.gauss(worker.seconds_per_item, worker.seconds_per_item * 0.2))
        transport.post_json(api + "leave", {"visit": visit, "simulated_seconds": seconds})
    status, reply = transport.post_json(api + "submit", {"session": session})
    if status != 200:
        raise SimulationFailed(f"submit: HTTP {status}: {reply}")
    return answered


def _page_data(html: str) -> dict[str, Any]:
    match = PAGE_DATA.search(html)
    return dict(json.loads(match.group(1))) if match else {}


def shown_systems(token: str) -> ShownSystems:
    """Item position -> candidate position -> system name (None for gold) on the HIT the
    token's assignment belongs to. The simulator stands in for a person's perception of
    quality, so it may look behind the page."""
    shown: ShownSystems = {}
    rows = ItemCandidate.objects.filter(item__hit=assignment_from_token(token).hit).values_list(
        "item__position", "position", "is_gold", "candidate__system__name"
    )
    for item_position, position, is_gold, system in rows:
        # A filler (another context's reply, no system) reads as an average response.
        shown.setdefault(item_position, {})[position] = None if is_gold else (system or "")
    return shown
