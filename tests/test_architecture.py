"""Import boundaries: the web layer reads through the store interface, never a store library."""

from __future__ import annotations

import ast

from tests.conftest import ROOT

STORE_LIBRARIES = ("pyoxigraph", "rdflib.plugins.stores", "SPARQLWrapper")


def imported_modules(path) -> set[str]:  # type: ignore[no-untyped-def]
    tree = ast.parse(path.read_text("utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_web_layer_imports_no_store_library():
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            name for name in imported_modules(path) if name.startswith(STORE_LIBRARIES)
        )
        for path in (ROOT / "publisher" / "web").rglob("*.py")
    }
    assert {path: names for path, names in offenders.items() if names} == {}
