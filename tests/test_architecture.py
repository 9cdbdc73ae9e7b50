"""The import structure STYLE.md asks for, read from the code itself (``ast``, nothing run).

- No module imports itself back through others (no file cycles).
- Packages form no cycle. The tables are one layer every package may read: an import of a
  ``models`` module is not an edge between packages (an event's registrations and a
  registration's event are one data model), every other import is.
- Messaging reads domain models (and pure descriptions of them) and never a domain service,
  so any domain may call it.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "koosloome"
#: Domain packages: each has rules of its own (services) that messaging must not reach into.
DOMAINS = ("accounts", "admin", "api", "arrangements", "boards", "events", "evidence",
           "feedback", "files", "groups", "outcomes", "privacy", "registrations", "reports",
           "selection", "site", "trips", "venues")
#: Besides the tables, what messaging may read of a domain: pure descriptions of its models.
#: Presentational modules (how a venue or a registration is described in words) that
#: messaging may read, like models: they import no service.
#: The registration form's choice lists (counties, sectors…) are such data too: venues and the
#: public list of events name counties with them.
DESCRIPTIONS = frozenset({"koosloome.venues.facts", "koosloome.events.place",
                          "koosloome.events.trip_view", "koosloome.registrations.choices",
                          "koosloome.registrations.summary", "koosloome.arrangements.kinds"})


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _runtime_imports(tree: ast.Module, modules: set[str]) -> Iterator[str]:
    """Modules imported at run time (``if TYPE_CHECKING:`` blocks are only for type hints)."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(child) for child in ast.walk(node))
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # ``from koosloome import audit`` imports the submodule, not the package's code.
            names = [f"{node.module}.{alias.name}" for alias in node.names]
            submodules = [name for name in names if name in modules]
            yield from submodules
            if len(submodules) < len(names):
                yield node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        imported = _runtime_imports(ast.parse(path.read_text(encoding="utf-8")), set(modules))
        graph[name] = {module for module in imported if module in modules and module != name}
    return graph


GRAPH = _graph()


def _package(module: str) -> str:
    """``koosloome.events.services`` → ``events``; top-level modules are their own package."""
    return module.split(".")[1] if "." in module else module


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` (as a path), or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*stack[stack.index(target):], target]
            if target not in state and (found := visit(target)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def _package_edges() -> dict[str, dict[str, set[str]]]:
    """package → imported package → the imports that make the edge (``a -> b``). Imports of
    another package's models and descriptions are leaves (they import no service), so they
    make no package depend on another's behaviour."""
    edges: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for module, imported in GRAPH.items():
        for target in imported:
            source, destination = _package(module), _package(target)
            if source != destination and not target.endswith(".models") \
                    and target not in DESCRIPTIONS:
                edges[source][destination].add(f"{module} -> {target}")
    return edges


def test_no_module_imports_itself_back():
    assert _cycle(GRAPH) is None


def test_packages_form_no_cycle():
    edges = _package_edges()
    cycle = _cycle({source: set(targets) for source, targets in edges.items()})
    if cycle:
        links = [sorted(edges[a][b]) for a, b in pairwise(cycle)]
        pytest.fail(f"package cycle {' -> '.join(cycle)}: {links}")


def test_messaging_reads_domain_models_and_no_domain_service():
    reached = {
        f"{module} -> {target}"
        for module, imported in GRAPH.items() if _package(module) == "messaging"
        for target in imported
        if _package(target) in DOMAINS and not target.endswith(".models")
        and target not in DESCRIPTIONS
    }
    assert not reached


def test_the_checks_see_the_imports():
    """The graph is read from the code: a known import is in it (else the checks above pass
    vacuously)."""
    assert "koosloome.messaging.models" in GRAPH["koosloome.messaging.outbox"]
    assert _cycle({"a": {"b"}, "b": {"a"}}) == ["a", "b", "a"]


def test_descriptions_are_leaves():
    # What lets messaging and other packages read them without depending on behaviour.
    for module in DESCRIPTIONS:
        behaviour = {target for target in GRAPH[module]
                     if target.endswith((".services", ".routes", ".api"))
                     or target.startswith("koosloome.messaging")}
        assert not behaviour, f"{module} imports {sorted(behaviour)}"
