"""Straight-lining judged against the crowd: lopsided truths keep honest workers,
A/B orientation does not matter, planted straight-liners still go."""

from __future__ import annotations

import numpy as np
import pandas as pd

from evalplatform.analysis.ab import ab_pairs
from evalplatform.analysis.quality import apply_quality_filter
from evalplatform.protocols.registry import get

LIKERT = ["item", "worker", "system", "criterion", "score"]
AB = ["item", "worker", "system_a", "system_b", "choice"]


def _binary_lopsided(seed: int, liner: bool = False) -> pd.DataFrame:
    """Twelve honest workers, a binary criterion right 98 % / 93 % of the time."""
    rng = np.random.default_rng(seed)
    rows = []
    for item in range(60):
        for system, rate in (("A", 0.98), ("B", 0.93)):
            for w in rng.choice(12, 3, replace=False):
                rows.append((item, f"w{w}", system, "right", int(rng.random() < rate)))
            if liner:
                rows.append((item, "liner", system, "right", 0))
    return pd.DataFrame(rows, columns=LIKERT)


def _ab(seed: int, *, ours_always_a: bool, left_clicker: bool = False) -> pd.DataFrame:
    """Twelve honest workers; "Ours" truly preferred 96 % of the time."""
    rng = np.random.default_rng(seed)
    rows = []
    for item in range(60):
        workers = [f"w{w}" for w in rng.choice(12, 3, replace=False)]
        for worker in workers + (["left"] if left_clicker else []):
            ours_left = ours_always_a or rng.random() < 0.5
            ours_wins = rng.random() < 0.96
            choice = "a" if ours_wins == ours_left else "b"
            if worker == "left":
                choice = "a"
            a, b = ("Ours", "Base") if ours_left else ("Base", "Ours")
            rows.append((item, worker, a, b, choice))
    return pd.DataFrame(rows, columns=AB)


def test_honest_workers_on_a_lopsided_binary_criterion_are_kept():
    data = _binary_lopsided(0)
    seed_rule = apply_quality_filter(data, get("likert"), {"straightline_against_crowd": False})
    assert len(seed_rule.summary["excluded_workers"]) >= 5  # the defect of the share rule
    assert apply_quality_filter(data, get("likert")).summary["excluded_workers"] == {}


def test_a_straight_liner_against_the_crowd_is_dropped_on_a_lopsided_criterion():
    excluded = apply_quality_filter(_binary_lopsided(1, liner=True), get("likert")).summary
    assert set(excluded["excluded_workers"]) == {"liner"}
    assert "more often than the other workers" in excluded["excluded_workers"]["liner"]


def test_ab_always_system_a_and_truly_preferred_keeps_everyone_and_the_win_rate():
    data = _ab(2, ours_always_a=True)
    result = apply_quality_filter(data, get("ab"))
    assert result.summary["excluded_workers"] == {}
    (pair,) = ab_pairs(result.kept)
    assert pair["win"] == ab_pairs(data)[0]["win"] > 90


def test_ab_orientation_does_not_matter_but_a_left_clicker_goes():
    kept = apply_quality_filter(_ab(3, ours_always_a=False), get("ab")).summary
    assert kept["excluded_workers"] == {}
    data = _ab(4, ours_always_a=False, left_clicker=True)
    assert set(apply_quality_filter(data, get("ab")).summary["excluded_workers"]) == {"left"}


def test_likert_constant_answer_is_dropped_and_varied_workers_kept():
    rng = np.random.default_rng(5)
    rows = []
    for item in range(40):
        for system in ("A", "B"):
            truth = rng.integers(1, 6)
            for w in rng.choice(10, 3, replace=False):
                score = int(np.clip(truth + rng.integers(-1, 2), 1, 5))
                rows.append((item, f"w{w}", system, "fluency", score))
            rows.append((item, "threes", system, "fluency", 3))
    excluded = apply_quality_filter(pd.DataFrame(rows, columns=LIKERT), get("likert")).summary
    assert set(excluded["excluded_workers"]) == {"threes"}


def test_a_worker_who_always_picks_the_better_system_is_kept_on_balanced_placement():
    """The crowd prefers Ours 70 % of the time; one worker always does. A strong opinion
    about a system is not a straight line (found in the A/B preset's end-to-end run)."""
    rng = np.random.default_rng(7)
    rows = []
    for item in range(60):
        for worker in [f"w{w}" for w in rng.choice(12, 3, replace=False)] + ["fan"]:
            ours_left = rng.random() < 0.5
            ours_wins = worker == "fan" or rng.random() < 0.7
            a, b = ("Ours", "Base") if ours_left else ("Base", "Ours")
            rows.append((item, worker, a, b, "a" if ours_wins == ours_left else "b"))
    data = pd.DataFrame(rows, columns=AB)
    assert apply_quality_filter(data, get("ab")).summary["excluded_workers"] == {}


def test_a_crowd_where_everyone_repeats_one_answer_falls_back_to_the_share_rule():
    """Four workers put "good" on everything: they agree, but nobody can vouch for them."""
    rows = [
        (item, f"w{w}", system, "good")
        for item in range(12)
        for system in ("A", "B")
        for w in range(4)
    ]
    data = pd.DataFrame(rows, columns=["item", "worker", "system", "label"])
    excluded = apply_quality_filter(data, get("ggb")).summary["excluded_workers"]
    assert set(excluded) == {"w0", "w1", "w2", "w3"}


def _lopsided_with_rusher(seed: int, *, fast_honest: bool) -> pd.DataFrame:
    """The lopsided binary criterion, timed: honest workers read at 30-60 s per item (one
    of them at 6 s when ``fast_honest``), a rusher answers at random at 4 s."""
    data = _binary_lopsided(seed)
    rng = np.random.default_rng(seed)
    rusher = data.drop_duplicates(["item", "system"]).assign(worker="rusher")
    rusher = rusher.assign(score=rng.integers(0, 2, len(rusher)))
    data = pd.concat([data, rusher], ignore_index=True)
    pace = {w: rng.uniform(30, 60) for w in data["worker"].unique()}
    pace["rusher"] = 4.0
    if fast_honest:
        pace["w0"] = 6.0
    return data.assign(seconds=data["worker"].map(pace))


def test_a_rusher_goes_without_gold_checks_and_a_fast_reader_stays():
    result = apply_quality_filter(_lopsided_with_rusher(8, fast_honest=True), get("likert"))
    excluded = result.summary["excluded_workers"]
    assert set(excluded) == {"rusher"}
    assert "agreeing with the workers who took their time less" in excluded["rusher"]


def test_a_rushers_random_answers_do_not_make_honest_workers_look_like_straight_liners():
    """The rusher's 0s lower the crowd's share of 1 on a criterion honest workers answer 1 on
    95 % of the time; straight-lining is judged against the crowd without them."""
    data = _lopsided_with_rusher(9, fast_honest=False)
    assert set(apply_quality_filter(data, get("likert")).summary["excluded_workers"]) == {"rusher"}
