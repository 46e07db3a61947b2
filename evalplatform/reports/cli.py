"""The logic of ``manage.py analyze``: file in, export out, errors as ``AnalyzeError``."""

from __future__ import annotations

import json
from collections.abc import Collection
from pathlib import Path
from typing import Any

import pandas as pd

from evalplatform.analysis.automatic import CANDIDATE_COLUMNS
from evalplatform.analysis.quality import emptied_message
from evalplatform.reports.builder import build_report
from evalplatform.reports.config import ReportSettings
from evalplatform.reports.exports import render
from evalplatform.reports.tidy import TidyError, read_judgments


class AnalyzeError(Exception):
    """A problem the user can fix (bad file, bad option); the message says where."""


def load_settings(settings_file: str | Path | None = None, **overrides: Any) -> ReportSettings:
    """Settings from a JSON file (``ReportSettings.to_dict`` form), then explicit options."""
    data: dict[str, Any] = {}
    if settings_file:
        try:
            data = json.loads(Path(settings_file).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise AnalyzeError(f"cannot read settings file {settings_file}: {exc}") from exc
        if not isinstance(data, dict):
            raise AnalyzeError(f"settings file {settings_file} must hold a JSON object")
    data.update({k: v for k, v in overrides.items() if v is not None})
    try:
        return ReportSettings.from_dict(data)
    except (TypeError, ValueError) as exc:
        raise AnalyzeError(str(exc)) from exc


def read_candidates(path: str | Path) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, ValueError) as exc:
        raise AnalyzeError(f"cannot read candidates file {path}: {exc}") from exc
    missing = [c for c in CANDIDATE_COLUMNS if c not in frame.columns]
    if missing:
        raise AnalyzeError(
            f"candidates file {path}: line 1: missing column(s) {', '.join(missing)}"
        )
    return frame


def run_analyze(
    path: str | Path,
    protocol: str,
    fmt: str = "json",
    *,
    alpha: float | None = None,
    correction: str | None = None,
    binary_criteria: Collection[str] | None = None,
    quality: bool = True,
    settings_file: str | Path | None = None,
    candidates: str | Path | None = None,
    embeddings: bool = False,
    latex_style: str | None = None,
    csv_table: str = "summary",
    meta: dict[str, Any] | None = None,
) -> str | bytes:
    """Analyse a tidy judgments file and return the export (raises ``AnalyzeError``)."""
    overrides: dict[str, Any] = {"alpha": alpha, "correction": correction}
    if binary_criteria is not None:
        overrides["binary_criteria"] = list(binary_criteria)
    settings = load_settings(settings_file, **overrides)
    if not quality:
        settings = settings.with_(quality={**settings.quality, "enabled": False})
    if embeddings:
        settings = settings.with_(embedder="minilm")
    try:
        judgments = read_judgments(path, protocol, binary_criteria=settings.binary_criteria)
        cands = read_candidates(candidates) if candidates else None
        report = build_report(
            judgments,
            protocol,
            settings,
            cands,
            meta or {"title": f"Analysis of {Path(path).name}"},
        )
        if emptied := emptied_message(report.quality):  # not a silent empty report
            raise AnalyzeError(f"{path}: {emptied}")
        return render(report, fmt, latex_style, csv_table)
    except TidyError as exc:
        raise AnalyzeError(f"{path}: {exc}") from exc
    except ValueError as exc:
        raise AnalyzeError(str(exc)) from exc
