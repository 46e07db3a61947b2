"""HTTP for the simulated crowd: a real server through ``requests``, or Django's
in-process test client when there is no server (tests, management commands)."""

from __future__ import annotations

from typing import Any, Protocol


class Transport(Protocol):
    def get(self, path: str) -> tuple[int, str, str]:
        """(status, final URL after redirects, body text)."""
        ...

    def get_json(self, path: str) -> tuple[int, Any]: ...

    def post_form(self, path: str, data: dict[str, str]) -> tuple[int, str, str]:
        """A browser's form post (with its cookies): (status, final URL, body text)."""
        ...

    def post_json(self, path: str, body: dict[str, Any]) -> tuple[int, Any]: ...


class HttpTransport:
    def __init__(self, base_url: str) -> None:
        import requests

        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()

    def get(self, path: str) -> tuple[int, str, str]:
        response = self.session.get(self.base_url + path, timeout=30)
        return response.status_code, response.url, response.text

    def get_json(self, path: str) -> tuple[int, Any]:
        response = self.session.get(self.base_url + path, timeout=30)
        return response.status_code, response.json()

    def post_form(self, path: str, data: dict[str, str]) -> tuple[int, str, str]:
        response = self.session.post(self.base_url + path, data=data, timeout=30)
        return response.status_code, response.url, response.text

    def post_json(self, path: str, body: dict[str, Any]) -> tuple[int, Any]:
        response = self.session.post(self.base_url + path, json=body, timeout=30)
        return response.status_code, (response.json() if response.content else None)


class InProcessTransport:
    def __init__(self) -> None:
        from django.test import Client

        # Enforce CSRF like a real server, so the simulator posts forms as a browser does.
        self.client = Client(enforce_csrf_checks=True)

    def get(self, path: str) -> tuple[int, str, str]:
        response = self.client.get(path, follow=True)
        final = response.redirect_chain[-1][0] if response.redirect_chain else path
        return response.status_code, final, response.content.decode()

    def get_json(self, path: str) -> tuple[int, Any]:
        response = self.client.get(path)
        return response.status_code, response.json()

    def post_form(self, path: str, data: dict[str, str]) -> tuple[int, str, str]:
        response = self.client.post(path, data, follow=True)
        final = response.redirect_chain[-1][0] if response.redirect_chain else path
        return response.status_code, final, response.content.decode()

    def post_json(self, path: str, body: dict[str, Any]) -> tuple[int, Any]:
        response = self.client.post(path, body, content_type="application/json")
        return response.status_code, (response.json() if response.content else None)


def transport_for(base_url: str | None) -> Transport:
    return HttpTransport(base_url) if base_url else InProcessTransport()
