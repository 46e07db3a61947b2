"""The reference deployment: docker-compose.yml validates and wires what production needs."""

from __future__ import annotations

import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_file_passes_compose_validation():
    result = subprocess.run(
        [str(ROOT / "scripts" / "check_compose.sh")], capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_runs_the_services_production_needs():
    services = compose()["services"]
    assert {"postgres", "redis", "web", "worker", "gpu-worker", "beat"} <= set(services)
    web = " ".join(services["web"]["command"])
    assert "gunicorn evalplatform.wsgi:application" in web


def test_gpu_worker_reserves_a_gpu_and_consumes_only_the_generation_queue():
    gpu = compose()["services"]["gpu-worker"]
    command = gpu["command"]
    assert command[command.index("--queues") + 1] == "generation"
    devices = gpu["deploy"]["resources"]["reservations"]["devices"]
    assert devices[0]["capabilities"] == ["gpu"]
    cpu = compose()["services"]["worker"]["command"]
    assert cpu[cpu.index("--queues") + 1] == "default"


def test_every_app_service_points_at_postgres_and_redis():
    services = compose()["services"]
    for name in ("web", "worker", "gpu-worker", "beat"):
        environment = services[name]["environment"]
        assert environment["DATABASE_URL"].startswith("postgres://")
        assert environment["CELERY_BROKER_URL"].startswith("redis://redis:6379")
        assert environment["DJANGO_DEBUG"] == "false"
