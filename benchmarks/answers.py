"""Benchmark: answer saves under load, next to two baselines served by the same server.

    scripts/install-bench-tools.sh          # once: the load generator (wrk, Debian package)
    .venv/bin/python benchmarks/answers.py  # 100 and 500 connections, 10 s per phase

It creates its own PostgreSQL database (``--database``, default ``evalplatform_bench`` on
127.0.0.1:5432 as user postgres), migrates it, builds a published Likert campaign (3
systems, 10 dialogues per HIT, 3 criteria) and leases one assignment per simulated worker.
Then it starts gunicorn exactly as the ``web`` service of docker-compose.yml starts it (its
command line, read from the file, bound to 127.0.0.1 instead of 0.0.0.0) with the
benchmark's settings (benchmarks/answers_site: the product's URLs plus two baselines), and
for each concurrency runs three interleaved phases with wrk (benchmarks/answers.lua):

- ``trivial``: a view that parses the JSON body and answers (the framework's ceiling);
- ``insert``: a view that parses the body and does one INSERT into a table with a unique
  index (the floor of any save);
- ``answers``: ``POST /w/a/<token>/api/answer``, each request a distinct answer (assignment,
  dialogue, response, criterion) with a known value, spread round-robin over assignments.

Each phase starts on an idle server: after wrk stops, the benchmark waits until the requests
it left queued are served (at 500 connections seconds of work, which the next phase would
otherwise pay for), and the data is analyzed before the first phase, as a running
database's is.

It prints requests/s, p50 and p99 latency and the answer path's ratios to both baselines,
then checks the database: every acknowledged answer is stored exactly once with its value,
nothing refused is stored, and anything else stored was in flight when wrk stopped (counted).
Loopback only; gunicorn is stopped by its PID; the database is dropped at the end
(``--keep`` keeps it). A benchmark, not a test: it never fails on timing, only on a lost,
doubled, wrong or unacknowledged-and-refused answer (exit 1).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SETTINGS = "benchmarks.answers_site.settings"
LUA = ROOT / "benchmarks" / "answers.lua"
PHASES = ("trivial", "insert", "answers")
ITEMS_PER_HIT = 10


@dataclass(frozen=True)
class AnswerKey:
    assignment: int
    item: int
    candidate: int
    criterion: str


@dataclass
class PhaseResult:
    phase: str
    connections: int
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    summary: dict[str, Any]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, nargs="+", default=[100, 500])
    parser.add_argument("--seconds", type=int, default=10, help="per phase")
    parser.add_argument("--assignments", type=int, default=1000, help="leased, all phases")
    parser.add_argument("--database", default="evalplatform_bench")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--gunicorn-extra",
        default="",
        help="options added to compose's command, to try others, e.g. '--threads 4'",
    )
    return parser.parse_args()


# --- database and data ---------------------------------------------------------------------


def recreate_database(pg: str, name: str, *, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(f"{pg}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    import django

    django.setup()


def build_campaign(assignments: int) -> list[tuple[int, str, str]]:
    """A published Likert campaign with ``assignments`` leased assignments, each as if its
    worker had opened every dialogue's page in one window; returns (assignment id, token,
    that window's session nonce) for each, in a fixed order."""
    from datetime import timedelta

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from benchmarks.answers_site.views import CREATE_TABLE, TABLE
    from evalplatform.crowd.models import Assignment, AssignmentStatus, Hit, Judgment, Worker
    from evalplatform.crowd.tokens import assignment_token
    from tests.factories import make_campaign, make_dataset

    call_command("migrate", verbosity=0, interactive=False)
    with connection.cursor() as cursor:
        cursor.execute(CREATE_TABLE)
    per_hit = 50
    hits_needed = -(-assignments // per_hit)
    campaign = make_campaign(
        "likert-fce",
        dataset=make_dataset(subsets=("ED",), per_subset=hits_needed * ITEMS_PER_HIT),
        overrides={
            "sample_size": hits_needed * ITEMS_PER_HIT,
            "items_per_hit": ITEMS_PER_HIT,
            "assignments_per_hit": per_hit,
            "max_hits_per_worker": 1,
        },
    )
    hits = list(Hit.objects.filter(campaign=campaign).order_by("index"))
    workers = Worker.objects.bulk_create(
        Worker(provider="local", external_id=f"bench-{n}") for n in range(assignments)
    )
    expires = timezone.now() + timedelta(hours=2)
    Assignment.objects.bulk_create(
        Assignment(
            hit=hits[n // per_hit],
            worker=worker,
            status=AssignmentStatus.LEASED,
            lease_expires_at=expires,
            items_shown=ITEMS_PER_HIT,
            session=secrets.token_urlsafe(12),
        )
        for n, worker in enumerate(workers)
    )
    # Statistics, as a running database has them (autovacuum would analyze these tables
    # only a minute or so into the run): without them the planner may find an assignment
    # through the lease index, scanning every leased row, instead of by its key, and
    # the phases before and after autovacuum's pass would measure different plans. Not the
    # tables the phases write into, empty now: no running database has them analysed empty
    # (autovacuum analyses a table once rows arrive), and the prepared statements planned
    # against an analysed empty judgments table counted each answer's progress by a
    # sequential scan of the whole table for the rest of the run (16,236 scans reading 131
    # million rows in one run at 0.32x the INSERT view; README).
    written = {Judgment._meta.db_table, TABLE}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            if table not in written:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    leased = Assignment.objects.filter(hit__campaign=campaign).order_by("pk")
    return [(a.pk, assignment_token(a), a.session) for a in leased]


def answer_plan(
    assigned: list[tuple[int, str, str]],
) -> list[tuple[AnswerKey, str, str, str]]:
    """Every answer of the given assignments, once each, interleaved so that consecutive
    requests go to different assignments: (key, token, session nonce, value)."""
    from evalplatform.campaigns.models import Criterion
    from evalplatform.crowd.models import Assignment

    first = Assignment.objects.select_related("hit").get(pk=assigned[0][0])
    criteria = list(Criterion.objects.filter(campaign_id=first.hit.campaign_id))
    candidates = first.hit.items.get(position=0).candidates.count()
    per_assignment = [
        (item, candidate, criterion)
        for item in range(ITEMS_PER_HIT)
        for candidate in range(candidates)
        for criterion in criteria
    ]
    plan = []
    for step, (item, candidate, criterion) in enumerate(per_assignment):
        allowed = criterion.allowed_values()
        for n, (assignment_id, token, session) in enumerate(assigned):
            value = allowed[(n * 7 + step * 3) % len(allowed)]
            key = AnswerKey(assignment_id, item, candidate, criterion.name)
            plan.append((key, token, session, value))
    return plan


def stored_answers(assignment_ids: list[int]) -> Counter[tuple[AnswerKey, str]]:
    from evalplatform.crowd.models import Judgment

    rows = Judgment.objects.filter(assignment_id__in=assignment_ids).values_list(
        "assignment_id",
        "item__position",
        "item_candidate__position",
        "criterion__name",
        "score",
        "label",
    )
    return Counter(
        (AnswerKey(a, item, candidate, criterion), label or str(score))
        for a, item, candidate, criterion, score, label in rows
    )


# --- the server and the load generator ------------------------------------------------------


def compose_web_command(port: int, extra: str = "") -> list[str]:
    """The web service's command from docker-compose.yml, bound to loopback on ``port``."""
    import yaml

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    command = list(compose["services"]["web"]["command"])
    if command[0] != "gunicorn":
        raise SystemExit(f"docker-compose.yml's web command is not gunicorn: {command}")
    bind = command.index("--bind")
    command[bind + 1] = f"127.0.0.1:{port}"
    gunicorn = Path(sys.executable).with_name("gunicorn")
    return [str(gunicorn), *command[1:], *extra.split()]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(
    env: dict[str, str], port: int, log: Path, extra: str = ""
) -> subprocess.Popen[bytes]:
    command = compose_web_command(port, extra)
    print("server:", " ".join(command[1:]), flush=True)
    with log.open("wb") as out:
        server = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}; see {log}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/trivial", timeout=2):
                return server
        except OSError:
            time.sleep(0.3)
    stop_server(server)
    raise SystemExit(f"gunicorn did not answer within 60 s; see {log}")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        os.kill(server.pid, signal.SIGTERM)  # the master stops its workers
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.kill(server.pid, signal.SIGKILL)
            server.wait()


def drain(port: int) -> None:
    """Wait until the server has served what wrk left queued when it stopped. The sync
    workers accept in arrival order, so one request sent now is answered after those: at
    500 connections the leftovers of one phase (hundreds of requests, seconds of work) would
    otherwise be served during the next phase, and be counted against it."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/trivial", timeout=120):
        pass


def write_requests(prefix: str, threads: int, lines: list[str]) -> None:
    """Deal the request lines to the wrk threads round-robin."""
    for tid in range(threads):
        Path(f"{prefix}{tid}.tsv").write_text("".join(f"{line}\n" for line in lines[tid::threads]))


def run_wrk(
    port: int, prefix: str, *, connections: int, seconds: int, threads: int
) -> dict[str, Any]:
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "30s",
        "-s",
        str(LUA),
        f"http://127.0.0.1:{port}",
        "--",
        prefix,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 120)
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH ")), None)
    if done.returncode != 0 or line is None:
        raise SystemExit(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return dict(json.loads(line[len("BENCH ") :]))


def read_acks(prefix: str) -> tuple[dict[tuple[int, int], str], dict[int, int]]:
    """({(thread, request number): "ack" | "refused:<status>"}, {thread: requests sent})."""
    outcomes: dict[tuple[int, int], str] = {}
    sent: dict[int, int] = {}
    for line in Path(f"{prefix}acks.tsv").read_text().splitlines():
        tid, value, kind = line.split("\t")
        if kind == "sent":
            sent[int(tid)] = int(value)
        elif kind == "ack":
            outcomes[(int(tid), int(value))] = "ack"
        else:
            number, status = value.split(":")
            outcomes[(int(tid), int(number))] = f"refused:{status}"
    return outcomes, sent


# --- the run --------------------------------------------------------------------------------


@dataclass
class AnswerCheck:
    acknowledged: int
    refused: int
    in_flight: int
    problems: list[str]


def check_answers(
    plan: list[tuple[AnswerKey, str, str, str]], prefix: str, threads: int
) -> AnswerCheck:
    outcomes, sent = read_acks(prefix)
    per_thread = [plan[tid::threads] for tid in range(threads)]
    expected: dict[AnswerKey, tuple[str, str]] = {}  # key -> (value, outcome)
    for tid, entries in enumerate(per_thread):
        for number, (key, _, _, value) in enumerate(entries[: sent.get(tid, 0)], start=1):
            expected[key] = (value, outcomes.get((tid, number), "in flight"))
    stored = stored_answers(sorted({key.assignment for key, *_ in plan}))
    problems = []
    stored_keys: Counter[AnswerKey] = Counter()
    for (key, value), count in stored.items():
        stored_keys[key] += count
        wanted = expected.get(key)
        if wanted is None:
            problems.append(f"stored but never sent: {key} = {value}")
        elif wanted[0] != value:
            problems.append(f"stored with the wrong value: {key} = {value}, sent {wanted[0]}")
        elif wanted[1].startswith("refused"):
            problems.append(f"stored although refused ({wanted[1]}): {key}")
    problems += [f"stored {n} times: {key}" for key, n in stored_keys.items() if n > 1]
    problems += [
        f"acknowledged but not stored: {key}"
        for key, (_, outcome) in expected.items()
        if outcome == "ack" and key not in stored_keys
    ]
    outcomes_count = Counter(outcome for _, outcome in expected.values())
    return AnswerCheck(
        acknowledged=outcomes_count["ack"],
        refused=sum(n for o, n in outcomes_count.items() if o.startswith("refused")),
        in_flight=outcomes_count["in flight"],
        problems=problems,
    )


def main() -> int:
    args = parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed: run scripts/install-bench-tools.sh", file=sys.stderr)
        return 2
    env = {
        **os.environ,
        "DATABASE_URL": f"{args.pg}/{args.database}",
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        # Plain http on loopback, whatever a developer's .env says for production.
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    print(f"load before: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} (1, 5 min)")
    recreate_database(args.pg, args.database)
    work = Path(tempfile.mkdtemp(prefix="bench-answers-"))
    server = None
    try:
        setup_django(env)
        started = time.monotonic()
        assigned = build_campaign(args.assignments)
        print(f"campaign: {len(assigned)} leased assignments in {time.monotonic() - started:.0f} s")
        groups = [assigned[n :: len(args.connections)] for n in range(len(args.connections))]
        from django.db import connections

        connections.close_all()
        port = free_port()
        server = start_server(env, port, work / "gunicorn.log", args.gunicorn_extra)
        results: list[PhaseResult] = []
        checks: dict[int, AnswerCheck] = {}
        for group, conns in zip(groups, args.connections, strict=True):
            plan = answer_plan(group)
            connections.close_all()
            for phase in PHASES:
                prefix = str(work / f"{phase}-{conns}-")
                write_requests(prefix, args.threads, phase_lines(phase, conns, plan))
                summary = run_wrk(
                    port, prefix, connections=conns, seconds=args.seconds, threads=args.threads
                )
                drain(port)
                result = PhaseResult(
                    phase=phase,
                    connections=conns,
                    requests_per_s=summary["requests"] / (summary["duration_us"] / 1e6),
                    p50_ms=summary["p50_us"] / 1000,
                    p99_ms=summary["p99_us"] / 1000,
                    summary=summary,
                )
                results.append(result)
                print(format_result(result), flush=True)
            time.sleep(1)  # let the requests still on a worker finish before checking
            checks[conns] = check_answers(plan, str(work / f"answers-{conns}-"), args.threads)
        stop_server(server)
        server = None
        print(f"load after: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} (1, 5 min)")
        return report(results, checks)
    finally:
        if server is not None:
            stop_server(server)
        from django.db import connections

        connections.close_all()
        if not args.keep:
            recreate_database(args.pg, args.database, drop_only=True)
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"kept: database {args.database}, files {work}")


def phase_lines(phase: str, conns: int, plan: list[tuple[AnswerKey, str, str, str]]) -> list[str]:
    if phase == "answers":
        return [
            "POST\t/w/a/{}/api/answer\t{}".format(
                token,
                json.dumps(
                    {
                        "item": key.item,
                        "candidate": key.candidate,
                        "criterion": key.criterion,
                        "value": value,
                        "session": session,
                    }
                ),
            )
            for key, token, session, value in plan
        ]
    path = "/bench/trivial" if phase == "trivial" else "/bench/insert"
    return [
        f'POST\t{path}\t{{"key": "{conns}-{n}", "value": {n % 5 + 1}}}' for n in range(len(plan))
    ]


def format_result(result: PhaseResult) -> str:
    s = result.summary
    errors = {k: s[k] for k in ("connect", "read", "write", "status", "timeout") if s[k]}
    return (
        f"{result.connections:>4} conns  {result.phase:<8} {result.requests_per_s:8.0f} req/s  "
        f"p50 {result.p50_ms:8.1f} ms  p99 {result.p99_ms:8.1f} ms"
        + (f"  errors {errors}" if errors else "")
        + (f"  EXHAUSTED after {s['sent']} requests" if s["exhausted"] else "")
    )


def report(results: list[PhaseResult], checks: dict[int, AnswerCheck]) -> int:
    by = {(r.phase, r.connections): r for r in results}
    print("\nanswers relative to the baselines (targets: >= 0.50 of insert req/s, p99 <= 3x):")
    failed = False
    for conns, check in checks.items():
        answers, trivial, insert = (by[(p, conns)] for p in ("answers", "trivial", "insert"))
        print(
            f"{conns:>4} conns  req/s {answers.requests_per_s / trivial.requests_per_s:5.2f}x "
            f"trivial, {answers.requests_per_s / insert.requests_per_s:5.2f}x insert;  "
            f"p50 {answers.p50_ms / trivial.p50_ms:5.2f}x trivial, "
            f"{answers.p50_ms / insert.p50_ms:5.2f}x insert;  "
            f"p99 {answers.p99_ms / trivial.p99_ms:5.2f}x trivial, "
            f"{answers.p99_ms / insert.p99_ms:5.2f}x insert"
        )
        print(
            f"           database: {check.acknowledged} acknowledged, {check.refused} refused, "
            f"{check.in_flight} in flight when wrk stopped; "
            + (
                "every acknowledged answer stored once with its value"
                if not check.problems
                else f"{len(check.problems)} PROBLEMS"
            )
        )
        for problem in check.problems[:20]:
            print("             ", problem)
        failed = failed or bool(check.problems) or check.refused > 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
