"""Hostile input: forged, foreign and expired tokens; identity leaks; XSS; framing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core import signing
from django.urls import reverse

from evalplatform.campaigns.models import CampaignStatus, Candidate
from evalplatform.campaigns.services import (
    campaign_draw_sample,
    campaign_transition,
)
from evalplatform.crowd.models import Judgment
from evalplatform.crowd.services import (
    assignment_lease,
    assignment_submit,
    campaign_publish_hits,
    invites_create,
)
from evalplatform.crowd.services.invites import invite_path
from evalplatform.crowd.tokens import SALT, assignment_token, assignment_url
from evalplatform.crowd.views.preview import render_hit_preview
from tests.factories import SystemFactory, WorkerFactory, answer_all, make_campaign, worker_post

pytestmark = pytest.mark.django_db
STATIC = Path(__file__).resolve().parents[2] / "frontend" / "static" / "crowd"
TEMPLATES = Path(__file__).resolve().parents[2] / "frontend" / "templates" / "crowd"
ANSWER = {"item": 0, "candidate": 0, "criterion": "fluency", "value": "3"}


def post(client, url, body):
    return worker_post(client, url, body)


@pytest.fixture
def lease(likert_campaign, worker):
    return assignment_lease(campaign=likert_campaign, worker=worker)


@pytest.mark.parametrize(
    ("mangle", "message"),
    [
        (lambda token: token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB"), "not valid"),
        (lambda token: "nonsense", "not valid"),
        (lambda token: signing.dumps(signing.loads(token, salt=SALT), salt="other"), "not valid"),
    ],
)
def test_forged_tokens_are_refused_on_pages_and_endpoints(client, lease, mangle, message):
    token = mangle(assignment_token(lease))
    page = client.get(reverse("crowd:welcome", kwargs={"token": token}))
    assert page.status_code == 403 and message in page.content.decode()
    api = post(client, reverse("crowd:api-answer", kwargs={"token": token}), ANSWER)
    assert api.status_code == 403 and message in api.json()["error"]
    assert api.json()["ok"] is False
    assert not Judgment.objects.exists()


def test_a_token_naming_someone_elses_assignment_is_refused(client, lease, likert_campaign):
    other = assignment_lease(campaign=likert_campaign, worker=WorkerFactory())
    # Signed correctly but pairing my worker with their assignment (as if forged).
    token = signing.dumps([other.pk, lease.worker_id], salt=SALT, compress=False)
    api = post(client, reverse("crowd:api-answer", kwargs={"token": token}), ANSWER)
    assert api.status_code == 403 and "no longer exists" in api.json()["error"]
    assert not Judgment.objects.exists()


def test_expired_tokens_are_refused(client, lease, settings):
    settings.CROWD_TOKEN_MAX_AGE_SECONDS = -1
    api = post(client, assignment_url(lease, "api-answer"), ANSWER)
    assert api.status_code == 403 and "expired" in api.json()["error"]
    page = client.get(assignment_url(lease, "welcome"))
    assert page.status_code == 403 and "expired" in page.content.decode()
    assert not Judgment.objects.exists()


def test_bad_json_and_wrong_methods_are_refused(client, lease):
    url = assignment_url(lease, "api-answer")
    assert client.get(url).status_code == 405
    bad = client.post(url, "{not json", content_type="application/json")
    assert bad.status_code == 400 and "not valid JSON" in bad.json()["error"]
    wrong = post(client, url, {**ANSWER, "item": "zero"})
    assert wrong.status_code == 400 and "'item' must be a whole number" in wrong.json()["error"]
    assert not Judgment.objects.exists()


SECRET_NAMES = ("ZEPHYR-Alpha-7731", "QUASAR-Beta-4492", "NIMBUS-Gamma-1188")


def distinctive_campaign(preset: str):
    """A campaign whose systems and candidates have names and ids that cannot appear in a
    page by chance."""
    systems = [
        SystemFactory(pk=6_120_001 + index, name=name) for index, name in enumerate(SECRET_NAMES)
    ]
    campaign = make_campaign(
        preset,
        status=CampaignStatus.DRAFT,
        systems=systems,
        overrides={"gold_per_hit": 1} if preset != "ab-wlt" else {},
    )
    for index, dialogue_id in enumerate(campaign_draw_sample(campaign=campaign)):
        for offset, system in enumerate(systems):
            Candidate.objects.create(
                pk=7_340_000 + 10 * index + offset,
                system=system,
                dialogue_id=dialogue_id,
                text=f"A reply ({index}/{offset}).",
                label="joyful",
            )
    campaign_transition(campaign=campaign, to=CampaignStatus.GENERATING)
    campaign_transition(campaign=campaign, to=CampaignStatus.READY)
    campaign_publish_hits(campaign=campaign)
    return campaign, systems


@pytest.mark.parametrize("preset", ["good-okay-bad", "likert-fce", "ab-wlt"])
def test_no_page_a_worker_can_load_reveals_systems_candidates_or_gold(client, rf, preset):
    campaign, systems = distinctive_campaign(preset)
    lease = assignment_lease(campaign=campaign, worker=WorkerFactory())
    invite = invites_create(campaign=campaign, count=1)[0]
    answer_all(lease)  # so that every dialogue page and the review page open
    pages = [
        client.get(assignment_url(lease, "welcome")),
        client.get(assignment_url(lease, "instructions")),
        *[
            client.get(assignment_url(lease, "item", position=item.position))
            for item in lease.hit.items.all()
        ],
        client.get(assignment_url(lease, "review")),
        client.get(assignment_url(lease, "api-state")),
        post(
            client,
            assignment_url(lease, "api-answer"),
            {
                "item": 0,
                "candidate": None if preset == "ab-wlt" else 0,
                "criterion": campaign.criteria.first().name,
                "value": campaign.criteria.first().allowed_values()[0],
            },
        ),
        post(client, assignment_url(lease, "api-bonus"), {"item": 0}),
        post(client, assignment_url(lease, "api-submit"), {}),
        client.get(assignment_url(lease, "done")),
        client.get(invite_path(invite)),
        render_hit_preview(rf.get("/"), lease.hit),
    ]
    # (The word "system" may appear in a researcher's description; names and ids may not.)
    forbidden = [
        *SECRET_NAMES,
        *(str(s.pk) for s in systems),
        "gold",
        *(
            str(pk)
            for pk in Candidate.objects.filter(system__in=systems).values_list("pk", flat=True)
        ),
    ]
    for response in pages:
        assert response.status_code in (200, 400), response.status_code
        content = response.content.decode()
        for secret in forbidden:
            assert secret.lower() not in content.lower(), (secret, response)
    assert lease.hit.items.filter(has_gold=True).exists() == (preset != "ab-wlt")


def test_worker_static_files_and_templates_never_mention_gold():
    files = [*STATIC.rglob("*"), *TEMPLATES.rglob("*")]
    for path in (p for p in files if p.is_file()):
        assert "gold" not in path.read_text().lower(), path


def test_dialogue_and_response_text_is_escaped(client, worker):
    campaign = make_campaign("likert-efir")
    lease = assignment_lease(campaign=campaign, worker=worker)
    item = lease.hit.items.first()
    item.dialogue.turns = [{"speaker": "a", "text": "<script>alert('x')</script>"}]
    item.dialogue.save()
    candidate = item.candidates.first().candidate
    candidate.text = '<img src=x onerror="alert(1)">'
    candidate.save()
    content = client.get(assignment_url(lease, "item", position=0)).content.decode()
    assert "<script>alert" not in content and "<img src=x" not in content
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in content
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in content
    state = client.get(assignment_url(lease, "api-state")).json()
    assert state["items"][0]["turns"][0]["text"] == "<script>alert('x')</script>"


def test_only_task_pages_may_be_framed_and_only_by_mturk(client, lease, admin_client):
    task_pages = [assignment_url(lease, name) for name in ("welcome", "instructions")]
    task_pages.append(assignment_url(lease, "item", position=0))
    for url in task_pages:
        response = client.get(url)
        assert "X-Frame-Options" not in response.headers
        policy = response.headers["Content-Security-Policy"]
        assert re.search(
            r"frame-ancestors 'self' https://worker\.mturk\.com https://workersandbox\.mturk\.com"
            r" https://www\.mturk\.com",
            policy,
        )
        assert "script-src 'self'" in policy
    invite = invites_create(campaign=lease.hit.campaign, count=1)[0]
    for response in (
        client.get(invite_path(invite)),
        client.get(reverse("crowd:join")),
        admin_client.get(reverse("admin:index")),
    ):
        assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in client.get(reverse("crowd:join"))["Content-Security-Policy"]


def test_submitted_answers_cannot_change_through_the_api(client, lease):
    answer_all(lease)
    assignment_submit(assignment=lease)
    before = list(Judgment.objects.values_list("pk", "score", "label"))
    response = post(client, assignment_url(lease, "api-answer"), {**ANSWER, "value": "1"})
    assert response.status_code == 409 and "already submitted" in response.json()["error"]
    assert list(Judgment.objects.values_list("pk", "score", "label")) == before
