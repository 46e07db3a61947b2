"""Settings from the environment and `.env`: the embedded default with nothing set, the
production services when their variables are set, a secret key that is never a constant,
and no side effect of importing the settings.

Each case starts a fresh interpreter, since settings are read once per process.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETTINGS_FILE = ROOT / "evalplatform" / "settings.py"
# Variables of the developer's shell that would change what "nothing set" means.
CLEARED = (
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "DJANGO_SECRET_KEY",
    "DJANGO_DEBUG",
    "DJANGO_ALLOWED_HOSTS",
    "EVALPLATFORM_BROKER_DIR",
    "EVALPLATFORM_VAR_DIR",
    "EVALPLATFORM_ENV_FILE",
    "EVALPLATFORM_MODEL_DIR",
)
SETUP = "import json, hashlib, django; from django.conf import settings; django.setup();"
PRINT_SETTINGS = (
    SETUP + "from evalplatform.celery import app;"
    "print(json.dumps({'engine': settings.DATABASES['default']['ENGINE'],"
    " 'name': str(settings.DATABASES['default']['NAME']),"
    " 'broker': app.conf.broker_url, 'debug': settings.DEBUG,"
    " 'hosts': settings.ALLOWED_HOSTS}))"
)
PRINT_KEY = SETUP + "print(hashlib.sha256(settings.SECRET_KEY.encode()).hexdigest())"
OLD_CONSTANT_KEY = "insecure-development-key-never-use-in-production"


def run_python(
    code: str, tmp_path: Path, *, var_dir: Path | None = None, **variables: str
) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key not in CLEARED}
    env.update(
        DJANGO_SETTINGS_MODULE="evalplatform.settings",
        # A .env of the developer's checkout must not leak into "nothing set".
        EVALPLATFORM_ENV_FILE=str(tmp_path / "no.env"),
        EVALPLATFORM_VAR_DIR=str(var_dir or tmp_path),
        **variables,
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def run_settings(tmp_path: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    return run_python(PRINT_SETTINGS, tmp_path, **variables)


def test_nothing_set_gives_sqlite_the_filesystem_broker_and_no_debug(tmp_path):
    result = run_settings(tmp_path)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"] == str(tmp_path / "db.sqlite3")
    assert values["broker"] == "filesystem://"
    assert values["debug"] is False


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


def test_production_database_without_a_secret_key_is_refused(tmp_path):
    result = run_settings(tmp_path, DATABASE_URL="postgres://eval:pw@db.internal:5432/evalplatform")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_the_example_placeholder_secret_key_is_refused_in_production(tmp_path):
    result = run_settings(
        tmp_path,
        DATABASE_URL="postgres://eval:pw@db.internal:5432/evalplatform",
        DJANGO_SECRET_KEY="change-me-to-a-long-random-string",
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_env_file_sets_the_var_dir(tmp_path):
    env_file = tmp_path / "site.env"
    env_file.write_text(f"EVALPLATFORM_VAR_DIR={tmp_path / 'from-dotenv'}\n")
    env = {key: value for key, value in os.environ.items() if key not in CLEARED}
    env.update(DJANGO_SETTINGS_MODULE="evalplatform.settings", EVALPLATFORM_ENV_FILE=str(env_file))
    result = subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["name"] == str(tmp_path / "from-dotenv" / "db.sqlite3")


def test_importing_the_settings_creates_no_folder_and_no_key(tmp_path):
    var_dir = tmp_path / "var"
    code = SETUP + "settings.DATABASES; settings.INSTALLED_APPS; print('ok')"
    result = run_python(code, tmp_path, var_dir=var_dir)
    assert result.returncode == 0, result.stderr
    assert not var_dir.exists()


def test_with_nothing_set_a_random_key_is_made_once_0600_and_reused(tmp_path):
    first = run_python(PRINT_KEY, tmp_path)
    assert first.returncode == 0, first.stderr
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(key_file.read_text().strip()) >= 50
    second = run_python(PRINT_KEY, tmp_path)
    assert second.returncode == 0, second.stderr
    assert first.stdout == second.stdout
    assert first.stdout.strip() != hashlib.sha256(OLD_CONSTANT_KEY.encode()).hexdigest()
    other_instance = run_python(PRINT_KEY, tmp_path / "other")
    assert other_instance.stdout != first.stdout


def test_a_development_mode_is_available_explicitly(tmp_path):
    result = run_settings(tmp_path, DJANGO_DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["debug"] is True


def environment_reads() -> list[ast.Call]:
    tree = ast.parse(SETTINGS_FILE.read_text())
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "env"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    ]


def test_every_variable_the_settings_read_has_a_default():
    reads = environment_reads()
    names = {call.args[0].value for call in reads}
    assert {"EVALPLATFORM_VAR_DIR", "EVALPLATFORM_MODEL_DIR", "MTURK_MAX_ATTEMPTS"} <= names
    assert all(name.isupper() for name in names)
    without_default = [
        call.args[0].value
        for call in reads
        if not any(keyword.arg == "default" for keyword in call.keywords)
    ]
    assert without_default == []


def test_apps_read_settings_directly_not_through_fallbacks():
    offenders = []
    for path in (ROOT / "evalplatform").rglob("*.py"):
        text = path.read_text()
        if "getattr(settings," in text or "providers.conf" in text:
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
    assert not (ROOT / "evalplatform" / "providers" / "conf.py").exists()


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> tuple[int, str]:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_the_demo_server_serves_static_files_without_debug_pages(tmp_path):
    """What `make demo` runs: runserver with nothing set. Static files come through
    WhiteNoise (runserver serves none itself with DEBUG off), and an unknown URL gets the
    plain 404, not the debug page listing every URL pattern."""
    import time

    env = {key: value for key, value in os.environ.items() if key not in CLEARED}
    env.update(
        DJANGO_SETTINGS_MODULE="evalplatform.settings",
        EVALPLATFORM_ENV_FILE=str(tmp_path / "no.env"),
        EVALPLATFORM_VAR_DIR=str(tmp_path),
    )
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if fetch(f"{base}/static/crowd/task.js")[0] != 0:
                    break
            except OSError:
                time.sleep(0.3)
        status, body = fetch(f"{base}/static/crowd/task.js")
        assert status == 200 and "function" in body
        assert fetch(f"{base}/static/crowd/crowd.css")[0] == 200
        status, body = fetch(f"{base}/no-such-page/")
        assert status == 404
        assert "URLconf" not in body and "Traceback" not in body
    finally:
        server.terminate()
        server.wait(timeout=30)
