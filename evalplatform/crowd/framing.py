"""Security headers of worker pages.

Only the task views may be framed (MTurk shows them in an iframe): they drop
X-Frame-Options and name MTurk's hosts in a ``frame-ancestors`` CSP instead. Every other
worker page keeps the site-wide X-Frame-Options DENY. All worker pages get a strict CSP:
scripts and styles only from our own origin, so injected markup could not run even if
escaping ever failed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpResponse
from django.views.decorators.clickjacking import xframe_options_exempt

MTURK_FRAME_ANCESTORS = (
    "frame-ancestors 'self' https://worker.mturk.com https://workersandbox.mturk.com "
    "https://www.mturk.com"
)
# form-action is left open on purpose: the completion page posts to the provider's URL.
BASE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'"
)
FRAMEABLE_POLICY = f"{BASE_POLICY}; {MTURK_FRAME_ANCESTORS}"
UNFRAMED_POLICY = f"{BASE_POLICY}; frame-ancestors 'none'"

View = Callable[..., HttpResponse]


def frameable(view: View) -> View:
    """For task views: may be shown inside MTurk's iframe, and only there (or ourselves)."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> HttpResponse:
        response = view(*args, **kwargs)
        response["Content-Security-Policy"] = FRAMEABLE_POLICY
        return response

    return xframe_options_exempt(wrapped)


def unframed(view: View) -> View:
    """For the other worker pages (invite, join): never framed, same strict CSP."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> HttpResponse:
        response = view(*args, **kwargs)
        response["Content-Security-Policy"] = UNFRAMED_POLICY
        return response

    return wrapped


def add_frame_headers(response: HttpResponse) -> HttpResponse:
    """The frameable headers on a response built outside a decorated view (the preview
    renderer that provider views call)."""
    response["Content-Security-Policy"] = FRAMEABLE_POLICY
    response.xframe_options_exempt = True
    return response
