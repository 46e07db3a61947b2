"""Encoder-decoder models (BART, T5, Blenderbot) through AutoModelForSeq2SeqLM."""

from __future__ import annotations

from typing import Any

import torch

from generation.backends.hf import GoldItem, HFBackend, mean_nll
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
        # The decoder sequences are unpadded: every row starts at the decoder start token.
        output = self._call_generate(ids, mask, keys, settings, [0] * len(contexts))
        # Column 0 is the decoder start token (eos for BART), not part of the response.
        return [row.tolist() for row in output[:, 1:]]

    def _generate_and_score_rows(
        self,
        contexts: list[list[int]],
        keys: list[str],
        settings: DecodingSettings,
        golds: list[GoldItem | None],
    ) -> tuple[list[list[int]], list[float | None]]:
        """The encoder runs once per batch: the gold is scored by the decoder alone on the
        encoder outputs that generation then starts from. (A gold item's context is the
        generation context: both are the dialogue cut to ``max_positions``.)"""
        ids, mask = pad(contexts, self.pad_id, "right", self.device)
        encoded = self.model.get_encoder()(input_ids=ids, attention_mask=mask, return_dict=True)
        wanted = [row for row, gold in enumerate(golds) if gold is not None]
        nlls: list[float | None] = [None] * len(contexts)
        if wanted:
            # Scored before generating: beam search expands the encoder outputs in place.
            rows = torch.tensor(wanted, device=ids.device)
            labels = [gold[1] for gold in golds if gold is not None]
            targets, _ = pad(labels, -100, "right", self.device)
            logits = self.model(
                attention_mask=mask[rows],
                encoder_outputs=(encoded.last_hidden_state[rows],),
                labels=targets,
            ).logits
            for row, nll in zip(wanted, mean_nll(logits, targets), strict=True):
                nlls[row] = nll
        output = self._call_generate(
            ids, mask, keys, settings, [0] * len(contexts), encoder_outputs=encoded
        )
        return [row.tolist() for row in output[:, 1:]], nlls

    def _gold_item_beside(self, dialogue: DialogueInput, context: list[int] | None) -> GoldItem:
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
        # The model shifts the labels right itself (decoder start token first).
        logits = self.model(input_ids=ids, attention_mask=mask, labels=targets).logits
        return mean_nll(logits, targets)
