from __future__ import annotations

import dataclasses
import json

import pytest

from generation import DecodingSettings, InvalidDecodingSettings


def test_defaults_are_greedy_40_tokens():
    settings = DecodingSettings.from_dict({})
    assert settings == DecodingSettings()
    assert (settings.num_beams, settings.do_sample, settings.max_new_tokens) == (1, False, 40)


def test_none_means_defaults():
    assert DecodingSettings.from_dict(None) == DecodingSettings()


@pytest.mark.parametrize(
    "data",
    [
        {"num_beams": 5, "no_repeat_ngram_size": 3},  # seed 001
        {"num_beams": 32, "no_repeat_ngram_size": 4, "length_penalty": 0.8},  # seed 002
        {"do_sample": True, "top_k": 3, "seed": 7},  # seed 003
        {"max_new_tokens": 40},  # seed 004
        {"do_sample": True, "top_p": 0.9, "temperature": 0.7},
    ],
)
def test_seed_settings_round_trip_through_json(data):
    settings = DecodingSettings.from_dict(data)
    again = DecodingSettings.from_dict(json.loads(json.dumps(settings.to_dict())))
    assert again == settings
    for key, value in data.items():
        assert getattr(settings, key) == value


def test_integral_floats_from_json_are_accepted_for_integer_fields():
    assert DecodingSettings.from_dict({"num_beams": 4.0}).num_beams == 4


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"beams": 3}, "beams"),
        ({"num_beams": 0}, "num_beams"),
        ({"num_beams": 65}, "num_beams"),
        ({"num_beams": 2.5}, "num_beams"),
        ({"num_beams": True}, "num_beams"),
        ({"num_beams": "5"}, "num_beams"),
        ({"max_new_tokens": 0}, "max_new_tokens"),
        ({"max_new_tokens": 513}, "max_new_tokens"),
        ({"no_repeat_ngram_size": -1}, "no_repeat_ngram_size"),
        ({"do_sample": "yes"}, "do_sample"),
        ({"do_sample": 1}, "do_sample"),
        ({"do_sample": True, "top_p": 0.0}, "top_p"),
        ({"do_sample": True, "top_p": 1.5}, "top_p"),
        ({"do_sample": True, "temperature": 0}, "temperature"),
        ({"do_sample": True, "temperature": float("inf")}, "temperature"),
        ({"do_sample": True, "top_k": -1}, "top_k"),
        ({"seed": -3}, "seed"),
        ({"top_k": 3}, "top_k"),  # sampling option without do_sample
        ({"temperature": 0.5}, "temperature"),
        ({"top_p": 0.9}, "top_p"),
        ({"do_sample": True, "num_beams": 4}, "num_beams"),
        ({"length_penalty": 2.0}, "length_penalty"),  # without beams it does nothing
        ({"num_beams": 4, "length_penalty": float("nan")}, "length_penalty"),
    ],
)
def test_invalid_settings_name_the_field(data, field):
    with pytest.raises(InvalidDecodingSettings) as caught:
        DecodingSettings.from_dict(data)
    assert caught.value.field == field
    assert repr(field) in str(caught.value)


def test_not_an_object_is_rejected():
    with pytest.raises(InvalidDecodingSettings, match="JSON object"):
        DecodingSettings.from_dict([("num_beams", 2)])  # type: ignore[arg-type]


def test_invalid_settings_error_is_a_value_error_for_form_validation():
    with pytest.raises(ValueError):
        DecodingSettings(num_beams=0)


def test_settings_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        DecodingSettings().num_beams = 3  # type: ignore[misc]
