"""The shape of the code that the contracts do not cover: no import cycle, no hidden imports."""

from __future__ import annotations

import ast
import pkgutil
import tomllib
from pathlib import Path

import grimp

import medvigil
from tests.conftest import REPOSITORY

SOURCE = REPOSITORY / "src" / "medvigil"


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's components of more than one module, iteratively (deep graphs)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            advanced = False
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = len(index)
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph[successor]))))
                    advanced = True
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            if advanced:
                continue
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


def test_tarjan_finds_a_cycle_and_only_cycles() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert strongly_connected(graph) == [["a", "b", "c"]]


def test_no_module_imports_itself_back_through_others() -> None:
    imports = grimp.build_graph("medvigil", cache_dir=None)
    modules = imports.modules
    graph = {
        module: set(imports.find_modules_directly_imported_by(module)) & modules
        for module in modules
    }
    assert strongly_connected(graph) == []


def function_imports(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every import statement inside a function of the module."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found = []
    for node in ast.walk(ast.parse("\n".join(lines))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    found.append((inner.lineno, lines[inner.lineno - 1]))
    return found


def explained(path: Path, line_number: int) -> bool:
    """A comment on the import's line, or just above the group of imports it belongs to."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if "#" in lines[line_number - 1]:
        return True
    above = line_number - 2
    while above >= 0 and lines[above].strip().startswith(("from ", "import ")):
        above -= 1
    return above >= 0 and lines[above].strip().startswith("#")


def test_an_import_inside_a_function_says_why() -> None:
    """Apps' ready() register, and commands set Django up before importing apps
    (their module docstrings say so); anywhere else the import carries its reason."""
    unexplained = []
    for path in sorted(SOURCE.rglob("*.py")):
        relative = path.relative_to(SOURCE)
        if "migrations" in relative.parts or relative.name == "apps.py":
            continue
        if relative.parts[0] == "cli":
            continue
        for line_number, text in function_imports(path):
            if not explained(path, line_number):
                unexplained.append(f"{relative}:{line_number}: {text.strip()}")
    assert unexplained == []


def test_every_package_has_its_layer() -> None:
    """A new app left out of the layers contract would escape it."""
    configuration = tomllib.loads((REPOSITORY / "pyproject.toml").read_text())
    layers = next(
        contract
        for contract in configuration["tool"]["importlinter"]["contracts"]
        if contract["type"] == "layers"
    )["layers"]
    named = {name.strip() for layer in layers for name in layer.split("|")}
    entry_points = {"__main__", "wsgi", "asgi", "settings"}
    packages = {module.name for module in pkgutil.iter_modules(medvigil.__path__)}
    assert packages - entry_points - named == set()


def test_no_module_grows_far_past_four_hundred_lines() -> None:
    """A module past about 400 lines holds two ideas: split it by idea, never by packing lines."""
    long = [
        f"{path.relative_to(SOURCE)}: {length} lines"
        for path in sorted(SOURCE.rglob("*.py"))
        if "migrations" not in path.parts
        and (length := len(path.read_text(encoding="utf-8").splitlines())) > 450
    ]
    assert long == []
