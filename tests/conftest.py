"""Fixtures for the whole suite. Builders live in tests/factories.py; fixtures here stay
general: campaigns of each protocol, published with their HITs built, and workers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from evalplatform.campaigns.models import Campaign
from evalplatform.crowd.models import Worker
from tests.factories import WorkerFactory, make_campaign


def pytest_configure(config: pytest.Config) -> None:
    """The folders the test database and the broker write to (settings make none)."""
    from evalplatform.var_dir import ensure_var_dirs

    ensure_var_dirs()


def prepare_app_for_worker_threads(app: Any) -> None:
    """What a Celery worker does once per process, done by the caller now: finalize the app
    (every task registered) and the loader's worker initialisation (django.setup() again,
    Django's system checks, each app's tasks module imported). The first start_worker of a
    process would do it, walking process-wide registries (the app's tasks, the admin's
    models, model classes) while other threads may run: in the browser tests, the live
    server's. Done while the process has one thread, a later start only reads registries
    that nothing fills any more."""
    app.finalize()
    app.loader.init_worker()


def pytest_collection_finish(session: pytest.Session) -> None:
    """Before the first test (and so before the live server's thread and Playwright's):
    the worker's once-per-process work, when a collected test starts a worker thread."""
    if any("celery_worker_thread" in getattr(item, "fixturenames", ()) for item in session.items):
        from evalplatform.celery import app

        prepare_app_for_worker_threads(app)


@pytest.fixture
def campaign_factory(db) -> Callable[..., Campaign]:
    """``campaign_factory("likert-fce", status="ready", overrides={...})``: see
    tests.factories.make_campaign."""
    return make_campaign


@pytest.fixture
def ggb_campaign(db) -> Campaign:
    """Good/okay/bad, 4 systems, 3 HITs x 4 dialogues, 1 gold check per HIT, published."""
    return make_campaign("good-okay-bad")


@pytest.fixture
def likert_campaign(db) -> Campaign:
    """Likert (seed 000: fluency, consistency, emotion accuracy), 3 systems, published."""
    return make_campaign("likert-fce")


@pytest.fixture
def ab_campaign(db) -> Campaign:
    """A/B with tie, 3 systems (3 pairs x 4 contexts), 3 HITs, published."""
    return make_campaign("ab-wlt")


@pytest.fixture
def worker_factory(db) -> Callable[..., Worker]:
    def make(**kwargs: Any) -> Worker:
        return WorkerFactory(**kwargs)

    return make


@pytest.fixture
def worker(worker_factory) -> Worker:
    return worker_factory()


@pytest.fixture
def celery_worker_thread(transactional_db):
    """A real Celery worker (a thread of this process) on both queues of the configured
    broker: the filesystem one by default, Redis in CI. Celery's docs warn that eager mode
    is not a test of tasks, so flow tests use this."""
    from celery.contrib.testing.worker import start_worker

    from evalplatform.celery import app
    from generation.backends import clear_backend_cache
    from generation.classifier import clear_label_predictors

    assert app.loader.worker_initialized, (
        "the worker's once-per-process work was left to start_worker (pytest_collection_finish)"
    )
    app.control.purge()
    with start_worker(
        app,
        pool="solo",
        queues=["generation", "default"],
        perform_ping_check=False,
        shutdown_timeout=30,
    ) as worker:
        yield worker
    clear_backend_cache()
    clear_label_predictors()


def wait_until(predicate: Callable[[], Any], timeout: float = 180.0, what: str = "the worker"):
    """Poll what another process or thread commits; each poll opens a fresh connection so
    it never reads a stale snapshot."""
    import time

    from django.db import connection

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        connection.close()
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """An honest exit status: a run in which no test passed (everything skipped or
    deselected) is a failure, as pytest already makes a run that collects nothing."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None or exitstatus != pytest.ExitCode.OK:
        return
    if not reporter.stats.get("passed"):
        session.exitstatus = pytest.ExitCode.NO_TESTS_COLLECTED
