"""Import directions and import cycles across ``evalplatform/`` and ``generation/``.

Every module is parsed (nothing is imported), every import statement counts, those inside
functions too, and relative imports are resolved. The rules (DESIGN.md, "Layout"):

- an app imports only apps of a lower layer, or a sibling of its own layer one way only:
  console -> demo -> reports / providers / crowd -> campaigns -> protocols -> analysis ->
  common;
- ``analysis`` and ``protocols`` stay free of the ORM: no ``django.db``, no models;
- ``generation`` never imports ``evalplatform``;
- no module imports, directly or through others, a module that imports it back.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("evalplatform", "generation")

# Higher imports lower. Apps that do not exist yet are named so that the rule holds the day
# they arrive: console/ (the researcher's admin, composing everything) and protocols/ (the
# protocol registry: below campaigns, above analysis, ORM-free).
LAYERS = {
    "console": 6,
    "demo": 5,
    "reports": 4,
    "providers": 4,
    "crowd": 4,
    "campaigns": 3,
    "protocols": 2,
    "analysis": 1,
    "common": 0,
}
ORM_FREE = ("analysis", "protocols")
# The project's own modules (settings, urls, celery, wsgi, asgi, evalplatform/__init__) wire
# the apps together: they may import any app, and no app imports them.
PROJECT = "project"


@dataclass(frozen=True)
class Import:
    source: str
    target: str
    line: int
    runtime: bool  # False under ``if TYPE_CHECKING:``, which never runs


def module_files() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def _type_checking_lines(tree: ast.AST) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def _from_base(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    parts = module.split(".") if is_package else module.split(".")[:-1]
    parts = parts[: len(parts) - (node.level - 1)]
    return ".".join([*parts, *([node.module] if node.module else [])])


def imports_of(module: str, path: Path, modules: dict[str, Path]) -> Iterator[Import]:
    tree = ast.parse(path.read_text(), filename=str(path))
    type_only = _type_checking_lines(tree)
    is_package = path.name == "__init__.py"
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _from_base(module, is_package, node)
            # ``from package import submodule`` depends on the submodule itself.
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                for alias in node.names
            ]
        else:
            continue
        for target in targets:
            yield Import(module, target, node.lineno, node.lineno not in type_only)


def all_imports() -> list[Import]:
    modules = module_files()
    return [found for name, path in modules.items() for found in imports_of(name, path, modules)]


def app_of(module: str) -> str:
    """``evalplatform.crowd.services.hits`` -> ``crowd``; the project's own modules ->
    ``project``; anything under generation/ -> ``generation``."""
    parts = module.split(".")
    if parts[0] != "evalplatform":
        return parts[0]
    if len(parts) > 1 and (parts[1] in LAYERS or (ROOT / "evalplatform" / parts[1]).is_dir()):
        return parts[1]
    return PROJECT


def direction_problem(edge: Import) -> str | None:
    source, target = app_of(edge.source), app_of(edge.target)
    if source == "generation":
        return "generation/ never imports evalplatform" if target != "generation" else None
    if target == PROJECT and source != PROJECT:
        return "an app imports the project's wiring (settings, urls, celery)"
    if source in (target, PROJECT) or target not in LAYERS:
        return None
    if source not in LAYERS:
        return f"app {source!r} has no layer in LAYERS; add it"
    if LAYERS[target] > LAYERS[source]:
        return f"{source} (layer {LAYERS[source]}) imports {target} (layer {LAYERS[target]})"
    return None


def orm_problem(edge: Import) -> str | None:
    if app_of(edge.source) not in ORM_FREE:
        return None
    target = edge.target
    if target == "django.db" or target.startswith("django.db.") or target.endswith(".models"):
        return f"{app_of(edge.source)} must stay ORM-free"
    return None


def _ours(edge: Import) -> bool:
    return edge.target.split(".")[0] in PACKAGES or edge.target.startswith("django.db")


def test_no_module_imports_a_layer_above_it_and_analysis_stays_orm_free():
    problems = []
    for edge in filter(_ours, all_imports()):
        problem = direction_problem(edge) or orm_problem(edge)
        if problem:
            problems.append(f"{edge.source}:{edge.line} imports {edge.target}: {problem}")
    assert not problems, "\n".join(problems)


def test_apps_of_one_layer_depend_on_each_other_one_way_only():
    uses: dict[str, set[str]] = {}
    for edge in filter(_ours, all_imports()):
        source, target = app_of(edge.source), app_of(edge.target)
        if source != target and source in LAYERS and target in LAYERS:
            uses.setdefault(source, set()).add(target)
    both_ways = sorted({(a, b) for a in uses for b in uses[a] if a < b and a in uses.get(b, ())})
    assert not both_ways, f"apps that import each other: {both_ways}"


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative (the module graph is deep enough to matter)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    components.append(sorted(component))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph.get(child, ())))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return components


def module_graph() -> dict[str, set[str]]:
    modules = module_files()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for edge in all_imports():
        if edge.runtime and edge.target in modules and edge.target != edge.source:
            graph[edge.source].add(edge.target)
    return graph


def test_there_are_no_import_cycles_between_modules():
    cycles = [c for c in strongly_connected(module_graph()) if len(c) > 1]
    assert not cycles, "import cycles:\n" + "\n".join(" <-> ".join(c) for c in cycles)


def test_the_cycle_finder_finds_a_cycle_through_a_function_level_import(tmp_path):
    # The loop this test was written against: campaigns/generation.py imported the tasks
    # inside a function, and tasks.py imported it back at the top.
    graph = {"a.generation": {"a.tasks"}, "a.tasks": {"a.generation"}, "a.models": set()}
    assert [c for c in strongly_connected(graph) if len(c) > 1] == [["a.generation", "a.tasks"]]
    source = "def start():\n    from evalplatform.campaigns.tasks import generate_batch\n"
    path = tmp_path / "generation.py"
    path.write_text(source)
    modules = {"evalplatform.campaigns.tasks": path}
    found = list(imports_of("evalplatform.campaigns.generation", path, modules))
    assert [(f.target, f.runtime) for f in found] == [("evalplatform.campaigns.tasks", True)]


def test_the_direction_rules_catch_an_upward_import():
    up = Import("evalplatform.campaigns.admin", "evalplatform.console.admin", 1, True)
    assert "campaigns (layer 3) imports console (layer 6)" in (direction_problem(up) or "")
    back = Import("generation.backends", "evalplatform.campaigns.models", 1, True)
    assert direction_problem(back) == "generation/ never imports evalplatform"
    orm = Import("evalplatform.protocols.likert", "evalplatform.crowd.models", 1, True)
    assert orm_problem(orm) == "protocols must stay ORM-free"
    assert direction_problem(orm)  # and protocols sit below crowd
    down = Import("evalplatform.reports.builder", "evalplatform.analysis.likert", 1, True)
    assert direction_problem(down) is None and orm_problem(down) is None
