"""Benchmark: a good/okay/bad campaign's report from the database against the pure analysis.

    .venv/bin/python benchmarks/report.py                   # 47,520 and 250,000 answers
    .venv/bin/python benchmarks/report.py --answers 1000000 # one scale

An "answer" is as in benchmarks/analysis.py: one worker's sorting of one dialog's candidates
(4 systems, a gold row on 3 dialogs in 10), from the same simulator with the same seed. For
each scale: a fresh SQLite database (``var/bench/report-N.sqlite3``, or ``--database-url``;
``--database PATH`` keeps the file and reuses it on the next run instead of refilling it)
is migrated and filled with bulk inserts (dialogues, systems, candidates, a campaign with
its HITs, items, shown responses, workers, submitted assignments, judgments and page
visits); then ``manage.py report CAMPAIGN --format html`` runs in a child process, timed,
with its peak RSS; then the baseline runs in another child: the same judgments as a frame
in memory through ``build_report`` + ``to_html`` with the same settings, as
benchmarks/analysis.py does. Printed: both times, both peaks and their ratio. A benchmark,
not a test: it prints figures and never fails on timing.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CAMPAIGN = "bench-report"


def simulated(answers: int, *, categorical: bool = False):  # type: ignore[no-untyped-def]
    """The simulated judgments; ``categorical``: system, label and subset as categoricals,
    the frame benchmarks/analysis.py times (the fill stores plain text either way)."""
    from benchmarks.analysis import SHARES, SUBSETS
    from tests.analysis.simulated import simulate_ggb

    workers = max(200, answers // 200)
    items = answers // 4
    df = simulate_ggb(
        SHARES,
        subsets=SUBSETS,
        items_per_subset=items // len(SUBSETS),
        workers=workers,
        seed=0,
        categorical=categorical,
    )
    return df


def fill(answers: int) -> int:
    """The simulated judgments stored as a campaign, with bulk inserts; returns rows."""
    import django

    django.setup()
    from evalplatform.campaigns.models import Candidate, Dataset, Dialogue, System
    from evalplatform.campaigns.services import campaign_create_from_preset
    from evalplatform.crowd.models import (
        Assignment,
        AssignmentStatus,
        Hit,
        Item,
        ItemCandidate,
        Worker,
    )

    df = simulated(answers)
    batch = 20_000
    dataset = Dataset.objects.create(name="bench")
    items = sorted(set(zip(df["item"], df["subset"], strict=True)))
    Dialogue.objects.bulk_create(
        [
            Dialogue(dataset=dataset, external_id=f"d{i}", turns=[], subset=s, position=i)
            for i, s in items
        ],
        batch_size=batch,
    )
    dialogue_id = dict(Dialogue.objects.filter(dataset=dataset).values_list("position", "id"))
    names = sorted(set(df["system"]) - {"gold"})
    systems = [System.objects.create(name=n, kind="imported") for n in names]
    Candidate.objects.bulk_create(
        [
            Candidate(system=s, dialogue_id=dialogue_id[i], text="r")
            for s in systems
            for i, _ in items
        ],
        batch_size=batch,
    )
    campaign = campaign_create_from_preset(
        preset_key="good-okay-bad",
        name=CAMPAIGN,
        dataset=dataset,
        systems=systems,
        overrides={"sample_subsets": sorted({s for _, s in items}), "sample_size": len(items)},
    )
    criterion = campaign.criteria.get()
    per_hit = 10
    Hit.objects.bulk_create(
        [Hit(campaign=campaign, index=h) for h in range(len(items) // per_hit + 1)],
        batch_size=batch,
    )
    hit_id = dict(campaign.hits.values_list("index", "id"))
    Item.objects.bulk_create(
        [
            Item(hit_id=hit_id[i // per_hit], position=i % per_hit, dialogue_id=dialogue_id[i])
            for i, _ in items
        ],
        batch_size=batch,
    )
    item_id = {
        (h, p): pk
        for h, p, pk in Item.objects.filter(hit__campaign=campaign).values_list(
            "hit__index", "position", "id"
        )
    }
    item_of = {i: item_id[(i // per_hit, i % per_hit)] for i, _ in items}
    candidate_id = {
        (d, s): pk for d, s, pk in Candidate.objects.values_list("dialogue_id", "system_id", "id")
    }
    system_id = {s.name: s.pk for s in systems}
    shown = df[["item", "system"]].drop_duplicates()
    positions: dict[int, int] = {}
    shown_rows = []
    for i, system in zip(shown["item"], shown["system"], strict=True):
        position = positions[i] = positions.get(i, -1) + 1
        gold = system == "gold"
        cand = None if gold else candidate_id[(dialogue_id[i], system_id[system])]
        shown_rows.append(
            ItemCandidate(item_id=item_of[i], position=position, candidate_id=cand, is_gold=gold)
        )
    ItemCandidate.objects.bulk_create(shown_rows, batch_size=batch)
    shown_id = {}
    for item_pk, cand, name, pk in ItemCandidate.objects.filter(
        item__hit__campaign=campaign
    ).values_list("item_id", "candidate_id", "candidate__system__name", "id"):
        shown_id[(item_pk, name if cand else "gold")] = pk
    Worker.objects.bulk_create(
        [Worker(provider="local", external_id=f"w{w}") for w in sorted(set(df["worker"]))],
        batch_size=batch,
    )
    worker_id = dict(Worker.objects.values_list("external_id", "id"))
    later = datetime.now(UTC) + timedelta(days=1)
    pairs = df[["assignment", "worker"]].drop_duplicates()
    Assignment.objects.bulk_create(
        [
            Assignment(
                hit_id=hit_id[a // 4],
                worker_id=worker_id[f"w{w}"],
                status=AssignmentStatus.SUBMITTED,
                lease_expires_at=later,
                position=0,
            )
            for a, w in zip(pairs["assignment"], pairs["worker"], strict=True)
        ],
        batch_size=batch,
    )
    assignment_id = {
        (h, w): pk
        for h, w, pk in Assignment.objects.filter(hit__campaign=campaign).values_list(
            "hit__index", "worker__external_id", "id"
        )
    }
    assignment_of = {
        a: assignment_id[(a // 4, f"w{w}")]
        for a, w in zip(pairs["assignment"], pairs["worker"], strict=True)
    }
    judgments_from(df, 0, assignment_of, item_of, shown_id, criterion.pk)
    visits_from(df, assignment_of, per_hit)
    return len(df)


def stored_rows() -> int:
    """The judgments of a database filled by an earlier run."""
    import django

    django.setup()
    from evalplatform.crowd.models import Judgment

    return Judgment.objects.filter(assignment__hit__campaign__name=CAMPAIGN).count()


def insert_rows(model, fields: list[str], rows) -> None:  # type: ignore[no-untyped-def]
    """Plain parameterised INSERTs, 20,000 rows a statement batch: millions of model
    instances (bulk_create) took most of an hour on the shared machine."""
    from django.db import connection, transaction

    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(model._meta.get_field(f).column) for f in fields)
    sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(fields))})"
    batch: list[tuple[object, ...]] = []
    with transaction.atomic(), connection.cursor() as cursor:
        for row in rows:
            batch.append(row)
            if len(batch) == 20_000:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def judgments_from(df, start, assignment_of, item_of, shown_id, criterion_id) -> None:  # type: ignore[no-untyped-def]
    """The simulated answers from row ``start`` on, as judgments."""
    from django.db import connection

    from evalplatform.crowd.models import Judgment

    now = connection.ops.adapt_datetimefield_value(datetime.now(UTC))
    part = df.iloc[start:][["assignment", "item", "system", "label"]]
    fields = ["assignment", "item", "item_candidate", "criterion", "label", "simulated"]
    insert_rows(
        Judgment,
        [*fields, "created_at", "updated_at"],
        (
            (assignment_of[a], item, shown_id[item, s], criterion_id, label, True, now, now)
            for a, i, s, label in part.itertuples(index=False)
            for item in [item_of[i]]
        ),
    )


def visits_from(df, assignment_of, per_hit: int) -> None:  # type: ignore[no-untyped-def]
    """One timed visit of each answered item's page."""
    from django.db import connection

    from evalplatform.crowd.models import PageVisit

    visits = df[["assignment", "item", "seconds"]].drop_duplicates(["assignment", "item"])
    opened = datetime(2026, 1, 1, tzinfo=UTC)
    adapt = connection.ops.adapt_datetimefield_value
    insert_rows(
        PageVisit,
        ["assignment", "page", "item_position", "opened_at", "closed_at"],
        (
            (assignment_of[a], "task", i % per_hit, adapt(opened), adapt(closed))
            for a, i, sec in visits.itertuples(index=False)
            for closed in [opened + timedelta(seconds=float(sec))]
        ),
    )


def baseline(answers: int) -> dict[str, float]:
    """The pure analysis of the same judgments: the frame in memory as benchmarks/analysis.py
    builds it (numbers for ids, categoricals for text, as the report's frame has codes),
    the campaign's settings, ``build_report`` + ``to_html`` (what ``report --format html``
    renders)."""
    import django

    django.setup()
    from evalplatform.campaigns.models import Campaign
    from evalplatform.reports.builder import build_report
    from evalplatform.reports.campaign_report import campaign_report_settings
    from evalplatform.reports.html import to_html

    settings = campaign_report_settings(Campaign.objects.get(name=CAMPAIGN))
    t0, cpu0 = time.perf_counter(), time.process_time()
    df = simulated(answers, categorical=True)
    generate_s, generate_cpu_s = time.perf_counter() - t0, time.process_time() - cpu0
    t0, cpu0 = time.perf_counter(), time.process_time()
    report = build_report(df, "ggb", settings)
    to_html(report)
    return {
        "seconds": time.perf_counter() - t0,
        "cpu_s": time.process_time() - cpu0,
        "generate_s": generate_s,
        "generate_cpu_s": generate_cpu_s,
    }


@dataclass(frozen=True)
class ChildRun:
    seconds: float
    stdout: str
    # CPU seconds (user + system): on a shared machine a steadier figure than wall time,
    # which counts the other processes' turns too.
    cpu_s: float
    peak_mib: float


def run_child(args: list[str], env: dict[str, str]) -> ChildRun:
    """Run one child and read its own usage with ``os.wait4``: ``RUSAGE_CHILDREN`` keeps the
    largest peak of every child waited for, so the report's peak after a fill would be the
    fill's (2,268 MiB read as the report's where the report itself peaks at 1,263)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t0 = time.perf_counter()
        child = subprocess.Popen(args, stdout=out, stderr=err, text=True, env=env, cwd=ROOT)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - t0
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if child.returncode:
            raise SystemExit(f"{' '.join(args)} failed:\n{err.read()[-3000:]}")
        return ChildRun(
            seconds=seconds,
            stdout=out.read(),
            cpu_s=usage.ru_utime + usage.ru_stime,
            peak_mib=usage.ru_maxrss / 1024,
        )


def measure(answers: int, database_url: str | None, database: Path | None) -> None:
    path = database or ROOT / "var" / "bench" / f"report-{answers}.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    reuse = database is not None and database.exists()
    if database is None:
        path.unlink(missing_ok=True)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "evalplatform.settings",
        "DATABASE_URL": database_url or f"sqlite:///{path}",
        # Production settings (DEBUG off, so no query log) need a key; this one signs nothing.
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "benchmark-only-not-secret"),
    }
    py = sys.executable
    # A kept file is migrated too: it may predate a migration of the code now timed.
    run_child([py, "manage.py", "migrate", "-v0"], env)
    if reuse:  # filled by an earlier run with the same --answers: time the report only
        t_fill, out = 0.0, run_child([py, __file__, "--child", "rows"], env).stdout
    else:
        fill_run = run_child([py, __file__, "--child", "fill", "--answers", str(answers)], env)
        t_fill, out = fill_run.seconds, fill_run.stdout
    rows = int(out.strip().splitlines()[-1])
    html = path.with_suffix(".html")
    report_run = run_child(
        [py, "manage.py", "report", CAMPAIGN, "--format", "html", "--out", str(html)], env
    )
    t_report, cpu_report, peak_report = report_run.seconds, report_run.cpu_s, report_run.peak_mib
    baseline_run = run_child([py, __file__, "--child", "baseline", "--answers", str(answers)], env)
    t_baseline_child, cpu_baseline_child = baseline_run.seconds, baseline_run.cpu_s
    out = baseline_run.stdout
    measured = json.loads(out.strip().splitlines()[-1])
    analysis_s, analysis_cpu_s = measured["seconds"], measured["cpu_s"]
    # The same process work as the command's: Python, Django and the analysis libraries
    # started, the report built and rendered; the synthetic data's generation left out.
    analysis_process_s = t_baseline_child - measured["generate_s"]
    analysis_process_cpu_s = cpu_baseline_child - measured["generate_cpu_s"]
    print(
        f"{answers:>9,} answers ({rows:,} judgments): manage.py report {t_report:.1f} s, peak "
        f"RSS {peak_report:.0f} MiB. Pure analysis: build + html {analysis_s:.1f} s in "
        f"memory, {analysis_process_s:.1f} s as a process with the same start-up. Report / "
        f"analysis x{t_report / analysis_s:.2f} (in memory), "
        f"x{t_report / analysis_process_s:.2f} (process to process); fill {t_fill:.0f} s\n"
        f"    CPU seconds (user + system): report {cpu_report:.1f}, analysis "
        f"{analysis_cpu_s:.1f} in memory, {analysis_process_cpu_s:.1f} as a process; "
        f"x{cpu_report / analysis_cpu_s:.2f} (in memory), "
        f"x{cpu_report / analysis_process_cpu_s:.2f} (process to process)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--answers", type=int, nargs="*", default=[47_520, 250_000])
    parser.add_argument("--database-url", help="a PostgreSQL database of your own")
    parser.add_argument(
        "--database",
        type=Path,
        help="an SQLite file kept after the run: filled when missing, reused (not refilled) "
        "when it exists, so that one fill of a million answers serves many timings; "
        "give it with a single --answers, the one it was filled with",
    )
    parser.add_argument("--child", choices=["fill", "rows", "baseline"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.database and (args.database_url or len(args.answers) != 1):
        parser.error("--database takes one --answers and no --database-url")
    if args.child == "fill":
        print(fill(args.answers[0]))
    elif args.child == "rows":
        print(stored_rows())
    elif args.child == "baseline":
        print(json.dumps(baseline(args.answers[0])))
    else:
        for answers in args.answers:
            measure(answers, args.database_url, args.database)


if __name__ == "__main__":
    main()
