"""The house's layers: every import under jianfu/ points down, apps of one layer never import each other,
and no two files import each other (directly or in a circle), lazy imports inside functions included."""

from __future__ import annotations

import ast
from pathlib import Path

import jianfu

ROOT = Path(jianfu.__file__).parent

# Lowest first. Apps in one layer do not import each other. core and textkit know no domain; audit keeps
# the log; org is the scope gate; the api app authenticates callers; the project's own top-level modules
# (urls, settings, cli, wsgi) sit above the site.
LAYERS = [
    {"core", "textkit", "formats"},
    {"audit"},
    {"org"},
    {"rules", "api"},
    {"demands"},
    {"burden", "inspections", "reportforms"},
    {"site"},
    {"urls", "settings", "cli", "wsgi"},
]
LEVEL = {app: i for i, layer in enumerate(LAYERS) for app in layer}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Every jianfu module a file imports, resolved to the longest existing module name."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - (node.level - 1)]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            names = [f"{prefix}.{a.name}" for a in node.names] + [prefix]
        else:
            continue
        for name in names:
            if name == "jianfu" or name.startswith("jianfu."):
                found.add(_existing(name))
    found.discard(module)
    return found


def _existing(name: str) -> str:
    parts = name.split(".")
    while parts:
        candidate = ROOT.parent.joinpath(*parts)
        if candidate.with_suffix(".py").exists() or (candidate / "__init__.py").exists():
            return ".".join(parts)
        parts.pop()
    return name


def _files() -> list[Path]:
    return [p for p in ROOT.rglob("*.py") if "migrations" not in p.parts]


def _app(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "jianfu"


def test_every_app_under_jianfu_has_a_layer():
    apps = {_app(_module_name(p)) for p in _files()} - {"jianfu"}
    assert apps <= set(LEVEL), f"give these a layer in LAYERS: {sorted(apps - set(LEVEL))}"


def test_every_import_points_down_and_no_app_imports_another_of_its_layer():
    wrong = []
    for path in _files():
        module = _module_name(path)
        here = _app(module)
        if here == "jianfu":
            continue
        for target in _imports(path):
            there = _app(target)
            if there in (here, "jianfu"):
                continue
            if LEVEL[there] >= LEVEL[here]:
                wrong.append(f"{module} imports {target}")
    assert not wrong, "imports that do not point down:\n" + "\n".join(sorted(wrong))


def test_no_two_files_import_each_other_even_in_a_circle():
    graph = {_module_name(p): _imports(p) for p in _files()}
    # Importing a package's __init__ is not a dependency on its modules: drop package edges.
    packages = {_module_name(p) for p in _files() if p.name == "__init__.py"}
    graph = {m: {t for t in ts if t in graph and t not in packages} for m, ts in graph.items()}
    cycles, state, stack = [], {}, []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert not cycles, "import circles:\n" + "\n".join(" → ".join(c) for c in cycles)


def test_the_layering_check_catches_an_upward_import(tmp_path, monkeypatch):
    """The check itself can fail: a core module importing demands is reported."""
    fake_root = tmp_path / "jianfu"
    (fake_root / "core").mkdir(parents=True)
    (fake_root / "demands").mkdir()
    for d in (fake_root, fake_root / "core", fake_root / "demands"):
        (d / "__init__.py").write_text("")
    (fake_root / "demands" / "models.py").write_text("")
    (fake_root / "core" / "views.py").write_text("def f():\n    from jianfu.demands.models import X\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", fake_root)
    try:
        test_every_import_points_down_and_no_app_imports_another_of_its_layer()
    except AssertionError as exc:
        assert "jianfu.core.views imports jianfu.demands.models" in str(exc)
    else:
        raise AssertionError("the upward import was not reported")
