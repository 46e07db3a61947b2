"""Completion codes: proof that our server saw an assignment submitted.

A code is an HMAC of the assignment's identity (our ids, the worker and the provider's
assignment id) under the secret key, so anyone holding the secret can check that a code
sent back by a provider (MTurk's answer, a Prolific return) belongs to that assignment, and
no worker can make one up. It is deterministic, so a second submit shows the same code.
"""

from __future__ import annotations

import base64
import re

from django.utils.crypto import constant_time_compare, salted_hmac

from evalplatform.crowd.models import Assignment

SALT = "evalplatform.crowd.completion-code"
GROUPS = 4
GROUP_LENGTH = 4


def completion_code_make(assignment: Assignment) -> str:
    """The code of an assignment, e.g. ``"K3QF-7ZTM-2WXA-PLQB"`` (80 bits)."""
    worker = assignment.worker
    message = ":".join(
        str(part)
        for part in (
            assignment.pk,
            assignment.hit_id,
            worker.provider,
            worker.external_id,
            assignment.provider_assignment_id,
        )
    )
    digest = salted_hmac(SALT, message, algorithm="sha256").digest()
    letters = base64.b32encode(digest).decode("ascii")[: GROUPS * GROUP_LENGTH]
    return "-".join(
        letters[start : start + GROUP_LENGTH] for start in range(0, len(letters), GROUP_LENGTH)
    )


def _normalize(code: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", code.upper())


def completion_code_verify(assignment: Assignment, code: str) -> bool:
    """Whether ``code`` (any case, dashes and spaces ignored) is this assignment's code."""
    if not code:
        return False
    return constant_time_compare(_normalize(code), _normalize(completion_code_make(assignment)))
