"""Pure builders of MTurk request parts: money strings, ExternalQuestion XML, qualification
requirements, tokens and annotations, and the parser of the Answer XML.

Ids and namespaces are from the botocore service model and the MTurk API reference.
"""

from __future__ import annotations

import hashlib
import json
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from evalplatform.providers.errors import ProviderConfigurationError

EXTERNAL_QUESTION_NS = (
    "http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2006-07-14/"
    "ExternalQuestion.xsd"
)
ANSWER_NS = (
    "http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2005-10-01/"
    "QuestionFormAnswers.xsd"
)
QUAL_LOCALE = "00000000000000000071"
QUAL_APPROVAL_RATE = "000000000000000000L0"
QUAL_APPROVED_HITS = "00000000000000000040"
QUAL_MASTERS = {
    "sandbox": "2ARFPLSP75KLA8M8DH1HTEQVJT3SY6",
    "production": "2F1QJWKUDD8XADTFD2Q0G6UTO95ALH",
}
GUARD = "DiscoverPreviewAndAccept"
PREVIEW_ASSIGNMENT_ID = "ASSIGNMENT_ID_NOT_AVAILABLE"
# Where the worker's browser posts the finished assignment; turkSubmitTo must be one of these.
SUBMIT_ORIGINS = {
    "sandbox": "https://workersandbox.mturk.com",
    "production": "https://www.mturk.com",
}
SUBMIT_PATH = "/mturk/externalSubmit"
# The model's patterns for the ids MTurk appends to our URL.
ID_PATTERN = re.compile(r"^[A-Z0-9]{1,64}$")
WORKER_ID_PATTERN = re.compile(r"^A[A-Z0-9]{1,63}$")
HIT_ID_IN_MESSAGE = re.compile(r"\b([A-Z0-9]{20,64})\b")
CENT = Decimal("0.01")


def money(amount: Decimal) -> str:
    """USD as MTurk wants it: "0.40" (never a float, a "$" or ".40")."""
    return f"{Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP):.2f}"


def external_question(url: str, *, allow_http: bool = False, frame_height: int = 0) -> str:
    if not url.startswith("https://") and not (allow_http and url.startswith("http://")):
        raise ProviderConfigurationError(
            f"MTurk's ExternalURL must use https; got {url!r}. Set EVALPLATFORM_PUBLIC_URL "
            "to the site's public https origin."
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<ExternalQuestion xmlns="{EXTERNAL_QUESTION_NS}">'
        f"<ExternalURL>{escape(url)}</ExternalURL>"
        f"<FrameHeight>{int(frame_height)}</FrameHeight>"
        "</ExternalQuestion>"
    )


def system_requirements(requirements: dict[str, Any], environment: str) -> list[dict[str, Any]]:
    """MTurk's system qualifications from a campaign's worker_requirements."""
    out: list[dict[str, Any]] = []
    locales = [str(c).upper() for c in requirements.get("locales") or []]
    if locales:
        out.append(
            {
                "QualificationTypeId": QUAL_LOCALE,
                "Comparator": "In",
                "LocaleValues": [{"Country": c} for c in locales],
                "ActionsGuarded": GUARD,
            }
        )
    if requirements.get("min_approval_rate") is not None:
        out.append(
            {
                "QualificationTypeId": QUAL_APPROVAL_RATE,
                "Comparator": "GreaterThanOrEqualTo",
                "IntegerValues": [int(requirements["min_approval_rate"])],
                "ActionsGuarded": GUARD,
            }
        )
    if requirements.get("min_approved_hits") is not None:
        out.append(
            {
                "QualificationTypeId": QUAL_APPROVED_HITS,
                "Comparator": "GreaterThanOrEqualTo",
                "IntegerValues": [int(requirements["min_approved_hits"])],
                "ActionsGuarded": GUARD,
            }
        )
    if requirements.get("masters"):
        out.append(
            {
                "QualificationTypeId": QUAL_MASTERS[environment],
                "Comparator": "Exists",
                "ActionsGuarded": GUARD,
            }
        )
    return out


def excluded_requirement(qualification_type_id: str) -> dict[str, Any]:
    """Workers holding this qualification neither find, preview nor accept the HIT."""
    return {
        "QualificationTypeId": qualification_type_id,
        "Comparator": "DoesNotExist",
        "ActionsGuarded": GUARD,
    }


def hit_request_token(*, campaign_id: int, hit_id: int, index: int, environment: str) -> str:
    """Stable per HIT and environment, so a retried publish gets HitAlreadyExists, never a
    second HIT (MTurk keeps tokens 24 h; reconcile by annotation covers later retries)."""
    token = f"ep-c{campaign_id}-i{index}-h{hit_id}-{environment[:4]}"
    assert len(token) <= 64
    return token


def hit_annotation(*, campaign_id: int, index: int) -> str:
    return f"evalplatform:campaign:{campaign_id}:hit:{index}"


def params_digest(params: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(params, sort_keys=True, default=str).encode()).hexdigest()


def hit_id_from_message(message: str) -> str:
    """HitAlreadyExists carries the existing HITId in its message."""
    found = HIT_ID_IN_MESSAGE.findall(message or "")
    return found[-1] if found else ""


def parse_answer(xml_text: str | None) -> dict[str, str]:
    """QuestionFormAnswers XML -> {QuestionIdentifier: FreeText}; {} when empty or broken.
    ElementTree resolves no external entities, and the XML comes from MTurk."""
    if not xml_text:
        return {}
    try:
        root = ElementTree.fromstring(xml_text)
    except ElementTree.ParseError:
        return {}
    ns = {"a": ANSWER_NS}
    return {
        answer.findtext("a:QuestionIdentifier", "", ns): answer.findtext("a:FreeText", "", ns)
        for answer in root.findall("a:Answer", ns)
    }


def answer_xml(fields: dict[str, str]) -> str:
    """The Answer XML MTurk stores for an externalSubmit post (used by the fake and tests)."""
    parts = "".join(
        f"<Answer><QuestionIdentifier>{escape(k)}</QuestionIdentifier>"
        f"<FreeText>{escape(v)}</FreeText></Answer>"
        for k, v in fields.items()
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<QuestionFormAnswers xmlns="{ANSWER_NS}">{parts}</QuestionFormAnswers>'
    )
