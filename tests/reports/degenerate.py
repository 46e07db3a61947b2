"""Judgments for the degenerate-data tests: normal, degenerate (all one answer, names that
LaTeX must escape) and empty (the quality filter removes every worker), per protocol."""

from __future__ import annotations

import numpy as np
import pandas as pd

from benchmarks.calibration import (
    AB_DESIGNS,
    GGB_DESIGNS,
    LIKERT_DESIGNS,
    simulate_ab,
    simulate_ggb,
    simulate_likert,
)
from evalplatform.protocols.report import Report
from evalplatform.reports.builder import build_report
from evalplatform.reports.config import ReportSettings

PROTOCOLS = ("likert", "ab", "ggb")
KINDS = ("normal", "degenerate", "empty")


def _likert_degenerate() -> pd.DataFrame:
    rows = [
        (i, f"w{i % 4}", s, 'fluency & "style" 50%', 5 if s == "A_1" else 1)
        for i in range(12)
        for s in ("A_1", "B#2")
    ]
    return pd.DataFrame(rows, columns=["item", "worker", "system", "criterion", "score"])


def _emptied(protocol: str) -> pd.DataFrame:
    """Every worker straight-lines on items no one else saw: the filter removes them all."""
    rng = np.random.default_rng(0)
    data = {
        "likert": lambda: simulate_likert(LIKERT_DESIGNS[0], 0.0, rng).assign(score=3),
        "ab": lambda: simulate_ab(AB_DESIGNS[0], 0, rng).assign(choice="a"),
        "ggb": lambda: simulate_ggb(GGB_DESIGNS[0], 0.0, rng).assign(label="good"),
    }[protocol]()
    return data.assign(item=data["item"].astype(str) + "-" + data["worker"].astype(str))


def judgments(protocol: str, kind: str) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    if kind == "empty":
        return _emptied(protocol)
    if protocol == "likert":
        return (
            _likert_degenerate()
            if kind == "degenerate"
            else simulate_likert(LIKERT_DESIGNS[1], 0.5, rng)
        )
    if protocol == "ab":
        data = simulate_ab(AB_DESIGNS[0], 20, rng)
        if kind == "degenerate":  # S0 always shown first and always chosen
            data = data.assign(choice="a", system_a="S0")
            data = data[data["system_b"] != "S0"]
        return data
    data = simulate_ggb(GGB_DESIGNS[0], 0.5, rng)
    return data.assign(label="good") if kind == "degenerate" else data


def report_for(protocol: str, kind: str) -> Report:
    # Empty: every worker straight-lines alone, however few their answers.
    quality = {"straightline_min_answers": 1} if kind == "empty" else {}
    return build_report(judgments(protocol, kind), protocol, ReportSettings(quality=quality))
