"""Systems: kinds and decoding settings stored as validated data."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from evalplatform.campaigns.models import System
from evalplatform.campaigns.services import system_create

pytestmark = pytest.mark.django_db


def test_system_stores_seed_decoding_settings():
    system = system_create(
        name="beam",
        kind="hf_seq2seq",
        path="/models/bart",
        decoding={"num_beams": 5, "no_repeat_ngram_size": 3, "max_new_tokens": 40},
    )
    settings = System.objects.get(pk=system.pk).decoding_settings
    assert (settings.num_beams, settings.no_repeat_ngram_size) == (5, 3)


@pytest.mark.parametrize(
    ("decoding", "field"),
    [
        ({"num_beams": 0}, "num_beams"),
        ({"top_p": 1.5, "do_sample": True}, "top_p"),
        ({"beams": 3}, "beams"),
        ({"max_new_tokens": "forty"}, "max_new_tokens"),
    ],
)
def test_system_refuses_invalid_decoding_naming_the_field(decoding, field):
    with pytest.raises(ValidationError) as error:
        system_create(name="bad", kind="hf_causal", path="/m", decoding=decoding)
    assert field in str(error.value)
    assert not System.objects.exists()


def test_system_needs_a_path_unless_imported_and_adapters_name_a_callable():
    with pytest.raises(ValidationError, match="checkpoint path"):
        system_create(name="nopath", kind="hf_causal")
    with pytest.raises(ValidationError, match="module:callable"):
        system_create(name="adapter", kind="adapter", path="just.a.module")
    assert system_create(name="imp", kind="imported").pk


def test_database_refuses_unknown_kind_and_missing_path():
    with pytest.raises(IntegrityError), transaction.atomic():
        System.objects.create(name="x", kind="magic", path="/m")
    with pytest.raises(IntegrityError), transaction.atomic():
        System.objects.create(name="y", kind="hf_causal", path="")
