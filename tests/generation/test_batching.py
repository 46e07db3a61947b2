from __future__ import annotations

import pytest
import torch

from generation.batching import length_sorted_batches, pad, run_halving_on_oom
from generation.errors import TransientGenerationError


def test_batches_are_longest_first_with_ties_in_input_order():
    batches = length_sorted_batches([3, 9, 3, 1, 9, 5], batch_size=4)
    assert batches == [[1, 4, 5, 0], [2, 3]]


def test_batch_size_must_be_positive():
    with pytest.raises(ValueError):
        length_sorted_batches([1, 2], 0)


def test_left_padding_puts_real_tokens_at_the_end():
    ids, mask = pad([[5, 6, 7], [8]], pad_id=0, side="left")
    assert ids.tolist() == [[5, 6, 7], [0, 0, 8]]
    assert mask.tolist() == [[1, 1, 1], [0, 0, 1]]


def test_right_padding_puts_real_tokens_at_the_start():
    ids, mask = pad([[5], [8, 9]], pad_id=-100, side="right")
    assert ids.tolist() == [[5, -100], [8, 9]]
    assert mask.tolist() == [[1, 0], [1, 1]]


def test_out_of_memory_halves_the_batch_and_keeps_the_order():
    calls: list[list[int]] = []

    def run(rows: list[int]) -> list[int]:
        calls.append(rows)
        if len(rows) > 2:
            raise torch.OutOfMemoryError("CUDA out of memory")
        return [row * 10 for row in rows]

    assert run_halving_on_oom(run, [4, 1, 7, 2, 9]) == [40, 10, 70, 20, 90]
    assert max(len(call) for call in calls if len(call) <= 2) == 2


def test_out_of_memory_at_batch_size_one_is_transient():
    def run(rows: list[int]) -> list[int]:
        raise torch.OutOfMemoryError("CUDA out of memory")

    with pytest.raises(TransientGenerationError, match="single dialogue"):
        run_halving_on_oom(run, [1, 2])
