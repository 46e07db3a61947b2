"""Pieces of `generation.tiny`: the tokenizer, the model configs and the training loop."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import torch
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
from transformers import (
    BartConfig,
    BartForConditionalGeneration,
    BertConfig,
    BertForSequenceClassification,
    GenerationConfig,
    GPT2Config,
    GPT2LMHeadModel,
    PreTrainedTokenizerFast,
)

from generation.batching import pad

PAD, BOS, EOS, UNK = "<pad>", "<s>", "</s>", "<unk>"
PAD_ID, BOS_ID, EOS_ID = 0, 1, 2  # the order of SPECIALS below


@dataclass(frozen=True)
class Size:
    vocab: int
    d_model: int
    layers: int
    heads: int
    ffn: int
    positions: int
    batch: int
    lr: float


SIZES = {
    # For tests: builds and trains in about a second.
    "tiny": Size(
        vocab=512, d_model=32, layers=1, heads=2, ffn=64, positions=128, batch=16, lr=3e-3
    ),
    # For the demo: a few CPU minutes give short, on-topic (if clumsy) replies.
    "small": Size(
        vocab=2000, d_model=192, layers=2, heads=4, ffn=768, positions=256, batch=32, lr=1e-3
    ),
}


def train_tokenizer(texts: Sequence[str], vocab_size: int) -> Tokenizer:
    """Byte-level BPE (no unknown characters, clean detokenization) with our four specials."""
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        min_frequency=2,
        special_tokens=[PAD, BOS, EOS, UNK],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator(texts, trainer)
    return tokenizer


def hf_tokenizer(base: Tokenizer, *, encoder: bool, max_length: int) -> Any:
    """Encoders get BART's `<s> ... </s>`; the causal tokenizer, like GPT-2's, has no pad."""
    tokenizer = Tokenizer.from_str(base.to_str())
    special: dict[str, str] = {"bos_token": BOS, "eos_token": EOS, "unk_token": UNK}
    if encoder:
        tokenizer.post_processor = processors.TemplateProcessing(
            single=f"{BOS} $A {EOS}", special_tokens=[(BOS, BOS_ID), (EOS, EOS_ID)]
        )
        special["pad_token"] = PAD
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer, model_max_length=max_length, **special
    )


def bart_model(size: Size, vocab: int) -> BartForConditionalGeneration:
    config = BartConfig(
        vocab_size=vocab,
        d_model=size.d_model,
        encoder_layers=size.layers,
        decoder_layers=size.layers,
        encoder_attention_heads=size.heads,
        decoder_attention_heads=size.heads,
        encoder_ffn_dim=size.ffn,
        decoder_ffn_dim=size.ffn,
        max_position_embeddings=size.positions,
        pad_token_id=PAD_ID,
        bos_token_id=BOS_ID,
        eos_token_id=EOS_ID,
        # As in facebook/bart-*: the decoder starts with </s> (and generation forces <s>).
        decoder_start_token_id=EOS_ID,
        dropout=0.0,
    )
    model = BartForConditionalGeneration(config)
    model.generation_config = GenerationConfig(
        bos_token_id=BOS_ID,
        eos_token_id=EOS_ID,
        pad_token_id=PAD_ID,
        decoder_start_token_id=EOS_ID,
        forced_bos_token_id=BOS_ID,
    )
    return model


def gpt2_model(size: Size, vocab: int) -> GPT2LMHeadModel:
    config = GPT2Config(
        vocab_size=vocab,
        n_embd=size.d_model,
        n_layer=size.layers * 2,
        n_head=size.heads,
        n_inner=size.ffn,
        n_positions=size.positions,
        # GPT-2's default "gelu_new" is five unfused element-wise ops: a third of CPU
        # decoding time at these sizes. Exact GELU is one fused kernel (BART uses it too).
        activation_function="gelu",
        bos_token_id=BOS_ID,
        eos_token_id=EOS_ID,
        resid_pdrop=0.0,
        embd_pdrop=0.0,
        attn_pdrop=0.0,
    )
    model = GPT2LMHeadModel(config)
    model.generation_config = GenerationConfig(bos_token_id=BOS_ID, eos_token_id=EOS_ID)
    return model


def classifier_model(size: Size, vocab: int, labels: list[str]) -> BertForSequenceClassification:
    config = BertConfig(
        vocab_size=vocab,
        hidden_size=size.d_model,
        num_hidden_layers=1,
        num_attention_heads=size.heads,
        intermediate_size=size.ffn,
        max_position_embeddings=size.positions,
        pad_token_id=PAD_ID,
        id2label=dict(enumerate(labels)),
        label2id={label: index for index, label in enumerate(labels)},
        hidden_dropout_prob=0.0,
        attention_probs_dropout_prob=0.0,
    )
    return BertForSequenceClassification(config)


# An example is (input ids, target ids or [class id]); `collate` turns a list into kwargs.
Example = tuple[list[int], list[int]]
Collate = Callable[[list[Example]], dict[str, torch.Tensor]]


def collate_causal(batch: list[Example]) -> dict[str, torch.Tensor]:
    ids, mask = pad([ids for ids, _ in batch], PAD_ID, "right")
    return {"input_ids": ids, "attention_mask": mask, "labels": ids.masked_fill(mask == 0, -100)}


def collate_seq2seq(batch: list[Example]) -> dict[str, torch.Tensor]:
    ids, mask = pad([ids for ids, _ in batch], PAD_ID, "right")
    labels, _ = pad([target for _, target in batch], -100, "right")
    return {"input_ids": ids, "attention_mask": mask, "labels": labels}


def collate_classes(batch: list[Example]) -> dict[str, torch.Tensor]:
    ids, mask = pad([ids for ids, _ in batch], PAD_ID, "right")
    labels = torch.tensor([target[0] for _, target in batch])
    return {"input_ids": ids, "attention_mask": mask, "labels": labels}


@dataclass(frozen=True)
class TrainingRun:
    steps: int
    seconds: float
    first_loss: float
    last_loss: float


def train(
    model: Any,
    examples: list[Example],
    collate: Collate,
    *,
    size: Size,
    steps: int,
    seed: int,
    max_seconds: float | None = None,
) -> TrainingRun:
    """AdamW on random mini-batches for `steps` steps or `max_seconds`, whichever ends first."""
    torch.manual_seed(seed)
    rng = random.Random(seed)
    optimizer = torch.optim.AdamW(model.parameters(), lr=size.lr, weight_decay=0.01)
    warmup = max(1, min(100, steps // 10))
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: min(1.0, (s + 1) / warmup))
    model.train()
    started = time.perf_counter()
    losses: list[float] = []
    for _ in range(steps):
        batch = [examples[rng.randrange(len(examples))] for _ in range(size.batch)]
        loss = model(**collate(batch)).loss
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        schedule.step()
        losses.append(loss.detach().item())
        if max_seconds is not None and time.perf_counter() - started > max_seconds:
            break
    model.eval()
    tail = losses[-20:]
    return TrainingRun(
        steps=len(losses),
        seconds=time.perf_counter() - started,
        first_loss=losses[0] if losses else float("nan"),
        last_loss=sum(tail) / len(tail) if tail else float("nan"),
    )
