"""The seed 002 quality filter: each rule on a worker planted to trip it."""

from __future__ import annotations

import pandas as pd
import pytest

from evalplatform.analysis.quality import apply_quality_filter, quality_config, quality_kept
from evalplatform.protocols.registry import get
from evalplatform.reports.quality_text import quality_sentences

GGB, LIKERT = get("ggb"), get("likert")


def _hit(assignment: str, worker: str, labels: list[str], gold: list[str], seconds: float) -> list:
    """One assignment: items with one system candidate each, plus gold candidates."""
    rows = [
        (f"{assignment}-i{k}", worker, "S", lab, False, assignment, seconds)
        for k, lab in enumerate(labels)
    ]
    rows += [
        (f"{assignment}-g{k}", worker, "gold", lab, True, assignment, seconds)
        for k, lab in enumerate(gold)
    ]
    return rows


COLUMNS = ["item", "worker", "system", "label", "is_gold", "assignment", "seconds"]
VARIED = ["good", "okay", "bad", "good", "okay", "bad", "good", "okay", "bad", "good"]


def _data() -> pd.DataFrame:
    rows = []
    rows += _hit("h1", "honest", VARIED, ["good", "okay", "good"], 60)  # 13 items x 60 s
    rows += _hit("h2", "liner", ["good"] * 12, ["good", "good", "good"], 60)  # all "good"
    rows += _hit("h3", "rusher", VARIED, ["bad", "bad", "good"], 10)  # 130 s, 1 point
    rows += _hit("h4", "fast_ok", VARIED, ["good", "good", "bad"], 10)  # fast but 2 points
    rows += _hit("h5", "sloppy", VARIED, ["bad", "bad", "okay"], 60)  # slow, 1 point
    rows += _hit("h6", "sloppy", VARIED, ["good", "good", "good"], 60)  # second assignment ok
    rows += _hit("h7", "nogold", VARIED, [], 60)  # no gold: kept
    return pd.DataFrame(rows, columns=COLUMNS)


def test_rules_drop_the_planted_workers_and_assignments():
    result = apply_quality_filter(_data(), GGB)
    excluded = result.summary["excluded_workers"]
    assert set(excluded) == {"liner", "rusher"}
    assert excluded["liner"].startswith("straight-lining")
    assert excluded["rusher"].startswith("rushing")
    kept_assignments = set(result.kept["assignment"])
    assert kept_assignments == {"h1", "h4", "h6", "h7"}  # h5 has 1 bonus point
    rules = {r["rule"]: r for r in result.summary["rules"]}
    assert rules["min_bonus_points"]["assignments_without_gold"] == 1
    assert rules["min_bonus_points"]["dropped"]["assignments"] == 1
    assert result.summary["before"]["workers"] == 6 and result.summary["after"]["workers"] == 4


def test_counts_before_and_after():
    data = _data()
    result = apply_quality_filter(data, GGB)
    before, after = result.summary["before"], result.summary["after"]
    assert before == {"rows": len(data), "answers": len(data), "assignments": 7, "workers": 6}
    assert after["rows"] == len(result.kept) and after["assignments"] == 4


def test_worker_statistics_gold_accuracy_and_time():
    workers = apply_quality_filter(_data(), GGB).workers.set_index("worker")
    assert workers.loc["sloppy", "gold_accuracy"] == pytest.approx(4 / 6)
    assert workers.loc["honest", "median_seconds_per_item"] == 60
    assert workers.loc["liner", "top_share"] == 1.0 and workers.loc["liner", "top_answer"] == "good"
    assert workers.loc["liner", "excluded"] != "" and workers.loc["honest", "excluded"] == ""


def test_seconds_count_once_per_item_not_per_candidate():
    rows = [
        (f"i{k}", "w", s, "good" if s == "A" else "bad", False, "h", 20)
        for k in range(10)
        for s in "ABCD"
    ]
    rows += [("g", "w", "gold", "bad", True, "h", 20)]
    result = apply_quality_filter(pd.DataFrame(rows, columns=COLUMNS), GGB)
    # 11 items x 20 s = 220 s < 300 s with 0 points: rushing (a per-row sum would be 820 s).
    assert "rushing" in result.summary["excluded_workers"]["w"]


def test_missing_columns_skip_rules_and_say_why():
    data = _data().drop(columns=["seconds", "assignment"])
    rules = {r["rule"]: r for r in apply_quality_filter(data, GGB).summary["rules"]}
    assert rules["straightlining"]["applied"]
    assert rules["rushing"] == {
        "rule": "rushing",
        "applied": False,
        "skipped": "needs column(s) seconds",
        "evidence": "gold",
    }
    assert rules["min_bonus_points"]["skipped"] == "needs column(s) assignment"


def test_the_bonus_rule_does_not_apply_to_likert_and_rushing_is_judged_by_the_crowd():
    df = pd.DataFrame(
        {
            "item": ["1"],
            "worker": ["w"],
            "system": ["A"],
            "criterion": ["f"],
            "score": [3],
            "is_gold": [False],
            "assignment": ["h"],
            "seconds": [1.0],
        }
    )
    rules = apply_quality_filter(df, LIKERT).summary["rules"]
    assert [r["applied"] for r in rules] == [True, True, False]
    assert rules[1]["evidence"] == "crowd"


def test_disabled_filter_keeps_everything():
    data = _data()
    result = apply_quality_filter(data, GGB, {"enabled": False})
    assert len(result.kept) == len(data) and result.summary["excluded_workers"] == {}


def test_thresholds_are_configurable_and_unknown_keys_refused():
    result = apply_quality_filter(_data(), GGB, {"straightline_share": 1.01, "min_bonus_points": 1})
    assert "liner" not in result.summary["excluded_workers"]
    assert "h5" in set(result.kept["assignment"])
    with pytest.raises(ValueError, match="straightline_shar"):
        quality_config({"straightline_shar": 0.9})


def test_likert_straight_lining_is_measured_within_each_criterion():
    rows = []
    for item in range(12):
        # The straight-liner: 5 on every scale question, 1 on every yes/no question.
        rows.append(("s", item, "fluency", 5))
        rows.append(("s", item, "emotion_accuracy", 1))
        # An honest rater: varied scores, always "yes" on the binary question.
        rows.append(("h", item, "fluency", 1 + item % 5))
        rows.append(("h", item, "emotion_accuracy", 1))
    df = pd.DataFrame(rows, columns=["worker", "item", "criterion", "score"]).assign(system="x")
    result = apply_quality_filter(df, LIKERT)
    excluded = result.summary["excluded_workers"]
    assert list(excluded) == ["s"]
    shares = result.workers.set_index("worker")["top_share"]
    assert shares["s"] == 1.0 and shares["h"] == pytest.approx((3 + 12) / 24)


def _dialogues(assignment: str, worker: str, sortings: list[tuple[str, list[str]]]) -> list:
    """One assignment of gold dialogues: per dialogue the gold label and the labels of the
    systems' responses beside it (the neighbours ``ranked_top`` compares it with)."""
    rows = []
    for k, (gold, others) in enumerate(sortings):
        rows.append((f"{assignment}-d{k}", worker, "gold", gold, True, assignment, 600))
        rows += [
            (f"{assignment}-d{k}", worker, f"S{j}", label, False, assignment, 600)
            for j, label in enumerate(others)
        ]
    return rows


def _gold_rule_data() -> pd.DataFrame:
    rows = []
    # Reads and ranks: the gold reply on top, something below it, every time.
    rows += _dialogues("h1", "ranker", [("good", ["okay", "bad"])] * 3)
    # Puts every reply in one bin: acceptable by seed 002's rule, never ranked on top.
    rows += _dialogues("h2", "lumper", [("good", ["good", "good"])] * 3)
    # Gold in Okay with a neighbour in Good: acceptable, but another reply placed higher.
    rows += _dialogues("h3", "misranker", [("okay", ["good", "bad"])] * 3)
    return pd.DataFrame(rows, columns=COLUMNS)


def test_bonus_points_follow_the_campaigns_gold_rule():
    data = _gold_rule_data()
    relaxed = {"straightline_share": 1.01}  # the lumper's bins are this test's point
    seed_rule = apply_quality_filter(data, GGB, {**relaxed, "gold_rule": "acceptable"})
    assert set(seed_rule.kept["assignment"]) == {"h1", "h2", "h3"}
    strict = apply_quality_filter(data, GGB, {**relaxed, "gold_rule": "ranked_top"})
    assert set(strict.kept["assignment"]) == {"h1"}
    accuracy = strict.workers.set_index("worker")["gold_accuracy"]
    assert accuracy.to_dict() == {"ranker": 1.0, "lumper": 0.0, "misranker": 0.0}
    assert apply_quality_filter(data, GGB, relaxed).summary["config"]["gold_rule"] == "acceptable"
    (rushing,) = [s for s in quality_sentences(strict.summary) if s.startswith("Rushing")]
    assert "ranked above the other replies of its dialogue" in rushing
    (seed,) = [s for s in quality_sentences(seed_rule.summary) if s.startswith("Rushing")]
    assert "a gold reply put in good or okay)" in seed  # seed 002's wording, unchanged


def test_an_unknown_gold_rule_is_refused_by_name():
    with pytest.raises(ValueError, match=r"gold_rule='best'"):
        quality_config({"gold_rule": "best"})


@pytest.mark.parametrize(
    "config",
    [
        None,
        {"straightline_against_crowd": False},  # the share rule reads the worker statistics
        {"straightline_share": 0.5, "straightline_min_answers": 3, "gold_rule": "ranked_top"},
        {"enabled": False},
    ],
)
def test_the_planners_kept_rows_are_the_reports(config):
    """``quality_kept`` (the planner's screen) skips the worker statistics; it keeps the
    same rows as the full filter, in the same order, with the same columns."""
    for data in (_data(), _gold_rule_data()):
        full = apply_quality_filter(data, GGB, config).kept
        pd.testing.assert_frame_equal(quality_kept(data, GGB, config), full, check_exact=True)


_EXCLUDED_ORDER = """
import json
import pandas as pd
from evalplatform.analysis.quality import apply_quality_filter
from evalplatform.protocols.registry import get
from tests.analysis.test_quality_filter import COLUMNS, VARIED, _hit

rows = _hit("h0", "honest", VARIED, ["good", "okay", "good"], 60)
for k in range(8):  # several straight-liners and rushers, named so that no order is natural
    rows += _hit(f"l{k}", f"liner-{k * 7 % 8}", ["good"] * 12, ["good"] * 3, 60)
    rows += _hit(f"r{k}", f"rusher-{k * 3 % 8}", VARIED, ["bad", "bad", "good"], 10)
summary = apply_quality_filter(pd.DataFrame(rows, columns=COLUMNS), get("ggb")).summary
print(json.dumps(list(summary["excluded_workers"])))
"""


def test_the_excluded_workers_order_does_not_depend_on_the_hash_seed():
    """The report's JSON is compared byte for byte: its excluded workers once came in the
    order of a set of strings, which Python's hash seed changes from run to run."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    orders = set()
    for seed in ("1", "2", "3", "4"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", _EXCLUDED_ORDER],
            capture_output=True,
            text=True,
            env=env,
            cwd=root,
            check=True,
        )
        orders.add(tuple(json.loads(done.stdout.strip().splitlines()[-1])))
    assert len(orders) == 1, orders
    (order,) = orders
    assert len(order) == 16 and list(order) == sorted(order)
