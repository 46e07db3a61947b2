"""Labelling a system's unlabelled responses with a checkpoint's classifier, through real
Celery tasks on the generation queue, with the project's own tiny classifier (trained
offline by the session's fixture; nothing is downloaded)."""

from __future__ import annotations

import pytest
from transformers import AutoConfig

from evalplatform.campaigns import labelling
from evalplatform.campaigns.candidates import dialogue_input
from evalplatform.campaigns.labelling import system_labelling_plan
from evalplatform.campaigns.models import Candidate, LabellingStatus, System
from evalplatform.campaigns.services import campaign_create_from_preset
from evalplatform.campaigns.tasks import system_start_labelling
from evalplatform.campaigns.validation import campaign_problems
from evalplatform.common.errors import ApplicationError
from generation.classifier import CLASSIFIER_SUBDIR, load_label_predictor
from tests.conftest import wait_until

KEPT = "kept-by-import"


def imported_system(dataset, responses: int = 12) -> System:
    """An imported system whose responses came without labels, but for the first one."""
    system = System.objects.create(name="imported", kind="imported")
    for n, dialogue in enumerate(dataset.dialogues.order_by("position")[:responses]):
        Candidate.objects.create(
            system=system, dialogue=dialogue, text=f"Reply {n}.", label=KEPT if n == 0 else ""
        )
    return system


def finished(system: System) -> bool:
    return System.objects.get(pk=system.pk).labels_status != LabellingStatus.RUNNING


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_labelling_gives_every_unlabelled_response_the_classifiers_label(
    dataset, tiny_models, celery_worker_thread, monkeypatch
):
    monkeypatch.setattr(labelling, "RESPONSES_PER_TASK", 5)
    system = imported_system(dataset)
    campaign = campaign_create_from_preset(
        preset_key="likert-fce",
        name="labels",
        dataset=dataset,
        systems=[system],
        overrides={"sample_size": 12},
    )
    assert any("carry no predicted label" in p for p in campaign_problems(campaign))
    checkpoint = str(tiny_models["bart"])

    assert system_start_labelling(system=system, checkpoint=checkpoint) == 3  # 11 in 5s
    wait_until(lambda: finished(system))

    system.refresh_from_db()
    assert (system.labels_status, system.labels_from) == ("done", checkpoint)
    assert system.labels_message == "Every response labelled (12)."
    candidates = list(Candidate.objects.filter(system=system).select_related("dialogue"))
    assert next(c for c in candidates if c.text == "Reply 0.").label == KEPT
    relabelled = [c for c in candidates if c.text != "Reply 0."]
    predicted = load_label_predictor(checkpoint, "cpu").predict(
        [dialogue_input(c.dialogue) for c in relabelled], batch_size=4
    )
    assert [c.label for c in relabelled] == predicted
    classes = AutoConfig.from_pretrained(tiny_models["bart"] / CLASSIFIER_SUBDIR).id2label
    assert set(predicted) <= set(classes.values())
    assert not any("predicted label" in p for p in campaign_problems(campaign))


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_checkpoint_without_a_classifier_fails_with_its_path_and_stores_nothing(
    dataset, celery_worker_thread, tmp_path
):
    system = imported_system(dataset, responses=3)
    system_start_labelling(system=system, checkpoint=str(tmp_path))
    wait_until(lambda: finished(system))
    system.refresh_from_db()
    assert system.labels_status == "failed"
    assert str(tmp_path) in system.labels_message and "classifier/" in system.labels_message
    assert Candidate.objects.filter(system=system, label="").count() == 2
    # Starting again is allowed after a failure.
    assert system_labelling_plan(system=system, checkpoint=str(tmp_path)) != []


@pytest.mark.django_db
def test_labelling_is_refused_with_nothing_to_label_or_while_it_runs(dataset):
    system = imported_system(dataset, responses=2)
    with pytest.raises(ApplicationError, match="checkpoint directory"):
        system_labelling_plan(system=system, checkpoint="  ")
    assert system_labelling_plan(system=system, checkpoint="/models/emotion") == [
        list(Candidate.objects.filter(system=system, label="").values_list("pk", flat=True))
    ]
    with pytest.raises(ApplicationError, match="being labelled already"):
        system_labelling_plan(system=system, checkpoint="/models/emotion")
    Candidate.objects.filter(system=system).update(label="sad")
    System.objects.filter(pk=system.pk).update(labels_status="done")
    with pytest.raises(ApplicationError, match="nothing to label"):
        system_labelling_plan(system=system, checkpoint="/models/emotion")


@pytest.mark.django_db
def test_the_system_page_leads_to_labelling_and_queues_it(admin_client, dataset):
    system = imported_system(dataset, responses=4)
    page = admin_client.get(f"/admin/campaigns/system/{system.pk}/change/").content.decode()
    label_url = f"/admin/campaigns/system/{system.pk}/label/"
    assert f'href="{label_url}"' in page and "Predicted labels" in page
    form = admin_client.get(label_url).content.decode()
    assert "3 of imported's responses carry no predicted emotion" in form
    refused = admin_client.post(label_url, {"checkpoint": " "})
    assert refused.status_code == 200 and System.objects.get(pk=system.pk).labels_status == ""
    done = admin_client.post(label_url, {"checkpoint": "/models/emotion"})
    assert done.status_code == 302
    system.refresh_from_db()
    assert (system.labels_status, system.labels_from) == ("running", "/models/emotion")
    assert "Labelling" in admin_client.get(done["Location"]).content.decode()
