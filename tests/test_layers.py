"""The layers of docs/architecture.md hold: every import of civiclearn is read (ast) and checked against them.

A module is in one of these layers, lowest first; it imports only from its own package or from below:
  base      shared helpers (config, extensions, database, i18n, forms, codes, ...): nothing of a feature
  tables    a feature's models (and the courses' file schema): base, and tables of features before it
  access    who may see what: base and any feature's tables
  rules     a feature's services, forms and helpers: base, tables and rules of features before it, access
  loaders   find-and-authorise for views: base, tables, access, any feature's rules
  views     a feature's blueprint modules: all of the above (features before it), never another's views
  app       create_app, the CLI and the models registry: anything
Features are ordered in FEATURES: an import that runs from a feature to a later one runs up the order.
"""

import ast
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

from civiclearn.config import ROOT

PACKAGE = ROOT / "civiclearn"

# Shared helpers that lean on a feature (an audit row, a course picture) stand in the order like features.
FEATURES = ("audit", "downloads", "exports", "accounts", "courses", "pdf_engine", "pdf", "health", "learning", "schools",
            "centres", "certificates", "leaders", "badges", "feedback", "civic", "reports", "privacy", "admin", "lti", "records",
            "overview", "themes", "opendata", "demo")
BASE = {"config", "extensions", "database", "i18n", "forms", "codes", "pins", "ratelimits", "security", "errors",
        "assets", "signals", "paging", "jobs", "backups", "frames"}
APP = {"__init__", "models"}
LAYERS = ("base", "tables", "access", "rules", "loaders", "views", "app")
TABLE_MODULES = {"models", "schema"}


@dataclass(frozen=True)
class Module:
    name: str  # civiclearn.centres.views
    path: Path
    unit: str  # the feature or the shared module it belongs to
    layer: str

    @property
    def rank(self) -> int:
        return FEATURES.index(self.unit) if self.unit in FEATURES else -1


def defines_routes(tree: ast.Module) -> bool:
    """A blueprint module: it makes a Blueprint or puts routes on one."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Blueprint":
            return True
        if isinstance(node, ast.FunctionDef):
            for decorator in node.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) \
                        and target.value.id.endswith("bp") and target.attr in {"get", "post", "route"}:
                    return True
    return False


def classify(path: Path, tree: ast.Module) -> Module:
    parts = path.relative_to(ROOT).with_suffix("").parts
    name = ".".join(part for part in parts if part != "__init__")
    top = parts[1]
    if len(parts) == 2:  # a module of its own at the top of the package
        layer = "app" if top in APP else "access" if top == "access" else "loaders" if top == "loaders" \
            else "base" if top in BASE else "rules"
        return Module(name, path, top, layer)
    if defines_routes(tree):
        layer = "views"
    elif parts[-1] in TABLE_MODULES and len(parts) == 3:
        layer = "tables"
    elif parts[-1] == "cli":
        layer = "app"
    else:
        layer = "rules"
    return Module(name, path, top, layer)


def read_modules() -> dict[str, tuple[Module, ast.Module]]:
    modules = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.relative_to(PACKAGE).parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        module = classify(path, tree)
        modules[module.name] = (module, tree)
    return modules


def imported_names(tree: ast.Module) -> list[tuple[int, str]]:
    """(line, module) of every civiclearn import, in functions too; `from civiclearn.x import y` names x.y when
    y is a module of its own."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name.startswith("civiclearn")]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("civiclearn"):
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def resolve(name: str, modules: dict) -> Module | None:
    """The module an import names (the longest known prefix: `civiclearn.x.y.function` is civiclearn.x.y)."""
    while name:
        if name in modules:
            return modules[name][0]
        name = name.rpartition(".")[0]
    return None


@pytest.fixture(scope="module")
def imports() -> list[tuple[Module, int, Module]]:
    modules = read_modules()
    edges = []
    for module, tree in modules.values():
        for line, name in imported_names(tree):
            target = resolve(name, modules)
            if target is not None and target.unit != module.unit:
                edges.append((module, line, target))
    return edges


def allowed(source: Module, target: Module) -> bool:
    """Whether `source` may import `target` (of another unit): see the module's docstring."""
    at, to = LAYERS.index(source.layer), LAYERS.index(target.layer)
    if source.layer == "app" or target.layer == "base":
        return True
    if source.layer == "base":
        return False
    if source.layer in ("access", "loaders"):
        return to < at
    if target.layer in ("access", "loaders"):
        return to < at
    # Both in features (or shared modules ordered like them).
    if target.layer == "views" or target.rank >= source.rank:
        return False
    return to <= at or target.layer == "tables"


def where(module: Module, line: int) -> str:
    return f"{module.path.relative_to(ROOT)}:{line}"


def test_every_module_has_a_known_place():
    strays = [module.name for module, _tree in read_modules().values()
              if module.unit not in FEATURES and module.unit not in BASE | APP | {"access", "loaders", "civiclearn"}]
    assert strays == [], "add these to FEATURES or BASE (and to docs/architecture.md): " + ", ".join(strays)


def test_no_import_runs_up_the_layers(imports):
    wrong = [f"{where(source, line)} ({source.layer} of {source.unit}) imports {target.name} "
             f"({target.layer} of {target.unit})"
             for source, line, target in imports if target.layer != "views" and not allowed(source, target)]
    assert wrong == [], "imports up the order:\n" + "\n".join(wrong)


def test_no_feature_imports_another_features_views(imports):
    wrong = [f"{where(source, line)} imports {target.name}" for source, line, target in imports
             if target.layer == "views" and source.layer != "app"]
    assert wrong == [], "a feature's views are its own (share through rules or loaders):\n" + "\n".join(wrong)


def test_no_cycle_between_features(imports):
    graph = defaultdict(set)
    for source, _line, target in imports:
        if source.unit in FEATURES and target.unit in FEATURES:
            graph[source.unit].add(target.unit)
    cycles = []

    def visit(unit: str, path: list[str]) -> None:
        for following in sorted(graph[unit]):
            if following == path[0]:
                cycles.append(" -> ".join(path + [following]))
            elif following not in path and following > path[0]:  # each cycle once, from its smallest name
                visit(following, path + [following])

    for unit in sorted(graph):
        visit(unit, [unit])
    assert cycles == [], "features that import each other:\n" + "\n".join(cycles)


def test_the_checker_sees_what_it_must_refuse(tmp_path):
    """The rules themselves: a late feature's rules, another's views and access from tables are refused."""
    def module(unit: str, layer: str) -> Module:
        return Module(f"civiclearn.{unit}.x", tmp_path / f"{unit}.py", unit, layer)
    assert not allowed(module("learning", "rules"), module("certificates", "rules"))
    assert not allowed(module("learning", "views"), module("certificates", "tables"))
    assert allowed(module("certificates", "rules"), module("learning", "rules"))
    assert allowed(module("certificates", "views"), module("learning", "tables"))
    assert not allowed(module("certificates", "tables"), module("learning", "rules"))
    assert not allowed(module("accounts", "tables"), module("access", "access"))
    assert allowed(module("access", "access"), module("demo", "tables"))
    assert not allowed(module("access", "access"), module("accounts", "rules"))
    assert allowed(module("loaders", "loaders"), module("certificates", "rules"))
    assert not allowed(module("learning", "rules"), module("loaders", "loaders"))
    assert allowed(module("learning", "views"), module("loaders", "loaders"))
    assert not allowed(module("config", "base"), module("accounts", "tables"))
