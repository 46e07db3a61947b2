"""Encoder-decoder models (BART, T5, Blenderbot) through AutoModelForSeq2SeqLM."""

from __future__ import annotations

import dataclasses
from typing import Any

import torch
from transformers import DynamicCache, EncoderDecoderCache

from generation.backends.hf import GoldItem, HFBackend, first_set, mean_nll
from generation.backends.kinds import HF_SEQ2SEQ
from generation.batching import pad
from generation.errors import InvalidDecodingSettings
from generation.formatting import encoder_ids, max_positions
from generation.types import DecodingSettings, DialogueInput


class Seq2SeqBackend(HFBackend):
    kind = HF_SEQ2SEQ

    def __init__(self, spec: str, model: Any, tokenizer: Any, device: str, **kwargs: Any) -> None:
        super().__init__(spec, model, tokenizer, device, **kwargs)
        self.max_positions = max_positions(model.config, tokenizer)
        # T5 has relative positions and no decoder limit; BART's learned ones do.
        decoder = getattr(model.config, "max_position_embeddings", None)
        self.decoder_positions: int | None = decoder if isinstance(decoder, int) else None

    def context_limit(self, settings: DecodingSettings) -> int:
        # Decoder start and a forced bos come before the new tokens.
        if self.decoder_positions and settings.max_new_tokens + 2 > self.decoder_positions:
            raise InvalidDecodingSettings(
                "max_new_tokens",
                f"exceeds the decoder length of {self.spec!r} ({self.decoder_positions})",
            )
        return self.max_positions

    def context_ids(self, dialogue: DialogueInput, limit: int) -> list[int]:
        return encoder_ids(self.tokenizer, dialogue, limit)

    def _generate_rows(
        self, contexts: list[list[int]], keys: list[str], settings: DecodingSettings
    ) -> list[list[int]]:
        ids, mask = pad(contexts, self.pad_id, "right", self.device)
        return self._generate_padded(ids, mask, keys, settings)

    def _generate_and_score_rows(
        self,
        contexts: list[list[int]],
        keys: list[str],
        settings: DecodingSettings,
        golds: list[GoldItem | None],
    ) -> tuple[list[list[int]], list[float | None]]:
        """The encoder runs once per batch, and the decoder's teacher-forced pass over the
        golds fills the cross-attention cache that generation then starts from: neither the
        encoder nor the cross-attention projections of its outputs run twice. (A gold
        item's context is the generation context: both are the dialogue cut to
        ``max_positions``.)"""
        ids, mask = pad(contexts, self.pad_id, "right", self.device)
        encoded = self.model.get_encoder()(input_ids=ids, attention_mask=mask, return_dict=True)
        # Beam search expands the encoder outputs (in place) and the cache per beam: it gets
        # no cache from here, and the golds are scored before it runs.
        cache = EncoderDecoderCache(DynamicCache(), DynamicCache())
        nlls = self._score_on_encoded(encoded, mask, golds, cache)
        inputs: dict[str, Any] = {"encoder_outputs": encoded}
        cached = cache.get_seq_length()
        if settings.num_beams == 1 and cached:
            known = self._known_first_steps(settings)
            if known is None:
                # Generation starts at the decoder start token: only the cross-attention
                # half of the cache (a function of the encoder outputs alone) is kept.
                cache.crop(-cached)
            else:
                # Every row's gold pass read the decoder start token at position 0, as
                # generation's first step does, and that step's token is forced: the
                # position stays cached and generation starts at its second step.
                cache.crop(-(cached - 1))
                inputs["decoder_input_ids"] = torch.tensor(
                    [known] * len(keys), dtype=torch.long, device=ids.device
                )
                # A decoder mask as wide as the decoder input tells generate that the cache
                # holds all but the last position (it then runs only that one).
                inputs["decoder_attention_mask"] = torch.ones_like(inputs["decoder_input_ids"])
                settings = dataclasses.replace(settings, max_new_tokens=settings.max_new_tokens - 1)
            inputs["past_key_values"] = cache
        return self._generate_padded(ids, mask, keys, settings, **inputs), nlls

    def _known_first_steps(self, settings: DecodingSettings) -> list[int] | None:
        """[decoder start, first token] when generation's first step needs no model: a
        forced bos (BART's) under greedy decoding (the seeded sampler draws at every step,
        the forced one included), with a second step to come, not banned by a one-token
        n-gram block, and the gold pass started at generate's own decoder start token."""
        config = self.generation_config(settings)
        forced, start = config.forced_bos_token_id, config.decoder_start_token_id
        if (
            forced is None
            or start != self._teacher_start()
            or settings.do_sample
            or settings.max_new_tokens < 2
            or settings.no_repeat_ngram_size == 1
            or forced in self.eos
        ):
            return None
        return [int(start), int(forced)]

    def _generate_padded(
        self,
        ids: torch.Tensor,
        mask: torch.Tensor,
        keys: list[str],
        settings: DecodingSettings,
        **model_inputs: Any,
    ) -> list[list[int]]:
        """``model_inputs``: what generate would otherwise compute itself (encoder outputs,
        a cache)."""
        # The decoder sequences are unpadded: every row starts at the decoder start token.
        output = self._call_generate(ids, mask, keys, settings, [0] * len(keys), **model_inputs)
        # Column 0 is the decoder start token (eos for BART), not part of the response.
        return [row.tolist() for row in output[:, 1:]]

    def _score_on_encoded(
        self,
        encoded: Any,
        mask: torch.Tensor,
        golds: list[GoldItem | None],
        cache: EncoderDecoderCache,
    ) -> list[float | None]:
        """Each gold's mean NLL (None without gold), teacher-forced on the batch's encoder
        outputs; ``cache`` is filled for the whole batch (a row without gold scores
        nothing but still gets its cross-attention keys and values)."""
        if not any(golds):
            return [None] * len(golds)
        targets, _ = pad([gold[1] if gold else [] for gold in golds], -100, "right", self.device)
        logits = self.model(
            attention_mask=mask,
            encoder_outputs=(encoded.last_hidden_state,),
            decoder_input_ids=self._decoder_inputs(targets),
            past_key_values=cache,
            use_cache=True,
        ).logits
        return [
            nll if gold else None
            for gold, nll in zip(golds, mean_nll(logits, targets), strict=True)
        ]

    def _gold_item_beside(
        self, dialogue: DialogueInput, context: list[int] | None, context_limit: int
    ) -> GoldItem:
        labels = list(self.tokenizer(text_target=dialogue.gold.strip())["input_ids"])
        if self.decoder_positions:
            labels = labels[: self.decoder_positions - 1]
        # The generation context is cut to the same max_positions: no need to tokenize again.
        if context is None:
            context = self.context_ids(dialogue, self.max_positions)
        return context, labels

    def _nll_rows(self, items: list[GoldItem]) -> list[float]:
        ids, mask = pad([ctx for ctx, _ in items], self.pad_id, "right", self.device)
        targets, _ = pad([gold for _, gold in items], -100, "right", self.device)
        logits = self.model(
            input_ids=ids, attention_mask=mask, decoder_input_ids=self._decoder_inputs(targets)
        ).logits
        return mean_nll(logits, targets)

    def _decoder_inputs(self, targets: torch.Tensor) -> torch.Tensor:
        """The teacher-forced decoder input of padded gold ``targets``: the decoder start
        token, then the gold shifted right (what the model derives from ``labels``, as
        ``shift_tokens_right`` does; not every family exposes it)."""
        inputs = targets.roll(1, dims=1)
        inputs[:, 0] = self._teacher_start()
        return inputs.masked_fill(inputs == -100, self.pad_id)

    def _teacher_start(self) -> Any:
        """The decoder start token of the teacher-forced passes."""
        return first_set("decoder_start_token_id", self.model.config, self.model.generation_config)
