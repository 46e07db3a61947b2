"""The state and operations of the fake MTurk requester API (see mturk_server.py)."""

from __future__ import annotations

import itertools
import json
import random
import re
import threading
import time
from collections import Counter
from decimal import Decimal
from typing import Any

from evalplatform.providers.mturk.builders import answer_xml

MONEY = re.compile(r"^[0-9]+(\.)?[0-9]{0,2}$")


class FakeError(Exception):
    def __init__(self, code: str, message: str, turk_code: str = "") -> None:
        super().__init__(message)
        self.code, self.message, self.turk_code = code, message, turk_code


class FakeMTurk:
    """The service's state and operations; mturk_server.py's handler calls ``dispatch``."""

    def __init__(self, *, seed: int = 0) -> None:
        self.lock = threading.RLock()
        self.rng = random.Random(seed)
        self.ids = itertools.count(1)
        self.hit_types: dict[str, dict[str, Any]] = {}
        self.hits: dict[str, dict[str, Any]] = {}
        self.hit_tokens: dict[str, str] = {}
        self.assignments: dict[str, dict[str, Any]] = {}
        self.bonuses: list[dict[str, Any]] = []
        self.bonus_tokens: dict[str, dict[str, Any]] = {}
        self.qual_types: dict[str, dict[str, Any]] = {}
        self.scores: dict[tuple[str, str], int] = {}
        self.calls: Counter[str] = Counter()
        self.throttle_rate = 0.0
        self.throttled = 0
        self.kill_after_hits: int | None = None  # dead once this many HITs exist
        self.lose_answer_ops: set[int] = set()  # call numbers whose answer is dropped
        self.dead = False
        self.call_number = 0

    # ----------------------------------------------------------------- helpers
    def _id(self, prefix: str) -> str:
        return f"{prefix}{next(self.ids):0>26}"[:30].upper()

    def dispatch(self, operation: str, body: dict[str, Any]) -> dict[str, Any]:
        handler = getattr(self, f"op_{operation}", None)
        if handler is None:
            raise FakeError("RequestError", f"Unsupported operation {operation}")
        return dict(handler(body))

    # ------------------------------------------------------------------ HITs
    def op_CreateHITType(self, b: dict[str, Any]) -> dict[str, Any]:
        if not MONEY.match(b["Reward"]):
            raise FakeError("RequestError", "Reward is invalid", "AWS.ParameterOutOfRange")
        key = json.dumps(b, sort_keys=True)
        for type_id, existing in self.hit_types.items():
            if existing["key"] == key:
                return {"HITTypeId": type_id}
        type_id = self._id("T")
        self.hit_types[type_id] = {"key": key, **b}
        return {"HITTypeId": type_id}

    def op_CreateHITWithHITType(self, b: dict[str, Any]) -> dict[str, Any]:
        token = b.get("UniqueRequestToken")
        if token and token in self.hit_tokens:
            hit_id = self.hit_tokens[token]
            raise FakeError(
                "RequestError",
                f'The HIT with ID "{hit_id}" already exists. (1700000000000)',
                "AWS.MechanicalTurk.HitAlreadyExists",
            )
        hit_type = self.hit_types.get(b["HITTypeId"])
        if hit_type is None:
            raise FakeError(
                "RequestError", "HITType does not exist", "AWS.MechanicalTurk.HITTypeDoesNotExist"
            )
        hit_id = self._id("H")
        now = time.time()
        self.hits[hit_id] = {
            "HITId": hit_id,
            "HITTypeId": b["HITTypeId"],
            "HITGroupId": "G" + b["HITTypeId"][1:],
            "Title": hit_type["Title"],
            "Description": hit_type["Description"],
            "Question": b.get("Question", ""),
            "Keywords": hit_type.get("Keywords", ""),
            "HITStatus": "Assignable",
            "MaxAssignments": b.get("MaxAssignments", 1),
            "Reward": hit_type["Reward"],
            "CreationTime": now,
            "Expiration": now + b["LifetimeInSeconds"],
            "AutoApprovalDelayInSeconds": hit_type.get("AutoApprovalDelayInSeconds", 2592000),
            "AssignmentDurationInSeconds": hit_type["AssignmentDurationInSeconds"],
            "RequesterAnnotation": b.get("RequesterAnnotation", ""),
            "QualificationRequirements": hit_type.get("QualificationRequirements", []),
            "HITReviewStatus": "NotReviewed",
            "NumberOfAssignmentsPending": 0,
            "NumberOfAssignmentsAvailable": b.get("MaxAssignments", 1),
            "NumberOfAssignmentsCompleted": 0,
            "_token": token,
        }
        if token:
            self.hit_tokens[token] = hit_id
        return {"HIT": self._public(self.hits[hit_id])}

    def _public(self, hit: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in hit.items() if not k.startswith("_")}

    def _hit(self, hit_id: str) -> dict[str, Any]:
        if hit_id not in self.hits:
            raise FakeError(
                "RequestError",
                f"Hit {hit_id} does not exist. (1700000000000)",
                "AWS.MechanicalTurk.HITDoesNotExist",
            )
        return self.hits[hit_id]

    def op_GetHIT(self, b: dict[str, Any]) -> dict[str, Any]:
        return {"HIT": self._public(self._hit(b["HITId"]))}

    def _page(self, items: list[Any], b: dict[str, Any], key: str) -> dict[str, Any]:
        start = int(b.get("NextToken") or 0)
        size = int(b.get("MaxResults") or 10)
        page = items[start : start + size]
        out: dict[str, Any] = {key: page, "NumResults": len(page)}
        if start + size < len(items):
            out["NextToken"] = str(start + size)
        return out

    def op_ListHITs(self, b: dict[str, Any]) -> dict[str, Any]:
        return self._page([self._public(h) for h in self.hits.values()], b, "HITs")

    def op_UpdateExpirationForHIT(self, b: dict[str, Any]) -> dict[str, Any]:
        hit = self._hit(b["HITId"])
        hit["Expiration"] = float(b["ExpireAt"])
        if hit["Expiration"] <= time.time():
            hit["HITStatus"] = "Reviewable"
            hit["NumberOfAssignmentsAvailable"] = 0
        return {}

    def op_GetAccountBalance(self, b: dict[str, Any]) -> dict[str, Any]:
        return {"AvailableBalance": "10000.00"}

    # ------------------------------------------------------------ assignments
    def op_ListAssignmentsForHIT(self, b: dict[str, Any]) -> dict[str, Any]:
        self._hit(b["HITId"])
        statuses = set(b.get("AssignmentStatuses") or ["Submitted", "Approved", "Rejected"])
        found = [
            self._public(a)
            for a in self.assignments.values()
            if a["HITId"] == b["HITId"] and a["AssignmentStatus"] in statuses
        ]
        return self._page(found, b, "Assignments")

    def _assignment(self, assignment_id: str) -> dict[str, Any]:
        found = self.assignments.get(assignment_id)
        if found is None or found["AssignmentStatus"] == "Accepted":
            raise FakeError(
                "RequestError",
                f"Assignment {assignment_id} does not exist. (1700000000000)",
                "AWS.MechanicalTurk.AssignmentDoesNotExist",
            )
        return found

    def op_GetAssignment(self, b: dict[str, Any]) -> dict[str, Any]:
        found = self._assignment(b["AssignmentId"])
        return {"Assignment": self._public(found), "HIT": self._public(self.hits[found["HITId"]])}

    def _review(self, b: dict[str, Any], status: str) -> dict[str, Any]:
        found = self._assignment(b["AssignmentId"])
        if found["AssignmentStatus"] != "Submitted" and not (
            status == "Approved" and b.get("OverrideRejection")
        ):
            raise FakeError(
                "RequestError",
                "This operation can be called with a status of: Submitted (1700000000000)",
                "AWS.MechanicalTurk.InvalidAssignmentState",
            )
        found["AssignmentStatus"] = status
        found["_paid"] = found.get("_paid", 0) + (1 if status == "Approved" else 0)
        found["RequesterFeedback"] = b.get("RequesterFeedback", "")
        hit = self.hits[found["HITId"]]
        hit["NumberOfAssignmentsCompleted"] += 1
        return {}

    def op_ApproveAssignment(self, b: dict[str, Any]) -> dict[str, Any]:
        return self._review(b, "Approved")

    def op_RejectAssignment(self, b: dict[str, Any]) -> dict[str, Any]:
        if not b.get("RequesterFeedback"):
            raise FakeError("RequestError", "RequesterFeedback is required")
        return self._review(b, "Rejected")

    # ---------------------------------------------------------------- bonuses
    def op_SendBonus(self, b: dict[str, Any]) -> dict[str, Any]:
        token = b.get("UniqueRequestToken")
        if token and token in self.bonus_tokens:
            raise FakeError(
                "RequestError",
                "The request has already been processed with the "
                "request ID 1234-abcd. (1700000000000)",
                "AWS.MechanicalTurk.DuplicateRequest",
            )
        found = self._assignment(b["AssignmentId"])
        if found["WorkerId"] != b["WorkerId"] or not MONEY.match(b["BonusAmount"]):
            raise FakeError("RequestError", "Invalid bonus request")
        bonus = {
            "WorkerId": b["WorkerId"],
            "BonusAmount": b["BonusAmount"],
            "HITId": found["HITId"],
            "AssignmentId": b["AssignmentId"],
            "Reason": b["Reason"],
            "GrantTime": time.time(),
        }
        self.bonuses.append(bonus)
        if token:
            self.bonus_tokens[token] = bonus
        return {}

    def op_ListBonusPayments(self, b: dict[str, Any]) -> dict[str, Any]:
        found = [
            x
            for x in self.bonuses
            if x["AssignmentId"] == b.get("AssignmentId") or x["HITId"] == b.get("HITId")
        ]
        return self._page(found, b, "BonusPayments")

    # --------------------------------------------------------- qualifications
    def op_CreateQualificationType(self, b: dict[str, Any]) -> dict[str, Any]:
        if any(q["Name"] == b["Name"] for q in self.qual_types.values()):
            raise FakeError(
                "RequestError",
                "You have already created a QualificationType with "
                "this name. A QualificationType's name must be unique among all of "
                "the QualificationTypes created by the same user. (1700000000000)",
                "AWS.MechanicalTurk.QualificationTypeAlreadyExists",
            )
        type_id = self._id("Q")
        self.qual_types[type_id] = {
            "QualificationTypeId": type_id,
            "Name": b["Name"],
            "Description": b["Description"],
            "QualificationTypeStatus": b["QualificationTypeStatus"],
            "CreationTime": time.time(),
            "IsRequestable": False,
        }
        return {"QualificationType": self.qual_types[type_id]}

    def op_ListQualificationTypes(self, b: dict[str, Any]) -> dict[str, Any]:
        query = (b.get("Query") or "").lower()
        found = [q for q in self.qual_types.values() if query in q["Name"].lower()]
        return self._page(found, b, "QualificationTypes")

    def op_AssociateQualificationWithWorker(self, b: dict[str, Any]) -> dict[str, Any]:
        if b["QualificationTypeId"] not in self.qual_types:
            raise FakeError(
                "RequestError",
                "You requested a Qualification that does not exist.",
                "AWS.MechanicalTurk.QualificationDoesNotExist",
            )
        self.scores[(b["QualificationTypeId"], b["WorkerId"])] = b.get("IntegerValue", 1)
        return {}

    # ---------------------------------------------------- the worker's browser
    def accept(self, hit_id: str, worker_id: str) -> str:
        """A worker accepts a HIT; refused like MTurk would (qualifications, slots, twice)."""
        with self.lock:
            hit = self._hit(hit_id)
            for req in hit["QualificationRequirements"]:
                if req["Comparator"] == "DoesNotExist" and (
                    (req["QualificationTypeId"], worker_id) in self.scores
                ):
                    raise FakeError("RequestError", "Worker does not meet the requirements")
            if hit["NumberOfAssignmentsAvailable"] < 1 or hit["HITStatus"] != "Assignable":
                raise FakeError("RequestError", "No assignments available")
            if any(
                a["HITId"] == hit_id and a["WorkerId"] == worker_id
                for a in self.assignments.values()
            ):
                raise FakeError("RequestError", "Worker already worked on this HIT")
            assignment_id = self._id("A")
            now = time.time()
            self.assignments[assignment_id] = {
                "AssignmentId": assignment_id,
                "WorkerId": worker_id,
                "HITId": hit_id,
                "AssignmentStatus": "Accepted",
                "AcceptTime": now,
                "Deadline": now + hit["AssignmentDurationInSeconds"],
            }
            hit["NumberOfAssignmentsAvailable"] -= 1
            hit["NumberOfAssignmentsPending"] += 1
            return assignment_id

    def external_submit(self, fields: dict[str, str]) -> bool:
        with self.lock:
            found = self.assignments.get(fields.get("assignmentId", ""))
            if found is None or found["AssignmentStatus"] != "Accepted" or len(fields) < 2:
                return False
            now = time.time()
            answers = {k: v for k, v in fields.items() if k != "assignmentId"}
            hit = self.hits[found["HITId"]]
            found.update(
                AssignmentStatus="Submitted",
                SubmitTime=now,
                Answer=answer_xml(answers),
                AutoApprovalTime=now + hit["AutoApprovalDelayInSeconds"],
            )
            hit["NumberOfAssignmentsPending"] -= 1
            return True

    def paid_total(self) -> Decimal:
        return sum((Decimal(b["BonusAmount"]) for b in self.bonuses), Decimal("0"))
