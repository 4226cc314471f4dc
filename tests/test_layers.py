"""The project's modules import only downwards, and no import cycle joins them.

Every module of `scraper`, `spiders`, `pipelines` and `storage` is read as a syntax tree, nothing
is imported. Every import statement counts wherever it stands: at module level, inside a
function (a late import is still a dependency, only a deferred one), and under
`if TYPE_CHECKING:`, because a module whose signatures name another layer's types depends on
that layer as much as one that calls it: it cannot be read, type-checked or moved without it.

`import a.b` and `from a import b` (b a module) are edges to `a.b`. A package's `__init__`, which
Python runs first, is an edge only when a name is taken from it (`from spiders.extract import
extract`): a package that re-exports its modules would otherwise form a cycle with each of them.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("scraper", "spiders", "pipelines", "storage")

Layers = tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]

LAYERS: Layers = (
    # Bottom to top: (what the layer is, its columns). A column is a tuple of names; a module
    # belongs to the column of the longest name that is itself or one of its packages
    # ('spiders.extract' covers spiders.extract.html, 'scraper' whatever scraper module is not
    # named elsewhere). A module may import its own column and any layer under its own: never a
    # layer above, nor a column beside its own.
    ("definitions every layer shares: the item, settings, signals, URL rules, reference data", (
        ("scraper.items", "scraper.settings", "scraper.signals", "scraper.urls", "scraper.clock",
         "pipelines.normalize.fr_data", "pipelines.normalize.fr_places_data"),
    )),
    ("pure normalizers of French dates, places and text", (("pipelines.normalize",),)),
    ("storage: schema, rows, reads, writes, exporters", (("storage",),)),
    ("extractors: a fetched body to events", (("spiders.extract",),)),
    ("Scrapy components", (
        ("spiders",), ("pipelines",), ("scraper.health",), ("scraper.httpcache",), ("scraper.middlewares",),
    )),
    ("crawl orchestration, publishing and what the commands print", (("scraper",),)),
    ("the command line", (("scraper.cli",),)),
)

ONLY_IMPORTS: Mapping[str, tuple[str, ...]] = {
    # The database and the feeds know events as rows: nothing of Scrapy, spiders or the crawl.
    "storage": ("storage", "scraper.items", "pipelines.normalize"),
}


def module_files(root: Path, packages: Iterable[str] = PACKAGES) -> dict[str, Path]:
    """Dotted module name -> file, for every .py file under the packages (a package is its __init__)."""
    found: dict[str, Path] = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def _imported(node: ast.Import | ast.ImportFrom, module: str, is_package: bool, known: set[str]) -> set[str]:
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        if node.level:
            base = module.split(".") if is_package else module.split(".")[:-1]
            base = base[: len(base) - node.level + 1]
            origin = ".".join([*base, *([node.module] if node.module else [])])
        else:
            origin = node.module or ""
        names = [f"{origin}.{alias.name}" if f"{origin}.{alias.name}" in known else origin for alias in node.names]
    out: set[str] = set()
    for name in names:
        # `import a.b.c` of a package without c (an attribute) still depends on a.b.
        while name and name not in known:
            name = name.rpartition(".")[0]
        if name:
            out.add(name)
    return out


def import_graph(files: Mapping[str, Path]) -> dict[str, set[str]]:
    """Module -> the project modules it imports (itself left out)."""
    known = set(files)
    graph: dict[str, set[str]] = {}
    for module, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        targets: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                targets |= _imported(node, module, path.name == "__init__.py", known)
        targets.discard(module)
        graph[module] = targets
    return graph


def _covers(prefix: str, module: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def place_of(module: str, layers: Layers = LAYERS) -> tuple[int, int]:
    """(layer, column) of a module, 0 being the bottom layer; ValueError if no layer names it."""
    best: tuple[int, int, int] | None = None
    for layer, (_, columns) in enumerate(layers):
        for column, prefixes in enumerate(columns):
            for prefix in prefixes:
                if _covers(prefix, module) and (best is None or len(prefix) > best[0]):
                    best = (len(prefix), layer, column)
    if best is None:
        raise ValueError(f"{module} is in no layer")
    return best[1], best[2]


def upward_imports(graph: Mapping[str, set[str]], layers: Layers = LAYERS) -> list[str]:
    """'a -> b (why)' for every import from a layer above the importer's or from a column beside its own."""
    out = []
    for module in sorted(graph):
        here = place_of(module, layers)
        for target in sorted(graph[module]):
            there = place_of(target, layers)
            if there[0] > here[0]:
                out.append(f"{module} -> {target} ({layers[here[0]][0]!r} imports {layers[there[0]][0]!r})")
            elif there[0] == here[0] and there[1] != here[1]:
                columns = layers[here[0]][1]
                out.append(f"{module} -> {target} (in {layers[here[0]][0]!r}, {columns[here[1]][0]} imports "
                           f"its neighbour {columns[there[1]][0]})")
    return out


def forbidden_imports(graph: Mapping[str, set[str]], only: Mapping[str, tuple[str, ...]] = ONLY_IMPORTS) -> list[str]:
    """'a -> b' for every import outside what `only` allows the importer's package."""
    out = []
    for module in sorted(graph):
        for package, allowed in only.items():
            if not _covers(package, module):
                continue
            for target in sorted(graph[module]):
                if not any(_covers(prefix, target) for prefix in allowed):
                    out.append(f"{module} -> {target} ({package} may import only {', '.join(allowed)})")
    return out


def import_cycles(graph: Mapping[str, set[str]]) -> list[set[str]]:
    """The groups of modules that import one another, in any number of steps (strongly
    connected components of more than one module)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(start: str) -> None:
        # Tarjan's strongly connected components, iterative: no recursion limit to mind.
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, targets = work[-1]
            for target in targets:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph.get(target, ())))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.add(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        groups.append(group)

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return groups


def cycle_in(group: set[str], graph: Mapping[str, set[str]]) -> list[str]:
    """The shortest way from the group's first module back to itself, inside the group."""
    first = min(group)
    came_from: dict[str, str] = {}
    frontier = [first]
    while frontier:
        following = []
        for node in frontier:
            for target in sorted(graph[node] & group):
                if target == first:
                    path = [node]
                    while path[-1] != first:
                        path.append(came_from[path[-1]])
                    return [*reversed(path), first]
                if target not in came_from:
                    came_from[target] = node
                    following.append(target)
        frontier = following
    raise AssertionError(f"no cycle through {first}")  # a strongly connected group always has one


# ---------------------------------------------------------------- the project


def test_every_module_is_in_a_layer() -> None:
    for module in module_files(REPO):
        place_of(module)


def describe_cycles(graph: Mapping[str, set[str]]) -> list[str]:
    """For each group of modules that import one another: its shortest cycle, and the whole group
    when it holds more modules than that cycle."""
    out = []
    for group in import_cycles(graph):
        cycle = cycle_in(group, graph)
        rest = sorted(group - set(cycle))
        out.append(" -> ".join(cycle) + (f" (and in the same knot: {', '.join(rest)})" if rest else ""))
    return out


def test_no_import_cycle() -> None:
    cycles = describe_cycles(import_graph(module_files(REPO)))
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_imports_go_only_downwards() -> None:
    upward = upward_imports(import_graph(module_files(REPO)))
    assert not upward, "imports from a layer above or a column beside:\n" + "\n".join(upward)


def test_storage_imports_only_items_and_normalizers() -> None:
    forbidden = forbidden_imports(import_graph(module_files(REPO)))
    assert not forbidden, "\n".join(forbidden)


# ---------------------------------------------------------------- the checks themselves


def _project(root: Path, files: dict[str, str]) -> dict[str, set[str]]:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return import_graph(module_files(root, ("app",)))


def test_a_late_import_that_closes_a_loop_is_a_cycle(tmp_path: Path) -> None:
    graph = _project(tmp_path, {
        "app/__init__.py": "from app import low, high\n",
        "app/low.py": "def f():\n    from app.high import g\n",
        "app/high.py": "from app import low\n",
        "app/mid.py": "import app.low\nfrom . import high\n",
    })
    assert graph == {"app": {"app.low", "app.high"}, "app.low": {"app.high"}, "app.high": {"app.low"},
                     "app.mid": {"app.low", "app.high"}}
    assert import_cycles(graph) == [{"app.high", "app.low"}]
    assert describe_cycles(graph) == ["app.high -> app.low -> app.high"]


def test_a_name_taken_from_the_package_is_an_edge_to_its_init(tmp_path: Path) -> None:
    graph = _project(tmp_path, {
        "app/__init__.py": "from app.part import thing\nshared = 1\n",
        "app/part.py": "from app import shared\nthing = 2\n",
    })
    assert describe_cycles(graph) == ["app -> app.part -> app"]


def test_an_import_from_above_or_beside_is_reported() -> None:
    layers: Layers = (("bottom", (("app.base",),)), ("middle", (("app.left",), ("app.right",))), ("top", (("app",),)))
    graph = {"app.base": {"app.cli"}, "app.left": {"app.right", "app.base", "app.left.sub"},
             "app.left.sub": set(), "app.right": set(), "app.cli": {"app.left", "app.base"}}
    assert upward_imports(graph, layers) == [
        "app.base -> app.cli ('bottom' imports 'top')",
        "app.left -> app.right (in 'middle', app.left imports its neighbour app.right)",
    ]
