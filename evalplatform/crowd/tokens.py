"""Signed per-assignment tokens: how worker pages and their JSON endpoints authenticate.

The token travels in the URL, never in a cookie, because MTurk shows our pages in a
third-party iframe where browsers drop our cookies. It names the assignment and its
worker, is signed with the secret key under its own salt (a token made for anything else
does not verify) and carries a timestamp so that old links stop working.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

from evalplatform.crowd.errors import InvalidToken
from evalplatform.crowd.models import Assignment
from evalplatform.crowd.selectors.facts import facts_forget, facts_remember
from evalplatform.crowd.selectors.lookup import assignment_with_context

SALT = "evalplatform.crowd.assignment-token"
GONE = "This link points to work that no longer exists."


def assignment_token(assignment: Assignment) -> str:
    """The token for one assignment; deterministic apart from its timestamp."""
    return signing.dumps([assignment.pk, assignment.worker_id], salt=SALT, compress=False)


def assignment_from_token(token: str) -> Assignment:
    """The assignment a token names. Raises InvalidToken with a message the worker reads."""
    return assignment_from_claims(token_claims(token))


def token_claims(token: str) -> tuple[int, int]:
    """(assignment id, worker id) of a token whose signature and age hold, without reading
    the database. Raises InvalidToken with a message the worker reads."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=settings.CROWD_TOKEN_MAX_AGE_SECONDS)
    except signing.SignatureExpired:
        raise InvalidToken(
            "This link has expired. Open the task again from the page where you found it."
        ) from None
    except signing.BadSignature:
        raise InvalidToken(
            "This link is not valid: it is incomplete, was changed, or belongs to someone "
            "else. Open the task again from the page where you found it."
        ) from None
    if not (
        isinstance(payload, list)
        and len(payload) == 2
        and all(isinstance(value, int) for value in payload)
    ):
        raise InvalidToken("This link is not valid.")
    assignment_id, worker_id = payload
    return assignment_id, worker_id


def assignment_from_claims(claims: tuple[int, int]) -> Assignment:
    """The assignment of a token's claims, with its HIT, campaign and worker, in one query
    built once (every request starts here); what never changes about it is remembered for
    the answer path (``selectors.facts``)."""
    assignment = assignment_with_context(*claims)
    if assignment is None:
        facts_forget(*claims)
        raise InvalidToken(GONE)
    facts_remember(assignment)
    return assignment


def assignment_url(assignment: Assignment, page: str = "entry", **kwargs: object) -> str:
    """The path of one of the assignment's pages ("entry", "welcome", "instructions",
    "item" (with position=), "review", "done") or JSON endpoints ("api-state",
    "api-answer", "api-bonus", "api-warmup", "api-submit", "api-leave")."""
    token = assignment_token(assignment)
    return reverse(f"crowd:{page}", kwargs={"token": token, **kwargs})
