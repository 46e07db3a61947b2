"""What the Hugging Face backends share: batching, decoding settings, labels, perplexity."""

from __future__ import annotations

import math
import time
from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any

import torch
from transformers import GenerationConfig, LogitsProcessorList

from generation.backends.loading import cut_at_eos, eos_ids
from generation.batching import length_sorted_batches, run_halving_on_oom
from generation.classifier import LabelPredictor
from generation.errors import CorruptCheckpoint
from generation.formatting import check_dialogues
from generation.processors import NoRepeatNGram, SeededSampler
from generation.types import DecodingSettings, DialogueInput, GenerationResult

# (context ids, gold ids): one perplexity item.
GoldItem = tuple[list[int], list[int]]


class HFBackend(ABC):
    kind: str

    def __init__(
        self,
        spec: str,
        model: Any,
        tokenizer: Any,
        device: str,
        classifier: LabelPredictor | None = None,
    ) -> None:
        self.spec = spec
        self.model = model
        self.tokenizer = tokenizer
        self.device = device
        self.classifier = classifier
        self.eos = eos_ids(model, tokenizer)
        if not self.eos:
            raise CorruptCheckpoint(spec, "neither the model nor the tokenizer names an eos token")
        pad_id = tokenizer.pad_token_id
        # GPT-2-like tokenizers have no pad token; eos is the usual stand-in and is safe
        # because every padded position is masked out.
        self.pad_id = int(pad_id) if pad_id is not None else self.eos[0]
        model.generation_config = token_ids_only(model)

    # --- what each model family defines -------------------------------------------------
    @abstractmethod
    def context_limit(self, settings: DecodingSettings) -> int:
        """How many context tokens fit next to `settings.max_new_tokens` new ones."""

    @abstractmethod
    def context_ids(self, dialogue: DialogueInput, limit: int) -> list[int]:
        """The model's input for this dialogue, left-truncated to `limit` tokens."""

    @abstractmethod
    def _generate_rows(
        self, contexts: list[list[int]], keys: list[str], settings: DecodingSettings
    ) -> list[list[int]]:
        """The new token ids of each row (not yet cut at eos)."""

    def _generate_and_score_rows(
        self,
        contexts: list[list[int]],
        keys: list[str],
        settings: DecodingSettings,
        golds: list[GoldItem | None],
    ) -> tuple[list[list[int]], list[float | None]]:
        """The new token ids of each row and the mean NLL of each row's gold (None where
        it has none). Here the gold items of the batch are scored in one more forward pass
        of the same batch; a family that can reuse generation's work overrides this."""
        new_ids = self._generate_rows(contexts, keys, settings)
        wanted = [row for row, gold in enumerate(golds) if gold is not None]
        nlls: list[float | None] = [None] * len(contexts)
        if wanted:
            items = [golds[row] for row in wanted]
            values = self._nll_rows([item for item in items if item is not None])
            for row, nll in zip(wanted, values, strict=True):
                nlls[row] = nll
        return new_ids, nlls

    def _padded_length(self, context: list[int], gold: GoldItem | None) -> int:
        """What a row pads to in its batch (the key batches are sorted by): the context;
        a family whose scored rows run context and gold as one sequence overrides this."""
        return len(context)

    def _gold_item(self, dialogue: DialogueInput) -> GoldItem:
        """(context ids, gold ids) for the perplexity of the gold response."""
        return self._gold_item_beside(dialogue, None, 0)

    @abstractmethod
    def _gold_item_beside(
        self, dialogue: DialogueInput, context: list[int] | None, context_limit: int
    ) -> GoldItem:
        """``_gold_item``, given the generation context (cut to ``context_limit``) when it
        is already tokenized."""

    @abstractmethod
    def _nll_rows(self, items: list[GoldItem]) -> list[float]:
        """Mean negative log-likelihood of each item's gold tokens."""

    # --- the Backend protocol -----------------------------------------------------------
    def generate(
        self,
        dialogues: Sequence[DialogueInput],
        settings: DecodingSettings,
        batch_size: int = 16,
        *,
        score_gold: bool = False,
    ) -> list[GenerationResult]:
        """``score_gold``: also each gold response's perplexity, computed inside the same
        batches (the production path: one pass over the dialogues, not two)."""
        check_dialogues(dialogues)
        limit = self.context_limit(settings)
        contexts = [self.context_ids(dialogue, limit) for dialogue in dialogues]
        keys = [dialogue.key for dialogue in dialogues]
        golds = [
            self._gold_item_beside(dialogue, context, limit)
            if score_gold and dialogue.gold.strip()
            else None
            for dialogue, context in zip(dialogues, contexts, strict=True)
        ]
        labels = (
            self.classifier.predict(dialogues, batch_size)
            if self.classifier
            else [""] * len(dialogues)
        )
        results: list[GenerationResult | None] = [None] * len(dialogues)

        def run(rows: list[int]) -> list[tuple[str, float | None]]:
            batch_contexts, batch_keys = [contexts[i] for i in rows], [keys[i] for i in rows]
            if not score_gold:
                new_ids = self._generate_rows(batch_contexts, batch_keys, settings)
                return [(self.decode(ids), None) for ids in new_ids]
            new_ids, nlls = self._generate_and_score_rows(
                batch_contexts, batch_keys, settings, [golds[i] for i in rows]
            )
            return [
                (self.decode(ids), None if nll is None else math.exp(nll))
                for ids, nll in zip(new_ids, nlls, strict=True)
            ]

        with torch.inference_mode():
            lengths = [self._padded_length(c, g) for c, g in zip(contexts, golds, strict=True)]
            for batch in length_sorted_batches(lengths, batch_size):
                started = time.perf_counter()
                outputs = run_halving_on_oom(run, batch)
                share = (time.perf_counter() - started) / len(batch)
                for row, (text, perplexity) in zip(batch, outputs, strict=True):
                    results[row] = GenerationResult(keys[row], text, labels[row], share, perplexity)
        return [result for result in results if result is not None]

    def gold_perplexity(
        self, dialogues: Sequence[DialogueInput], batch_size: int = 16
    ) -> list[float | None]:
        check_dialogues(dialogues)
        wanted = [index for index, d in enumerate(dialogues) if d.gold.strip()]
        items = {index: self._gold_item(dialogues[index]) for index in wanted}
        perplexities: list[float | None] = [None] * len(dialogues)

        def run(rows: list[int]) -> list[float]:
            return self._nll_rows([items[wanted[i]] for i in rows])

        lengths = [len(items[i][0]) + len(items[i][1]) for i in wanted]
        with torch.inference_mode():
            for batch in length_sorted_batches(lengths, batch_size):
                for row, nll in zip(batch, run_halving_on_oom(run, batch), strict=True):
                    perplexities[wanted[row]] = math.exp(nll)
        return perplexities

    # --- helpers ------------------------------------------------------------------------
    def generation_config(self, settings: DecodingSettings) -> GenerationConfig:
        """Decoding comes from `settings` only; the checkpoint contributes token ids.

        A checkpoint's own generation_config.json may carry task settings (min_length,
        beams, repetition penalties) that would silently change what is being evaluated.
        """
        base, config = self.model.generation_config, self.model.config
        extra: dict[str, Any] = {}
        if settings.num_beams > 1:
            extra["length_penalty"] = settings.length_penalty
        return GenerationConfig(
            max_new_tokens=settings.max_new_tokens,
            num_beams=settings.num_beams,
            # Blocking is done by NoRepeatNGram, which knows where the padding ends.
            no_repeat_ngram_size=0,
            # Sampling, when asked for, is done by SeededSampler; generate stays greedy.
            do_sample=False,
            pad_token_id=self.pad_id,
            eos_token_id=self.eos,
            bos_token_id=base.bos_token_id,
            decoder_start_token_id=first_set("decoder_start_token_id", base, config),
            forced_bos_token_id=first_set("forced_bos_token_id", base, config),
            **extra,
        )

    def _call_generate(
        self,
        ids: torch.Tensor,
        mask: torch.Tensor,
        keys: list[str],
        settings: DecodingSettings,
        starts: list[int],
        **model_inputs: Any,
    ) -> torch.Tensor:
        """`starts`: where each row's real tokens begin in the sequences generate grows;
        `model_inputs`: what generate would otherwise compute itself (encoder outputs, a
        cache, its first forward pass by way of a ``custom_generate``)."""
        processors = LogitsProcessorList()
        if settings.no_repeat_ngram_size:
            processors.append(NoRepeatNGram(settings.no_repeat_ngram_size, starts))
        if settings.do_sample:
            processors.append(SeededSampler(settings, keys))
        output: torch.Tensor = self.model.generate(
            input_ids=ids,
            attention_mask=mask,
            generation_config=self.generation_config(settings),
            logits_processor=processors,
            **model_inputs,
        )
        return output

    def decode(self, ids: list[int]) -> str:
        """Response text of new token ids: up to the first eos, special tokens dropped."""
        text = self.tokenizer.decode(cut_at_eos(ids, self.eos), skip_special_tokens=True)
        return str(text).strip()


def mean_nll(logits: torch.Tensor, targets: torch.Tensor) -> list[float]:
    """Per-row mean cross-entropy over targets that are not -100 (computed in float32).

    Only the scored positions go through the softmax: a causal model's rows are mostly
    context, whose logits are not scored (on the causal benchmark model the pass took
    longer than generation itself at batch 64)."""
    scored = targets != -100
    return mean_nll_scored(logits[scored], targets, scored)


def mean_nll_scored(
    scored_logits: torch.Tensor, targets: torch.Tensor, scored: torch.Tensor
) -> list[float]:
    """``mean_nll`` from the logits of the scored positions only (``scored``, row-major)."""
    losses = torch.nn.functional.cross_entropy(
        scored_logits.float(), targets[scored], reduction="none"
    )
    rows = scored.nonzero()[:, 0]
    sums = torch.zeros(targets.shape[0], dtype=losses.dtype, device=losses.device)
    sums.index_add_(0, rows, losses)
    counts = scored.sum(dim=1).clamp(min=1)
    return (sums / counts).tolist()


# What a checkpoint contributes to decoding: its special tokens, nothing else.
TOKEN_IDS = (
    "bos_token_id",
    "eos_token_id",
    "pad_token_id",
    "decoder_start_token_id",
    "forced_bos_token_id",
)


def token_ids_only(model: Any) -> GenerationConfig:
    """The model's generation config reduced to its token ids. ``generate`` fills every
    field of the config it is given that is unset from the model's own (transformers 5
    has no opt-out), so a checkpoint's task settings (a summariser's minimum length, a
    repetition penalty, suppressed tokens) would silently change what is evaluated."""
    ids = {name: first_set(name, model.generation_config, model.config) for name in TOKEN_IDS}
    return GenerationConfig(**{name: value for name, value in ids.items() if value is not None})


def first_set(name: str, *sources: Any) -> Any:
    """The attribute `name` of the first source that sets it (older checkpoints keep token
    ids in the model config rather than in generation_config.json)."""
    for source in sources:
        value = getattr(source, name, None)
        if value is not None:
            return value
    return None
