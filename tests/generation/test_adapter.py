from __future__ import annotations

import pytest

from generation import ADAPTER, AdapterError, DecodingSettings, EmptyDialogue, load_backend
from generation.types import DialogueInput, Turn
from tests.generation import adapters

SPEC = "tests.generation.adapters"


def dialogues(count: int) -> list[DialogueInput]:
    return [DialogueInput(f"k{i}", (Turn("a", f"line {i}"),)) for i in range(count)]


def test_adapter_results_in_order_with_labels_from_every_item_form():
    adapters.calls.clear()
    backend = load_backend(ADAPTER, f"{SPEC}:echo")
    results = backend.generate(dialogues(7), DecodingSettings(max_new_tokens=9), batch_size=3)
    assert [r.key for r in results] == [f"k{i}" for i in range(7)]
    assert [r.response for r in results] == [f"echo: line {i}" for i in range(7)]
    assert [r.label for r in results] == ["", "sad", "9", "", "sad", "9", ""]
    assert adapters.calls == [3, 3, 1]


def test_dotted_attribute_specs_work():
    backend = load_backend(ADAPTER, f"{SPEC}:Holder.respond")
    assert [r.response for r in backend.generate(dialogues(2), DecodingSettings())] == [
        "held",
        "held",
    ]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("broken", "raised RuntimeError: model server unreachable"),
        ("one_short", "returned 1 responses for 2 dialogues"),
        ("numbers", "bad item for dialogue 'k0'"),
        ("bad_label", "bad item for dialogue 'k0'"),
        ("a_string", "returned str, expected a list"),
    ],
)
def test_misbehaving_adapters_raise_adapter_error_naming_the_adapter(name, message):
    backend = load_backend(ADAPTER, f"{SPEC}:{name}")
    with pytest.raises(AdapterError) as caught:
        backend.generate(dialogues(2), DecodingSettings())
    assert f"{SPEC}:{name}" in str(caught.value) and message in str(caught.value)


@pytest.mark.parametrize(
    "spec",
    [f"{SPEC}.nowhere:fn", f"{SPEC}:missing", f"{SPEC}:NOT_CALLABLE", SPEC, ":echo"],
)
def test_bad_specs_fail_at_load_naming_the_spec(spec):
    with pytest.raises(AdapterError, match=spec.replace(".", r"\.")):
        load_backend(ADAPTER, spec)


def test_empty_dialogue_is_refused_before_the_adapter_runs():
    adapters.calls.clear()
    backend = load_backend(ADAPTER, f"{SPEC}:echo")
    batch = [*dialogues(3), DialogueInput("blank", (Turn("a", "  "),))]
    with pytest.raises(EmptyDialogue, match="blank"):
        backend.generate(batch, DecodingSettings(), batch_size=1)
    assert adapters.calls == []


def test_adapters_have_no_perplexity():
    backend = load_backend(ADAPTER, f"{SPEC}:echo")
    assert backend.gold_perplexity(dialogues(2)) == [None, None]
