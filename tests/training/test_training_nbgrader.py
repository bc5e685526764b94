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
