"""Strict checks of MTurk requests before they are sent.

botocore validates required members, types and minimums, but not ``pattern``, ``enum`` or
``max`` (nor does Stubber), so a reward of "$0.50" or a 65-character token would reach MTurk.
``strict_problems`` walks the operation's input shape in botocore's service model and reports
those; ``business_problems`` adds MTurk's documented limits the model does not encode.
Applied to every call, in production too.
"""

from __future__ import annotations

import re
from typing import Any

# MTurk's documented limits (legacy CreateHIT reference; the 2017 model does not carry them).
MAX_TITLE = 128
MAX_DESCRIPTION = 2000
MAX_KEYWORDS = 1000
MAX_ANNOTATION = 255
MAX_REQUIREMENTS = 10
MAX_QUESTION_BYTES = 65535
MIN_DURATION, MAX_DURATION = 30, 31_536_000
MAX_AUTO_APPROVAL = 2_592_000


def strict_problems(service_model: Any, operation_name: str, params: dict[str, Any]) -> list[str]:
    """Pattern, enum and maximum violations of ``params`` against the service model."""
    operation = service_model.operation_model(operation_name)
    problems: list[str] = []

    def walk(shape: Any, value: Any, path: str) -> None:
        kind = shape.type_name
        if kind == "structure" and isinstance(value, dict):
            for key, member in value.items():
                if key in shape.members:
                    walk(shape.members[key], member, f"{path}.{key}")
        elif kind == "list" and isinstance(value, list):
            most = shape.metadata.get("max")
            if most is not None and len(value) > most:
                problems.append(f"{path}: more than {most} items")
            for index, member in enumerate(value):
                walk(shape.member, member, f"{path}[{index}]")
        elif kind == "string" and isinstance(value, str):
            most, pattern = shape.metadata.get("max"), shape.metadata.get("pattern")
            if most is not None and len(value) > most:
                problems.append(f"{path}: longer than {most}")
            if pattern and not re.search(pattern, value):
                problems.append(f"{path}: does not match {pattern}")
            if shape.enum and value not in shape.enum:
                problems.append(f"{path}: not one of {', '.join(shape.enum)}")
        elif kind in ("integer", "long") and isinstance(value, int):
            most = shape.metadata.get("max")
            if most is not None and value > most:
                problems.append(f"{path}: greater than {most}")

    if operation.input_shape is not None:
        walk(operation.input_shape, params, operation_name)
    return problems


def business_problems(operation_name: str, params: dict[str, Any]) -> list[str]:
    """MTurk's own limits on HIT and HIT type parameters."""
    problems: list[str] = []
    lengths = {
        "Title": MAX_TITLE,
        "Description": MAX_DESCRIPTION,
        "Keywords": MAX_KEYWORDS,
        "RequesterAnnotation": MAX_ANNOTATION,
    }
    for key, most in lengths.items():
        if isinstance(params.get(key), str) and len(params[key]) > most:
            problems.append(f"{operation_name}.{key}: longer than {most} characters")
    for key in ("AssignmentDurationInSeconds", "LifetimeInSeconds"):
        value = params.get(key)
        if value is not None and not MIN_DURATION <= value <= MAX_DURATION:
            problems.append(f"{operation_name}.{key}: outside {MIN_DURATION}..{MAX_DURATION}")
    delay = params.get("AutoApprovalDelayInSeconds")
    if delay is not None and not 0 <= delay <= MAX_AUTO_APPROVAL:
        problems.append(
            f"{operation_name}.AutoApprovalDelayInSeconds: outside 0..{MAX_AUTO_APPROVAL}"
        )
    if len(params.get("QualificationRequirements") or []) > MAX_REQUIREMENTS:
        problems.append(f"{operation_name}.QualificationRequirements: more than {MAX_REQUIREMENTS}")
    question = params.get("Question")
    if isinstance(question, str) and len(question.encode()) > MAX_QUESTION_BYTES:
        problems.append(f"{operation_name}.Question: larger than {MAX_QUESTION_BYTES} bytes")
    return problems
