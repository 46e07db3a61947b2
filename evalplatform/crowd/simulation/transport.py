"""HTTP for the simulated crowd: a real server through ``requests``, or Django's
in-process test client when there is no server (tests, management commands).

One transport per simulated person, as one browser each: its own cookies, its own
connection. Each counts its requests and their latency, for the load figures.
"""

from __future__ import annotations

import time
from typing import Any, Protocol

from django.conf import settings

TIMEOUT_SECONDS = 30


class TransportError(Exception):
    """The request never got an answer: server unreachable, connection reset, timeout."""


class Transport(Protocol):
    requests: int
    latencies: list[float]

    def get(self, path: str) -> tuple[int, str, str]:
        """(status, final URL after redirects, body text)."""
        ...

    def get_json(self, path: str) -> tuple[int, Any]: ...

    def post_form(self, path: str, data: dict[str, str]) -> tuple[int, str, str]:
        """A browser's form post (with its cookies): (status, final URL, body text)."""
        ...

    def post_json(self, path: str, body: dict[str, Any]) -> tuple[int, Any]: ...

    def close(self) -> None: ...


class HttpTransport:
    def __init__(self, base_url: str) -> None:
        import requests

        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()
        self.requests = 0
        self.latencies: list[float] = []

    def _send(self, method: str, path: str, **kwargs: Any) -> Any:
        import requests

        self.requests += 1
        started = time.perf_counter()
        try:
            response = self.session.request(
                method, self.base_url + path, timeout=TIMEOUT_SECONDS, **kwargs
            )
        except requests.RequestException as error:
            raise TransportError(f"{method} {self.base_url}{path}: {error}") from error
        self.latencies.append(time.perf_counter() - started)
        return response

    def get(self, path: str) -> tuple[int, str, str]:
        response = self._send("GET", path)
        return response.status_code, response.url, response.text

    def get_json(self, path: str) -> tuple[int, Any]:
        response = self._send("GET", path)
        return response.status_code, _json_or_text(response.status_code, response.text)

    def post_form(self, path: str, data: dict[str, str]) -> tuple[int, str, str]:
        response = self._send("POST", path, data=data)
        return response.status_code, response.url, response.text

    def post_json(self, path: str, body: dict[str, Any]) -> tuple[int, Any]:
        response = self._send("POST", path, json=body)
        return response.status_code, _json_or_text(response.status_code, response.text)

    def close(self) -> None:
        self.session.close()


def _json_or_text(status: int, text: str) -> Any:
    """A reply's JSON; the text itself when a failing server sends an HTML error page."""
    import json

    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        if status < 400:
            raise
        return text[:200]


def in_process_host() -> str:
    """A Host header this configuration accepts: the test client's own 'testserver' is
    allowed only inside Django's test runner, so outside it every request was refused."""
    for host in settings.ALLOWED_HOSTS:
        if host == "*":
            return "localhost"
        if host:
            return host.lstrip(".")
    return "localhost"  # DEBUG with an empty list allows localhost


class InProcessTransport:
    def __init__(self) -> None:
        from django.test import Client

        # Enforce CSRF like a real server, so the simulator posts forms as a browser does.
        self.client = Client(enforce_csrf_checks=True, SERVER_NAME=in_process_host())
        self.requests = 0
        self.latencies: list[float] = []

    def _send(self, method: str, path: str, **kwargs: Any) -> Any:
        self.requests += 1
        started = time.perf_counter()
        response = getattr(self.client, method)(path, **kwargs)
        self.latencies.append(time.perf_counter() - started)
        return response

    def get(self, path: str) -> tuple[int, str, str]:
        response = self._send("get", path, follow=True)
        final = response.redirect_chain[-1][0] if response.redirect_chain else path
        return response.status_code, final, response.content.decode()

    def get_json(self, path: str) -> tuple[int, Any]:
        response = self._send("get", path)
        return response.status_code, _json_or_text(response.status_code, response.content.decode())

    def post_form(self, path: str, data: dict[str, str]) -> tuple[int, str, str]:
        response = self._send("post", path, data=data, follow=True)
        final = response.redirect_chain[-1][0] if response.redirect_chain else path
        return response.status_code, final, response.content.decode()

    def post_json(self, path: str, body: dict[str, Any]) -> tuple[int, Any]:
        response = self._send("post", path, data=body, content_type="application/json")
        return response.status_code, _json_or_text(response.status_code, response.content.decode())

    def close(self) -> None:
        """Nothing to release: the test client holds no connection of its own."""


def transport_for(base_url: str | None) -> Transport:
    return HttpTransport(base_url) if base_url else InProcessTransport()
