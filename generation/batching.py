"""Length-sorted batching with dynamic padding (after lm-evaluation-harness's Collator).

Sorting longest first groups similar lengths (little padding) and makes the first batch
the largest, so an out-of-memory error shows up at once rather than at the end.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal, TypeVar

import torch

from generation.errors import TransientGenerationError

T = TypeVar("T")


def length_sorted_batches(lengths: Sequence[int], batch_size: int) -> list[list[int]]:
    """Indices into `lengths`, longest first (ties in input order), cut into batches."""
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, got {batch_size}")
    order = sorted(range(len(lengths)), key=lambda index: (-lengths[index], index))
    return [order[start : start + batch_size] for start in range(0, len(order), batch_size)]


def pad(
    rows: Sequence[Sequence[int]],
    pad_id: int,
    side: Literal["left", "right"],
    device: str | torch.device = "cpu",
) -> tuple[torch.Tensor, torch.Tensor]:
    """Pad to the longest row of this batch only; returns (input_ids, attention_mask)."""
    width = max(len(row) for row in rows)
    ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for index, row in enumerate(rows):
        if not row:
            continue
        span = slice(width - len(row), width) if side == "left" else slice(0, len(row))
        ids[index, span] = torch.tensor(list(row), dtype=torch.long)
        mask[index, span] = 1
    return ids.to(device), mask.to(device)


def run_halving_on_oom(run: Callable[[list[int]], list[T]], rows: list[int]) -> list[T]:
    """`run(rows)`, splitting the rows in halves while CUDA runs out of memory."""
    try:
        return run(rows)
    except torch.OutOfMemoryError as exc:
        if torch.cuda.is_available():
            torch.cuda.empty_cache()
        if len(rows) == 1:
            raise TransientGenerationError(
                f"out of GPU memory even for a single dialogue: {exc}"
            ) from exc
    half = len(rows) // 2
    return run_halving_on_oom(run, rows[:half]) + run_halving_on_oom(run, rows[half:])
