"""Publishing against the fake MTurk server: 600 HITs under throttling, lost answers and a
crash mid-publish, none created twice."""

from __future__ import annotations

import time
from typing import Any

import pytest

from evalplatform.crowd.models import Hit
from evalplatform.providers.errors import TransientProviderError
from evalplatform.providers.models import ProviderHit
from evalplatform.providers.mturk import builders
from evalplatform.providers.mturk.client import make_gateway
from evalplatform.providers.mturk.publish import publish_campaign
from tests.providers.conftest import make_hits_campaign
from tests.providers.fakes.mturk_server import FakeMTurk

pytestmark = pytest.mark.django_db

LOCALES = [{"Country": c} for c in ("US", "AU", "NZ", "GB", "CA")]


def assert_seed_002_requirements(fake: FakeMTurk, hit: dict[str, Any]) -> None:
    reqs = {r["QualificationTypeId"]: r for r in hit["QualificationRequirements"]}
    assert reqs[builders.QUAL_LOCALE]["Comparator"] == "In"
    assert reqs[builders.QUAL_LOCALE]["LocaleValues"] == LOCALES
    assert reqs[builders.QUAL_APPROVAL_RATE]["IntegerValues"] == [95]
    assert reqs[builders.QUAL_APPROVED_HITS]["IntegerValues"] == [100]
    custom = [r for r in reqs.values() if r["QualificationTypeId"] in fake.qual_types]
    assert sorted(fake.qual_types[r["QualificationTypeId"]]["Name"] for r in custom) == [
        "evalplatform-blocked",
        f"evalplatform-limit-reached-campaign-{_campaign_id(hit)}",
    ]
    assert all(r["Comparator"] == "DoesNotExist" for r in custom)
    assert all(r["ActionsGuarded"] == "DiscoverPreviewAndAccept" for r in reqs.values())


def _campaign_id(hit: dict[str, Any]) -> int:
    return int(hit["RequesterAnnotation"].split(":")[2])


def test_publish_600_hits_with_throttling_creates_each_once(fake_mturk: FakeMTurk) -> None:
    campaign = make_hits_campaign(hits=600)
    fake_mturk.throttle_rate = 0.15
    started = time.monotonic()
    result = publish_campaign(make_gateway("sandbox"), campaign)
    elapsed = time.monotonic() - started
    print(
        f"\n600 HITs: {elapsed:.1f} s, {fake_mturk.throttled} throttled, "
        f"{result.retries} botocore retries, calls {dict(fake_mturk.calls)}"
    )
    assert result.created == 600 and result.recovered == 0
    assert fake_mturk.throttled > 0 and result.retries >= fake_mturk.throttled - 5
    assert len(fake_mturk.hits) == 600
    assert len({h["RequesterAnnotation"] for h in fake_mturk.hits.values()}) == 600
    for hit in fake_mturk.hits.values():
        assert hit["MaxAssignments"] == 4 and hit["Reward"] == "0.40"
        assert_seed_002_requirements(fake_mturk, hit)
    ours = dict(Hit.objects.filter(campaign=campaign).values_list("index", "provider_hit_id"))
    assert set(ours.values()) == set(fake_mturk.hits)
    assert ProviderHit.objects.filter(environment="sandbox").count() == 600
    # Publishing again is a no-op.
    again = publish_campaign(make_gateway("sandbox"), campaign)
    assert again.created == 0 and again.already == 600 and len(fake_mturk.hits) == 600


def test_publish_resumes_after_server_dies_midway_without_duplicates(
    fake_mturk: FakeMTurk, settings: Any
) -> None:
    settings.MTURK_MAX_ATTEMPTS = 3
    campaign = make_hits_campaign(hits=600)
    fake_mturk.throttle_rate = 0.05
    fake_mturk.kill_after_hits = 300  # HIT 300 is created, its answer lost, then nothing
    with pytest.raises(TransientProviderError):
        publish_campaign(make_gateway("sandbox"), campaign)
    assert len(fake_mturk.hits) == 300
    assert Hit.objects.filter(campaign=campaign).exclude(provider_hit_id="").count() == 299
    fake_mturk.kill_after_hits, fake_mturk.dead = None, False  # the service comes back
    result = publish_campaign(make_gateway("sandbox"), campaign)
    assert (result.already, result.recovered, result.created) == (299, 1, 300)
    assert len(fake_mturk.hits) == 600
    assert Hit.objects.filter(campaign=campaign, provider_hit_id="").count() == 0
    ids = Hit.objects.filter(campaign=campaign).values_list("provider_hit_id", flat=True)
    assert len(set(ids)) == 600


def test_lost_answer_is_retried_and_recovered_from_hit_already_exists(
    fake_mturk: FakeMTurk,
) -> None:
    campaign = make_hits_campaign(hits=5)
    # Calls: create qualification x2, create HIT type, then the HITs: lose the 2nd HIT's answer.
    fake_mturk.lose_answer_ops = {5}
    result = publish_campaign(make_gateway("sandbox"), campaign)
    assert len(fake_mturk.hits) == 5
    assert result.created + result.recovered == 5 and result.recovered == 1


def test_crash_in_our_code_midway_resumes_without_duplicates(
    fake_mturk: FakeMTurk, monkeypatch: pytest.MonkeyPatch
) -> None:
    from evalplatform.providers.mturk import publish

    campaign = make_hits_campaign(hits=40)
    real = publish.hit_record_published
    calls = {"n": 0}

    def crash_after_20(**kwargs: Any) -> bool:
        calls["n"] += 1
        if calls["n"] == 21:
            raise RuntimeError("worker killed")
        return real(**kwargs)

    monkeypatch.setattr(publish, "hit_record_published", crash_after_20)
    with pytest.raises(RuntimeError):
        publish_campaign(make_gateway("sandbox"), campaign)
    monkeypatch.setattr(publish, "hit_record_published", real)
    result = publish_campaign(make_gateway("sandbox"), campaign)
    assert (result.already, result.recovered, result.created) == (20, 1, 19)
    assert len(fake_mturk.hits) == 40


def test_adaptive_retry_mode_publishes_under_throttling(
    fake_mturk: FakeMTurk, settings: Any
) -> None:
    settings.MTURK_RETRY_MODE = "adaptive"
    campaign = make_hits_campaign(hits=30)
    fake_mturk.throttle_rate = 0.1
    result = publish_campaign(make_gateway("sandbox"), campaign)
    assert result.created == 30 and len(fake_mturk.hits) == 30
