"""Optional: the master notebooks' solution markers and cell metadata are accepted by nbgrader's own
``generate_assignment`` (our exercises stay usable in an nbgrader course).

Skipped unless nbgrader is importable here (``pip install -e .[nbgrader]``) or ``NBGRADER_PYTHON``
names an interpreter that has it (nbgrader pins its own Jupyter stack, so a separate venv is fine).
"""
from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from spm_helpers.paths import exercises_dir
from spm_helpers.training import exercise_files as nbk
from spm_helpers.training.registry import daftar_modul

PYTHON = sys.executable if importlib.util.find_spec("nbgrader") else os.environ.get("NBGRADER_PYTHON")
pytestmark = [pytest.mark.slow, pytest.mark.skipif(not PYTHON, reason="nbgrader tidak terpasang")]


def test_nbgrader_generate_assignment_accepts_the_masters(tmp_path):
    src = tmp_path / "source" / "latihan"
    src.mkdir(parents=True)
    masters = [exercises_dir() / m.berkas for m in daftar_modul()]
    for path in masters:
        shutil.copy(path, src / path.name)
    r = subprocess.run([PYTHON, "-m", "nbgrader", "generate_assignment", "latihan", "--force",
                        f"--CourseDirectory.root={tmp_path}", f"--db=sqlite:///{tmp_path / 'gradebook.db'}"],
                       capture_output=True, text=True, timeout=300,  # nbgrader runs `alembic` from PATH
                       env={**os.environ, "PATH": f"{Path(PYTHON).parent}{os.pathsep}{os.environ.get('PATH', '')}"})
    assert r.returncode == 0, r.stdout + r.stderr
    for path in masters:
        released = nbformat.read(tmp_path / "release" / "latihan" / path.name, as_version=4)
        text = "\n".join(c.source for c in released.cells)
        assert nbk.BEGIN_SOLUTION not in text and "raise NotImplementedError()" in text
        master = nbk.read(path)
        assert [c.source for c in released.cells if nbk.soal_dipanggil(c.source)] == \
               [c.source for c in master.cells if nbk.soal_dipanggil(c.source)]


def _nbgrader(tmp_path, *args):
    r = subprocess.run([PYTHON, "-m", "nbgrader", *args, f"--CourseDirectory.root={tmp_path}",
                        f"--db=sqlite:///{tmp_path / 'gradebook.db'}"], capture_output=True, text=True, timeout=900,
                       env={**os.environ, "PATH": f"{Path(PYTHON).parent}{os.pathsep}{os.environ.get('PATH', '')}"},
                       cwd=tmp_path)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    return r


def test_nbgrader_autograde_all_wrong_scores_zero_and_all_right_full_marks(tmp_path):
    """check() fails its cell under nbgrader (NBGRADER_EXECUTION=autograde), so the locked check cells score:
    Modul 0 has 5 graded tasks of 1 point each."""
    import csv
    import re

    master = exercises_dir() / "modul_0_pengenalan.ipynb"
    (tmp_path / "source" / "latihan").mkdir(parents=True)
    shutil.copy(master, tmp_path / "source" / "latihan" / master.name)
    _nbgrader(tmp_path, "generate_assignment", "latihan", "--force")
    right = nbk.read(master)
    wrong = nbk.read(master)
    for cell in wrong.cells:  # every answer replaced by a wrong value (-1 is no count, code or percentage)
        if cell.cell_type == "code" and nbk.BEGIN_SOLUTION in cell.source:
            names = re.findall(r"^(\w+) =", cell.source, re.M)
            cell.source = "\n".join(f"{n} = -1" for n in names)
    for student, nb in (("benar", right), ("salah", wrong)):
        folder = tmp_path / "submitted" / student / "latihan"
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / master.name)
    _nbgrader(tmp_path, "autograde", "latihan", "--create", "--force")
    _nbgrader(tmp_path, "export", "--to", str(tmp_path / "nilai.csv"))
    rows = {r["student_id"]: r for r in csv.DictReader(open(tmp_path / "nilai.csv"))}
    assert float(rows["benar"]["max_score"]) == 5.0
    assert float(rows["benar"]["score"]) == 5.0 and float(rows["salah"]["score"]) == 0.0
