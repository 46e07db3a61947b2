"""Settings: every project setting, read once from the environment and ``.env``.

With nothing set the embedded default serves: SQLite under ``var/``, a filesystem Celery
broker (a real broker that a real worker consumes, no services needed), the local crowd
provider, DEBUG off and a random secret key made on first use in ``var/secret_key``.
Production (``DATABASE_URL`` set) must also set ``DJANGO_SECRET_KEY``: every container of
the deployment signs worker links and sessions with the same key. The real environment wins
over ``.env``; every variable below has its default next to it. Importing this module
touches no file: folders are made by the processes that write there (``var_dir.py``).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import cast

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import SimpleLazyObject

from evalplatform.var_dir import instance_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# Read first, so that every setting below (EVALPLATFORM_VAR_DIR included) sees .env; the
# file's own path can only come from the real environment (tests point it elsewhere).
environ.Env.read_env(
    env.str("EVALPLATFORM_ENV_FILE", default=str(BASE_DIR / ".env")), overwrite=False
)

# Database, broker folders, trained models, logs and the instance's key live here.
VAR_DIR = Path(env.str("EVALPLATFORM_VAR_DIR", default=str(BASE_DIR / "var")))
# Production runs on external services; the embedded set-up (nothing set) needs none.
PRODUCTION_SERVICES = bool(env.str("DATABASE_URL", default=""))

# Development mode (debug pages, tracebacks) only when asked for: DJANGO_DEBUG=true.
DEBUG = env.bool("DJANGO_DEBUG", default=False)
# Signs worker links and sessions: whoever holds it can forge any worker's link.
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if SECRET_KEY.startswith("change-me"):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY is still the placeholder of .env.example.")
if not SECRET_KEY:
    if PRODUCTION_SERVICES and not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DATABASE_URL is set and DJANGO_DEBUG is off: "
            "every container of a deployment must sign with the same key."
        )
    # One random key per instance, made on first use (not at import) and kept in var/.
    SECRET_KEY = cast(str, SimpleLazyObject(lambda: instance_secret_key(VAR_DIR)))

# Host names this site answers to (others get 400): localhost for the demo.
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
# https origins whose forms may post here (the public site behind the proxy).
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
    "evalplatform.console",
    "evalplatform.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's own, skipped on the token-authenticated worker endpoints (common/middleware.py)
    "evalplatform.common.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "evalplatform.common.middleware.AuthenticationMiddleware",
    "evalplatform.common.middleware.MessageMiddleware",
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

# Postgres in production; SQLite under var/ when nothing is set.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let a worker write while the web reads (tests/settings.py
    # makes the test database a file, so worker processes see it).
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    # Persistent connections (seconds): a request need not open its own.
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
    # Prepare a statement the first time a connection runs it, but only where the code asks
    # for a server-binding cursor (evalplatform/crowd/prepared.py: the answer path's few
    # statements); Django's own cursors bind on the client and never prepare. Not for a
    # transaction-mode pooler (pgbouncer) in front of PostgreSQL, which compose does not run.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("prepare_threshold", 0)
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
# WhiteNoise serves static files with DEBUG off too (the demo runs without DEBUG); finders
# let it serve them from the source folders when collectstatic has not run (the demo).
WHITENOISE_USE_FINDERS = env.bool("EVALPLATFORM_STATIC_FROM_SOURCE", default=True)

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
    # JSON only, with the worker endpoints' size and nesting limits: a hostile body gets a
    # 4xx, never a traceback.
    "DEFAULT_PARSER_CLASSES": ["evalplatform.common.jsonbody.LimitedJSONParser"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "evalplatform API",
    "DESCRIPTION": "Datasets, systems and evaluation campaigns for researchers.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
}

# --- Celery -------------------------------------------------------------------------------
# Redis in production; the embedded filesystem broker when nothing is set.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
# The filesystem broker's folder (tests give each run its own).
CELERY_BROKER_FOLDER = Path(
    env.str("EVALPLATFORM_BROKER_DIR", default=str(VAR_DIR / "celery-broker"))
)


def filesystem_broker_options(folder: Path) -> dict[str, object]:
    """The embedded broker: messages are files that any worker on this machine consumes."""
    return {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "processed_folder": str(folder / "processed"),
        "control_folder": str(folder / "control"),
        "store_processed": False,
    }


CELERY_BROKER_TRANSPORT_OPTIONS = (
    filesystem_broker_options(CELERY_BROKER_FOLDER)
    if CELERY_BROKER_URL.startswith("filesystem://")
    # Redis: a task not acknowledged within this time is redelivered; it must outlast the
    # longest generation batch (the hard time limit below).
    else {"visibility_timeout": 2 * 3600}
)
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "evalplatform.campaigns.tasks.generate_batch": {"queue": "generation"},
    # The classifier that labels responses runs where the models do.
    "evalplatform.campaigns.tasks.label_batch": {"queue": "generation"},
}
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

# --- Crowd ------------------------------------------------------------------------------------
# Worker links stop working after this long: enough to finish any lease and come back later.
CROWD_TOKEN_MAX_AGE_SECONDS = env.int("CROWD_TOKEN_MAX_AGE_SECONDS", default=14 * 24 * 3600)
# A lease lasts the campaign's expected minutes times this (as MTurk's assignment duration).
CROWD_LEASE_FACTOR = env.float("CROWD_LEASE_FACTOR", default=3.0)

# JSON bodies from strangers (worker endpoints and the API): a worker's body carries at most
# one HIT's answers and the API's largest is a campaign, so 1 MiB and 20 levels are ample.
EVALPLATFORM_MAX_JSON_BYTES = env.int("EVALPLATFORM_MAX_JSON_BYTES", default=1024 * 1024)
EVALPLATFORM_MAX_JSON_DEPTH = env.int("EVALPLATFORM_MAX_JSON_DEPTH", default=20)

# --- Providers ---------------------------------------------------------------------------------
# Production MTurk needs this off AND the campaign's mturk_production; either alone: sandbox.
MTURK_SANDBOX = env.bool("MTURK_SANDBOX", default=True)
# Overrides MTurk's requester endpoint (a local fake in tests); empty = AWS's endpoint.
MTURK_ENDPOINT_URL = env.str("MTURK_ENDPOINT_URL", default="")
# botocore retry mode and attempts (first try included). "adaptive" adds client-side rate
# limiting after throttling; "standard" retries with backoff only.
MTURK_RETRY_MODE = env.str("MTURK_RETRY_MODE", default="adaptive")
MTURK_MAX_ATTEMPTS = env.int("MTURK_MAX_ATTEMPTS", default=8)
# Cap on botocore's backoff between retries, in seconds (botocore's own cap is 20 s).
MTURK_RETRY_MAX_BACKOFF = env.float("MTURK_RETRY_MAX_BACKOFF", default=20.0)
# Our own bounded retries of a ServiceFault on calls that are safe to repeat.
MTURK_SERVICE_FAULT_RETRIES = env.int("MTURK_SERVICE_FAULT_RETRIES", default=2)
MTURK_SERVICE_FAULT_SLEEP = env.float("MTURK_SERVICE_FAULT_SLEEP", default=1.0)
# Seconds to connect to and to read from MTurk before botocore gives up on a try.
MTURK_CONNECT_TIMEOUT = env.int("MTURK_CONNECT_TIMEOUT", default=10)
MTURK_READ_TIMEOUT = env.int("MTURK_READ_TIMEOUT", default=30)
# A HIT stays on MTurk a week; assignments are auto-approved after 3 days (long enough for
# our review, short enough that workers are not kept waiting).
MTURK_HIT_LIFETIME_SECONDS = env.int("MTURK_HIT_LIFETIME_SECONDS", default=7 * 24 * 3600)
MTURK_AUTO_APPROVAL_DELAY_SECONDS = env.int(
    "MTURK_AUTO_APPROVAL_DELAY_SECONDS", default=3 * 24 * 3600
)
# Only tests may point a provider's task URL at plain http (MTurk itself requires https).
PROVIDERS_ALLOW_HTTP_TASK_URL = env.bool("PROVIDERS_ALLOW_HTTP_TASK_URL", default=False)
# Prolific's API token (a workspace's) and its API root.
PROLIFIC_API_TOKEN = env.str("PROLIFIC_API_TOKEN", default="")
PROLIFIC_API_URL = env.str("PROLIFIC_API_URL", default="https://api.prolific.com/api/v1/")
# Prolific's platform fee on rewards and bonuses. Default: the corporate rate published on
# https://www.prolific.com/pricing (42.8 %; academic and non-profit accounts pay 33.3 %), so
# that the estimate is an upper bound. Set 0.333 for an academic workspace.
PROLIFIC_FEE_RATE = Decimal(env.str("PROLIFIC_FEE_RATE", default="0.428"))
# Seconds per Prolific call, retries of a failed call, and the first backoff (doubling).
PROLIFIC_TIMEOUT = env.float("PROLIFIC_TIMEOUT", default=30.0)
PROLIFIC_RETRIES = env.int("PROLIFIC_RETRIES", default=3)
PROLIFIC_RETRY_SLEEP = env.float("PROLIFIC_RETRY_SLEEP", default=1.0)
# Where Prolific wants participants sent back with the completion code (public docs).
PROLIFIC_COMPLETE_URL = env.str(
    "PROLIFIC_COMPLETE_URL", default="https://app.prolific.com/submissions/complete"
)

# --- Generation --------------------------------------------------------------------------------
# Dialogues per Celery task, per model forward pass, the device ("" = CUDA when
# available), and how long a running system may make no progress before its batches are
# queued again (by the watchdog task).
GENERATION_DIALOGUES_PER_TASK = env.int("GENERATION_DIALOGUES_PER_TASK", default=64)
# 32 by measurement (benchmarks/generation.py --production-batch-sizes 32 48 64, README
# "Generation as production runs it"): on CPU the best for causal models and tied with 48
# and 64 for seq2seq; a GPU usually wants more.
GENERATION_BATCH_SIZE = env.int("GENERATION_BATCH_SIZE", default=32)
GENERATION_DEVICE = env.str("GENERATION_DEVICE", default="")
# Longer than a batch's hard time limit (55 min), so a slow batch is never taken for lost.
GENERATION_STALE_MINUTES = env.int("GENERATION_STALE_MINUTES", default=60)
# torch threads per worker process (0 = torch's default, one per core).
GENERATION_TORCH_THREADS = env.int("GENERATION_TORCH_THREADS", default=1)
# Where the generation package keeps models the project trains (demo, tests).
EVALPLATFORM_MODEL_DIR = Path(env.str("EVALPLATFORM_MODEL_DIR", default=str(VAR_DIR / "models")))

# --- Adapters: the modules a system may name as its "module:callable" adapter -------------
# The generation worker imports and calls adapters, so anything off this list is refused at
# registration and again before import. Each name also allows its submodules.
EVALPLATFORM_ADAPTER_MODULES = env.list("EVALPLATFORM_ADAPTER_MODULES", default=["demo.adapters"])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    # DEBUG for troubleshooting; INFO shows task progress without the noise.
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
}

# --- HTTPS, behind the TLS proxy of docker-compose.yml ------------------------------------
# All off by default: the demo and the tests serve plain http on localhost.
# Redirect plain http to https (the proxy already does; this covers a misrouted request).
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=False)
# The container's healthcheck calls gunicorn directly, over plain http.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# HSTS: browsers refuse plain http to this host for this many seconds (a year in production).
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0)
# Subdomains too, and consent to browsers' preload list: only if every subdomain is https.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
# Session and CSRF cookies only over https (admin login over plain http then fails).
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Trust X-Forwarded-Proto only where gunicorn is reachable from the proxy alone, and the
# proxy overwrites the header (deploy/Caddyfile); anyone else could claim https with it.
if env.bool("DJANGO_TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
