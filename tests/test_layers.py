"""The import graph: every module imports only its own layer and the layers below, and no two
modules or packages import each other, directly or round about.

Layers, highest first. The parts of one layer (separated by commas) are independent: none
imports another. Within one part, modules may import each other, without loops. A module
belongs to the longest name listed that is its own name or a package above it.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
ROOTS = ("newscrawler", "spiders", "pipelines", "storage")

LAYERS: tuple[tuple[str, ...], ...] = (
    ("newscrawler.cli", "newscrawler.commands"),
    ("newscrawler.samples",),
    ("spiders", "pipelines"),
    ("newscrawler.downloadermiddlewares", "newscrawler.spidermiddlewares"),
    ("newscrawler.extensions",),
    ("newscrawler.incremental", "newscrawler.health"),
    ("newscrawler.extract", "newscrawler.discovery", "newscrawler.dedup"),
    ("newscrawler.profiles",),
    ("newscrawler.dates", "newscrawler.language", "newscrawler.hashing", "newscrawler.blocks",
     "newscrawler.encoding", "newscrawler.urls", "newscrawler.locking", "newscrawler.config"),
    ("newscrawler.text", "newscrawler.items", "newscrawler.marks", "newscrawler.stats",
     "newscrawler.exceptions", "newscrawler.exitcodes", "newscrawler.settings",
     "newscrawler.worktime", "newscrawler.threads"),
    ("storage",),
)  # fmt: skip


def module_files() -> dict[str, Path]:
    modules = {}
    for root in ROOTS:
        for path in (REPO / root).rglob("*.py"):
            parts = path.relative_to(REPO).with_suffix("").parts
            modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def imported_modules(name: str, path: Path, known: set[str]) -> Iterator[str]:
    """Project modules ``name`` imports, wherever the import stands (functions included)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                for alias in node.names
            ]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                yield target


def import_graph() -> dict[str, set[str]]:
    modules = module_files()
    known = set(modules)
    return {name: set(imported_modules(name, path, known)) for name, path in modules.items()}


def layer_of(module: str) -> tuple[int, str] | None:
    """(layer index, part) of a module: the longest part that is the module or a package above."""
    found = None
    for index, layer in enumerate(LAYERS):
        for part in layer:
            inside = module == part or module.startswith(part + ".")
            if inside and (found is None or len(part) > len(found[1])):
                found = (index, part)
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            for target in edges:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph.get(target, ())))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
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
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


GRAPH = import_graph()


def test_every_module_has_a_layer() -> None:
    unplaced = sorted(m for m in GRAPH if m not in ROOTS and layer_of(m) is None)
    assert unplaced == []


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_imports_go_down(module: str) -> None:
    placed = layer_of(module)
    if placed is None:
        return
    upward = []
    for target in sorted(GRAPH[module]):
        there = layer_of(target)
        if there is None or there[1] == placed[1]:
            continue
        if there[0] <= placed[0]:
            upward.append(f"{target} ({'same layer' if there[0] == placed[0] else 'higher'})")
    assert upward == []


def test_no_module_imports_another_round_about() -> None:
    assert cycles(GRAPH) == []


def test_no_package_imports_another_round_about() -> None:
    """Between the parts of the layers (``newscrawler.extract``, ``storage``, ...)."""
    parts: dict[str, set[str]] = defaultdict(set)
    for module, targets in GRAPH.items():
        source = _part(module)
        parts[source] |= {_part(target) for target in targets} - {source}
    assert cycles(dict(parts)) == []


def _part(module: str) -> str:
    placed = layer_of(module)
    return placed[1] if placed else module


def test_the_library_leaves_spiders_and_pipelines_to_scrapy() -> None:
    """Under ``newscrawler/``, spiders and pipelines are named in settings and loaded by Scrapy
    (the CLI runs a spider by its name), never imported."""
    reaching_up = sorted(
        f"{module} -> {target}"
        for module, targets in GRAPH.items()
        if module.startswith("newscrawler")
        for target in targets
        if target.split(".")[0] in ("spiders", "pipelines")
    )
    assert reaching_up == []


def test_layers_catch_an_upward_import() -> None:
    """The check itself: an import from storage up into the crawler is reported."""
    assert layer_of("storage.archive") == (len(LAYERS) - 1, "storage")
    assert layer_of("newscrawler.cli.targets") == (0, "newscrawler.cli")
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
