"""The shape of search (issue #13): Whoosh only inside search/whoosh/, the catalog without it,
no class over 400 lines there, and every module importable on its own (no import cycle)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import tuireader

SRC = Path(tuireader.__file__).parent


def _imports(path: Path) -> set[str]:
    """Top-level package names a module imports, lazily imported ones (inside functions) too."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_only_search_whoosh_imports_whoosh():
    importers = sorted(str(p.relative_to(SRC)) for p in SRC.rglob("*.py") if "whoosh" in _imports(p))
    assert importers, "the walk found no Whoosh import at all"
    outside = [p for p in importers if not p.startswith("search/whoosh/")]
    assert outside == []


def test_the_catalog_does_not_reach_the_whoosh_backend():
    for path in (SRC / "catalog").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "whoosh" not in _imports(path) and ".whoosh" not in text.replace('"whoosh', ""), path
    code = (
        "import sys, tuireader.catalog.store, tuireader.catalog.sync\n"
        "print(sorted(m for m in sys.modules if m.startswith(('whoosh', 'tuireader.search.whoosh'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_no_class_over_400_lines_in_search_and_catalog():
    long = []
    for folder in ("search", "catalog"):
        for path in (SRC / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ClassDef) and node.end_lineno - node.lineno + 1 > 400:
                    long.append((str(path.relative_to(SRC)), node.name, node.end_lineno - node.lineno + 1))
    assert long == []


def _module_name(path: Path) -> str:
    return "tuireader." + ".".join(path.relative_to(SRC).with_suffix("").parts).removesuffix(".__init__")


def _run_time_imports(path: Path) -> set[str]:
    """The tuireader modules a module imports when it is loaded: module-level imports, not those
    under ``if TYPE_CHECKING`` or inside functions; importing a.b.c loads a and a.b first (its
    own packages left out: they are loading already when it is)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")
            base = base[: len(base) - node.level + 1] if node.level else []
            module = ".".join([*base, node.module] if node.module else base)
            targets = [module] + [f"{module}.{a.name}" for a in node.names]
        for target in targets:
            parts = target.split(".")
            found.update(".".join(parts[:i]) for i in range(2, len(parts) + 1))
    own = {".".join(name.split(".")[:i]) for i in range(1, name.count(".") + 2)}
    return {m for m in found if m.startswith("tuireader.") and m not in own}


def test_search_and_catalog_have_no_import_cycle():
    modules = {_module_name(p): p for folder in ("search", "catalog") for p in (SRC / folder).rglob("*.py")}
    graph = {name: _run_time_imports(path) & modules.keys() for name, path in modules.items()}
    assert graph["tuireader.search.index"] >= {"tuireader.catalog.sync"}  # the walk sees imports

    def cycle_from(start: str) -> list[str] | None:
        stack, on_path = [(start, iter(sorted(graph[start])))], [start]
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                on_path.pop()
            elif child == start:
                return [*on_path, child]
            elif child not in on_path:
                stack.append((child, iter(sorted(graph[child]))))
                on_path.append(child)
        return None

    assert [c for c in map(cycle_from, sorted(graph)) if c] == []


def test_the_names_an_index_of_schema_16_pickled_still_resolve():
    """Whoosh unpickles an index's schema and codec by module path; an index written before the
    move to search/whoosh/ names tuireader.search.analysis and tuireader.search.codec."""
    import pickle

    from tuireader.search.whoosh import analysis, codec

    for module, name, cls in [
        ("tuireader.search.analysis", "FoldingFilter", analysis.FoldingFilter),
        ("tuireader.search.analysis", "FastCharacters", analysis.FastCharacters),
        ("tuireader.search.codec", "ArrayBlockCodec", codec.ArrayBlockCodec),
    ]:
        # protocol 2's GLOBAL opcode, as the old tables of contents hold it
        assert pickle.loads(b"c" + module.encode() + b"\n" + name.encode() + b"\n.") is cls
