"""Session fixtures: the seed papers' tables as judgments (see seed_judgments.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.reports import seed_judgments as seeds


@pytest.fixture(scope="session")
def seed000() -> pd.DataFrame:
    return seeds.seed000_judgments()


@pytest.fixture(scope="session")
def seed001() -> pd.DataFrame:
    return seeds.seed001_judgments()


@pytest.fixture(scope="session")
def seed001_candidates() -> pd.DataFrame:
    return seeds.seed001_candidates()


@pytest.fixture(scope="session")
def seed002() -> pd.DataFrame:
    return seeds.seed002_judgments()


@pytest.fixture(scope="session")
def seed003() -> pd.DataFrame:
    return seeds.seed003_judgments()


@pytest.fixture(scope="session")
def seed004() -> pd.DataFrame:
    return seeds.seed004_judgments()
