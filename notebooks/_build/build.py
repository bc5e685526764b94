"""The one notebook builder: jupytext percent sources → the committed ``.ipynb`` (without outputs).

    python notebooks/_build/build.py            # rebuild every notebook of notebooks/ and exercises/
    python notebooks/_build/build.py --periksa  # only check; exit 1 and list what differs

Authors edit the sources (readable diffs, lintable Python): ``notebooks/sumber/*.py`` for the stage,
report and compliance notebooks, ``exercises/sumber/modul_N_*.py`` for the exercise masters. Cell tags
are jupytext's (``# %% tags=["parameters"]``). Cell ids are fixed (``<name>-<n>``) so a rebuild is byte
for byte reproducible; exercise masters get their nbgrader metadata from
``spm_helpers.training.exercise_files.master_from``. ``tests/notebooks/test_sources.py`` keeps every
committed notebook equal to its source.
"""
from __future__ import annotations

import sys
from pathlib import Path

import jupytext
import nbformat

from spm_helpers.files import write_text
from spm_helpers.training.exercise_files import master_from, nomor_dari_nama

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
EXERCISES = ROOT / "exercises"
KERNEL = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
          "language_info": {"name": "python"}}


def stage_notebook(source: Path) -> nbformat.NotebookNode:
    nb = jupytext.read(source, fmt="py:percent")
    nb.metadata = nbformat.from_dict(KERNEL)
    for i, cell in enumerate(nb.cells):
        tags = list(cell.metadata.get("tags", []))
        cell.metadata = nbformat.from_dict({"tags": tags} if tags else {})
        cell["id"] = f"{source.stem}-{i:02d}"
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return nb


def exercise_master(source: Path) -> nbformat.NotebookNode:
    return master_from(jupytext.read(source, fmt="py:percent"), nomor_dari_nama(source))


def targets() -> dict[Path, nbformat.NotebookNode]:
    """Every committed notebook path → the notebook its source builds."""
    out = {NOTEBOOKS / f"{s.stem}.ipynb": stage_notebook(s) for s in sorted((NOTEBOOKS / "sumber").glob("*.py"))}
    out.update({EXERCISES / f"{s.stem}.ipynb": exercise_master(s)
                for s in sorted((EXERCISES / "sumber").glob("modul_*.py"))})
    return out


def text(nb: nbformat.NotebookNode) -> str:
    nbformat.validate(nb)
    return nbformat.writes(nb) + "\n"


def main(argv: list[str]) -> int:
    check = "--periksa" in argv
    stale = []
    for path, nb in targets().items():
        new = text(nb)
        if path.exists() and path.read_text(encoding="utf-8") == new:
            continue
        stale.append(path)
        if not check:
            write_text(path, new)
            print("ditulis:", path.relative_to(ROOT))
    if check and stale:
        print("berbeda dari sumbernya (jalankan python notebooks/_build/build.py):")
        print("\n".join(f"  {p.relative_to(ROOT)}" for p in stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
