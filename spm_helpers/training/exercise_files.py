"""Exercise notebooks as files: building masters from a percent-format source, and reading what a
notebook contains (its module, the tasks its check cells call, the participant's name and OPD).

Sources (``exercises/sumber/modul_N_*.py``) are jupytext percent files like every notebook source; the
one builder, ``notebooks/_build/build.py``, reads them with jupytext and calls :func:`master_from`. Cell
metadata is derived, nbgrader-style: a code cell with ``### BEGIN SOLUTION`` is a solution cell, a code cell
calling ``check("mN.tK", ...)`` is a locked, undeletable check cell.
"""
from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from spm_helpers.errors import SPMValueError
from spm_helpers.training.registry import normalize_id

BEGIN_SOLUTION = "### BEGIN SOLUTION"
END_SOLUTION = "### END SOLUTION"
BEGIN_HIDDEN = "### BEGIN HIDDEN TESTS"
END_HIDDEN = "### END HIDDEN TESTS"
TAG_FASILITATOR = "fasilitator"  # cells removed from the participant version
META = "spm_latihan"
VERSI_FORMAT = 1

_CHECK = re.compile(r"""\bcheck\(\s*["']([^"']+)["']""")
_START = re.compile(r"\bstart\(")
_NAMA_BERKAS = re.compile(r"modul_(\d+)_")
IDENTITAS = ("nama_peserta", "opd")


# ------------------------------------------------------------------------------------------ reading
def soal_dipanggil(source: str) -> list[str]:
    """Normalised task ids of the ``check("...")`` calls in a code cell's source."""
    return [i for i in (normalize_id(m) for m in _CHECK.findall(source)) if i]


def soal_di_notebook(nb: NotebookNode) -> set[str]:
    return {i for c in nb.cells if c.cell_type == "code" for i in soal_dipanggil(c.source)}


def modul_notebook(nb: NotebookNode) -> int | None:
    """The module a notebook belongs to: its metadata, else the module most of its checks name."""
    meta = nb.metadata.get(META, {})
    if isinstance(meta, dict) and isinstance(meta.get("modul"), int):
        return meta["modul"]
    counts = Counter(int(i[1:i.index(".")]) for i in soal_di_notebook(nb))
    return counts.most_common(1)[0][0] if counts else None


def identitas(nb: NotebookNode) -> dict[str, str]:
    """``nama_peserta`` and ``opd`` as written in the notebook (first string assignment of each).

    Read from the source, not from execution, so a crash or an infinite loop later on cannot lose
    who submitted; a cell with a syntax error falls back to a line-by-line match."""
    found: dict[str, str] = {}
    for cell in nb.cells:
        if cell.cell_type != "code" or not any(n in cell.source for n in IDENTITAS):
            continue
        try:
            pairs = [(t.id, node.value.value) for node in ast.walk(ast.parse(cell.source))
                     if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
                     and isinstance(node.value.value, str) for t in node.targets if isinstance(t, ast.Name)]
        except SyntaxError:
            pairs = re.findall(r"""^\s*(nama_peserta|opd)\s*=\s*["']([^"'\n]*)["']""", cell.source, re.M)
        for name, value in pairs:
            if name in IDENTITAS and name not in found:
                found[name] = value.strip()
    return found


def nomor_sel_kode(nb: NotebookNode, index: int) -> int | None:
    """The number a participant sees for ``nb.cells[index]`` (0-based): code cells counted from 1, as
    JupyterLab's [n] after Run All; markdown cells are not counted. None for a markdown cell.

    For notes such as "galat di sel 7" (``grade._catatan_galat`` should name cells this way)."""
    if nb.cells[index].cell_type != "code":
        return None
    return sum(c.cell_type == "code" for c in nb.cells[: index + 1])


def read(path: str | Path) -> NotebookNode:
    return nbformat.read(str(path), as_version=4)


# ------------------------------------------------------------------------------------------ building
def master_from(nb: NotebookNode, nomor: int) -> NotebookNode:
    """The master notebook (with solutions) of module ``nomor`` from its jupytext-read source: cell
    metadata derived the nbgrader way, stable cell ids, no jupytext header."""
    nb.metadata = nbformat.from_dict({
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
        META: {"modul": nomor, "versi": VERSI_FORMAT},
    })
    jawaban = 0
    for cell in nb.cells:
        tags = list(cell.metadata.get("tags", []))
        cell.metadata = nbformat.from_dict({"tags": tags} if tags else {})
        if cell.cell_type != "code":
            continue
        source = cell.source
        ids = soal_dipanggil(source)
        if BEGIN_SOLUTION in source:
            jawaban += 1
            cell.metadata["nbgrader"] = {"solution": True, "grade": False, "locked": False,
                                         "grade_id": f"m{nomor}_jawaban_{jawaban}", "schema_version": 3}
        elif ids:
            cell.metadata.update({"editable": False, "deletable": False, META: {"soal": ids}})
            cell.metadata["nbgrader"] = {"solution": False, "grade": True, "locked": True, "points": len(ids),
                                         "grade_id": "_".join(i.replace(".", "_") for i in ids),
                                         "schema_version": 3}
        elif "parameters" in tags or (any(n in source for n in IDENTITAS) and _START.search(source)):
            cell.metadata["deletable"] = False  # the identity cell (papermill's parameters) and start()
    for i, cell in enumerate(nb.cells):  # stable ids keep diffs of the committed masters small
        cell["id"] = f"m{nomor}-{i:02d}"
    return nb


def nomor_dari_nama(path: str | Path) -> int:
    m = _NAMA_BERKAS.search(Path(path).name)
    if not m:
        raise SPMValueError(f"nama berkas sumber harus berbentuk modul_N_nama.py: {path}")
    return int(m.group(1))
