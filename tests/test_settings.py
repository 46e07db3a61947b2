"""Settings from the environment: the embedded default with nothing set, the production
services when their variables are set, and a refusal to run without a secret in production.

Each case starts a fresh interpreter, since settings are read once per process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION_VARIABLES = (
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "DJANGO_SECRET_KEY",
    "DJANGO_DEBUG",
    "DJANGO_ALLOWED_HOSTS",
    "EVALPLATFORM_BROKER_DIR",
)
PRINT_SETTINGS = (
    "import json, django; from django.conf import settings; django.setup();"
    "from evalplatform.celery import app;"
    "print(json.dumps({'engine': settings.DATABASES['default']['ENGINE'],"
    " 'name': str(settings.DATABASES['default']['NAME']),"
    " 'broker': app.conf.broker_url, 'debug': settings.DEBUG,"
    " 'hosts': settings.ALLOWED_HOSTS}))"
)


def run_settings(tmp_path: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key not in PRODUCTION_VARIABLES}
    env.update(
        DJANGO_SETTINGS_MODULE="evalplatform.settings",
        EVALPLATFORM_VAR_DIR=str(tmp_path),
        **variables,
    )
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_nothing_set_gives_sqlite_and_the_filesystem_broker(tmp_path):
    result = run_settings(tmp_path)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"] == str(tmp_path / "db.sqlite3")
    assert values["broker"] == "filesystem://"
    assert (tmp_path / "celery-broker" / "queue").is_dir()


def test_production_variables_select_postgres_and_redis(tmp_path):
    result = run_settings(
        tmp_path,
        DATABASE_URL="postgres://eval:pw@db.internal:5432/evalplatform",
        CELERY_BROKER_URL="redis://cache.internal:6379/0",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_ALLOWED_HOSTS="eval.example.org",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["name"] == "evalplatform"
    assert values["broker"] == "redis://cache.internal:6379/0"
    assert values["debug"] is False and values["hosts"] == ["eval.example.org"]


def test_secret_key_is_required_when_debug_is_off(tmp_path):
    result = run_settings(tmp_path, DJANGO_DEBUG="false")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off" in result.stderr
