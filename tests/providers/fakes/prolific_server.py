"""A local fake of the Prolific API endpoints we call (shapes from docs.prolific.com):
studies (create, list, get, transition), submissions (list, transition), bulk bonuses
(set up, pay: NOT idempotent, as Prolific warns), plus the participant's side (start,
complete with a code, return, time out). It can inject HTTP errors (429, 503)."""

from __future__ import annotations

import itertools
import json
import re
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

TOKEN = "Token test-token"
REJECTION_CATEGORIES = {
    "TOO_QUICKLY",
    "TOO_SLOWLY",
    "FAILED_INSTRUCTIONS",
    "INCOMP_LONGITUDINAL",
    "FAILED_CHECK",
    "LOW_EFFORT",
    "MALINGERING",
    "NO_CODE",
    "BAD_CODE",
    "NO_DATA",
    "UNSUPP_DEVICE",
    "OTHER",
}


class FakeProlific:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.ids = itertools.count(1)
        self.studies: dict[str, dict[str, Any]] = {}
        self.submissions: dict[str, dict[str, Any]] = {}
        self.bulks: dict[str, dict[str, Any]] = {}
        self.payments: list[dict[str, Any]] = []  # one entry per participant per pay call
        self.fail_next: list[int] = []  # HTTP statuses to answer before handling requests
        self.requests: list[tuple[str, str]] = []

    def _id(self) -> str:
        return f"{next(self.ids):024x}"

    # -------------------------------------------------------------- API
    def handle(
        self, method: str, path: str, query: dict[str, str], body: dict[str, Any]
    ) -> tuple[int, Any]:
        self.requests.append((method, path))
        routes: list[tuple[str, str, Any]] = [
            ("GET", r"users/me/", lambda: (200, {"id": "researcher-1"})),
            ("POST", r"studies/", lambda: self.create_study(body)),
            ("GET", r"studies/", lambda: (200, {"results": list(self.studies.values())})),
            ("GET", r"studies/(?P<id>\w+)/", lambda id: self.get(self.studies, id)),
            (
                "POST",
                r"studies/(?P<id>\w+)/transition/",
                lambda id: self.study_transition(id, body),
            ),
            ("GET", r"submissions/", lambda: self.list_submissions(query)),
            ("GET", r"submissions/(?P<id>\w+)/", lambda id: self.get(self.submissions, id)),
            (
                "POST",
                r"submissions/(?P<id>\w+)/transition/",
                lambda id: self.submission_transition(id, body),
            ),
            ("POST", r"submissions/bonus-payments/", lambda: self.set_up_bonuses(body)),
            ("POST", r"bulk-bonus-payments/(?P<id>\w+)/pay/", lambda id: self.pay(id)),
        ]
        for verb, pattern, action in routes:
            match = re.fullmatch(pattern, path)
            if verb == method and match:
                return action(**match.groupdict())  # type: ignore[no-any-return]
        return 404, {"error": "not found"}

    def get(self, table: dict[str, Any], key: str) -> tuple[int, Any]:
        return (200, table[key]) if key in table else (404, {"error": "not found"})

    def create_study(self, b: dict[str, Any]) -> tuple[int, Any]:
        required = [
            "name",
            "description",
            "external_study_url",
            "prolific_id_option",
            "completion_codes",
            "total_available_places",
            "estimated_completion_time",
            "reward",
        ]
        missing = [k for k in required if k not in b]
        url = b.get("external_study_url", "")
        if missing or "{{%PROLIFIC_PID%}}" not in url or not isinstance(b.get("reward"), int):
            return 400, {"error": {"detail": f"invalid study: missing {missing}"}}
        study_id = self._id()
        self.studies[study_id] = {**b, "id": study_id, "status": "UNPUBLISHED"}
        return 201, self.studies[study_id]

    def study_transition(self, study_id: str, b: dict[str, Any]) -> tuple[int, Any]:
        study = self.studies.get(study_id)
        states = {"PUBLISH": "ACTIVE", "PAUSE": "PAUSED", "START": "ACTIVE", "STOP": "COMPLETED"}
        if study is None or b.get("action") not in states:
            return 400, {"error": "bad transition"}
        study["status"] = states[b["action"]]
        return 200, study

    def list_submissions(self, query: dict[str, str]) -> tuple[int, Any]:
        found = [s for s in self.submissions.values() if s["study_id"] == query.get("study")]
        return 200, {"results": found, "meta": {"count": len(found)}}

    def submission_transition(self, sub_id: str, b: dict[str, Any]) -> tuple[int, Any]:
        sub = self.submissions.get(sub_id)
        if sub is None:
            return 404, {"error": "not found"}
        action = b.get("action")
        target = {"APPROVE": "APPROVED", "REJECT": "REJECTED"}.get(str(action))
        if target is None:
            return 400, {"error": "bad action"}
        if action == "REJECT" and (
            len(b.get("message", "")) < 100
            or b.get("rejection_category") not in REJECTION_CATEGORIES
        ):
            return 400, {"error": "message (100+ chars) and rejection_category are required"}
        if sub["status"] == target:
            return 200, sub  # idempotent, as the docs say
        if sub["status"] != "AWAITING REVIEW":
            return 400, {"error": f"cannot {action} a {sub['status']} submission"}
        sub["status"] = target
        return 200, sub

    def set_up_bonuses(self, b: dict[str, Any]) -> tuple[int, Any]:
        rows = [line.split(",") for line in b.get("csv_bonuses", "").strip().splitlines()]
        study_subs = {
            s["id"]: s for s in self.submissions.values() if s["study_id"] == b.get("study_id")
        }
        bad = [r[0] for r in rows if r[0] not in study_subs]
        if bad or not rows:
            return 400, {"error": f"unknown ids {bad}"}
        bulk_id = self._id()
        amount = sum(Decimal(r[1]) for r in rows)
        self.bulks[bulk_id] = {
            "id": bulk_id,
            "study": b["study_id"],
            "rows": rows,
            "amount": float(amount * 100),
            "fees": 0.0,
            "total_amount": float(amount * 100),
        }
        return 201, self.bulks[bulk_id]

    def pay(self, bulk_id: str) -> tuple[int, Any]:
        bulk = self.bulks.get(bulk_id)
        if bulk is None:
            return 404, {"error": "not found"}
        for sub_id, amount in bulk["rows"]:  # not idempotent: every call pays again
            self.payments.append({"submission": sub_id, "amount": Decimal(amount)})
        return 202, {}

    # --------------------------------------------------- the participant
    def start(self, study_id: str, participant_id: str) -> str:
        with self.lock:
            sub_id = self._id()
            self.submissions[sub_id] = {
                "id": sub_id,
                "study_id": study_id,
                "participant_id": participant_id,
                "status": "ACTIVE",
                "entered_code": None,
            }
            return sub_id

    def complete(self, sub_id: str, code: str) -> None:
        with self.lock:
            sub = self.submissions[sub_id]
            sub["entered_code"] = code  # Prolific keeps a wrong code for the researcher
            sub["status"] = "AWAITING REVIEW"

    def set_status(self, sub_id: str, status: str) -> None:
        with self.lock:
            self.submissions[sub_id]["status"] = status


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out at once, no 40 ms ACK wait
    server: _Server

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def _serve(self, method: str) -> None:
        fake = self.server.fake
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        url = urlparse(self.path)
        with fake.lock:
            if self.headers.get("Authorization") != TOKEN:
                return self._json(401, {"error": "unauthorised"})
            if fake.fail_next:
                return self._json(fake.fail_next.pop(0), {"error": "injected"})
            path = url.path.removeprefix("/api/v1/")
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            status, payload = fake.handle(method, path, query, json.loads(raw or b"{}"))
        self._json(status, payload)

    def _json(self, status: int, payload: Any) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeProlific


class FakeProlificServer:
    def __init__(self) -> None:
        self.fake = FakeProlific()
        self.httpd = _Server(("127.0.0.1", 0), _Handler)
        self.httpd.fake = self.fake
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FakeProlificServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
