"""A local fake of MTurk's requester API (JSON 1.1 over HTTP), for boto3 via endpoint_url.

The state (HIT types, HITs by UniqueRequestToken, assignments, bonuses by token,
qualification types and scores) lives in FakeMTurk (mturk_state.py). This server answers
in MTurk's wire format and can inject ThrottlingException, lost answers (the call is done,
the connection dropped) and a dead server. It also serves /mturk/externalSubmit, as the
worker's browser would post it.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

from tests.providers.fakes.mturk_state import FakeError, FakeMTurk

__all__ = ["FakeError", "FakeMTurk", "FakeMTurkServer"]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out at once, no 40 ms ACK wait
    server: _Server

    def log_message(self, *args: Any) -> None:  # keep test output quiet
        pass

    def do_POST(self) -> None:
        fake = self.server.fake
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path.startswith("/mturk/externalSubmit"):
            fields = {k: v[0] for k, v in parse_qs(body.decode()).items()}
            ok = fake.external_submit(fields)
            return self._send(200 if ok else 400, b"ok" if ok else b"not submitted", "text/plain")
        operation = (self.headers.get("X-Amz-Target") or "").split(".")[-1]
        with fake.lock:
            fake.call_number += 1
            number = fake.call_number
            fake.calls[operation] += 1
            if fake.dead:
                return self._drop()
            if fake.throttle_rate and fake.rng.random() < fake.throttle_rate:
                fake.throttled += 1
                return self._json(
                    400, {"__type": "ThrottlingException", "message": "Rate exceeded"}
                )
            try:
                payload = fake.dispatch(operation, json.loads(body or b"{}"))
                status = 200
            except FakeError as error:
                payload = {"__type": error.code, "Message": error.message}
                if error.turk_code:
                    payload["TurkErrorCode"] = error.turk_code
                status = 400
            if fake.kill_after_hits is not None and len(fake.hits) >= fake.kill_after_hits:
                fake.dead = True
                return self._drop()
            if number in fake.lose_answer_ops:
                return self._drop()
        self._json(status, payload)

    def _drop(self) -> None:
        self.close_connection = True  # no answer at all: the client sees a closed connection

    def _json(self, status: int, payload: dict[str, Any]) -> None:
        self._send(status, json.dumps(payload).encode(), "application/x-amz-json-1.1")

    def _send(self, status: int, data: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-amzn-RequestId", "fake-request")
        self.end_headers()
        self.wfile.write(data)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeMTurk


class FakeMTurkServer:
    """Runs FakeMTurk on 127.0.0.1 in a thread: ``with FakeMTurkServer() as server:``."""

    def __init__(self, fake: FakeMTurk | None = None) -> None:
        self.fake = fake or FakeMTurk()
        self.httpd = _Server(("127.0.0.1", 0), _Handler)
        self.httpd.fake = self.fake
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FakeMTurkServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
