"""Benchmark: CPU per answer in one process, the token remembered or not, paired.

    .venv/bin/python benchmarks/answer_cpu.py --database answers_bench

Builds the load benchmark's campaign (benchmarks/answers.py; its own PostgreSQL database,
dropped afterwards) and posts distinct answers through Django's test client, in blocks that
alternate between a token this process remembers (``crowd/selectors/facts.py``: one
statement) and one forgotten before every answer, as a token is the first time a process
sees it (a narrow read of what the process remembers, then the same statement).
Both run in the same process, against the same database, under the same load, so their
ratio holds on a busy machine where absolute times do not. Prints Python's CPU per answer
(``time.process_time``) and the PostgreSQL backend's (``/proc/<pid>/stat`` of
``pg_backend_pid()``; the server must run on this machine) for each. A benchmark, not a
test: it never fails on timing.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.answers import (  # noqa: E402
    AnswerKey,
    answer_plan,
    build_campaign,
    recreate_database,
    setup_django,
)

BLOCK = 100


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="evalplatform_bench_cpu")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--answers", type=int, default=8000, help="timed, both modes together")
    args = parser.parse_args()
    recreate_database(args.pg, args.database)
    setup_django(
        {
            "DATABASE_URL": f"{args.pg}/{args.database}",
            "DJANGO_SETTINGS_MODULE": "benchmarks.answers_site.settings",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": os.urandom(32).hex(),
            "DJANGO_ALLOWED_HOSTS": "testserver",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_LOG_LEVEL": "WARNING",
        }
    )
    from django.db import connection

    try:
        run(args.answers)
    finally:
        connection.close()
        recreate_database(args.pg, args.database, drop_only=True)
    return 0


def run(count: int) -> None:
    from django.db import connection
    from django.test import Client

    from evalplatform.crowd.selectors.facts import clear_facts

    plan = answer_plan(build_campaign(100))
    client = Client()

    def post(entry: tuple[AnswerKey, str, str, str]) -> None:
        key, token, session, value = entry
        body = {"session": session, "item": key.item, "candidate": key.candidate}
        body |= {"criterion": key.criterion, "value": value}
        response = client.post(
            f"/w/a/{token}/api/answer", json.dumps(body), content_type="application/json"
        )
        assert response.status_code == 200, response.content

    def backend_cpu() -> float:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            (pid,) = cursor.fetchone()
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    warm = 300  # every token seen, every statement prepared
    for entry in plan[:warm]:
        post(entry)
    totals = {"remembered": [0.0, 0.0, 0], "forgotten": [0.0, 0.0, 0]}
    for number, start in enumerate(range(warm, min(warm + count, len(plan)), BLOCK)):
        mode = "remembered" if number % 2 == 0 else "forgotten"
        block = plan[start : start + BLOCK]
        pg, python = backend_cpu(), time.process_time()
        for entry in block:
            if mode == "forgotten":
                clear_facts()
            post(entry)
        pg, python = backend_cpu() - pg, time.process_time() - python
        if mode == "forgotten":  # untimed: the next block finds its tokens remembered again
            for entry in block:
                post(entry)
        totals[mode][0] += python
        totals[mode][1] += pg
        totals[mode][2] += len(block)
    for mode, (python, pg, n) in totals.items():
        print(
            f"{mode:>10}: {int(n)} answers, Python {1e3 * python / n:.3f} ms CPU per answer, "
            f"PostgreSQL backend {1e3 * pg / n:.3f} ms"
        )
    load = os.getloadavg()
    print(f"load average after: {load[0]:.2f} {load[1]:.2f} (1, 5 min)")


if __name__ == "__main__":
    raise SystemExit(main())
