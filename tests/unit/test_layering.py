"""The layers stay apart: products and the retrieval engine sit on the core (gateway, HTTP
toolkit, stores), never on an API surface."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "tandem"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
    return names


def test_products_and_knowledge_never_import_the_api_surfaces() -> None:
    # Products sit on the core (gateway, http toolkit, stores), never on a surface.
    offenders = [
        f"{path.relative_to(SRC)} imports {name}"
        for folder in ("apps", "knowledge")
        for path in sorted((SRC / folder).rglob("*.py"))
        for name in _imports(path)
        if name == "tandem.api" or name.startswith("tandem.api.")
    ]
    assert offenders == []
