"""celery_worker_thread starts a worker without the worker's once-per-process work.

The first start_worker of a process finalizes the app, reruns django.setup(), runs Django's
system checks and imports every app's tasks module, walking process-wide registries (the
app's tasks, the admin's models, model classes) at Python speed. In the browser tests the
live server's thread and Playwright already run then, and a registry changed by another
thread during such a walk fails the fixture with "dictionary changed size during
iteration". The suite does that work before its first test (tests/conftest.py); each case
here runs in a fresh process, where the worker starts for the first time."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Enter start_worker as celery_worker_thread does, on a queue of its own, and report what
# the main thread did inside it.
SCRIPT = """
import json, os, sys, types
import django
django.setup()
from celery.contrib.testing.worker import start_worker
from django.core import checks
from evalplatform.celery import app
import tests.conftest as suite

if sys.argv[1] == "suite":
    collected = types.SimpleNamespace(fixturenames=["transactional_db", "celery_worker_thread"])
    suite.pytest_collection_finish(types.SimpleNamespace(items=[collected]))
runs = []
run_checks = checks.run_checks
checks.run_checks = lambda *args, **kwargs: runs.append(1) or run_checks(*args, **kwargs)
initialized = app.loader.worker_initialized
before = set(app._tasks)
with start_worker(app, pool="solo", queues=[f"probe-{os.getpid()}"],
                  perform_ping_check=False, shutdown_timeout=30):
    registered = sorted(set(app._tasks) - before)
print(json.dumps({"initialized": initialized, "checks": len(runs), "registered": registered}))
"""


def first_start(mode: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, mode],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.celery_worker
def test_the_first_start_of_a_bare_process_does_the_work_inside_start_worker():
    """What the suite avoids, seen by the same measurement: without the preparation the
    checks run and the tasks are registered inside start_worker."""
    seen = first_start("bare")
    assert not seen["initialized"]
    assert seen["checks"] == 1
    assert "evalplatform.crowd.tasks.expire_leases" in seen["registered"]


@pytest.mark.celery_worker
def test_a_suite_that_starts_worker_threads_does_the_work_before_its_first_test():
    seen = first_start("suite")
    assert seen == {"initialized": True, "checks": 0, "registered": []}
