"""The layers of docs/architecture.md hold: no import cycles, no imports hidden inside functions."""

import ast
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = [
    "sonitec",
    "roles",
    "clients",
    "candidates",
    "pipelines",
    "leads",
    "partners",
    "messaging",
    "assessments",
    "imports",
    "matching",
    "privacy",
]
# The only imports allowed inside functions (the same exceptions as .importlinter's app-layers contract): a rule
# hands a row to its Celery task after commit, and the task module imports the rule. And Django's one place for
# connecting signal receivers, an app's ready(), once the models they name are loaded.
SANCTIONED = {
    ("messaging.outbox", "messaging.tasks"),
    ("partners.webhooks", "partners.tasks"),
    ("imports.services", "imports.tasks"),
    ("candidates.cv_text", "candidates.tasks"),
    ("sonitec.apps", "sonitec.auth_cache"),
}


def _modules_and_files():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            yield module, path


def _imported_module(node: ast.ImportFrom | ast.Import, module: str, path: Path) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    base = package.split(".")
    if node.level:
        base = base[: len(base) - node.level + 1]
        return [".".join([*base, node.module] if node.module else base)]
    return [node.module or ""]


def test_no_imports_inside_functions_but_the_sanctioned_ones():
    found = set()
    for module, path in _modules_and_files():
        for function in ast.walk(ast.parse(path.read_text())):
            if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                for node in ast.walk(function):
                    if isinstance(node, ast.Import | ast.ImportFrom):
                        found.update((module, target) for target in _imported_module(node, module, path))
    assert found <= SANCTIONED, sorted(found - SANCTIONED)


def _cycle(graph) -> list[str] | None:
    """A cycle in the module graph (depth-first search), or None."""
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = "open"
        stack.append(module)
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if (module, imported) in SANCTIONED:
                continue
            if state.get(imported) == "open":
                return [*stack[stack.index(imported) :], imported]
            if imported not in state and (found := visit(imported)):
                return found
        stack.pop()
        state[module] = "done"
        return None

    for module in sorted(graph.modules):
        if module not in state and (found := visit(module)):
            return found
    return None


def test_modules_import_each_other_without_cycles():
    graph = grimp.build_graph(*PACKAGES, exclude_type_checking_imports=True)
    assert _cycle(graph) is None, " -> ".join(_cycle(graph) or [])


def test_the_cycle_check_finds_a_cycle():
    graph = grimp.ImportGraph()
    for module in ("a", "b", "c"):
        graph.add_module(module)
    graph.add_import(importer="a", imported="b")
    graph.add_import(importer="b", imported="c")
    assert _cycle(graph) is None
    graph.add_import(importer="c", imported="a")
    assert _cycle(graph) == ["a", "b", "c", "a"]
