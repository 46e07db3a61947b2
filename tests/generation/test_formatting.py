from __future__ import annotations

import copy

import pytest
from transformers import AutoTokenizer

from generation.errors import EmptyDialogue
from generation.formatting import (
    causal_ids,
    chat_ids,
    chat_messages,
    check_dialogues,
    encoder_ids,
    merged_turns,
)
from generation.types import DialogueInput, Turn

CHATML = (
    "{% for m in messages %}<s>{{ m['role'] }}\n{{ m['content'] }}</s>\n{% endfor %}"
    "{% if add_generation_prompt %}<s>assistant\n{% endif %}"
)
# Like Llama 2's template: refuses a conversation that does not open with the user.
STRICT = (
    "{% if messages[0]['role'] != 'user' %}{{ raise_exception('user first') }}{% endif %}" + CHATML
)


def dialogue(*texts: str, key: str = "d1") -> DialogueInput:
    return DialogueInput(key, tuple(Turn(f"s{i % 2}", text) for i, text in enumerate(texts)))


@pytest.fixture(scope="module")
def bart_tokenizer(tiny_models):
    return AutoTokenizer.from_pretrained(tiny_models["bart"], local_files_only=True)


@pytest.fixture(scope="module")
def gpt2_tokenizer(tiny_models):
    return AutoTokenizer.from_pretrained(tiny_models["gpt2"], local_files_only=True)


def test_whitespace_turns_are_dropped_and_same_speaker_turns_merged():
    d = DialogueInput(
        "k",
        (Turn("a", " Hi  there "), Turn("b", "   "), Turn("a", "again"), Turn("b", "yo")),
    )
    assert merged_turns(d) == [Turn("a", "Hi there again"), Turn("b", "yo")]


@pytest.mark.parametrize("turns", [(), (Turn("a", ""), Turn("b", " \n\t"))])
def test_empty_dialogue_names_its_key(turns):
    d = DialogueInput("the-key", turns)
    with pytest.raises(EmptyDialogue, match="the-key"):
        merged_turns(d)
    with pytest.raises(EmptyDialogue, match="the-key"):
        check_dialogues([dialogue("fine"), d])


def test_causal_format_ends_every_turn_with_eos(gpt2_tokenizer):
    eos = gpt2_tokenizer.eos_token_id
    ids = causal_ids(gpt2_tokenizer, dialogue("I am sad.", "Why?"), 100, eos)
    assert ids.count(eos) == 2 and ids[-1] == eos
    text = gpt2_tokenizer.decode(ids)
    assert text == "I am sad.</s>Why?</s>"


def test_causal_context_is_truncated_from_the_left(gpt2_tokenizer):
    eos = gpt2_tokenizer.eos_token_id
    d = dialogue("the oldest turn is long and will go", "middle", "the last turn stays")
    full = causal_ids(gpt2_tokenizer, d, 1000, eos)
    cut = causal_ids(gpt2_tokenizer, d, 12, eos)
    assert len(cut) == 12 < len(full)
    assert cut == full[-12:]
    text = gpt2_tokenizer.decode(cut)
    assert text.endswith("last turn stays</s>") and "oldest" not in text


def test_encoder_format_keeps_special_tokens_when_truncating(bart_tokenizer):
    d = dialogue("the oldest turn is long and will go", "middle", "the last turn stays")
    full = encoder_ids(bart_tokenizer, d, 1000)
    assert bart_tokenizer.decode(full) == (
        "<s>the oldest turn is long and will go</s>middle</s>the last turn stays</s>"
    )
    cut = encoder_ids(bart_tokenizer, d, 10)
    assert len(cut) == 10
    assert cut[0] == bart_tokenizer.bos_token_id and cut[-1] == bart_tokenizer.eos_token_id
    assert cut[1:-1] == full[-9:-1]  # the newest body tokens


def test_chat_roles_alternate_so_the_reply_is_the_assistants():
    assert [m["role"] for m in chat_messages(dialogue("a", "b", "c"))] == [
        "user",
        "assistant",
        "user",
    ]
    assert [m["role"] for m in chat_messages(dialogue("a", "b"))] == ["assistant", "user"]


def test_chat_template_is_rendered_with_a_generation_prompt(gpt2_tokenizer):
    tokenizer = copy.deepcopy(gpt2_tokenizer)
    tokenizer.chat_template = CHATML
    text = tokenizer.decode(chat_ids(tokenizer, dialogue("hello", "hi", "how are you"), 500))
    assert text == (
        "<s>user\nhello</s>\n<s>assistant\nhi</s>\n<s>user\nhow are you</s>\n<s>assistant\n"
    )


def test_strict_template_drops_a_leading_assistant_turn(gpt2_tokenizer):
    tokenizer = copy.deepcopy(gpt2_tokenizer)
    tokenizer.chat_template = STRICT
    text = tokenizer.decode(chat_ids(tokenizer, dialogue("opening", "question"), 500))
    assert text == "<s>user\nquestion</s>\n<s>assistant\n"


def test_chat_truncation_drops_the_oldest_messages_first(gpt2_tokenizer):
    tokenizer = copy.deepcopy(gpt2_tokenizer)
    tokenizer.chat_template = CHATML
    d = dialogue("an old message that is rather long", "reply", "the newest question")
    full = chat_ids(tokenizer, d, 1000)
    cut = chat_ids(tokenizer, d, len(full) - 1)
    text = tokenizer.decode(cut)
    assert text.startswith("<s>assistant\nreply") and "old message" not in text
