"""Logits processors that keep a dialogue's output independent of its batch.

Seeded sampling: `generate` samples with the global torch RNG, so a dialogue's text would
depend on its batch neighbours. Instead every row gets its own `torch.Generator`, seeded
from the settings' seed and the dialogue key, and `SeededSampler` draws that row's token
itself (temperature, top-k, top-p as transformers defines them, then inverse-CDF
sampling). It returns scores that are -inf except at the drawn token, so `generate` runs
in greedy mode and merely takes the token drawn here.

N-gram blocking: transformers' NoRepeatNGramLogitsProcessor reads the whole row, left
padding included, so a padded row bans n-grams made of pad tokens (pad is eos for GPT-2:
"<eos> first-word" gets banned right where the response starts). `NoRepeatNGram` ignores
everything before each row's first real token.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import torch
from transformers import (
    LogitsProcessor,
    TemperatureLogitsWarper,
    TopKLogitsWarper,
    TopPLogitsWarper,
)

from generation.types import DecodingSettings


def row_seed(seed: int, key: str) -> int:
    """A stable 63-bit seed per (settings seed, dialogue key); Python's hash() is salted."""
    digest = hashlib.sha256(f"{seed}\x00{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") & (2**63 - 1)


class SeededSampler(LogitsProcessor):
    """Draws one token per row from that row's own generator."""

    def __init__(self, settings: DecodingSettings, keys: Sequence[str]) -> None:
        self.generators = [torch.Generator().manual_seed(row_seed(settings.seed, k)) for k in keys]
        self.warpers: list[LogitsProcessor] = []
        if settings.temperature != 1.0:
            self.warpers.append(TemperatureLogitsWarper(settings.temperature))
        if settings.top_k > 0:
            self.warpers.append(TopKLogitsWarper(top_k=settings.top_k))
        if settings.top_p < 1.0:
            self.warpers.append(TopPLogitsWarper(top_p=settings.top_p))

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
        if scores.shape[0] != len(self.generators):
            raise RuntimeError("SeededSampler needs exactly one row per dialogue (no beams)")
        warped = scores.float()
        for warper in self.warpers:
            warped = warper(input_ids, warped)
        probs = torch.softmax(warped, dim=-1)
        # One uniform per row per step, drawn on the CPU so that GPU and CPU runs of the
        # same settings consume the same random stream.
        uniforms = torch.stack([torch.rand((), generator=g) for g in self.generators])
        cdf = probs.cumsum(dim=-1)
        targets = (uniforms.to(probs.device) * cdf[:, -1]).unsqueeze(-1)
        # right=True skips zero-probability tokens at the start of the vocabulary.
        chosen = torch.searchsorted(cdf, targets, right=True).clamp(max=probs.shape[-1] - 1)
        picked = torch.full_like(scores, float("-inf"))
        picked.scatter_(1, chosen, 0.0)
        return picked  # type: ignore[return-value]


class NoRepeatNGram(LogitsProcessor):
    """Bans tokens that would repeat an n-gram of the row, counted from the row's start."""

    def __init__(self, size: int, starts: Sequence[int]) -> None:
        self.size = size
        # Index of each dialogue's first real token; beams of a dialogue follow each other.
        self.starts = torch.tensor(list(starts), dtype=torch.long)

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
        n = self.size
        rows, length = input_ids.shape
        if length < n:
            return scores
        starts = self.starts.to(input_ids.device).repeat_interleave(rows // len(self.starts))
        windows = input_ids.unfold(1, n, 1)  # every n-gram: (rows, length - n + 1, n)
        prefix = input_ids[:, length - n + 1 :].unsqueeze(1)  # the last n - 1 tokens
        same_prefix = (windows[:, :, : n - 1] == prefix).all(dim=-1)
        offsets = torch.arange(windows.shape[1], device=input_ids.device)
        same_prefix &= offsets.unsqueeze(0) >= starts.unsqueeze(1)
        row_index, window_index = same_prefix.nonzero(as_tuple=True)
        banned = windows[row_index, window_index, n - 1]
        scores = scores.clone()  # type: ignore[assignment]
        scores[row_index, banned] = float("-inf")
        return scores
