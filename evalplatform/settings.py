"""Settings, read from the environment.

With nothing set the embedded default serves: SQLite under ``var/``, a filesystem Celery
broker (a real broker that a real worker consumes, no services needed), the local crowd
provider and a development secret key. Production sets ``DATABASE_URL`` (Postgres),
``CELERY_BROKER_URL`` (Redis), ``DJANGO_SECRET_KEY`` and ``DJANGO_ALLOWED_HOSTS``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("EVALPLATFORM_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Under pytest every run gets its own SQLite test database and broker folders, so that two
# runs on one machine (a developer's and an editor's, say) never share a queue or a file.
# Worker processes started by the tests inherit the folder through the environment.
RUNNING_TESTS = "pytest" in sys.modules
if RUNNING_TESTS:
    os.environ.setdefault("EVALPLATFORM_BROKER_DIR", str(VAR_DIR / f"celery-test-{os.getpid()}"))

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    # Only ever used with DEBUG on: the demo and the tests need no secret.
    SECRET_KEY = "insecure-development-key-never-use-in-production"

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# The public https origin of this site: MTurk and Prolific send workers to it.
PUBLIC_BASE_URL = env.str("EVALPLATFORM_PUBLIC_URL", default="http://localhost:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "evalplatform.common",
    "evalplatform.campaigns",
    "evalplatform.crowd",
    "evalplatform.providers",
    "evalplatform.analysis",
    "evalplatform.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
# Every page denies framing; only the worker task views opt out (MTurk's iframe) and send
# a frame-ancestors CSP naming MTurk's hosts instead.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

ROOT_URLCONF = "evalplatform.urls"
WSGI_APPLICATION = "evalplatform.wsgi.application"
ASGI_APPLICATION = "evalplatform.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "frontend" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so that a Celery worker thread or process started by a test sees
    # the same test database; WAL and a busy timeout let a worker write while the web reads.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "frontend" / "static"]
MEDIA_ROOT = VAR_DIR / "media"

# Uploaded dataset and response files are refused above this size.
EVALPLATFORM_MAX_IMPORT_BYTES = env.int("EVALPLATFORM_MAX_IMPORT_BYTES", default=50 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAdminUser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
    # Size and nesting limits on JSON bodies, the same as the worker endpoints' (issue 13).
    "DEFAULT_PARSER_CLASSES": [
        "evalplatform.common.jsonbody.LimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "evalplatform API",
    "DESCRIPTION": "Datasets, systems and evaluation campaigns for researchers.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
}

# --- Celery -------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
CELERY_BROKER_FOLDER = Path(
    env.str("EVALPLATFORM_BROKER_DIR", default=str(VAR_DIR / "celery-broker"))
)
if CELERY_BROKER_URL.startswith("filesystem://"):
    # The embedded broker: messages are files that any worker on this machine consumes.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_FOLDER / "queue"),
        "data_folder_out": str(CELERY_BROKER_FOLDER / "queue"),
        "processed_folder": str(CELERY_BROKER_FOLDER / "processed"),
        "control_folder": str(CELERY_BROKER_FOLDER / "control"),
        "store_processed": False,
    }
else:
    # Redis: a task not acknowledged within this time is redelivered; it must outlast
    # the longest generation batch (the hard time limit below).
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 3600}
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {"evalplatform.campaigns.tasks.generate_batch": {"queue": "generation"}}
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "expire-abandoned-leases": {"task": "evalplatform.crowd.tasks.expire_leases", "schedule": 60.0},
    "reconcile-providers": {
        "task": "evalplatform.providers.tasks.reconcile_all",
        "schedule": 300.0,
    },
    "requeue-stale-generation": {
        "task": "evalplatform.campaigns.tasks.requeue_stale_generation",
        "schedule": 300.0,
    },
    "enforce-worker-limits": {
        "task": "evalplatform.providers.tasks.enforce_worker_limits",
        "schedule": 300.0,
    },
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# --- Crowd and providers ----------------------------------------------------------------------
MTURK_SANDBOX = env.bool("MTURK_SANDBOX", default=True)
PROLIFIC_API_TOKEN = env.str("PROLIFIC_API_TOKEN", default="")
PROLIFIC_API_URL = env.str("PROLIFIC_API_URL", default="https://api.prolific.com/api/v1/")
# Generation: dialogues per Celery task, per model forward pass, the device ("" = CUDA when
# available), and how long a running system may make no progress before its batches are
# queued again (by the watchdog task).
GENERATION_DIALOGUES_PER_TASK = env.int("GENERATION_DIALOGUES_PER_TASK", default=64)
GENERATION_BATCH_SIZE = env.int("GENERATION_BATCH_SIZE", default=16)
GENERATION_DEVICE = env.str("GENERATION_DEVICE", default="")
# Longer than a batch's hard time limit (55 min), so a slow batch is never taken for lost.
GENERATION_STALE_MINUTES = env.int("GENERATION_STALE_MINUTES", default=60)
# torch threads per worker process (0 = torch's default, one per core).
GENERATION_TORCH_THREADS = env.int("GENERATION_TORCH_THREADS", default=1)
# Where the generation package keeps models the project trains (demo, tests).
EVALPLATFORM_MODEL_DIR = Path(env.str("EVALPLATFORM_MODEL_DIR", default=str(VAR_DIR / "models")))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
}

if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

VAR_DIR.mkdir(parents=True, exist_ok=True)
STATIC_ROOT.mkdir(exist_ok=True)
for _folder in ("data_folder_in", "processed_folder", "control_folder"):
    # kombu's filesystem transport expects its folders to exist.
    if _folder in CELERY_BROKER_TRANSPORT_OPTIONS:
        Path(str(CELERY_BROKER_TRANSPORT_OPTIONS[_folder])).mkdir(parents=True, exist_ok=True)
