"""`make demo`: the whole job on the embedded default, as a newcomer first sees it.

Imports the project's demo dialogues, trains the project's small models, creates one
campaign per preset, generates candidates through a real Celery worker, publishes HITs to
the local crowd, answers some of them with the simulated crowd over HTTP, and leaves the
rest open for the person at the keyboard.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from tqdm import tqdm

from evalplatform.campaigns.models import Campaign, CampaignStatus, Dataset, System
from evalplatform.campaigns.services import campaign_create_from_preset, system_register
from evalplatform.campaigns.tasks import campaign_start_generation
from evalplatform.crowd.services.hits import campaign_publish_hits
from evalplatform.crowd.services.invites import invite_path, invites_create
from evalplatform.reports.kept import (
    judgment_fingerprint,
    kept_report_build,
    kept_report_request,
)

ROOT = Path(__file__).resolve().parents[2]
DEMO_DATASET = "demo"
ADMIN_USER = "admin"


@dataclass(frozen=True)
class DemoCampaign:
    preset: str
    systems: tuple[str, ...]
    overrides: dict[str, Any]
    simulate: bool


CAMPAIGNS = (
    DemoCampaign(
        "likert-fce",
        ("bart-beam5", "gpt2-greedy", "template-adapter"),
        # GPT-2 predicts no emotion: left out of emotion accuracy rather than refused.
        {
            "sample_size": 20,
            "items_per_hit": 5,
            "assignments_per_hit": 3,
            "unlabelled_systems": "exclude",
        },
        True,
    ),
    DemoCampaign(
        "likert-efir",
        ("bart-beam5",),
        {"sample_size": 20, "items_per_hit": 5, "assignments_per_hit": 3},
        False,
    ),
    DemoCampaign(
        "good-okay-bad",
        ("bart-beam5", "gpt2-topk3", "template-adapter"),
        {"sample_size": 60, "items_per_hit": 10, "gold_per_hit": 3},
        True,
    ),
    DemoCampaign(
        "likert-fre",
        ("bart-beam5", "gpt2-topk3", "template-adapter"),
        {"sample_size": 20, "items_per_hit": 5},
        True,
    ),
    DemoCampaign(
        "ab-wlt",
        ("bart-beam5", "gpt2-topk3", "template-adapter"),
        {"sample_size": 10, "items_per_hit": 5},
        True,
    ),
    DemoCampaign(
        "likert-erf",
        ("gpt2-greedy", "template-adapter"),
        {"sample_size": 20, "items_per_hit": 5},
        False,
    ),
)


@dataclass
class DemoState:
    base_url: str
    password: str = ""
    campaigns: list[Campaign] = field(default_factory=list)
    invites: dict[str, str] = field(default_factory=dict)
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


def prepare(*, base_url: str, minutes: float, model_size: str) -> DemoState:
    """Everything up to a site with work in it; returns what the summary prints."""
    state = DemoState(base_url=base_url)
    say("Migrating the database (SQLite under var/ unless DATABASE_URL is set)")
    call_command("migrate", verbosity=0)
    state.password = ensure_admin()
    ensure_dataset()
    say(f"Training the project's small models (about {minutes:g} min of CPU, once)")
    call_command("train_models", dataset=DEMO_DATASET, minutes=minutes, size=model_size)
    system_register(  # validated like any system: its module is on the adapter allow-list
        name="template-adapter",
        kind="adapter",
        path="demo.adapters:template_responder",
        description="Rule-based empathetic responder behind a Python adapter.",
    )
    state.campaigns = [ensure_campaign(spec) for spec in CAMPAIGNS]
    state.processes.append(start_celery_worker())
    generate(state.campaigns)
    for campaign in state.campaigns:
        campaign_publish_hits(campaign=campaign)
        campaign.refresh_from_db()
        invite = (
            campaign.invites.filter(simulated=False).first()
            or invites_create(campaign=campaign, count=1, label="you, at the keyboard")[0]
        )
        state.invites[campaign.preset] = base_url + invite_path(invite)
    return state


def build_reports(campaigns: list[Campaign]) -> None:
    """Build and keep the report of every campaign the simulated crowd answered, as a
    researcher's "Build the report" does, so the summary's report links open on a report.
    In this process rather than the Celery worker: the demo's campaigns are small and the
    summary should not print before they are ready."""
    for campaign in campaigns:
        fingerprint, analysed = judgment_fingerprint(campaign)
        if not analysed:
            continue
        _, build = kept_report_request(campaign=campaign, fingerprint=fingerprint)
        if build:
            say(f"Building the report of {campaign.name}")
            kept_report_build(campaign_id=campaign.pk)


def ensure_admin() -> str:
    """The demo's admin login; the password is made once and kept under var/."""
    secret_file = Path(settings.VAR_DIR) / "demo-admin-password"
    if not secret_file.exists():
        secret_file.write_text(secrets.token_urlsafe(12))
    password = secret_file.read_text().strip()
    user, _ = get_user_model().objects.get_or_create(username=ADMIN_USER)
    user.is_staff = user.is_superuser = True
    user.set_password(password)
    user.save()
    return password


def ensure_dataset() -> None:
    if not Dataset.objects.filter(name=DEMO_DATASET).exists():
        say("Importing the demo dialogues (demo/dialogues.jsonl)")
        call_command(
            "import_dialogues", str(ROOT / "demo" / "dialogues.jsonl"), dataset=DEMO_DATASET
        )


def ensure_campaign(spec: DemoCampaign) -> Campaign:
    name = f"Demo {spec.preset}"
    existing = Campaign.objects.filter(name=name).first()
    if existing:
        return existing
    systems = [System.objects.get(name=n) for n in spec.systems]
    return campaign_create_from_preset(
        preset_key=spec.preset,
        name=name,
        dataset=Dataset.objects.get(name=DEMO_DATASET),
        systems=systems,
        overrides=spec.overrides,
    )


def start_celery_worker() -> subprocess.Popen[bytes]:
    """A real worker on both queues of the configured broker (the filesystem one by
    default), kept running while the demo serves so the admin's actions work."""
    say("Starting a Celery worker (queues: default, generation) and the beat scheduler")
    log = open(Path(settings.VAR_DIR) / "celery-demo.log", "ab")  # noqa: SIM115
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "evalplatform",
            "worker",
            "-B",
            "-Q",
            "default,generation",
            "--concurrency",
            "1",
            "--loglevel",
            "info",
            "--schedule",
            str(Path(settings.VAR_DIR) / "celerybeat-schedule"),
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def generate(campaigns: list[Campaign], timeout: float = 900) -> None:
    say("Generating every (dialogue, system) candidate through Celery")
    for campaign in campaigns:
        if campaign.status in (CampaignStatus.DRAFT, CampaignStatus.GENERATING):
            campaign_start_generation(campaign=campaign)
    wait_with_bar(
        "campaigns ready",
        len(campaigns),
        lambda: (
            Campaign.objects.filter(
                pk__in=[c.pk for c in campaigns],
            )
            .exclude(status__in=[CampaignStatus.DRAFT, CampaignStatus.GENERATING])
            .count()
        ),
        timeout=timeout,
        failed=lambda: _generation_failures(campaigns),
    )
    for campaign in campaigns:
        campaign.refresh_from_db()


def _generation_failures(campaigns: list[Campaign]) -> str:
    from evalplatform.campaigns.models import CampaignSystem

    failed = CampaignSystem.objects.filter(
        campaign__in=campaigns, generation_status="failed"
    ).select_related("system")
    return "; ".join(f"{e.system.name}: {e.generation_error}" for e in failed)


def wait_with_bar(
    label: str,
    total: int,
    done: Callable[[], int],
    *,
    timeout: float,
    failed: Callable[[], str] = lambda: "",
) -> None:
    deadline = time.monotonic() + timeout
    with tqdm(total=total, desc=label, unit="") as bar:
        while True:
            connection.close()
            current = done()
            bar.update(current - bar.n)
            if current >= total:
                return
            problem = failed()
            if problem:
                raise RuntimeError(f"Generation failed: {problem}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Timed out waiting for {label}; see var/celery-demo.log.")
            time.sleep(0.5)


def start_web_server(port: int) -> subprocess.Popen[bytes]:
    say(f"Serving on http://127.0.0.1:{port}/")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    log = open(Path(settings.VAR_DIR) / "web-demo.log", "ab")  # noqa: SIM115
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    wait_for_http(f"http://127.0.0.1:{port}/healthz")
    return server


def wait_for_http(url: str, timeout: float = 60) -> None:
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


def summary(state: DemoState, report_urls: dict[str, str], *, serving: bool = True) -> str:
    """What the demo made and where to open it; without ``serving`` (``--no-serve``) the
    server stops with the command, and the summary must not ask for Ctrl-C."""
    lines = [
        "",
        "evalplatform demo is up." if serving else "evalplatform demo is ready (not serving).",
        f"  Admin:     {state.base_url}/admin/   login: {ADMIN_USER} / {state.password}",
        f"  API docs:  {state.base_url}/api/docs/",
        "  Do a HIT yourself (one invite link per protocol):",
        *(f"    {preset:<14} {url}" for preset, url in state.invites.items()),
        "  Reports:",
        *(f"    {preset:<14} {url}" for preset, url in report_urls.items()),
        "Press Ctrl-C to stop." if serving else "The server stopped with the command.",
    ]
    return "\n".join(lines)
