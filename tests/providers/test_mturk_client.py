"""The MTurk adapter's exact requests (botocore Stubber), the strict check against the
service model that Stubber skips, error mapping and bounded retries."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from botocore.stub import Stubber

from evalplatform.providers.errors import InvalidProviderRequest, TransientProviderError
from evalplatform.providers.models import MTurkQualificationType, ProviderHit
from evalplatform.providers.mturk import builders
from evalplatform.providers.mturk.client import MTurkGateway, MTurkRequestError, make_client
from evalplatform.providers.mturk.publish import publish_campaign
from evalplatform.providers.mturk.qualifications import find_or_create_qualification
from tests.providers.conftest import make_hits_campaign

NOW = datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC)
QUESTION_URL = "https://eval.example.org/p/mturk/task/{}/"


@pytest.fixture
def stubbed() -> Any:
    gateway = MTurkGateway(make_client("sandbox", cached=False), environment="sandbox")
    with Stubber(gateway.client) as stub:
        yield gateway, stub
        stub.assert_no_pending_responses()


def hit(hit_id: str) -> dict[str, Any]:
    return {
        "HITId": hit_id,
        "HITTypeId": "3TYPE",
        "HITGroupId": "3GROUP",
        "HITStatus": "Assignable",
        "CreationTime": NOW,
        "Expiration": NOW,
        "MaxAssignments": 4,
        "NumberOfAssignmentsAvailable": 4,
    }


def qual_response(type_id: str, name: str) -> dict[str, Any]:
    return {
        "QualificationType": {
            "QualificationTypeId": type_id,
            "Name": name,
            "QualificationTypeStatus": "Active",
        }
    }


@pytest.mark.django_db
def test_publish_sends_exact_requests(stubbed: Any) -> None:
    gateway, stub = stubbed
    campaign = make_hits_campaign(hits=2)
    limit_name = f"evalplatform-limit-reached-campaign-{campaign.pk}"
    stub.add_response(
        "create_qualification_type",
        qual_response("3QLIMIT", limit_name),
        {
            "Name": limit_name,
            "QualificationTypeStatus": "Active",
            "Description": "Reached the limit of 50 HITs in one of our evaluation campaigns.",
        },
    )
    stub.add_response(
        "create_qualification_type",
        qual_response("3QBLOCK", "evalplatform-blocked"),
        {
            "Name": "evalplatform-blocked",
            "QualificationTypeStatus": "Active",
            "Description": "Not eligible for our dialogue evaluation HITs.",
        },
    )
    guard = "DiscoverPreviewAndAccept"
    stub.add_response(
        "create_hit_type",
        {"HITTypeId": "3TYPE"},
        {
            "Title": "Sort chatbot responses into Good, Okay and Bad",
            "Description": "Drag each candidate response into Good, Okay or Bad.",
            "Keywords": "dialogue, chatbot, evaluation, rating",
            "Reward": "0.40",
            "AssignmentDurationInSeconds": 1800,
            "AutoApprovalDelayInSeconds": 259200,
            "QualificationRequirements": [
                {
                    "QualificationTypeId": "00000000000000000071",
                    "Comparator": "In",
                    "LocaleValues": [{"Country": c} for c in ("US", "AU", "NZ", "GB", "CA")],
                    "ActionsGuarded": guard,
                },
                {
                    "QualificationTypeId": "000000000000000000L0",
                    "Comparator": "GreaterThanOrEqualTo",
                    "IntegerValues": [95],
                    "ActionsGuarded": guard,
                },
                {
                    "QualificationTypeId": "00000000000000000040",
                    "Comparator": "GreaterThanOrEqualTo",
                    "IntegerValues": [100],
                    "ActionsGuarded": guard,
                },
                {
                    "QualificationTypeId": "3QLIMIT",
                    "Comparator": "DoesNotExist",
                    "ActionsGuarded": guard,
                },
                {
                    "QualificationTypeId": "3QBLOCK",
                    "Comparator": "DoesNotExist",
                    "ActionsGuarded": guard,
                },
            ],
        },
    )
    question = builders.external_question(QUESTION_URL.format(campaign.pk))
    for index, hit_row in enumerate(campaign.hits.order_by("index")):
        stub.add_response(
            "create_hit_with_hit_type",
            {"HIT": hit(f"3HIT{index}")},
            {
                "HITTypeId": "3TYPE",
                "MaxAssignments": 4,
                "LifetimeInSeconds": 604800,
                "Question": question,
                "UniqueRequestToken": f"ep-c{campaign.pk}-i{index}-h{hit_row.pk}-sand",
                "RequesterAnnotation": f"evalplatform:campaign:{campaign.pk}:hit:{index}",
            },
        )
    result = publish_campaign(gateway, campaign)
    assert result.created == 2
    assert set(ProviderHit.objects.values_list("provider_hit_id", "environment")) == {
        ("3HIT0", "sandbox"),
        ("3HIT1", "sandbox"),
    }
    assert "<ExternalURL>https://eval.example.org/p/mturk/task/" in question


@pytest.mark.django_db
def test_hit_already_exists_recovers_the_hit_id_from_the_message(stubbed: Any) -> None:
    gateway, stub = stubbed
    campaign = make_hits_campaign(hits=1)
    MTurkQualificationType.objects.create(
        environment="sandbox",
        purpose="limit",
        name=f"evalplatform-limit-reached-campaign-{campaign.pk}",
        qualification_type_id="3QLIMIT",
    )
    MTurkQualificationType.objects.create(
        environment="sandbox",
        purpose="blocked",
        name="evalplatform-blocked",
        qualification_type_id="3QBLOCK",
    )
    stub.add_response("create_hit_type", {"HITTypeId": "3TYPE"})
    stub.add_client_error(
        "create_hit_with_hit_type",
        service_error_code="RequestError",
        http_status_code=400,
        service_message='The HIT with ID "3EXISTINGHITID0000000" already exists. (1700000)',
        modeled_fields={"TurkErrorCode": "AWS.MechanicalTurk.HitAlreadyExists"},
    )
    stub.add_response(
        "get_hit", {"HIT": hit("3EXISTINGHITID0000000")}, {"HITId": "3EXISTINGHITID0000000"}
    )
    result = publish_campaign(gateway, campaign)
    assert result.recovered == 1 and result.created == 0
    assert campaign.hits.get().provider_hit_id == "3EXISTINGHITID0000000"


@pytest.mark.django_db
def test_qualification_already_exists_is_found_by_name(stubbed: Any) -> None:
    gateway, stub = stubbed
    stub.add_client_error(
        "create_qualification_type",
        service_error_code="RequestError",
        http_status_code=400,
        service_message="You have already created a QualificationType with this name.",
        modeled_fields={"TurkErrorCode": "AWS.MechanicalTurk.QualificationTypeAlreadyExists"},
    )
    stub.add_response(
        "list_qualification_types",
        {
            "QualificationTypes": [
                {"QualificationTypeId": "3OTHER", "Name": "evalplatform-blocked-old"},
                {"QualificationTypeId": "3QBLOCK", "Name": "evalplatform-blocked"},
            ]
        },
        {
            "Query": "evalplatform-blocked",
            "MustBeRequestable": False,
            "MustBeOwnedByCaller": True,
            "MaxResults": 100,
        },
    )
    row = find_or_create_qualification(
        gateway, name="evalplatform-blocked", description="d", purpose="blocked"
    )
    assert row.qualification_type_id == "3QBLOCK" and row.environment == "sandbox"


@pytest.mark.parametrize(
    ("method", "params", "problem"),
    [
        (
            "create_hit_type",
            {
                "Title": "t",
                "Description": "d",
                "Reward": "$0.50",
                "AssignmentDurationInSeconds": 600,
            },
            "Reward: does not match",
        ),
        (
            "create_hit_type",
            {"Title": "t", "Description": "d", "Reward": ".50", "AssignmentDurationInSeconds": 600},
            "Reward: does not match",
        ),
        (
            "create_hit_type",
            {
                "Title": "t",
                "Description": "d",
                "Reward": "0.50",
                "AssignmentDurationInSeconds": 600,
                "QualificationRequirements": [{"QualificationTypeId": "X", "Comparator": "Bogus"}],
            },
            "Comparator: not one of",
        ),
        (
            "create_hit_with_hit_type",
            {"HITTypeId": "T", "LifetimeInSeconds": 600, "UniqueRequestToken": "x" * 65},
            "longer than 64",
        ),
        (
            "send_bonus",
            {
                "WorkerId": "not-a-worker",
                "BonusAmount": "0.10",
                "AssignmentId": "A1",
                "Reason": "r",
            },
            "WorkerId: does not match",
        ),
        (
            "create_hit_type",
            {
                "Title": "t" * 129,
                "Description": "d",
                "Reward": "0.50",
                "AssignmentDurationInSeconds": 600,
            },
            "Title: longer than 128",
        ),
        (
            "create_hit_with_hit_type",
            {"HITTypeId": "T", "LifetimeInSeconds": 10},
            "LifetimeInSeconds: outside",
        ),
    ],
)
def test_strict_validation_refuses_before_sending(
    stubbed: Any, method: str, params: dict[str, Any], problem: str
) -> None:
    gateway, _ = stubbed  # nothing queued: a request that got through would fail the stub
    with pytest.raises(InvalidProviderRequest, match=problem):
        gateway.call(method, **params)


def test_service_fault_is_retried_a_bounded_number_of_times(stubbed: Any, settings: Any) -> None:
    gateway, stub = stubbed
    settings.MTURK_SERVICE_FAULT_RETRIES = 2
    for _ in range(3):
        stub.add_client_error("get_hit", service_error_code="ServiceFault", http_status_code=500)
    with pytest.raises(TransientProviderError):
        gateway.call("get_hit", HITId="3HIT")


def test_not_repeatable_calls_are_not_retried(stubbed: Any) -> None:
    gateway, stub = stubbed
    stub.add_client_error(
        "create_qualification_type", service_error_code="ServiceFault", http_status_code=500
    )
    with pytest.raises(TransientProviderError):
        gateway.call(
            "create_qualification_type", Name="n", Description="d", QualificationTypeStatus="Active"
        )


def test_request_error_carries_the_turk_error_code(stubbed: Any) -> None:
    gateway, stub = stubbed
    stub.add_client_error(
        "get_assignment",
        service_error_code="RequestError",
        http_status_code=400,
        service_message="does not exist",
        modeled_fields={"TurkErrorCode": "AWS.MechanicalTurk.AssignmentDoesNotExist"},
    )
    with pytest.raises(MTurkRequestError) as caught:
        gateway.call("get_assignment", AssignmentId="A1")
    assert caught.value.turk_error_code == "AWS.MechanicalTurk.AssignmentDoesNotExist"


def test_client_configuration_is_explicit(settings: Any) -> None:
    settings.MTURK_RETRY_MODE = "adaptive"
    settings.MTURK_ENDPOINT_URL = ""
    for env, host in (("sandbox", "mturk-requester-sandbox"), ("production", "mturk-requester")):
        client = make_client(env, cached=False)
        assert client.meta.region_name == "us-east-1"
        assert client.meta.endpoint_url == f"https://{host}.us-east-1.amazonaws.com"
        assert client.meta.config.retries["mode"] == "adaptive"
        assert client.meta.config.retries["total_max_attempts"] == 8


def test_money_strings() -> None:
    assert builders.money(Decimal("0.4")) == "0.40"
    assert builders.money(Decimal("0.105")) == "0.11"
    with pytest.raises(Exception, match="https"):
        builders.external_question("http://eval.example.org/task")
    xml = builders.external_question("https://e.org/t?a=1&b=2")
    assert "a=1&amp;b=2" in xml
    assert builders.parse_answer(builders.answer_xml({"completion_code": "AB-CD"})) == {
        "completion_code": "AB-CD"
    }
