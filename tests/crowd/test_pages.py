"""Worker pages through Django's test client: resume, order, completion, timing, preview,
and the JSON endpoints' contracts."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from evalplatform.crowd.completion import completion_code_verify
from evalplatform.crowd.models import Assignment, AssignmentStatus, Judgment, PageVisit
from evalplatform.crowd.services import assignment_lease
from evalplatform.crowd.tokens import assignment_url
from evalplatform.crowd.views.preview import render_hit_preview
from tests.factories import answer_all, show_all, worker_post

pytestmark = pytest.mark.django_db


def post(client, url, body):
    return worker_post(client, url, body)


@pytest.fixture
def lease(ggb_campaign, worker):
    lease = assignment_lease(campaign=ggb_campaign, worker=worker)
    show_all(lease)
    return lease


def test_entry_resumes_where_the_worker_was_even_on_a_second_device(client, lease):
    assert client.get(assignment_url(lease)).url.endswith("/welcome/")
    answer_all(lease)
    client.get(assignment_url(lease, "item", position=2))
    from django.test import Client

    elsewhere = Client()  # no cookies shared: the token alone carries the worker
    assert elsewhere.get(assignment_url(lease)).url.endswith("/item/2/")
    lease.refresh_from_db()
    assert (lease.stage, lease.position) == ("task", 2)


def test_dialogues_open_in_order_and_review_waits_for_all(client, lease):
    response = client.get(assignment_url(lease, "item", position=2))
    assert response.status_code == 302 and response.url.endswith("/item/0/")
    assert client.get(assignment_url(lease, "review")).url.endswith("/item/0/")
    assert client.get(assignment_url(lease, "item", position=99)).url.endswith("/item/0/")
    entry = assignment_url(lease)
    assert client.get(entry + "done/").url == entry


def test_item_page_renders_saved_answers_in_their_bins(client, lease):
    post(
        client,
        assignment_url(lease, "api-answer"),
        {"item": 0, "candidate": 1, "criterion": "appropriateness", "value": "okay"},
    )
    content = client.get(assignment_url(lease, "item", position=0)).content.decode()
    okay_bin = content.split('data-value="okay">')[1].split("</ul>")[0]
    assert 'data-handle="1"' in okay_bin
    assert "Bonus Validate" in content and "Dialogue 1 of 4" in content


def test_answer_endpoint_contract_and_progress(client, lease):
    url = assignment_url(lease, "api-answer")
    n = lease.hit.items.get(position=0).candidates.count()
    for handle in range(n):
        body = post(
            client,
            url,
            {"item": 0, "candidate": handle, "criterion": "appropriateness", "value": "good"},
        ).json()
    assert body == {"ok": True, "item": 0, "item_complete": True, "done": 1, "total": 4}
    refused = post(
        client, url, {"item": 0, "candidate": 0, "criterion": "appropriateness", "value": "great"}
    )
    assert refused.status_code == 400 and "choose one of good, okay, bad" in refused.json()["error"]
    state = client.get(assignment_url(lease, "api-state")).json()
    assert state["progress"] == {"done": 1, "total": 4}
    assert len(state["items"][0]["answers"]) == n and state["items"][0]["complete"]
    assert {"handle", "text", "label"} == set(state["items"][0]["responses"][0])


def test_submit_endpoint_is_idempotent_and_done_page_shows_the_code(client, lease):
    answer_all(lease)
    first = post(client, assignment_url(lease, "api-submit"), {}).json()
    second = post(client, assignment_url(lease, "api-submit"), {}).json()
    # The link's signed token carries its signing second, so only its target must agree.
    first_next, second_next = first.pop("next"), second.pop("next")
    assert first_next.endswith("/done/") and second_next.endswith("/done/")
    assert first_next.split(":")[0] == second_next.split(":")[0]  # the same assignment
    assert first == second and first["status"] == "submitted"
    lease.refresh_from_db()
    assert completion_code_verify(lease, first["completion_code"])
    done = client.get(first_next).content.decode()
    assert first["completion_code"] in done and "<form" not in done
    # Submitted work sends every task page to the completion page.
    assert client.get(assignment_url(lease, "item", position=0)).url.endswith("/done/")


def test_done_page_renders_the_providers_submit_form(client, ggb_campaign, worker_factory):
    context = {
        "submit": {
            "method": "post",
            "url": "https://workersandbox.mturk.com/mturk/externalSubmit",
            "fields": {"assignmentId": "ASSIGN9"},
        }
    }
    lease = assignment_lease(
        campaign=ggb_campaign,
        worker=worker_factory(provider="mturk"),
        hit=ggb_campaign.hits.first(),
        provider_assignment_id="ASSIGN9",
        provider_context=context,
    )
    answer_all(lease)
    code = post(client, assignment_url(lease, "api-submit"), {}).json()["completion_code"]
    done = client.get(assignment_url(lease, "done")).content.decode()
    assert 'action="https://workersandbox.mturk.com/mturk/externalSubmit"' in done
    assert 'name="assignmentId" value="ASSIGN9"' in done
    assert f'name="completion_code" value="{code}"' in done


def test_unsafe_submit_urls_are_not_rendered(client, ggb_campaign, worker):
    context = {"submit": {"method": "post", "url": "javascript:alert(1)", "fields": {}}}
    lease = assignment_lease(campaign=ggb_campaign, worker=worker, provider_context=context)
    show_all(lease)
    answer_all(lease)
    post(client, assignment_url(lease, "api-submit"), {})
    assert "<form" not in client.get(assignment_url(lease, "done")).content.decode()


def test_closed_assignments_show_why(client, lease):
    Assignment.objects.filter(pk=lease.pk).update(
        lease_expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = client.get(assignment_url(lease, "welcome"))
    assert response.status_code == 409 and "time for this HIT ran out" in response.content.decode()
    Assignment.objects.filter(pk=lease.pk).update(status=AssignmentStatus.RETURNED)
    assert (
        "returned this HIT"
        in client.get(assignment_url(lease, "item", position=0)).content.decode()
    )


def test_time_on_each_page_is_recorded_on_the_server(client, lease):
    client.get(assignment_url(lease, "welcome"))
    client.get(assignment_url(lease, "instructions"))
    welcome, instructions = PageVisit.objects.order_by("pk")
    assert welcome.page == "welcome" and welcome.closed_at is not None and welcome.seconds >= 0
    assert instructions.closed_at is None
    left = post(client, assignment_url(lease, "api-leave"), {"visit": instructions.pk})
    assert left.status_code == 204
    instructions.refresh_from_db()
    assert instructions.closed_at is not None
    # The page's pagehide request is JSON like every other (a text/plain one is refused).
    client.get(assignment_url(lease, "item", position=0))
    visit = PageVisit.objects.latest("pk")
    plain = client.post(
        assignment_url(lease, "api-leave"),
        json.dumps({"visit": visit.pk}),
        content_type="text/plain;charset=UTF-8",
    )
    assert plain.status_code == 415
    left = post(client, assignment_url(lease, "api-leave"), {"visit": visit.pk})
    visit.refresh_from_db()
    assert left.status_code == 204 and visit.item_position == 0 and visit.closed_at is not None


@pytest.mark.parametrize(
    ("preset", "answers", "correct"),
    [
        (
            "good-okay-bad",
            [
                (0, "appropriateness", "good"),
                (1, "appropriateness", "okay"),
                (2, "appropriateness", "bad"),
            ],
            True,
        ),
        ("good-okay-bad", [(0, "appropriateness", "bad")], False),
        ("ab-wlt", [(None, "overall", "a")], True),
        ("ab-wlt", [(None, "overall", "tie")], False),
        (
            "likert-efir",
            [
                (c, name, "5" if c == 0 else "1")
                for c in (0, 1)
                for name in ("emotion", "fluency", "informativeness", "relevance")
            ],
            True,
        ),
        ("likert-efir", [(0, "fluency", "1")], False),
    ],
)
def test_warmup_check_gives_feedback_and_stores_nothing(
    client, campaign_factory, worker, preset, answers, correct
):
    lease = assignment_lease(campaign=campaign_factory(preset), worker=worker)
    show_all(lease)
    body = {
        "answers": [
            {"candidate": c, "criterion": name, "value": value} for c, name, value in answers
        ]
    }
    result = post(client, assignment_url(lease, "api-warmup"), body).json()
    assert result["ok"] and result["correct"] is correct and result["feedback"]
    assert not Judgment.objects.exists()


def test_instructions_page_shows_the_practice_item_and_likert_anchors(
    client, likert_campaign, worker
):
    lease = assignment_lease(campaign=likert_campaign, worker=worker)
    show_all(lease)
    content = client.get(assignment_url(lease, "instructions")).content.decode()
    assert "I finally passed my driving test" in content
    assert "unacceptable" in content and "excellent" in content
    assert "Predicted emotion" in content  # seed 000's binary criterion


def test_preview_is_read_only_and_frameable(rf, ggb_campaign):
    hit = ggb_campaign.hits.first()
    response = render_hit_preview(rf.get("/"), hit, item_position=1)
    content = response.content.decode()
    assert response.status_code == 200
    assert "frame-ancestors" in response["Content-Security-Policy"]
    assert getattr(response, "xframe_options_exempt", False)
    assert "<script" not in content and "<form" not in content and "/w/a/" not in content
    assert "This is a preview" in content and "Dialogue" in content
    assert not Assignment.objects.exists()
