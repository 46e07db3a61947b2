"""Decoder-only models (GPT-2, DialoGPT, chat models) through AutoModelForCausalLM."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from transformers import DynamicCache
from transformers.cache_utils import DynamicLayer
from transformers.modeling_outputs import CausalLMOutputWithPast

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

    def _generate_and_score_rows(
        self,
        contexts: list[list[int]],
        keys: list[str],
        settings: DecodingSettings,
        golds: list[GoldItem | None],
    ) -> tuple[list[list[int]], list[float | None]]:
        """One forward pass over each context followed by its gold scores the gold, fills
        the key-value cache that generation then continues from and gives generation's
        first step (the last context token's logits): the contexts are not run twice, nor
        their last token. Beam search, models without a separate vocabulary head and caches
        that cannot be rearranged take the two-pass way."""
        fused = {row for row, gold in enumerate(golds) if gold and gold[0] == contexts[row]}
        if not fused or settings.num_beams > 1 or self._vocabulary_head() is None:
            return super()._generate_and_score_rows(contexts, keys, settings, golds)
        tails = [gold[1] if gold and row in fused else [] for row, gold in enumerate(golds)]
        # Each context runs with its own gold right after it, the pair left-padded as one
        # row: padding to the longest pair, not to the longest context plus the longest gold.
        packed, packed_mask = pad(
            [context + tail for context, tail in zip(contexts, tails, strict=True)],
            self.pad_id,
            "left",
            self.device,
        )
        # Position ids as generate derives them from the mask: the cache is then the one
        # generate would have filled itself.
        positions = (packed_mask.cumsum(-1) - 1).masked_fill(packed_mask == 0, 0)
        cache = DynamicCache(config=self.model.config)
        hidden = self.model.base_model(
            input_ids=packed,
            attention_mask=packed_mask,
            position_ids=positions,
            past_key_values=cache,
            use_cache=True,
        ).last_hidden_state
        width = packed.shape[1]
        tail_lengths = torch.tensor([len(tail) for tail in tails], device=packed.device)
        gold_starts = width - tail_lengths
        # Position t predicts token t + 1: a row's gold is its last len(tail) tokens.
        is_gold = torch.arange(width, device=packed.device)[None, :] >= gold_starts[:, None]
        targets = packed[:, 1:].masked_fill(~is_gold[:, 1:], -100)
        scored = targets != -100
        head = self._vocabulary_head()
        values = mean_nll_scored(head(hidden[:, :-1][scored]), targets, scored)
        nlls: list[float | None] = [
            values[row] if row in fused else None for row in range(len(contexts))
        ]
        # A context cut shorter to leave room for a long gold is scored on its own.
        others = {row: gold for row, gold in enumerate(golds) if gold and row not in fused}
        if others:
            for row, nll in zip(others, self._nll_rows(list(others.values())), strict=True):
                nlls[row] = nll
        if not all(type(layer) is DynamicLayer for layer in cache.layers):
            return self._generate_rows(contexts, keys, settings), nlls
        ids, mask = pad(contexts, self.pad_id, "left", self.device)
        context_width = ids.shape[1]
        # Generation's own layout: the contexts left-padded to the longest. Generation
        # position k of a row is packed position k + shift, shift lining up the context
        # ends; padding positions (masked) take any index.
        shift = gold_starts - context_width
        source = torch.arange(context_width, device=packed.device)[None, :] + shift[:, None]
        _gather_positions(cache, source.clamp(min=0))
        # The packed pass ran each row's last context token too: its logits are what
        # generate's prefill would compute, so they stand in for it (one decoding step
        # fewer; the processors and stopping criteria stay generate's own).
        last_context = hidden[torch.arange(len(contexts), device=packed.device), gold_starts - 1]
        prefill = CausalLMOutputWithPast(logits=head(last_context)[:, None], past_key_values=cache)
        starts = [context_width - len(row) for row in contexts]
        output = self._call_generate(
            ids,
            mask,
            keys,
            settings,
            starts,
            past_key_values=cache,
            custom_generate=_sample_after(prefill),
        )
        return [row.tolist() for row in output[:, context_width:]], nlls

    def _padded_length(self, context: list[int], gold: GoldItem | None) -> int:
        # The fused pass runs each context followed by its gold (measured on the benchmark's
        # model: 0.80x to 0.88x of the engine at batch 16, CPU time, against sorting by
        # the context alone).
        return len(context) + (len(gold[1]) if gold else 0)

    def _vocabulary_head(self) -> Any:
        head = self.model.get_output_embeddings()
        if head is None or getattr(self.model.config, "final_logit_softcapping", None):
            return None
        return head

    def _gold_item_beside(
        self, dialogue: DialogueInput, context: list[int] | None, context_limit: int
    ) -> GoldItem:
        gold = self.tokenizer(dialogue.gold.strip(), add_special_tokens=False)["input_ids"]
        gold = [*list(gold)[: self.max_positions - 2], self.eos[0]]
        # The context left beside the gold; the generation context is that one when both
        # limits keep the whole dialogue, as they mostly do. A plain-format context shorter
        # than its limit is the whole dialogue (cutting keeps the last tokens), so it is not
        # tokenized again; a chat template drops whole messages, so there it may be cut.
        gold_limit = self.max_positions - len(gold)
        if (
            context is not None
            and not self.uses_chat_template
            and len(context) < context_limit
            and len(context) <= gold_limit
        ):
            return context, gold
        return self.context_ids(dialogue, gold_limit), gold

    def _nll_rows(self, items: list[GoldItem]) -> list[float]:
        # Right padding: real tokens keep positions 0..n-1, so no position ids are needed.
        ids, mask = pad([ctx + gold for ctx, gold in items], self.pad_id, "right", self.device)
        targets, _ = pad(
            [[-100] * len(ctx) + gold for ctx, gold in items], -100, "right", self.device
        )
        # Position t predicts token t + 1.
        targets = targets[:, 1:]
        head = self._vocabulary_head()
        if head is None:
            return mean_nll(self.model(input_ids=ids, attention_mask=mask).logits[:, :-1], targets)
        # Logits only where a gold token is scored: the rows are mostly context, and the
        # vocabulary projection of every context position cost more than generating.
        hidden = self.model.base_model(input_ids=ids, attention_mask=mask).last_hidden_state
        scored = targets != -100
        return mean_nll_scored(head(hidden[:, :-1][scored]), targets, scored)


def _gather_positions(cache: DynamicCache, source: torch.Tensor) -> None:
    """Rearranges every layer of ``cache`` in place: position k of row r becomes what was
    at position ``source[r, k]``."""
    for layer in cache.layers:
        assert isinstance(layer, DynamicLayer) and layer.keys is not None
        assert layer.values is not None
        index = source[:, None, :, None].expand(-1, layer.keys.shape[1], -1, layer.keys.shape[3])
        layer.keys = layer.keys.gather(2, index)
        layer.values = layer.values.gather(2, index)


def _sample_after(prefill: CausalLMOutputWithPast) -> Callable[..., Any]:
    """A ``custom_generate`` for generate: transformers' own decoding loop (``_sample``, the
    loop of greedy decoding and sampling, with the logits processors and stopping criteria
    generate prepared), its prefill forward replaced by ``prefill`` (the last context
    token's logits and the cache of every context token)."""

    def decode(model: Any, input_ids: torch.Tensor, **kwargs: Any) -> Any:
        return type(model)._sample(_PrefillGiven(model, prefill), input_ids, **kwargs)

    return decode


class _PrefillGiven:
    """``model`` whose prefill (generate's first forward) is already computed; a wrapper
    rather than a patched model, which other calls may share."""

    def __init__(self, model: Any, prefill: CausalLMOutputWithPast) -> None:
        self._model = model
        self._prefill_output = prefill

    def __getattr__(self, name: str) -> Any:
        return getattr(self._model, name)

    def _prefill(self, *args: Any, **kwargs: Any) -> CausalLMOutputWithPast:
        return self._prefill_output
