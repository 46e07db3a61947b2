"""The reference deployment: docker-compose.yml validates and wires what production needs
(a TLS proxy in front of gunicorn, a healthcheck that passes, a writable models volume),
the image carries neither secrets nor test tools, and the example production settings pass
`manage.py check --deploy` with no issue."""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DEV_TOOLS = ("pytest", "pytest-django", "playwright", "mypy", "ruff", "django-stubs", "hypothesis")


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def example_environment() -> dict[str, str]:
    """What an operator runs: .env.example with its change-me values replaced, plus the
    environment that docker-compose.yml gives every app container."""
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    values = {
        name: secrets.token_urlsafe(50) if value.startswith("change-me") else value
        for name, value in values.items()
    }

    def interpolate(text: str) -> str:
        return re.sub(
            r"\$\{(\w+)(?::[-?]([^}]*))?\}",
            lambda match: values.get(match[1]) or (match[2] or ""),
            text,
        )

    app = compose()["x-app"]["environment"]
    return {**values, **{name: interpolate(str(value)) for name, value in app.items()}}


def clean_environment(tmp_path: Path, **variables: str) -> dict[str, str]:
    prefixes = ("DJANGO_", "EVALPLATFORM_", "DATABASE_", "CELERY_", "MTURK_", "PROLIFIC_")
    env = {key: value for key, value in os.environ.items() if not key.startswith(prefixes)}
    env.update(
        DJANGO_SETTINGS_MODULE="evalplatform.settings",
        EVALPLATFORM_ENV_FILE=str(tmp_path / "no.env"),
        EVALPLATFORM_VAR_DIR=str(tmp_path / "var"),
        **variables,
    )
    return env


def test_compose_file_passes_compose_validation():
    result = subprocess.run(
        [str(ROOT / "scripts" / "check_compose.sh")], capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_runs_the_services_production_needs():
    services = compose()["services"]
    assert {"postgres", "redis", "web", "worker", "gpu-worker", "beat", "proxy"} <= set(services)
    web = " ".join(services["web"]["command"])
    assert "gunicorn evalplatform.wsgi:application" in web


def test_only_the_tls_proxy_is_published_and_gunicorn_trusts_only_its_address():
    services = compose()["services"]
    proxy = services["proxy"]
    assert proxy["image"].split(":")[0] == "caddy"
    assert {"80:80", "443:443"} <= set(proxy["ports"])
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]
    address = proxy["networks"]["edge"]["ipv4_address"]
    for name, service in services.items():
        if name != "proxy":
            assert "ports" not in service, f"{name} is reachable without the proxy"
    command = services["web"]["command"]
    assert command[command.index("--forwarded-allow-ips") + 1] == address
    lines = (ROOT / "deploy" / "Caddyfile").read_text().splitlines()
    caddyfile = "\n".join(line for line in lines if not line.strip().startswith("#"))
    assert "reverse_proxy web:8000" in caddyfile
    assert "header_up -X-Forwarded-Ssl" in caddyfile
    assert "trusted_proxies" not in caddyfile  # Caddy then overwrites X-Forwarded-Proto


def test_gpu_worker_reserves_a_gpu_and_consumes_only_the_generation_queue():
    gpu = compose()["services"]["gpu-worker"]
    command = gpu["command"]
    assert command[command.index("--queues") + 1] == "generation"
    devices = gpu["deploy"]["resources"]["reservations"]["devices"]
    assert devices[0]["capabilities"] == ["gpu"]
    cpu = compose()["services"]["worker"]["command"]
    assert cpu[cpu.index("--queues") + 1] == "default"


def test_every_app_service_points_at_postgres_and_redis_over_https_only():
    services = compose()["services"]
    for name in ("web", "worker", "gpu-worker", "beat"):
        environment = services[name]["environment"]
        assert environment["DATABASE_URL"].startswith("postgres://")
        assert environment["CELERY_BROKER_URL"].startswith("redis://redis:6379")
        assert environment["DJANGO_DEBUG"] == "false"
        assert environment["DJANGO_SECURE_SSL_REDIRECT"] == "true"
        assert environment["DJANGO_SECURE_COOKIES"] == "true"
        assert "models:/models" in services[name]["volumes"]


def test_the_models_volume_is_writable_by_the_container_user():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "--uid 1000" in dockerfile and "USER evalplatform" in dockerfile
    assert re.search(r"chown -R evalplatform [^\n]*/models", dockerfile)
    assert dockerfile.index("/models") < dockerfile.index("USER evalplatform")
    assert "EVALPLATFORM_MODEL_DIR=/models" in dockerfile


def test_the_image_leaves_out_secrets_local_state_and_test_tools():
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".env", ".venv", "var", ".git", "tests"} <= ignored
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "-r requirements-prod.lock" in dockerfile and "-r requirements.lock" not in dockerfile
    production = (ROOT / "requirements-prod.lock").read_text().splitlines()
    pins = [line for line in production if line and not line.startswith("#")]
    names = {pin.split("==")[0].lower() for pin in pins}
    assert names.isdisjoint(DEV_TOOLS)
    assert {"django", "celery", "gunicorn", "whitenoise", "psycopg"} <= names
    assert set(pins) <= set((ROOT / "requirements.lock").read_text().splitlines())


def test_check_deploy_is_clean_with_the_example_production_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=clean_environment(tmp_path, **example_environment()),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def get(url: str, **headers: str) -> tuple[int, str]:
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers), timeout=10) as response:
            return response.status, ""
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Location", "")


@pytest.fixture
def gunicorn_as_in_compose(tmp_path):
    """The web command of docker-compose.yml with the example production settings, on a
    free local port and SQLite (healthz asks the database for SELECT 1)."""
    environment = example_environment()
    environment["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    command = compose()["services"]["web"]["command"]
    port = free_port()
    command = [c if c != "0.0.0.0:8000" else f"127.0.0.1:{port}" for c in command]
    command[command.index("--workers") + 1] = "1"
    env = clean_environment(tmp_path, **environment)
    (tmp_path / "var").mkdir()
    server = subprocess.Popen(
        [sys.executable, "-m", *command],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    host = environment["DJANGO_ALLOWED_HOSTS"].split(",")[0]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            get(f"{base}/healthz", Host=host)
            break
        except OSError:
            time.sleep(0.3)
    yield base, host, env
    server.terminate()
    server.wait(timeout=30)


def test_the_web_healthcheck_passes_with_the_example_settings(gunicorn_as_in_compose):
    base, _, env = gunicorn_as_in_compose
    healthcheck = compose()["services"]["web"]["healthcheck"]["test"]
    assert healthcheck[1:] == ["python", "deploy/healthcheck.py"]
    result = subprocess.run(
        [sys.executable, "deploy/healthcheck.py", f"{base}/healthz"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    # What the old healthcheck did: a Host the settings do not allow.
    assert get(f"{base}/healthz")[0] == 400


def test_a_client_other_than_the_proxy_cannot_claim_https(gunicorn_as_in_compose):
    base, host, _ = gunicorn_as_in_compose
    status, location = get(f"{base}/admin/login/", Host=host, **{"X-Forwarded-Proto": "https"})
    assert status == 301 and location.startswith(f"https://{host}/")
