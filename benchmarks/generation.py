"""Batched generation engine against a naive one-dialogue-at-a-time loop (greedy, CPU).

    python benchmarks/generation.py [--model-dir DIR] [--dialogues 512] [--batch-size 32]

Without --model-dir it first trains the project's "small" models (generation.tiny) for
--build-minutes on synthetic dialogues. Both ways decode the same dialogues greedily; the
responses must be identical (mismatches are printed; the exit status is 1 if there are any).
Timings are the median of --runs repetitions. A benchmark, not a test: timing never fails it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
# The repository root goes first: this script is itself named generation.py, and its own
# folder (sys.path[0]) would otherwise shadow the generation package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch

from generation import HF_CAUSAL, HF_SEQ2SEQ, DecodingSettings, load_backend
from generation.backends.hf import HFBackend
from generation.synthetic import synthetic_dialogues
from generation.tiny import build_tiny_models
from generation.types import DialogueInput


def naive_loop(backend: HFBackend, dialogues: list[DialogueInput], settings: DecodingSettings):
    """What one writes first: per dialogue, its label, then tokenize, generate, decode."""
    config = backend.generation_config(settings)
    limit = backend.context_limit(settings)
    responses = []
    with torch.inference_mode():
        for dialogue in dialogues:
            if backend.classifier:  # the engine predicts labels too: same work both ways
                backend.classifier.predict([dialogue], batch_size=1)
            ids = torch.tensor([backend.context_ids(dialogue, limit)])
            out = backend.model.generate(
                input_ids=ids, attention_mask=torch.ones_like(ids), generation_config=config
            )
            new = out[0, ids.shape[1] :] if backend.kind == HF_CAUSAL else out[0, 1:]
            responses.append(backend.decode(new.tolist()))
    return responses


def interleaved(first, second, runs: int) -> tuple[list[float], list[float], list, list]:
    """Times both functions in turn, A B A B ...: a machine whose speed drifts (other jobs
    on the cores) then slows both alike, and the pair-by-pair ratio stays meaningful. The
    process's CPU time of each run goes to ``CPU_SECONDS[first]`` and ``[second]``."""
    seconds_a, seconds_b, result_a, result_b = [], [], [], []
    cpu_a, cpu_b = CPU_SECONDS.setdefault(first, []), CPU_SECONDS.setdefault(second, [])
    for _ in range(runs):
        started, cpu = time.perf_counter(), time.process_time()
        result_a = first()
        seconds_a.append(time.perf_counter() - started)
        cpu_a.append(time.process_time() - cpu)
        started, cpu = time.perf_counter(), time.process_time()
        result_b = second()
        seconds_b.append(time.perf_counter() - started)
        cpu_b.append(time.process_time() - cpu)
    return seconds_a, seconds_b, result_a, result_b


# CPU time of the process per timed function (one torch thread: what other sessions on a
# shared machine disturb least), beside the wall times interleaved returns.
CPU_SECONDS: dict[object, list[float]] = {}


def median_ratio(numerators: list[float], denominators: list[float]) -> float:
    return statistics.median(a / b for a, b in zip(numerators, denominators, strict=True))


def production_batch_size() -> int:
    """The Celery task's batch size, as the deployment's settings give it."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "evalplatform.settings")
    from django.conf import settings

    return int(settings.GENERATION_BATCH_SIZE)


def production_path(
    backend: HFBackend, dialogues: list[DialogueInput], settings: DecodingSettings, size: int
) -> list[str]:
    """What the generation task runs (campaigns.tasks): the responses with the gold
    responses' perplexities scored inside the same batches, at the task's batch size."""
    results = backend.generate(dialogues, settings, batch_size=size, score_gold=True)
    return [r.response for r in results]


def two_pass_path(
    backend: HFBackend, dialogues: list[DialogueInput], settings: DecodingSettings, size: int
) -> list[str]:
    """What the task ran before the perplexities were scored inside generation: the
    responses, then a second pass over every context for the golds."""
    results = backend.generate(dialogues, settings, batch_size=size)
    backend.gold_perplexity(dialogues, batch_size=size)
    return [r.response for r in results]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model-dir", type=Path, help="a checkpoint; default: build one")
    parser.add_argument("--kind", choices=[HF_SEQ2SEQ, HF_CAUSAL], default=HF_SEQ2SEQ)
    parser.add_argument("--dialogues", type=int, default=512)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--max-new-tokens", type=int, default=40)
    parser.add_argument("--runs", type=int, default=3)
    # One intra-op thread by default: on these small matrices a second thread costs more in
    # synchronisation than it saves, and OpenMP's spin-waits collapse (we measured 25x
    # slower decoding steps) when another process shares the cores. Both ways get the same.
    parser.add_argument("--threads", type=int, default=1, help="for the naive loop")
    parser.add_argument("--engine-threads", type=int, default=None, help="default: --threads")
    parser.add_argument("--build-minutes", type=float, default=2.0)
    parser.add_argument(
        "--production-batch-sizes",
        type=int,
        nargs="*",
        default=None,
        help="batch sizes to time the production path at (default: GENERATION_BATCH_SIZE)",
    )
    args = parser.parse_args()
    model_dir = args.model_dir
    if model_dir is None:
        torch.set_num_threads(args.threads)  # see --threads
        out = Path(tempfile.mkdtemp(prefix="bench-models-"))
        built = build_tiny_models(
            synthetic_dialogues(200, seed=7),
            out,
            steps=10**9,
            seed=0,
            sizes="small",
            max_seconds=args.build_minutes * 60,
        )
        model_dir = built["bart" if args.kind == HF_SEQ2SEQ else "gpt2"]
        print(f"built {model_dir}: {json.loads((out / 'manifest.json').read_text())['training']}")
    backend = load_backend(args.kind, str(model_dir), device="cpu")
    assert isinstance(backend, HFBackend)
    dialogues = synthetic_dialogues(args.dialogues, seed=2024, prefix="bench")
    greedy = DecodingSettings(max_new_tokens=args.max_new_tokens)

    # Warm-up: first calls pay for lazy imports and allocator growth.
    naive_loop(backend, dialogues[:4], greedy)
    backend.generate(dialogues[:8], greedy, batch_size=args.batch_size)

    engine_threads = args.engine_threads or args.threads

    def run_naive() -> list[str]:
        torch.set_num_threads(args.threads)
        return naive_loop(backend, dialogues, greedy)

    def run_engine() -> list[str]:
        torch.set_num_threads(engine_threads)
        return [r.response for r in backend.generate(dialogues, greedy, args.batch_size)]

    naive_runs, engine_runs, naive, results = interleaved(run_naive, run_engine, args.runs)
    naive_s, engine_s = statistics.median(naive_runs), statistics.median(engine_runs)
    ratios = [a / b for a, b in zip(naive_runs, engine_runs, strict=True)]
    mismatches = [i for i, (a, b) in enumerate(zip(naive, results, strict=True)) if a != b]
    parameters = sum(p.numel() for p in backend.model.parameters())
    print(f"model: {args.kind} {model_dir} ({parameters / 1e6:.2f}M parameters)")
    print(
        f"dialogues: {len(dialogues)}, max_new_tokens: {args.max_new_tokens}, "
        f"batch size: {args.batch_size}, threads: naive {args.threads} / engine {engine_threads}, "
        f"runs: {args.runs} (median)"
    )
    print(f"naive loop: {len(dialogues) / naive_s:8.1f} responses/s ({naive_s:.2f} s)")
    print(f"engine:     {len(dialogues) / engine_s:8.1f} responses/s ({engine_s:.2f} s)")
    print(
        f"speed-up:   {statistics.median(ratios):8.2f}x (median of pairs; "
        f"runs: {', '.join(f'{r:.2f}' for r in ratios)})"
    )
    # Production against the engine alone, paired run by run as above: on a shared machine
    # only pairs timed back to back compare.
    for size in args.production_batch_sizes or [production_batch_size()]:
        CPU_SECONDS.clear()

        def run_production(size: int = size) -> list[str]:
            return production_path(backend, dialogues, greedy, size)

        engine_again, production_runs, _, produced = interleaved(
            run_engine, run_production, args.runs
        )
        cpu_pairs = median_ratio(CPU_SECONDS[run_engine], CPU_SECONDS[run_production])
        pairs = [e / p for e, p in zip(engine_again, production_runs, strict=True)]
        unlike = sum(a != b for a, b in zip(produced, results, strict=True))
        production_s = statistics.median(production_runs)
        engine_rate = len(dialogues) / statistics.median(engine_again)
        print(
            f"production: {len(dialogues) / production_s:8.1f} responses/s ({production_s:.2f} s"
            f", batch {size}, gold perplexity included): {statistics.median(pairs):.2f}x the "
            f"engine's throughput (median of pairs; engine alone {engine_rate:.1f} /s), "
            f"{cpu_pairs:.2f}x in CPU time; responses unlike the engine's: {unlike}"
        )
        two_pass, fused, _, _ = interleaved(
            lambda size=size: two_pass_path(backend, dialogues, greedy, size),
            lambda size=size: production_path(backend, dialogues, greedy, size),
            args.runs,
        )
        gains = [t / f for t, f in zip(two_pass, fused, strict=True)]
        print(
            f"  two passes (before): {len(dialogues) / statistics.median(two_pass):8.1f} "
            f"responses/s; production / two passes: {statistics.median(gains):.2f}x"
        )
    print(f"mismatches: {len(mismatches)}")
    for index in mismatches[:5]:
        print(f"  {dialogues[index].key}: naive={naive[index]!r} engine={results[index]!r}")
    print(f"sample: {results[0]!r} | {results[1]!r}")
    return 1 if mismatches else 0


if __name__ == "__main__":
    raise SystemExit(main())
