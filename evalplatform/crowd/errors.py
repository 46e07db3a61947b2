"""Errors of the crowd services. Each carries the HTTP status a worker page answers with,
so that the views stay thin and the JSON endpoints answer consistently."""

from __future__ import annotations

from evalplatform.common.errors import ApplicationError


class CrowdError(ApplicationError):
    """A refusal a worker can read: the message says what happened and what to do."""

    status = 400
    # For the page's script where the message alone is not enough to act on.
    code = ""


class InvalidToken(CrowdError):
    """A worker link or API call whose token is missing, forged, foreign or expired."""

    status = 403


class LeaseRefused(CrowdError):
    """No work can be handed to this worker (limit reached, blocked, nothing left...)."""

    status = 409


class AssignmentClosed(CrowdError):
    """The assignment no longer takes answers (submitted, returned, or its time ran out)."""

    status = 409


class SessionSuperseded(AssignmentClosed):
    """The assignment was opened in another window since this one, which took it over:
    this window's answers are no longer stored."""

    status = 409
    code = "superseded"


class SessionRequired(CrowdError):
    """A request that writes answers came without the nonce of the window (or client) that
    sends it, so it could overwrite another window's answers unseen."""

    status = 400
    code = "session_required"


class InvalidAnswer(CrowdError):
    """An answer that does not fit the HIT: unknown item, response, question or value."""

    status = 400
