"""The package's shape: every module imports, none imports itself back, none is too long."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "briefgen"
MAX_LINES = 500


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(name: str, path: Path) -> set[str]:
    """The briefgen modules ``name`` imports anywhere in its code (functions included;
    imports only for type checkers left out, since they never run)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    typing_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            typing_only.update(id(n) for child in node.body for n in ast.walk(child))
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("briefgen"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            if not module.startswith("briefgen"):
                continue
            # "from . import x" depends on the module x when there is one, else on the
            # package whose attribute x is.
            submodules = {f"{module}.{a.name}" for a in node.names} & set(MODULES)
            found |= submodules
            if len(submodules) < len(node.names):
                found.add(module)
    # The package briefgen itself is the public API (it imports the build), not a stage.
    return {m for m in found if m in MODULES and m not in (name, "briefgen")}


def _cycles() -> list[list[str]]:
    graph = {name: _imports(name, path) for name, path in MODULES.items()}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the stack, 2: done
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                cycles.append([*stack[stack.index(target) :], target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name)
    return cycles


def test_no_import_cycle() -> None:
    assert [" -> ".join(cycle) for cycle in _cycles()] == []


def test_the_cycle_finder_sees_function_level_imports(tmp_path: Path) -> None:
    source = "def f():\n    from .validate import campaign_dir\n"
    path = PACKAGE / "context.py"
    tree_imports = _imports("briefgen.context", path)
    fake = tmp_path / "context.py"
    fake.write_text(source, encoding="utf-8")
    assert "briefgen.validate" in _imports("briefgen.context", fake)
    assert "briefgen.context" not in tree_imports


def test_no_module_over_500_lines() -> None:
    long = {
        name: n
        for name, path in MODULES.items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


@pytest.mark.parametrize("name", sorted(set(MODULES) - {"briefgen.__main__"}))
def test_every_module_imports(name: str) -> None:
    importlib.import_module(name)
