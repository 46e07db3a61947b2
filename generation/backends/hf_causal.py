"""Decoder-only models (GPT-2, DialoGPT, chat models) through AutoModelForCausalLM."""

from __future__ import annotations

from typing import Any

from generation.backends.hf import GoldItem, HFBackend, mean_nll, mean_nll_scored
from generation.backends.kinds import HF_CAUSAL
from generation.batching import pad
from generation.errors import InvalidDecodingSettings
from generation.formatting import causal_ids, chat_ids, max_positions
from generation.types import DecodingSettings, DialogueInput


class CausalBackend(HFBackend):
    kind = HF_CAUSAL

    def __init__(self, spec: str, model: Any, tokenizer: Any, device: str, **kwargs: Any) -> None:
        super().__init__(spec, model, tokenizer, device, **kwargs)
        self.max_positions = max_positions(model.config, tokenizer)
        self.uses_chat_template = bool(getattr(tokenizer, "chat_template", None))
        eos = tokenizer.eos_token_id
        # The turn separator of the plain format is the eos token as the tokenizer spells it.
        self.separator = int(eos) if eos is not None else self.eos[0]

    def context_limit(self, settings: DecodingSettings) -> int:
        limit = self.max_positions - settings.max_new_tokens
        if limit < 1:
            raise InvalidDecodingSettings(
                "max_new_tokens",
                f"leaves no room for context in {self.spec!r} ({self.max_positions} positions)",
            )
        return limit

    def context_ids(self, dialogue: DialogueInput, limit: int) -> list[int]:
        if self.uses_chat_template:
            return chat_ids(self.tokenizer, dialogue, limit)
        return causal_ids(self.tokenizer, dialogue, limit, self.separator)

    def _generate_rows(
        self, contexts: list[list[int]], keys: list[str], settings: DecodingSettings
    ) -> list[list[int]]:
        # Left padding keeps every row's last context token next to its first new token;
        # generate derives position ids from the attention mask.
        ids, mask = pad(contexts, self.pad_id, "left", self.device)
        starts = [ids.shape[1] - len(row) for row in contexts]
        output = self._call_generate(ids, mask, keys, settings, starts)
        return [row.tolist() for row in output[:, ids.shape[1] :]]

    def _gold_item(self, dialogue: DialogueInput) -> GoldItem:
        gold = self.tokenizer(dialogue.gold.strip(), add_special_tokens=False)["input_ids"]
        gold = [*list(gold)[: self.max_positions - 2], self.eos[0]]
        return self.context_ids(dialogue, self.max_positions - len(gold)), gold

    def _nll_rows(self, items: list[GoldItem]) -> list[float]:
        # Right padding: real tokens keep positions 0..n-1, so no position ids are needed.
        ids, mask = pad([ctx + gold for ctx, gold in items], self.pad_id, "right", self.device)
        targets, _ = pad(
            [[-100] * len(ctx) + gold for ctx, gold in items], -100, "right", self.device
        )
        # Position t predicts token t + 1.
        targets = targets[:, 1:]
        head = self.model.get_output_embeddings()
        if head is None or getattr(self.model.config, "final_logit_softcapping", None):
            return mean_nll(self.model(input_ids=ids, attention_mask=mask).logits[:, :-1], targets)
        # Logits only where a gold token is scored: the rows are mostly context, and the
        # vocabulary projection of every context position cost more than generating.
        hidden = self.model.base_model(input_ids=ids, attention_mask=mask).last_hidden_state
        scored = targets != -100
        return mean_nll_scored(head(hidden[:, :-1][scored]), targets, scored)
