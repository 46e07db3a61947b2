"""The registry: built-in protocols, the campaign's choices, and no dispatch elsewhere."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from evalplatform.analysis.significance import CORRECTION_NAMES
from evalplatform.campaigns.models import Protocol
from evalplatform.protocols.likert import LikertProtocol
from evalplatform.protocols.registry import BUILTIN, get, names, register, unregister

ROOT = Path(__file__).resolve().parents[2]
# Branching on a protocol's name: comparisons with it, and dicts keyed by the built-ins.
DISPATCH = re.compile(
    r"protocol\s*[!=]=|Protocol\.(LIKERT|AB|GGB)\b|[!=]=\s*\"(likert|ab|ggb)\"|"
    r"\{\"(likert|ab|ggb)\":|(?<!for )protocol\s+(not\s+)?in\s"
)


def test_campaign_choices_are_the_built_in_protocols_with_their_titles():
    assert Protocol.values == list(BUILTIN)
    assert {p.value: p.label for p in Protocol} == {n: get(n).title for n in BUILTIN}


def test_get_takes_a_choice_and_names_the_known_protocols_on_a_typo():
    assert get(Protocol.GGB).name == "ggb"
    with pytest.raises(ValueError, match="unknown protocol 'likret' \\(use likert, ab, ggb\\)"):
        get("likret")


def test_a_name_registers_once_and_a_removed_protocol_is_gone():
    class Extra(LikertProtocol):
        name = "extra"

    register(Extra())
    try:
        with pytest.raises(ValueError, match="already registered"):
            register(Extra())
        assert names() == (*BUILTIN, "extra")
    finally:
        unregister("extra")
    assert "extra" not in names()


def test_render_uses_the_analysis_correction_names():
    from evalplatform.protocols import render

    assert render.CORRECTION_NAMES is CORRECTION_NAMES


def test_no_code_outside_the_registry_branches_on_a_protocol_name():
    found = []
    for path in sorted((ROOT / "evalplatform").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith("evalplatform/protocols/") or "/migrations/" in rel:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if DISPATCH.search(line):
                found.append(f"{rel}:{number}: {line.strip()}")
    for path in sorted((ROOT / "frontend" / "templates").rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        if re.search(r"protocol\s*==", text):
            found.append(str(path.relative_to(ROOT)))
    assert found == []


def test_the_registry_imports_nothing_above_analysis():
    """Campaigns, crowd and reports all ask the registry, so it may import only the pure
    analysis (and itself): no ORM, no app above it."""
    allowed = ("evalplatform.protocols", "evalplatform.analysis")
    found = []
    for path in sorted((ROOT / "evalplatform" / "protocols").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            found += [
                f"{path.name}: {name}"
                for name in names
                if (name.startswith("evalplatform") and not name.startswith(allowed))
                or name.startswith("django")
            ]
    assert found == []
