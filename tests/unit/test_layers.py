"""The architecture's import rules: integrations/ are leaves; pages and the API never talk to the outside
world themselves; only integrations/ import the HTTP and AI client libraries."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "writer_app"


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def _modules(folder: str) -> list[Path]:
    return sorted((APP / folder).rglob("*.py"))


@pytest.mark.parametrize("forbidden", ["writer_app.services", "writer_app.views", "writer_app.api"])
def test_integrations_import_nothing_above_them(forbidden: str) -> None:
    leaks = {
        str(path.relative_to(APP)): sorted(m for m in _imports(path) if m.startswith(forbidden))
        for path in _modules("integrations")
    }
    assert {k: v for k, v in leaks.items() if v} == {}


@pytest.mark.parametrize("folder", ["views", "api"])
def test_pages_and_the_api_never_import_integrations(folder: str) -> None:
    leaks = {
        str(path.relative_to(APP)): sorted(
            m for m in _imports(path) if m.startswith("writer_app.integrations")
        )
        for path in _modules(folder)
    }
    assert {k: v for k, v in leaks.items() if v} == {}


def test_only_integrations_import_http_and_ai_clients() -> None:
    leaks = {
        str(path.relative_to(APP)): sorted(
            m for m in _imports(path) if m.split(".")[0] in ("requests", "openai")
        )
        for path in APP.rglob("*.py")
        if "integrations" not in path.parts
    }
    assert {k: v for k, v in leaks.items() if v} == {}
