"""Writes on crowd work. Import services from here; the modules are an implementation
detail that may be split further."""

from evalplatform.crowd.services.assignments import (
    assignment_expire_leases,
    assignment_lease,
    assignment_return,
    lease_duration,
    worker_block,
    worker_get_or_create,
)
from evalplatform.crowd.services.hits import (
    campaign_publish_hits,
    hits_add,
    hits_build,
    hits_expire,
)
from evalplatform.crowd.services.invites import (
    invite_find,
    invite_revoke,
    invite_start,
    invites_create,
)
from evalplatform.crowd.services.judgments import judgment_save
from evalplatform.crowd.services.review import (
    assignment_approve,
    assignment_reject,
    assignment_void,
    owed_bonus_record,
)
from evalplatform.crowd.services.submission import SubmitResult, assignment_submit
from evalplatform.crowd.services.visits import (
    assignment_session_take,
    page_visit_close,
    page_visit_open,
)

__all__ = [
    "SubmitResult",
    "assignment_approve",
    "assignment_expire_leases",
    "assignment_lease",
    "assignment_reject",
    "assignment_return",
    "assignment_session_take",
    "assignment_submit",
    "assignment_void",
    "campaign_publish_hits",
    "hits_add",
    "hits_build",
    "hits_expire",
    "invite_find",
    "invite_revoke",
    "invite_start",
    "invites_create",
    "judgment_save",
    "lease_duration",
    "owed_bonus_record",
    "page_visit_close",
    "page_visit_open",
    "worker_block",
    "worker_get_or_create",
]
