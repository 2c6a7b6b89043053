"""Every core package is used through its public surface, the names in its `__all__`.

Outside a core package (the apps, the faces, and the other core packages), an
import names the package itself, never one of its modules, and only names that
the package's ``__init__`` lists in ``__all__``. Inside one package, anything
goes. The test reads the sources (AST), so it also sees imports made lazily
inside functions and under ``TYPE_CHECKING``.
"""

from __future__ import annotations

import ast
from pathlib import Path

SOURCE_ROOT = Path(__file__).resolve().parents[1] / "src"
CORE = SOURCE_ROOT / "medvigil" / "core"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SOURCE_ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def declared_surface(init: Path) -> frozenset[str] | None:
    """The names of ``__all__`` in a package's ``__init__``; None when it has none."""
    for node in ast.parse(init.read_text("utf-8")).body:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(target, ast.Name) and target.id == "__all__" for target in targets):
                assert node.value is not None
                return frozenset(ast.literal_eval(node.value))
    return None


def core_surfaces() -> dict[str, frozenset[str] | None]:
    """Each core package (or core top-level module) by dotted name, with its surface."""
    surfaces: dict[str, frozenset[str] | None] = {}
    for child in sorted(CORE.iterdir()):
        if child.is_dir() and (child / "__init__.py").exists():
            surfaces[f"medvigil.core.{child.name}"] = declared_surface(child / "__init__.py")
        elif child.suffix == ".py" and child.name != "__init__.py":
            surfaces[f"medvigil.core.{child.stem}"] = declared_surface(child)
    return surfaces


def owning_core_package(module: str) -> str | None:
    parts = module.split(".")
    if parts[:2] == ["medvigil", "core"] and len(parts) >= 3:
        return ".".join(parts[:3])
    return None


def imported(node: ast.AST, module: str, is_package: bool) -> list[tuple[str, tuple[str, ...]]]:
    """(module imported, names taken from it) for an import statement, relative ones resolved."""
    if isinstance(node, ast.Import):
        return [(alias.name, ()) for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        target = node.module or ""
        if node.level:
            base = module.split(".")
            if not is_package:
                base = base[:-1]
            base = base[: len(base) - (node.level - 1)]
            target = ".".join(base + ([target] if target else []))
        return [(target, tuple(alias.name for alias in node.names))]
    return []


def surface_problems() -> list[str]:
    surfaces = core_surfaces()
    problems: list[str] = []
    for path in sorted((SOURCE_ROOT / "medvigil").rglob("*.py")):
        module = module_name(path)
        own_package = owning_core_package(module)
        relative = path.relative_to(SOURCE_ROOT.parent)
        for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
            for target, names in imported(node, module, path.name == "__init__.py"):
                if target == "medvigil.core":
                    # `from medvigil.core import sbom` names a package: allowed as a whole.
                    continue
                package = owning_core_package(target)
                if package is None or package == own_package:
                    continue
                line = getattr(node, "lineno", 0)
                if target != package:
                    problems.append(f"{relative}:{line}: imports the core module {target}")
                    continue
                surface = surfaces.get(package)
                if surface is None:
                    problems.append(f"{relative}:{line}: {package} declares no __all__")
                    continue
                for name in names:
                    if name not in surface:
                        problems.append(f"{relative}:{line}: {package}.{name} is not in __all__")
    return problems


def test_every_core_package_declares_its_surface() -> None:
    missing = [name for name, surface in core_surfaces().items() if surface is None]
    assert missing == []


def test_core_packages_are_imported_only_through_their_surface() -> None:
    problems = surface_problems()
    assert problems == [], "\n".join(problems)
