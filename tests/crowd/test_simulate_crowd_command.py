"""``manage.py simulate_crowd``: in-process with nothing set, against a running server with
many workers at once, and loud failure when no answer can be stored."""

from __future__ import annotations

import io
import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from evalplatform.crowd.models import Assignment, Judgment
from tests.factories import make_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def hosts_as_configured(settings):
    """The hosts the command sees outside the tests: the test environment adds
    'testserver', which Django's in-process client names itself."""
    settings.ALLOWED_HOSTS = [host for host in settings.ALLOWED_HOSTS if host != "testserver"]


def simulate(*args: str) -> str:
    out = io.StringIO()
    call_command("simulate_crowd", *args, stdout=out)
    return out.getvalue()


def test_in_process_with_nothing_set_stores_answers(hosts_as_configured):
    campaign = make_campaign("likert-fce")
    output = simulate(campaign.name, "--workers", "2", "--hits-per-worker", "1")
    submitted = Assignment.objects.filter(hit__campaign=campaign, status="submitted")
    assert submitted.count() == 2
    stored = Judgment.objects.filter(assignment__hit__campaign=campaign).count()
    assert stored > 0
    assert f"2 assignments and {stored} answers" in output


def test_no_open_work_fails_with_a_clear_message(hosts_as_configured):
    campaign = make_campaign("likert-fce")
    campaign.hits.update(status="expired")
    with pytest.raises(CommandError, match="no open assignments") as raised:
        simulate(campaign.name, "--workers", "2")
    assert raised.value.returncode != 0
    assert not Judgment.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_drives_a_running_server_with_several_workers_at_once(live_server):
    campaign = make_campaign("good-okay-bad")  # 3 HITs x 2 assignments: 6 slots
    output = simulate(
        campaign.name, "--workers", "8", "--concurrency", "4", "--url", live_server.url
    )
    submitted = Assignment.objects.filter(hit__campaign=campaign, status="submitted")
    assert submitted.count() == 6  # every slot taken once; two workers found none left
    stored = Judgment.objects.filter(assignment__hit__campaign=campaign).count()
    assert stored > 0
    assert f"6 assignments and {stored} answers" in output
    assert re.search(rf"\d+ requests \([\d.]+/s\), {stored} answers \([\d.]+/s\), 0 errors", output)


def test_an_unreachable_server_fails_before_anything_is_made():
    campaign = make_campaign("likert-fce")
    with socket.socket() as probe:  # a loopback port that nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(CommandError, match=re.escape(f"Cannot reach http://127.0.0.1:{port}")):
        simulate(campaign.name, "--workers", "2", "--url", f"http://127.0.0.1:{port}")
    assert not campaign.invites.exists()


class NotOurServer(BaseHTTPRequestHandler):
    """Answers every GET with 200 and every POST with 500: past the health check, but no
    step of a HIT can succeed."""

    def do_GET(self) -> None:
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"ok")

    def do_POST(self) -> None:
        self.send_response(500)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_every_request_failing_fails_loudly():
    campaign = make_campaign("likert-fce")
    server = ThreadingHTTPServer(("127.0.0.1", 0), NotOurServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        with pytest.raises(CommandError, match="every simulated worker failed") as raised:
            simulate(campaign.name, "--workers", "3", "--concurrency", "2", "--url", url)
    finally:
        server.shutdown()
        server.server_close()
    assert raised.value.returncode == 1
    assert not Judgment.objects.exists()


def test_concurrency_needs_a_server():
    campaign = make_campaign("likert-fce")
    with pytest.raises(CommandError, match="--concurrency needs --url"):
        simulate(campaign.name, "--workers", "2", "--concurrency", "2")
