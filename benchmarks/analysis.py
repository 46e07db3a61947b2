"""Benchmark: the whole good/okay/bad report at seed 002's scale and at a million answers.

    .venv/bin/python benchmarks/analysis.py                 # 24,000 and 1,000,000 answers
    .venv/bin/python benchmarks/analysis.py --answers 24000 # one scale

An "answer" is one worker's sorting of one dialog's candidates (seed 002: 6,000 dialogs x 4
assignments = 24,000 answers); each answer has 4 system rows, and 3 dialogs in 10 add a
gold row, so 24,000 answers are 103,200 judgment rows. Each scale runs in a child process
so that its peak RSS (ru_maxrss: data generation included) is its own. Timed: build_report
(validation, quality filter, shares, kappa, alpha, Bradley-Terry with 1,000 bootstrap
resamples, worker statistics, text) + to_json + to_html, and the naive per-row Python loop
for the shares against the vectorised ``ggb_shares`` on the same rows. A benchmark, not a
test: it prints figures and never fails on timing.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SHARES = {
    "Pre-trained (OS)": (0.31, 0.29, 0.40),
    "MEED2 (OS)": (0.32, 0.31, 0.37),
    "MEED2 (OS -> EDOS)": (0.32, 0.30, 0.38),
    "MEED2 (OS -> ED)": (0.35, 0.31, 0.34),
}
SUBSETS = ("OS", "EDOS", "ED")


def naive_shares(rows: list[tuple[str, str, str]]) -> dict[str, dict[str, dict[str, float]]]:
    """Baseline: shares with a Python loop over (subset, system, label) tuples."""
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(
        lambda: {"good": 0, "okay": 0, "bad": 0}
    )
    for subset, system, label in rows:
        counts[(subset, system)][label] += 1
    out: dict[str, dict[str, dict[str, float]]] = defaultdict(dict)
    for (subset, system), c in counts.items():
        n = sum(c.values())
        out[subset][system] = {k: v / n for k, v in c.items()}
    return out


def _vm(field: str) -> float:
    """A /proc/self/status memory figure in MiB (Linux), NaN elsewhere."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _reset_peak() -> None:
    """Reset VmHWM so the next reading is the report's own high-water mark (Linux)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def run_scale(answers: int) -> dict[str, float]:
    from evalplatform.analysis.ggb import ggb_shares, scored_rows
    from evalplatform.reports.builder import build_report
    from evalplatform.reports.config import ReportSettings
    from evalplatform.reports.exports import to_json
    from evalplatform.reports.html import to_html
    from tests.analysis.simulated import simulate_ggb

    items = answers // 4
    workers = max(200, answers // 200)  # at most ~50 HITs of 10 dialogs per worker
    t0 = time.perf_counter()
    df = simulate_ggb(
        SHARES, subsets=SUBSETS, items_per_subset=items // len(SUBSETS), workers=workers, seed=0
    )
    t_gen = time.perf_counter() - t0
    rss_before = _vm("VmRSS")
    _reset_peak()

    t0 = time.perf_counter()
    report = build_report(df, "ggb", ReportSettings(bootstrap=1000, seed=0))
    t_build = time.perf_counter() - t0
    t0 = time.perf_counter()
    text = to_json(report)
    t_json = time.perf_counter() - t0
    t0 = time.perf_counter()
    html = to_html(report)
    t_html = time.perf_counter() - t0
    # The high-water mark so far: data generation and the report, not the baseline below.
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report_peak_mib = _vm("VmHWM")

    rows = scored_rows(df)
    t0 = time.perf_counter()
    fast = ggb_shares(rows)
    t_fast = time.perf_counter() - t0
    tuples = list(
        zip(
            rows["subset"].astype(str),
            rows["system"].astype(str),
            rows["label"].astype(str),
            strict=True,
        )
    )
    t0 = time.perf_counter()
    slow = naive_shares(tuples)
    t_slow = time.perf_counter() - t0
    assert (
        abs(slow["ED"]["MEED2 (OS -> ED)"]["good"] - fast["ED"]["MEED2 (OS -> ED)"]["good"]) < 1e-12
    )

    return {
        "answers": answers,
        "rows": len(df),
        "workers": workers,
        "generate_s": t_gen,
        "build_report_s": t_build,
        "to_json_s": t_json,
        "to_html_s": t_html,
        "report_total_s": t_build + t_json + t_html,
        "json_kb": len(text) / 1024,
        "html_kb": len(html) / 1024,
        "shares_vectorised_s": t_fast,
        "shares_naive_s": t_slow,
        "naive_over_vectorised": t_slow / t_fast,
        "peak_rss_mib": peak_mib,
        "rss_before_report_mib": rss_before,
        "report_peak_rss_mib": report_peak_mib,
        "data_mib": df.memory_usage(deep=True).sum() / 2**20,
        "rows_after_filter": report.quality["after"]["rows"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--answers", type=int, nargs="*", default=[24_000, 1_000_000])
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_scale(args.answers[0])))
        return
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "evalplatform.settings"}
    for answers in args.answers:
        done = subprocess.run(
            [sys.executable, __file__, "--child", "--answers", str(answers)],
            capture_output=True,
            text=True,
            check=True,
            env=env,
            cwd=ROOT,
        )
        r = json.loads(done.stdout.strip().splitlines()[-1])
        print(
            f"{r['answers']:>9,} answers ({r['rows']:,} rows, {r['workers']:,} workers): "
            f"report {r['report_total_s']:.2f} s = build {r['build_report_s']:.2f} + json "
            f"{r['to_json_s']:.2f} + html {r['to_html_s']:.2f}; peak RSS "
            f"{r['peak_rss_mib']:.0f} MiB (during the report {r['report_peak_rss_mib']:.0f} MiB, "
            f"{r['rss_before_report_mib']:.0f} MiB before it with the data loaded; judgments "
            f"frame {r['data_mib']:.0f} MiB); shares "
            f"naive {r['shares_naive_s']:.3f} s vs vectorised {r['shares_vectorised_s']:.3f} s "
            f"(x{r['naive_over_vectorised']:.1f}); data generation {r['generate_s']:.2f} s"
        )


if __name__ == "__main__":
    main()
