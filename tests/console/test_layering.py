"""The console composes the apps from above: no app below it imports it, and campaigns
knows none of the apps built on it (the upward hooks of extensions.py are gone)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "evalplatform"
ABOVE = {
    "campaigns": ("crowd", "providers", "reports", "console"),
    "crowd": ("console",),
    "providers": ("console",),
    "reports": ("console",),
    "analysis": ("console",),
    "common": ("campaigns", "crowd", "providers", "reports", "console"),
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


@pytest.mark.parametrize("app", sorted(ABOVE))
def test_no_app_imports_an_app_above_it(app: str) -> None:
    forbidden = tuple(f"evalplatform.{above}" for above in ABOVE[app])
    upward = sorted(
        f"{path.relative_to(PACKAGE)}: {name}"
        for path in (PACKAGE / app).rglob("*.py")
        for name in imported_modules(path)
        if name.startswith(forbidden)
    )
    assert upward == []
