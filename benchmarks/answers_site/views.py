"""Baselines for benchmarks/answers.py. Both read the JSON body like the answer endpoint:
``trivial`` answers without touching the database (the framework's ceiling), ``one_insert``
does one INSERT into a table with a unique index (the floor of any save)."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

TABLE = "bench_one_insert"
CREATE_TABLE = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    id bigserial PRIMARY KEY,
    key text NOT NULL,
    value integer NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX IF NOT EXISTS {TABLE}_key ON {TABLE} (key);
"""


@csrf_exempt
def trivial(request: HttpRequest) -> JsonResponse:
    body = json.loads(request.body or b"{}")
    return JsonResponse({"ok": True, "echo": len(body)})


@csrf_exempt
def one_insert(request: HttpRequest) -> JsonResponse:
    body = json.loads(request.body or b"{}")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (key, value) VALUES (%s, %s)",
            [str(body["key"]), int(body["value"])],
        )
    return JsonResponse({"ok": True})


def echo_request_id(get_response: Callable[[HttpRequest], HttpResponse]):
    """Copies the load generator's X-Bench-Id header to the response."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        request_id = request.headers.get("X-Bench-Id")
        if request_id:
            response["X-Bench-Id"] = request_id
        return response

    return middleware
