"""A small client of Prolific's REST API (token auth), the only module that talks to it.

Endpoints used, all from Prolific's public API reference (docs.prolific.com/api-reference):
- POST studies/                          create a draft study
- GET  studies/, GET studies/{id}/       list / retrieve studies
- POST studies/{id}/transition/          {"action": "PUBLISH" | "PAUSE" | "START" | "STOP"}
- GET  submissions/?study={id}           list a study's submissions
- GET  submissions/{id}/                 retrieve a submission
- POST submissions/{id}/transition/      {"action": "APPROVE"} or {"action": "REJECT",
                                         "message" (100+ chars), "rejection_category"};
                                         documented as idempotent
- POST submissions/bonus-payments/       set up a bulk bonus: {"study_id", "csv_bonuses"}
- POST bulk-bonus-payments/{id}/pay/     pay it; documented as NOT idempotent
Only reads and the idempotent transitions are retried here.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urljoin

import requests
from django.conf import settings

from evalplatform.providers.errors import (
    ProviderConfigurationError,
    ProviderError,
    TransientProviderError,
)

TRANSIENT_STATUSES = {429, 500, 502, 503, 504}


class ProlificClient:
    def __init__(self, *, base_url: str | None = None, token: str | None = None) -> None:
        self.base_url = (base_url or settings.PROLIFIC_API_URL).rstrip("/") + "/"
        self.token = token if token is not None else settings.PROLIFIC_API_TOKEN
        if not self.token:
            raise ProviderConfigurationError("PROLIFIC_API_TOKEN is not set.")
        self.session = requests.Session()
        self.session.headers.update(
            {"Authorization": f"Token {self.token}", "Content-Type": "application/json"}
        )

    def request(
        self,
        method: str,
        path: str,
        *,
        body: dict[str, Any] | None = None,
        params: dict[str, Any] | None = None,
        retry: bool = False,
    ) -> Any:
        attempts = 1 + (int(settings.PROLIFIC_RETRIES) if retry else 0)
        url = urljoin(self.base_url, path)
        for attempt in range(attempts):
            try:
                response = self.session.request(
                    method, url, json=body, params=params, timeout=float(settings.PROLIFIC_TIMEOUT)
                )
            except requests.RequestException as error:
                failure: ProviderError = TransientProviderError(
                    f"Prolific unreachable: {error}", code="Network"
                )
            else:
                if response.status_code < 400:
                    return response.json() if response.content else {}
                text = response.text[:500]
                if response.status_code in TRANSIENT_STATUSES:
                    failure = TransientProviderError(
                        f"Prolific {response.status_code}: {text}", code=str(response.status_code)
                    )
                else:
                    raise ProviderError(
                        f"Prolific {response.status_code} on {method} {path}: {text}",
                        code=str(response.status_code),
                    )
            if attempt + 1 < attempts:
                time.sleep(float(settings.PROLIFIC_RETRY_SLEEP) * (2**attempt))
        raise failure

    # Studies
    def create_study(self, body: dict[str, Any]) -> dict[str, Any]:
        return dict(self.request("POST", "studies/", body=body))

    def list_studies(self) -> list[dict[str, Any]]:
        return self._all("studies/", {})

    def transition_study(self, study_id: str, action: str) -> dict[str, Any]:
        return dict(
            self.request(
                "POST", f"studies/{study_id}/transition/", body={"action": action}, retry=True
            )
        )

    # Submissions
    def list_submissions(self, study_id: str) -> list[dict[str, Any]]:
        return self._all("submissions/", {"study": study_id})

    def get_submission(self, submission_id: str) -> dict[str, Any]:
        return dict(self.request("GET", f"submissions/{submission_id}/", retry=True))

    def transition_submission(self, submission_id: str, body: dict[str, Any]) -> dict[str, Any]:
        return dict(
            self.request("POST", f"submissions/{submission_id}/transition/", body=body, retry=True)
        )

    # Bonuses
    def set_up_bonuses(self, study_id: str, csv_bonuses: str) -> dict[str, Any]:
        return dict(
            self.request(
                "POST",
                "submissions/bonus-payments/",
                body={"study_id": study_id, "csv_bonuses": csv_bonuses},
            )
        )

    def pay_bonuses(self, bulk_id: str) -> None:
        self.request("POST", f"bulk-bonus-payments/{bulk_id}/pay/")  # never retried

    def _all(self, path: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Every result of a list endpoint, following its next links."""
        items: list[dict[str, Any]] = []
        page: Any = self.request("GET", path, params=params, retry=True)
        for _ in range(10_000):
            items.extend(page.get("results", []))
            links = page.get("_links") or {}
            following = (links.get("next") or {}).get("href") if isinstance(links, dict) else None
            following = following or page.get("next")
            if not following:
                break
            page = self.request("GET", following, retry=True)
        return items
