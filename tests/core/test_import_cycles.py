"""No module of the core or the UI imports itself back, however indirectly.

The graph is grimp's (import-linter's library): every ``import`` statement counts, including
those inside functions and under ``TYPE_CHECKING``, because a cycle hidden in a function is
still a cycle between the two modules' ideas. Break one by moving the shared piece to the
lower module or by passing a callable, not by moving the import into a function.
"""

from __future__ import annotations

from collections.abc import Iterator

import grimp


def import_graph() -> grimp.ImportGraph:
    return grimp.build_graph("console", "ui", cache_dir=None)


def strongly_connected(graph: grimp.ImportGraph) -> list[set[str]]:
    """Tarjan's algorithm without recursion: the groups of modules that import each other."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []
    work: list[tuple[str, Iterator[str]]] = []  # the depth-first path, each with what is left

    def enter(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        work.append((module, iter(sorted(graph.find_modules_directly_imported_by(module)))))

    for root in sorted(graph.modules):
        if root in index:
            continue
        enter(root)
        while work:
            module, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    enter(successor)
                    break
                if successor in on_stack:
                    low[module] = min(low[module], index[successor])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[module])
                if low[module] == index[module]:
                    group = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.add(member)
                        if member == module:
                            break
                    if len(group) > 1:
                        groups.append(group)
    return groups


def describe(graph: grimp.ImportGraph, group: set[str]) -> str:
    """One cycle through the group, each step with the line that imports."""
    first = min(group)
    second = min(m for m in graph.find_modules_directly_imported_by(first) if m in group)
    back = graph.find_shortest_chain(importer=second, imported=first)
    assert back is not None
    chain = (first, *back)
    lines = []
    for importer, imported in zip(chain, chain[1:], strict=False):
        details = graph.get_import_details(importer=importer, imported=imported)
        where = "; ".join(f"line {d['line_number']}: {d['line_contents']}" for d in details)
        lines.append(f"  {importer} -> {imported}  ({where})")
    return f"cycle among {sorted(group)}:\n" + "\n".join(lines)


def test_no_module_imports_itself_back() -> None:
    graph = import_graph()
    assert "console.domain.records" in graph.modules and "ui.main_window" in graph.modules
    groups = strongly_connected(graph)
    assert not groups, "\n\n".join(describe(graph, g) for g in groups)


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = grimp.ImportGraph()
    for module in ("pkg", "pkg.a", "pkg.b", "pkg.c", "pkg.d"):
        graph.add_module(module)
    for importer, imported in (("pkg.a", "pkg.b"), ("pkg.b", "pkg.c"), ("pkg.c", "pkg.a")):
        graph.add_import(importer=importer, imported=imported, line_number=1, line_contents="x")
    graph.add_import(importer="pkg.d", imported="pkg.a", line_number=1, line_contents="x")
    assert strongly_connected(graph) == [{"pkg.a", "pkg.b", "pkg.c"}]
    assert "pkg.a -> pkg.b" in describe(graph, {"pkg.a", "pkg.b", "pkg.c"})
