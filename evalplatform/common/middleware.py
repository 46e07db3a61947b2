"""The site's middleware that works through cookies (sessions, CSRF, users, messages),
skipped on the worker JSON endpoints, ``/w/a/<token>/api/...``.

Those are authenticated by the signed token in their URL, never by a cookie (MTurk's iframe
has no first-party cookies), are CSRF-exempt for that reason (``crowd/views/common.py``) and
read no session, user or message: on them this middleware did nothing but cost every answer
its CPU. The response is the same without it (none of it adds a header to a response that
used no session and no CSRF token). Everything else, and the security headers everywhere
(``SecurityMiddleware``, ``XFrameOptionsMiddleware``), is untouched.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.middleware import AuthenticationMiddleware as BaseAuthentication
from django.contrib.messages.middleware import MessageMiddleware as BaseMessages
from django.contrib.sessions.middleware import SessionMiddleware as BaseSession
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware as BaseCsrf

TOKEN_API = re.compile(r"/w/a/[^/]+/api/")


def is_token_api(request: HttpRequest) -> bool:
    return TOKEN_API.match(request.path_info) is not None


class _NotOnTokenApi:
    """Passes a token endpoint's request straight on; any other to the middleware."""

    get_response: Any

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_token_api(request):
            return self.get_response(request)
        return super().__call__(request)  # type: ignore[misc]


class SessionMiddleware(_NotOnTokenApi, BaseSession):
    pass


class CsrfViewMiddleware(_NotOnTokenApi, BaseCsrf):
    pass


class AuthenticationMiddleware(_NotOnTokenApi, BaseAuthentication):
    pass


class MessageMiddleware(_NotOnTokenApi, BaseMessages):
    pass
