"""Adapters come from the operator's allow-list (EVALPLATFORM_ADAPTER_MODULES): refused at
registration (model, API, admin, services) and by the generation worker before any import."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from evalplatform.campaigns.models import CampaignSystem, Candidate, System
from evalplatform.campaigns.services import campaign_create_from_preset, system_register
from evalplatform.campaigns.tasks import campaign_start_generation
from tests.conftest import wait_until

SETTING = "EVALPLATFORM_ADAPTER_MODULES"


def adapter(path: str, name: str = "adapter") -> System:
    return System(name=name, kind="adapter", path=path)


@pytest.mark.parametrize(
    "path",
    [
        "os:system",
        "subprocess:run",
        "demo.adaptersevil:respond",  # a prefix only counts up to a dot
        "demo:adapters.template_responder",  # the parent package is not listed
        "demo.adapters:__builtins__.eval",
        "demo.adapters:template_responder.__globals__",
        "demo.adapters:",
        " :x",
    ],
)
@pytest.mark.django_db
def test_model_validation_refuses_an_adapter_off_the_list(path):
    with pytest.raises(ValidationError) as refused:
        adapter(path).full_clean()
    assert "path" in refused.value.message_dict


@pytest.mark.django_db
def test_the_refusal_names_the_setting_and_what_is_allowed():
    with pytest.raises(ValidationError) as refused:
        adapter("os:system").full_clean()
    message = " ".join(refused.value.message_dict["path"])
    assert SETTING in message and "'os'" in message and "demo.adapters" in message


@pytest.mark.django_db
def test_the_demo_adapter_and_its_submodules_are_allowed_by_default(settings):
    settings.EVALPLATFORM_ADAPTER_MODULES = ["demo.adapters"]
    adapter("demo.adapters:template_responder").full_clean()
    adapter(" demo.adapters.sub:respond ", name="sub").full_clean()
    with pytest.raises(ValidationError):
        adapter("tests.campaigns.adapters:echo").full_clean()


@pytest.mark.django_db
def test_the_api_refuses_an_adapter_off_the_list():
    user = get_user_model().objects.create_user("researcher", password="pw", is_staff=True)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    response = client.post(
        "/api/systems/", {"name": "shell", "kind": "adapter", "path": "os:system"}, format="json"
    )
    assert response.status_code == 400
    assert SETTING in " ".join(response.json()["path"])
    assert not System.objects.exists()


@pytest.mark.django_db
def test_the_admin_form_refuses_an_adapter_off_the_list():
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("admin", "a@example.org", "pw"))
    response = client.post(
        "/admin/campaigns/system/add/",
        {"name": "shell", "kind": "adapter", "path": "os:system", "decoding": "{}"},
    )
    assert response.status_code == 200  # the form again, with its error
    assert SETTING in response.content.decode()
    assert not System.objects.exists()


@pytest.mark.django_db
def test_registering_through_the_service_refuses_it_too():
    with pytest.raises(ValidationError):
        system_register(name="shell", kind="adapter", path="os:system")
    registered = system_register(
        name="demo", kind="adapter", path="demo.adapters:template_responder"
    )
    again = system_register(name="demo", kind="hf_causal", path="/models/gpt2")
    assert registered.pk == again.pk and again.kind == "hf_causal"
    assert System.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.celery_worker
def test_generation_refuses_an_adapter_written_past_validation_without_importing_it(
    dataset, celery_worker_thread
):
    forbidden = "tests.campaigns.forbidden_adapter"
    sys.modules.pop(forbidden, None)
    systems = [
        # Written straight into the database: no validation ran.
        System.objects.create(name="forbidden", kind="adapter", path=f"{forbidden}:run"),
        # An allowed module whose own imports lead to os.
        System.objects.create(
            name="via-os", kind="adapter", path="tests.campaigns.adapters:os.getcwd"
        ),
        System.objects.create(name="ok", kind="adapter", path="tests.campaigns.adapters:echo"),
    ]
    campaign = campaign_create_from_preset(
        preset_key="likert-erf",
        name="gen",
        dataset=dataset,
        systems=systems,
        overrides={"sample_size": 4},
    )
    campaign_start_generation(campaign=campaign)
    wait_until(
        lambda: (
            not CampaignSystem.objects.filter(
                campaign=campaign, generation_status__in=["pending", "running"]
            ).exists()
        )
    )
    entries = {e.system.name: e for e in CampaignSystem.objects.filter(campaign=campaign)}
    assert entries["ok"].generation_status == "done"
    for name in ("forbidden", "via-os"):
        assert entries[name].generation_status == "failed"
        assert SETTING in entries[name].generation_error
        assert not Candidate.objects.filter(system__name=name).exists()
    assert forbidden in entries["forbidden"].generation_error
    assert forbidden not in sys.modules


def test_with_nothing_set_only_the_demo_adapter_module_is_allowed(tmp_path):
    """A fresh interpreter (settings are read once per process), outside pytest."""
    env = {key: value for key, value in os.environ.items() if key != SETTING}
    env.update(DJANGO_SETTINGS_MODULE="evalplatform.settings", EVALPLATFORM_VAR_DIR=str(tmp_path))
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings;"
            f"print(','.join(settings.{SETTING}))",
        ],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "demo.adapters"
