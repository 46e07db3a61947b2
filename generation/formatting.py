"""Turn a dialogue into the token ids a model reads.

Formats (the documented contract; `generation.tiny` trains with the same functions):
- causal, no chat template (GPT-2 / DialoGPT style): every turn followed by the eos token,
  `t1 <eos> t2 <eos> ... tn <eos>`; the model continues with the response and its own eos.
- causal with a chat template: turns become messages whose roles alternate so that the
  last turn is `user` and the response being generated is the `assistant` turn.
- encoder (seq2seq encoders and the label classifier): turns joined by the tokenizer's sep
  token (eos when it has none, `</s>` for BART), wrapped in the tokenizer's own special
  tokens: `<s> t1 </s> t2 </s> ... tn </s>` for BART.
Speakers are kept by position: whitespace-only turns are dropped and consecutive turns of
one speaker are merged, so turns strictly alternate. Contexts longer than the model's
limit lose their oldest tokens (left truncation); the special tokens are kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from generation.errors import EmptyDialogue, GenerationError
from generation.types import DialogueInput, Turn

# Used when neither the config nor the tokenizer states a usable length (e.g. T5).
DEFAULT_MAX_POSITIONS = 1024
_SANE_TOKENIZER_LIMIT = 1_000_000


def check_dialogues(dialogues: Sequence[DialogueInput]) -> None:
    """Raise EmptyDialogue for the first empty dialogue, before any work is done."""
    for dialogue in dialogues:
        if dialogue.is_empty():
            raise EmptyDialogue(dialogue.key)


def merged_turns(dialogue: DialogueInput) -> list[Turn]:
    """Non-empty turns with consecutive turns of one speaker merged (so roles alternate)."""
    merged: list[Turn] = []
    for turn in dialogue.turns:
        text = " ".join(turn.text.split())
        if not text:
            continue
        if merged and merged[-1].speaker == turn.speaker:
            merged[-1] = Turn(turn.speaker, f"{merged[-1].text} {text}")
        else:
            merged.append(Turn(turn.speaker, text))
    if not merged:
        raise EmptyDialogue(dialogue.key)
    return merged


def max_positions(config: Any, tokenizer: Any) -> int:
    """The longest sequence the model accepts, from its config or tokenizer."""
    for name in (
        "n_positions",
        "max_position_embeddings",
        "n_ctx",
        "max_sequence_length",
    ):
        value = getattr(config, name, None)
        if isinstance(value, int) and value > 0:
            return value
    limit = getattr(tokenizer, "model_max_length", None)
    if isinstance(limit, int) and 0 < limit < _SANE_TOKENIZER_LIMIT:
        return limit
    return DEFAULT_MAX_POSITIONS


def _turn_ids(tokenizer: Any, turns: Sequence[Turn]) -> list[list[int]]:
    encoded = tokenizer([turn.text for turn in turns], add_special_tokens=False)
    return [list(ids) for ids in encoded["input_ids"]]


def causal_ids(tokenizer: Any, dialogue: DialogueInput, limit: int, eos_id: int) -> list[int]:
    """`t1 <eos> ... tn <eos>`, keeping the last `limit` tokens."""
    ids: list[int] = []
    for turn_ids in _turn_ids(tokenizer, merged_turns(dialogue)):
        ids.extend(turn_ids)
        ids.append(eos_id)
    return ids[-limit:]


@lru_cache(maxsize=32)
def _special_affixes(tokenizer: Any) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The ids the tokenizer puts before and after a text (e.g. `<s>` and `</s>`)."""
    bare = list(tokenizer("a", add_special_tokens=False)["input_ids"])
    full = list(tokenizer("a", add_special_tokens=True)["input_ids"])
    for start in range(len(full) - len(bare) + 1):
        if full[start : start + len(bare)] == bare:
            return tuple(full[:start]), tuple(full[start + len(bare) :])
    return (), ()


def encoder_separator(tokenizer: Any) -> int:
    sep = tokenizer.sep_token_id if tokenizer.sep_token_id is not None else tokenizer.eos_token_id
    if sep is None:
        raise GenerationError("tokenizer has neither a sep nor an eos token to join turns")
    return int(sep)


def encoder_ids(tokenizer: Any, dialogue: DialogueInput, limit: int) -> list[int]:
    """`<prefix> t1 <sep> ... tn <suffix>`, body left-truncated to fit `limit`."""
    prefix, suffix = _special_affixes(tokenizer)
    sep = encoder_separator(tokenizer)
    body: list[int] = []
    for index, turn_ids in enumerate(_turn_ids(tokenizer, merged_turns(dialogue))):
        if index:
            body.append(sep)
        body.extend(turn_ids)
    room = max(1, limit - len(prefix) - len(suffix))
    return [*prefix, *body[-room:], *suffix]


def chat_messages(dialogue: DialogueInput) -> list[dict[str, str]]:
    """Messages whose roles alternate backwards from the last turn, which is the user's."""
    turns = merged_turns(dialogue)
    count = len(turns)
    return [
        {
            "role": "user" if (count - 1 - index) % 2 == 0 else "assistant",
            "content": turn.text,
        }
        for index, turn in enumerate(turns)
    ]


def _render_chat(tokenizer: Any, messages: list[dict[str, str]]) -> list[int]:
    try:
        text = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    except Exception:  # templates raise jinja's own errors
        if len(messages) < 2 or messages[0]["role"] != "assistant":
            raise
        # Strict templates (Llama 2, Mistral) demand that the chat opens with the user.
        text = tokenizer.apply_chat_template(
            messages[1:], tokenize=False, add_generation_prompt=True
        )
    return list(tokenizer(text, add_special_tokens=False)["input_ids"])


def chat_ids(tokenizer: Any, dialogue: DialogueInput, limit: int) -> list[int]:
    """The chat-template prompt; oldest messages dropped first, then oldest tokens."""
    messages = chat_messages(dialogue)
    ids = _render_chat(tokenizer, messages)
    while len(ids) > limit and len(messages) > 1:
        messages = messages[1:]
        ids = _render_chat(tokenizer, messages)
    return ids[-limit:]
