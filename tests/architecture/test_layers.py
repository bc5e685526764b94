"""The package keeps its shape: layers with arrows pointing down only, no import cycle, no private name
taken from another module (STYLEGUIDE.md). Read from the source with ``ast``, imports inside functions
included, so a lazy import cannot hide an arrow pointing up."""
from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "spm_helpers"
# rank of each part; a module may import its own part and any part of a lower rank
RANK = {"": 0, "errors": 0, "fmt": 0, "files": 0, "paths": 0, "legacy": 0,
        "reference": 1, "engine": 2, "inputs": 3, "region": 4, "views": 5, "documents": 6,
        "compliance": 7, "batch": 8, "training": 8, "cli": 9}
# verticals of the same rank that must not know each other
APART = {("batch", "training"), ("training", "batch")}


def _modules() -> dict[str, Path]:
    out = {}
    for p in PACKAGE.rglob("*.py"):
        parts = list(p.relative_to(PACKAGE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(["spm_helpers", *parts])] = p
    return out


MODULES = _modules()


def part(module: str) -> str:
    rest = module.split(".")[1:]
    return rest[0] if rest else ""


def imports(module: str) -> list[tuple[str, str, int]]:
    """(imported module, imported name or '', line) for every spm_helpers import in ``module``."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_pkg = path.name == "__init__.py"
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(a.name, "", node.lineno) for a in node.names if a.name.startswith("spm_helpers")]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_pkg else module.split(".")[:-1]
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("spm_helpers"):
                continue
            for a in node.names:
                sub = f"{target}.{a.name}"
                out.append((sub, "", node.lineno) if sub in MODULES else (target, a.name, node.lineno))
    return out


def test_every_part_has_a_rank():
    assert {part(m) for m in MODULES} <= set(RANK)


def test_no_arrow_points_up_a_layer():
    wrong = []
    for m in MODULES:
        for target, _, line in imports(m):
            a, b = part(m), part(target)
            if a != b and (RANK[b] > RANK[a] or (a, b) in APART):
                wrong.append(f"{m}:{line} importiert {target}")
    assert wrong == []


def test_no_private_name_is_taken_from_another_module():
    wrong = [f"{m}:{line} {name} dari {target}" for m in MODULES for target, name, line in imports(m)
             if name.startswith("_") and not name.startswith("__") and target != m]
    assert wrong == []


def test_no_import_cycle_between_modules():
    graph = defaultdict(set)
    for m in MODULES:
        for target, _, _ in imports(m):
            if target in MODULES and target != m and not MODULES[target].name == "__init__.py":
                graph[m].add(target)
    # Tarjan's strongly connected components
    index, low, stack, on, cycles, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                cycles.append(sorted(comp))

    for v in list(MODULES):
        if v not in index:
            visit(v)
    assert cycles == []


@pytest.mark.parametrize("old,new", [("spm_helpers.catalog", "spm_helpers.reference.catalog"),
                                     ("spm_helpers.needs", "spm_helpers.engine.needs"),
                                     ("spm_helpers.plan", "spm_helpers.engine.plan"),
                                     ("spm_helpers.achievement", "spm_helpers.engine.achievement"),
                                     ("spm_helpers.forms", "spm_helpers.inputs.opd_form"),
                                     ("spm_helpers.regions", "spm_helpers.reference.regions"),
                                     ("spm_helpers.training.kasus", "spm_helpers.training.cases")])
def test_names_released_notebooks_import_still_work(old, new):
    import importlib

    assert importlib.import_module(old) is importlib.import_module(new)


def test_fmt_is_still_where_released_notebooks_import_it():
    from spm_helpers import fmt

    assert fmt.angka(1234567) == "1.234.567"
