"""Django's session, user and message middleware, skipped on the worker JSON endpoints,
``/w/a/<token>/api/...``.

Those are authenticated by the signed token in their URL, never by a cookie (MTurk's iframe
has no first-party cookies), and read no session, user or message: on them this middleware
did nothing but cost every answer its CPU (6-9 % of its Python, paired under load). The
response is the same without it: none of it adds a header to a response that used no
session. Everything else is untouched, and so is the rest of the stack on these endpoints:
the security headers (``SecurityMiddleware``, ``XFrameOptionsMiddleware``), the host check
(``CommonMiddleware``), and ``CsrfViewMiddleware``, left as Django's own so that ``check
--deploy`` keeps checking the CSRF settings (it looks for that exact path; the endpoints are
CSRF-exempt, so it costs them little). The admin's checks accept these subclasses, and
``check --deploy`` still warns about insecure session cookies through the sessions app.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.middleware import AuthenticationMiddleware as BaseAuthentication
from django.contrib.messages.middleware import MessageMiddleware as BaseMessages
from django.contrib.sessions.middleware import SessionMiddleware as BaseSession
from django.http import HttpRequest, HttpResponse

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


class AuthenticationMiddleware(_NotOnTokenApi, BaseAuthentication):
    pass


class MessageMiddleware(_NotOnTokenApi, BaseMessages):
    pass
