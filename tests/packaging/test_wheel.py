"""The wheel works without a checkout: built here, installed into a fresh venv in another folder.

Participants' laptops and government servers install the package from a wheel, so the wheel must
carry the reference datasets, the notebooks and the exercises (setup.py bundles them) and find them
there (``spm_helpers.paths``). One test builds it once and runs, from a folder outside the checkout,
what those users run: ``spm demo``, ``spm laporan``, ``spm latihan rilis`` and a notebook with
papermill. Marked ``slow`` (a few minutes: a venv and the install); CI runs it.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def _run(cmd, cwd, env=None, timeout=900):
    out = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert out.returncode == 0, f"{cmd}\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}"
    return out


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    dist = tmp_path_factory.mktemp("dist")
    # python -m build makes the sdist, then the wheel from the unpacked sdist: a clean tree, so nothing
    # stale in build/ can slip into the wheel, and the sdist is proven complete on the way
    _run([sys.executable, "-m", "build", "--outdir", dist, ROOT], cwd=dist)
    wheel = next(dist.glob("spm_workbench-*.whl"))
    env_dir = tmp_path_factory.mktemp("venv") / "v"
    venv.create(env_dir, with_pip=True)
    py = env_dir / "bin" / "python"
    _run([py, "-m", "pip", "install", "-q", wheel], cwd=dist)
    _run([py, "-m", "ipykernel", "install", "--sys-prefix", "--name", "python3"], cwd=dist)
    work = tmp_path_factory.mktemp("kantor")  # an office folder: no checkout anywhere near
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SPM_", "PYTHON", "VIRTUAL_ENV"))}
    env["PATH"] = f"{env_dir / 'bin'}{os.pathsep}{env['PATH']}"
    return wheel, env_dir, work, env


def test_the_wheel_carries_datasets_notebooks_and_exercises_but_no_sources(installed):
    wheel = installed[0]
    names = zipfile.ZipFile(wheel).namelist()
    for needed in ("spm_helpers/_bundle/datasets/katalog/jenis.csv", "spm_helpers/_bundle/datasets/wilayah/alias.csv",
                   "spm_helpers/_bundle/notebooks/laporan_wilayah.ipynb",
                   "spm_helpers/_bundle/exercises/modul_0_pengenalan.ipynb",
                   "spm_helpers/_bundle/datasets/contoh/sasaran.csv"):
        assert needed in names
    assert "spm_helpers/_bundle/datasets/wilayah/sumber/regions_provinces.csv" in names  # reference data
    assert not [n for n in names if "_bundle/notebooks/sumber/" in n or "_bundle/exercises/sumber/" in n
                or "_build" in n]


def test_commands_and_a_notebook_run_from_the_installed_wheel(installed):
    _, env_dir, work, env = installed
    spm = env_dir / "bin" / "spm"
    probe = _run([env_dir / "bin" / "python", "-c", "import spm_helpers.paths as p; print(p.datasets_dir())"],
                 cwd=work, env=env)
    assert "site-packages" in probe.stdout and str(ROOT) not in probe.stdout
    _run([spm, "demo", "--ke", work / "demo", "--workers", "1"], cwd=work, env=env)
    manifest = json.loads((work / "demo" / "manifest.json").read_text(encoding="utf-8"))
    assert {e["status"] for e in manifest["wilayah"]} == {"berhasil"}
    assert (work / "demo" / "index.html").exists()
    _run([spm, "laporan", "--wilayah", "17.01", "--tahun", "2025", "--format", "html", "--ke", work / "laporan"],
         cwd=work, env=env)
    assert list((work / "laporan").rglob("*.html"))
    _run([spm, "latihan", "rilis", "--ke", work / "kelas"], cwd=work, env=env)
    assert len(list((work / "kelas").glob("modul_*.ipynb"))) == 7
    nb = env_dir / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages" / \
        "spm_helpers" / "_bundle" / "notebooks" / "02_penghitungan_kebutuhan.ipynb"
    _run([env_dir / "bin" / "papermill", "--no-progress-bar", nb, work / "02.ipynb", "-p", "kode_wilayah", "17.01",
          "-p", "output_dir", work / "hasil02"], cwd=work, env=env)
    assert list((work / "hasil02").glob("*.json")) and list((work / "hasil02").glob("*.csv"))
