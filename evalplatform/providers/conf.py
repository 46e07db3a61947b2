"""Provider settings with documented defaults.

Each value is read from Django settings first, then from the environment, then the default
below, so the lead can move them into settings.py without touching this app.
"""

from __future__ import annotations

import os
from decimal import Decimal
from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # Overrides MTurk's requester endpoint (a local fake in tests); empty = AWS's endpoint.
    "MTURK_ENDPOINT_URL": "",
    # botocore retry mode and attempts (first try included). "adaptive" adds client-side
    # rate limiting after throttling; "standard" retries with backoff only.
    "MTURK_RETRY_MODE": "adaptive",
    "MTURK_MAX_ATTEMPTS": 8,
    # Cap on botocore's backoff between retries, in seconds (botocore's own cap is 20 s).
    "MTURK_RETRY_MAX_BACKOFF": 20.0,
    # Our own bounded retries of a ServiceFault on calls that are safe to repeat.
    "MTURK_SERVICE_FAULT_RETRIES": 2,
    "MTURK_SERVICE_FAULT_SLEEP": 1.0,
    "MTURK_CONNECT_TIMEOUT": 10,
    "MTURK_READ_TIMEOUT": 30,
    # A HIT stays on MTurk this long; assignments are auto-approved after this delay (3 days:
    # long enough for our review, short enough that workers are not kept waiting).
    "MTURK_HIT_LIFETIME_SECONDS": 7 * 24 * 3600,
    "MTURK_AUTO_APPROVAL_DELAY_SECONDS": 3 * 24 * 3600,
    # Only tests may point MTurk's ExternalQuestion at plain http (MTurk itself requires https).
    "PROVIDERS_ALLOW_HTTP_TASK_URL": False,
    # Prolific's platform fee on rewards and bonuses. Default: the corporate rate published on
    # https://www.prolific.com/pricing (42.8 %; academic and non-profit accounts pay 33.3 %),
    # so that the estimate is an upper bound. Set 0.333 for an academic workspace.
    "PROLIFIC_FEE_RATE": "0.428",
    "PROLIFIC_TIMEOUT": 30,
    "PROLIFIC_RETRIES": 3,
    "PROLIFIC_RETRY_SLEEP": 1.0,
    # Where Prolific wants participants sent back with the completion code (public docs).
    "PROLIFIC_COMPLETE_URL": "https://app.prolific.com/submissions/complete",
    # Celery rate limit of the publish task (e.g. "5/s"); a setting so operators can pace it.
    "PROVIDERS_PUBLISH_RATE_LIMIT": None,
}


def conf(name: str) -> Any:
    if hasattr(settings, name):
        return getattr(settings, name)
    default = DEFAULTS[name]
    raw = os.environ.get(name)
    if raw is None:
        return default
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    return raw


def conf_decimal(name: str) -> Decimal:
    return Decimal(str(conf(name)))
