"""A worker's browser in tests: open the provider's entry URL, answer every response on our
task pages through the JSON endpoints, submit, and read the completion page's form."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any

from django.test import Client

TOKEN = re.compile(r"/w/a/([^/]+)/")
PAGE_DATA = re.compile(r'<script id="page-data" type="application/json">(.*?)</script>', re.S)


def page_data(html: str) -> dict[str, Any]:
    """What a worker page hands its script (its URLs, visit id and session nonce)."""
    match = PAGE_DATA.search(html)
    assert match, html[:300]
    return dict(json.loads(match.group(1)))


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "form":
            self.forms.append(
                {"action": values.get("action"), "method": values.get("method"), "fields": {}}
            )
        elif tag == "input" and self.forms and values.get("name"):
            self.forms[-1]["fields"][values["name"]] = values.get("value") or ""


def open_entry(client: Client, url: str) -> str:
    """Follow the provider entry URL; returns the assignment token."""
    response = client.get(url)
    assert response.status_code == 302, (response.status_code, response.content[:300])
    match = TOKEN.search(response["Location"])
    assert match, response["Location"]
    return match.group(1)


def do_task(client: Client, token: str, *, label: str = "good") -> dict[str, Any]:
    """Answer every response of every dialogue with ``label`` and submit."""
    state = client.get(f"/w/a/{token}/api/state").json()
    assert state["ok"], state
    criterion = state["criteria"][0]["name"]
    for item in state["items"]:
        # As a browser does: the dialogue's page first (answers follow the pages shown),
        # and its answers carry the nonce that page gave this window.
        page = client.get(f"/w/a/{token}/item/{item['position']}/")
        session = page_data(page.content.decode())["session"]
        for position, _ in enumerate(item["responses"]):
            answered = client.post(
                f"/w/a/{token}/api/answer",
                content_type="application/json",
                data={
                    "item": item["position"],
                    "candidate": position,
                    "criterion": criterion,
                    "value": label,
                    "session": session,
                },
            )
            assert answered.json()["ok"], answered.json()
    submitted = client.post(
        f"/w/a/{token}/api/submit", content_type="application/json", data={"session": session}
    )
    assert submitted.json()["ok"], submitted.json()
    return dict(submitted.json())


def completion_form(client: Client, token: str) -> dict[str, Any]:
    """The provider form on the completion page (the last form on it)."""
    page = client.get(f"/w/a/{token}/done/")
    assert page.status_code == 200
    parser = _Forms()
    parser.feed(page.content.decode())
    forms = [f for f in parser.forms if f["action"] and f["action"].startswith("http")]
    assert forms, page.content.decode()[:2000]
    return forms[-1]
