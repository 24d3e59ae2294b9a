"""Fail when any two modules of the project import each other, directly or round a longer circle.

Run by `make lint` after `lint-imports`. The packages checked are the `root_packages` of `[tool.importlinter]` in
pyproject.toml (tests/ is not one of them). The graph is grimp's, the one import-linter builds: an import inside a
function counts, since it only hides the circle from Python until the function runs. Each circle is printed with
the file, line and statement of every import on it, so the one to remove can be chosen by reading them.
"""

import sys
import tomllib
from collections import deque
from itertools import pairwise
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent


def strongly_connected(graph):
    """Tarjan's algorithm, iterative: a deep chain of imports must not hit Python's recursion limit."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []
    for start in sorted(graph.modules):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            module, imported = work[-1]
            for other in imported:
                if other not in index:
                    index[other] = low[other] = len(index)
                    stack.append(other)
                    on_stack.add(other)
                    work.append((other, iter(sorted(graph.find_modules_directly_imported_by(other)))))
                    break
                if other in on_stack:
                    low[module] = min(low[module], index[other])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[module])
                if low[module] == index[module]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == module:
                            break
                    if len(component) > 1:
                        found.append(component)
    return found


def shortest_cycle(graph, component):
    """The shortest circle through the component's first module (by name), staying inside the component."""
    start = min(component)
    came_from = {}
    queue = deque([start])
    while queue:
        module = queue.popleft()
        for other in sorted(graph.find_modules_directly_imported_by(module) & component):
            if other == start:
                path = [module]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return [start, *reversed(path[:-1]), start]
            if other not in came_from:
                came_from[other] = module
                queue.append(other)
    raise AssertionError(f"no cycle through {start}")  # a strongly connected component always has one


def source_file(module):
    path = ROOT.joinpath(*module.split("."))
    package = path / "__init__.py"
    return (package if package.exists() else path.with_suffix(".py")).relative_to(ROOT)


def describe(graph, importer, imported):
    details = sorted(graph.get_import_details(importer=importer, imported=imported), key=lambda d: d["line_number"])
    if not details:
        return str(source_file(importer))
    first = details[0]
    path = source_file(importer)
    line = (ROOT / path).read_text(encoding="utf-8").splitlines()[first["line_number"] - 1]
    # An indented import is the kind that hides a circle: say so, it is the one people forget.
    hidden = "  (not at module level)" if line[:1].isspace() else ""
    more = f"  (+{len(details) - 1} more)" if len(details) > 1 else ""
    return f"{path}:{first['line_number']}  {first['line_contents']}{hidden}{more}"


def main():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages = config["tool"]["importlinter"]["root_packages"]
    sys.path.insert(0, str(ROOT))
    graph = grimp.build_graph(*packages, cache_dir=None)
    components = sorted(strongly_connected(graph), key=min)
    if not components:
        print(f"No import cycles among the {len(graph.modules)} modules of {', '.join(packages)}.")
        return 0
    for component in components:
        cycle = shortest_cycle(graph, component)
        print(f"Import cycle: {' -> '.join(cycle)}")
        for importer, imported in pairwise(cycle):
            print(f"    {importer} -> {imported}: {describe(graph, importer, imported)}")
        if len(component) > len(cycle) - 1:
            print(f"    (the circle is part of a knot of {len(component)} modules: {', '.join(sorted(component))})")
    print(f"{len(components)} import cycle(s). Remove one import of each circle: move what both sides need into")
    print("a module of its own that imports neither (tasks import services, never the reverse).")
    return 1


if __name__ == "__main__":
    sys.exit(main())
