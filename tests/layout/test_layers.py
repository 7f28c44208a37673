"""The tree keeps its layers: lower layers never import higher ones, and no module cycle.

Read from the imports themselves (every ``import`` and ``from … import`` anywhere in a
module, type-checking blocks and imports inside functions included), so an upward import
or a cycle fails here the day it is written. docs/architecture.md describes the layers.
"""

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
PLUGINS = Path(__file__).resolve().parents[2] / "plugins"

# Low to high: a package imports its own modules and lower layers only. The packages of
# one set are independent of each other (the DAV application and the API share no code
# but what lies below them).
LAYERS: list[set[str]] = [
    {"core"},
    {"sign_in"},
    {"model"},
    {"migrations"},
    {"storage"},
    {"facts"},
    {"transfer"},
    {"migrate"},
    {"mail"},
    {"dav", "api"},
    {"web"},
    {"server"},
    {"cli"},
]
RANK = {package: rank for rank, packages in enumerate(LAYERS) for package in packages}
ROOT_MODULES = {"davshare"}  # davshare/__init__.py: the version, importable by all


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules(root: Path, top: str) -> dict[str, Path]:
    return {module_name(p, root): p for p in (root / top).rglob("*.py")}


def imported(name: str, path: Path, known: set[str]) -> set[str]:
    """The davshare modules ``name`` imports (a ``from package import module`` names the module)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, *([base] if base else [])])
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.add(candidate if candidate in known else base)
    return {m for m in found if m.split(".")[0] == "davshare" and m != name}


SOURCES = modules(SRC, "davshare")
GRAPH = {name: imported(name, path, set(SOURCES)) for name, path in SOURCES.items()}


def layer(module: str) -> str:
    return module.split(".")[1] if "." in module else ""


def test_every_package_has_a_layer() -> None:
    packages = {layer(m) for m in SOURCES if "." in m and (SRC / "davshare" / layer(m)).is_dir()}
    assert packages <= set(RANK), f"add {sorted(packages - set(RANK))} to LAYERS and the docs"
    top_modules = {m for m in SOURCES if "." in m and layer(m) not in RANK}
    assert not top_modules, f"modules outside every layer's package: {sorted(top_modules)}"


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    wrong = []
    for module, targets in graph.items():
        for target in targets:
            if target in ROOT_MODULES or layer(target) == layer(module):
                continue
            if layer(module) not in RANK or layer(target) not in RANK:
                continue
            if RANK[target.split(".")[1]] >= RANK[layer(module)]:
                wrong.append(f"{module} imports {target}")
    return sorted(wrong)


def test_lower_layers_never_import_higher_ones() -> None:
    assert upward_imports(GRAPH) == []


def test_the_check_sees_an_upward_import() -> None:
    graph = {**GRAPH, "davshare.model.accounts": {"davshare.dav.app"}}
    assert "davshare.model.accounts imports davshare.dav.app" in upward_imports(graph)
    sideways = {"davshare.api.groups": {"davshare.dav.errors"}}
    assert upward_imports(sideways) == ["davshare.api.groups imports davshare.dav.errors"]


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each strongly connected group of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_itself_back() -> None:
    package_inits = {m for m, p in SOURCES.items() if p.name == "__init__.py"}
    graph = {m: {t for t in ts if t not in package_inits} for m, ts in GRAPH.items()}
    assert cycles(graph) == []


def test_the_check_sees_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_modules_are_read_at_once() -> None:
    sizes = {name: path.read_text().count("\n") for name, path in SOURCES.items()}
    long = {n: s for n, s in sizes.items() if s > 400 and ".migrations.versions." not in n}
    assert long == {}, "split these by what they hold"


def test_plugins_stay_thin() -> None:
    for path in PLUGINS.rglob("*.py"):
        assert path.read_text().count("\n") <= 80, f"{path.name}: move the logic into davshare"
