"""Golden files: compare an export with its stored copy, or rewrite it on request.

Regenerate after an intended change with ``EVALPLATFORM_UPDATE_GOLDEN=1 pytest tests/reports``
and review the diff.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("EVALPLATFORM_UPDATE_GOLDEN") == "1"


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE or not path.exists():
        path.write_text(text, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"golden file {name} was missing and has been written; review it")
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from the golden file"


def strip_svg(html: str) -> str:
    """HTML with every inline SVG replaced by a placeholder (for golden-file comparison)."""
    return re.sub(r"<svg\b.*?</svg>", "<svg/>", html, flags=re.DOTALL)
