"""The test suite's settings: the project's, plus what keeps two runs on one machine apart.

Worker processes that a test starts inherit the environment variables set here (and
DJANGO_SETTINGS_MODULE), so they use the same broker folders and secret key.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

# One key per run, shared with the worker processes (the settings refuse to run on a
# production database without one, which is how CI runs the suite).
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
# The suite's own adapters beside the demo's (worker processes inherit the variable).
os.environ.setdefault(
    "EVALPLATFORM_ADAPTER_MODULES", "demo.adapters,tests.campaigns.adapters,tests.e2e.adapters"
)

from evalplatform.settings import *  # noqa: F403
from evalplatform.settings import (
    CELERY_BROKER_URL,
    DATABASES,
    VAR_DIR,
    filesystem_broker_options,
)

# Every run its own broker folders, so that two runs never share a queue.
os.environ.setdefault("EVALPLATFORM_BROKER_DIR", str(VAR_DIR / f"celery-test-{os.getpid()}"))
CELERY_BROKER_FOLDER = Path(os.environ["EVALPLATFORM_BROKER_DIR"])
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = filesystem_broker_options(CELERY_BROKER_FOLDER)

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so that a Celery worker thread or process started by a test sees
    # the same test database; one per run.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
