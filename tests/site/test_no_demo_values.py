"""Demo values live in the demo: no string the product shows (outside the demo loaders and the rulebook's
quotations of the source) names a demo unit or persona."""

from __future__ import annotations

import ast
from pathlib import Path

import jianfu
from jianfu.org.demo import CAST, CITY, COUNTIES, DEPARTMENTS

ROOT = Path(jianfu.__file__).parent
# The rulebook quotes the source's clauses, which name the city; the demo loaders are the demo.
EXEMPT = {"demo.py", "catalogue.py"}


def _demo_names() -> set[str]:
    names = {CITY[1], CITY[1].removesuffix("市")}
    for _code, county, townships in COUNTIES:
        names.add(county)
        for township, _villages in townships:
            names.add(township)
    names |= {name for _suffix, name in DEPARTMENTS if len(name) > 3}
    names |= {row[1] for row in CAST}
    return names - {"系统管理员"}  # the administrator persona is named after the role itself


def _strings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


def test_no_product_string_or_template_names_a_demo_unit_or_persona():
    names = _demo_names()
    found = []
    for path in ROOT.rglob("*.py"):
        if path.name in EXEMPT or "migrations" in path.parts:
            continue
        for text in _strings(path):
            found += [f"{path.relative_to(ROOT)}: {name}" for name in names if name in text]
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        found += [f"{path.relative_to(ROOT)}: {name}" for name in names if name in text]
    assert not found, "\n".join(sorted(set(found)))
