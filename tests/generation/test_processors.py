from __future__ import annotations

import pytest
import torch
from transformers import NoRepeatNGramLogitsProcessor

from generation.processors import NoRepeatNGram, SeededSampler, row_seed
from generation.types import DecodingSettings


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_ngram_blocking_matches_transformers_on_unpadded_rows(n):
    generator = torch.Generator().manual_seed(n)
    ids = torch.randint(0, 6, (5, 30), generator=generator)  # small vocabulary: many repeats
    scores = torch.randn(5, 6, generator=generator)
    expected = NoRepeatNGramLogitsProcessor(n)(ids, scores.clone())
    assert torch.equal(NoRepeatNGram(n, [0] * 5)(ids, scores.clone()), expected)
    assert torch.isinf(expected).any(), "nothing banned: the comparison would be vacuous"


def test_ngram_blocking_ignores_left_padding():
    pad = 2
    row = torch.tensor([[5, 7, 2, 9, 2]])  # ends with "2": HF would ban what followed "2"
    padded = torch.cat([torch.full((1, 4), pad), row], dim=1)
    scores = torch.zeros(1, 12)
    alone = NoRepeatNGram(2, [0])(row, scores.clone())
    assert torch.equal(NoRepeatNGram(2, [4])(padded, scores.clone()), alone)
    # transformers' processor, reading the pads, also bans "2 -> 2" and "2 -> 5".
    naive = NoRepeatNGramLogitsProcessor(2)(padded, scores.clone())
    assert torch.isinf(naive[0, 5]) and not torch.isinf(alone[0, 5])


def test_ngram_blocking_repeats_starts_over_beams():
    row = torch.tensor([[0, 0, 3, 4, 3]])
    beams = torch.cat([row, row, torch.tensor([[3, 4, 3, 4, 3]])] * 1)
    blocked = NoRepeatNGram(2, [2])(beams[:2], torch.zeros(2, 6))
    assert blocked[:, 4].isinf().all() and not blocked[:, 0].isinf().any()


def test_row_seed_is_stable_and_key_dependent():
    assert row_seed(0, "a") == row_seed(0, "a")
    assert len({row_seed(0, "a"), row_seed(1, "a"), row_seed(0, "b")}) == 3
    assert 0 <= row_seed(2**63 - 1, "x") < 2**63


def _draws(settings: DecodingSettings, logits: torch.Tensor, count: int) -> torch.Tensor:
    sampler = SeededSampler(settings, ["k"])
    ids = torch.zeros((1, 1), dtype=torch.long)
    picks = []
    for _ in range(count):
        out = sampler(ids, logits.clone().unsqueeze(0))
        assert (out == 0).sum() == 1 and torch.isinf(out).sum() == logits.numel() - 1
        picks.append(int(out.argmax()))
    return torch.bincount(torch.tensor(picks), minlength=logits.numel())


def test_sampler_follows_the_softmax_distribution():
    logits = torch.log(torch.tensor([0.5, 0.3, 0.15, 0.05]))
    counts = _draws(DecodingSettings(do_sample=True, seed=1), logits, 4000)
    assert counts.float().div(4000).tolist() == pytest.approx([0.5, 0.3, 0.15, 0.05], abs=0.03)


def test_sampler_applies_top_k_top_p_and_temperature():
    logits = torch.log(torch.tensor([0.4, 0.3, 0.2, 0.1]))
    top2 = _draws(DecodingSettings(do_sample=True, top_k=2), logits, 500)
    assert top2[2:].sum() == 0 and top2[:2].min() > 100
    nucleus = _draws(DecodingSettings(do_sample=True, top_p=0.65), logits, 500)
    assert nucleus[2:].sum() == 0
    cold = _draws(DecodingSettings(do_sample=True, temperature=0.01), logits, 200)
    assert cold[0] == 200


def test_sampler_streams_are_reproducible_per_key():
    logits = torch.randn(1, 50, generator=torch.Generator().manual_seed(0))
    ids = torch.zeros((1, 1), dtype=torch.long)
    settings = DecodingSettings(do_sample=True, seed=4)

    def stream(key: str) -> list[int]:
        sampler = SeededSampler(settings, [key])
        return [int(sampler(ids, logits.clone()).argmax()) for _ in range(20)]

    assert stream("a") == stream("a")
    assert stream("a") != stream("b")
