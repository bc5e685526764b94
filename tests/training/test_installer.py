"""``spm paket``: the offline installer folder. The slow tests download real wheels from the package
index (once; pip's cache serves later runs), then install into a fresh venv with the network cut off
(a network namespace when ``unshare -n`` works, and ``--no-index`` in any case)."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spm_helpers.cli.app import app
from spm_helpers.errors import SPMError
from spm_helpers.paths import PROJECT_DIR
from spm_helpers.training import installer

runner = CliRunner(env={"COLUMNS": "200"})
PY = f"{sys.version_info.major}.{sys.version_info.minor}"


def _tanpa_pip_config() -> dict[str, str]:
    """The environment without any pip setting of this machine (extra indexes, find-links, constraints), and
    without PYTHONPATH: a participant's laptop has none, and a checkout on it (with the egg-info a wheel build
    leaves there) makes pip think spm-workbench is already installed."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_") and k != "PYTHONPATH"}
    env["PIP_CONFIG_FILE"] = os.devnull
    return env


def _tanpa_jaringan() -> list[str]:
    ok = shutil.which("unshare") and subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0
    return ["unshare", "-n"] if ok else []


def _wheel(folder: Path, name: str, requires: list[str], tag: str = "py3-none-any") -> Path:
    import zipfile

    path = folder / f"{name}-1.0-{tag}.whl"
    meta = f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n" + "".join(f"Requires-Dist: {r}\n" for r in requires)
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(f"{name}-1.0.dist-info/METADATA", meta)
    return path


def test_markers_are_evaluated_for_the_target_not_for_this_machine(tmp_path):
    """pip on Linux skips `; sys_platform == "win32"`; the installer must not."""
    _wheel(tmp_path, "jupyter_core", ['pywin32>=300; sys_platform == "win32"', "platformdirs>=2.5"])
    _wheel(tmp_path, "platformdirs", [])
    _wheel(tmp_path, "ipykernel", ['appnope; platform_system == "Darwin"', 'pytest; extra == "test"'])
    _wheel(tmp_path, "winonly", ['colorama; os_name == "nt"'], tag="cp312-cp312-win_amd64")
    w = installer.TARGETS["windows"]
    assert installer.tambahan_marker(tmp_path, w, "3.12") == {"pywin32>=300", "colorama"}
    assert installer.tambahan_marker(tmp_path, installer.TARGETS["macos-arm64"], "3.12") == {"appnope"}
    assert installer.tambahan_marker(tmp_path, installer.TARGETS["linux"], "3.12") == set()


def test_wheel_tags_decide_the_target():
    w, m, lx = (installer.TARGETS[n] for n in ("windows", "macos-arm64", "linux"))
    assert w.cocok("numpy-2.1.0-cp312-cp312-win_amd64.whl") and not w.cocok("numpy-2.1.0-cp312-cp312-macosx_14_0_arm64.whl")
    assert m.cocok("pyzmq-26.0-cp312-cp312-macosx_10_15_universal2.whl") and m.cocok("rich-13-py3-none-any.whl")
    assert not m.cocok("numpy-2.1.0-cp312-cp312-macosx_10_9_x86_64.whl")
    assert lx.cocok("numpy-2.1.0-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl")
    assert not lx.cocok("numpy-2.1.0-cp312-cp312-musllinux_1_1_aarch64.whl")


def test_unknown_system_and_bad_python_version_are_indonesian_errors(tmp_path):
    with pytest.raises(SPMError, match="Sistem tidak dikenal"):
        installer.build(tmp_path, sistem=["android"])
    r = runner.invoke(app, ["paket", "--ke", str(tmp_path), "--python", "3"])
    assert r.exit_code != 0 and "Versi Python" in r.output and "Traceback" not in r.output


def test_start_scripts_install_offline_and_keep_the_participants_notebooks(tmp_path):
    installer._tulis_skrip(tmp_path, installer.NAMA_PAKET)
    bat = (tmp_path / "MULAI_WINDOWS.bat").read_bytes()
    assert b"\r\n" in bat and b"--no-index --find-links" in bat and b"-m venv" in bat and b"%USERPROFILE%" in bat
    for name in ("MULAI_MAC.command", "mulai_linux.sh"):
        p = tmp_path / name
        text = p.read_text()
        assert os.access(p, os.X_OK) and text.startswith("#!/bin/sh") and "--no-index --find-links" in text
        assert "--ServerApp.root_dir=\"$KERJA\"" in text
        assert subprocess.run(["sh", "-n", str(p)]).returncode == 0  # the shell parses it


@pytest.fixture(scope="module")
def usb(tmp_path_factory):
    """The installer folder for Linux and this Python (the slow part: wheels from the index)."""
    ke = tmp_path_factory.mktemp("usb")
    r = runner.invoke(app, ["paket", "--ke", str(ke), "--sistem", "linux", "--python", PY])
    assert r.exit_code == 0, r.output
    print("\nspm paket --sistem linux --python", PY, ":", " ".join(r.output.split()[:12]))
    return ke


@pytest.mark.slow
def test_linux_folder_installs_in_a_fresh_venv_without_network(usb, tmp_path):
    assert (usb / "kelas" / "modul_0_pengenalan.ipynb").exists() and (usb / "jupyterlab" / "overrides.json").exists()
    assert list((usb / "wheels").glob("spm_workbench-*.whl"))
    names = {p.name.split("-")[0].lower() for p in (usb / "wheels").glob("*.whl")}
    assert {"jupyterlab", "pandas", "ipywidgets", "spm_workbench"} <= names
    assert not {"pytest", "hypothesis", "dask", "playwright"} & names  # participants' packages only
    kerja = tmp_path / "SPM-Latihan"
    kerja.mkdir()
    (kerja / "modul_0_pengenalan.ipynb").write_text("punya peserta")  # already worked on: never replaced
    env = {**_tanpa_pip_config(), "SPM_LATIHAN_FOLDER": str(kerja), "SPM_HANYA_PASANG": "1",
           "SPM_PYTHON": sys._base_executable, "HOME": str(tmp_path)}
    import resource
    import time

    t0, cpu0 = time.time(), resource.getrusage(resource.RUSAGE_CHILDREN)
    r = subprocess.run([*_tanpa_jaringan(), "sh", str(usb / "mulai_linux.sh")], env=env, capture_output=True,
                       text=True, timeout=900)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"pemasangan tanpa jaringan: {time.time() - t0:.0f} detik jam, "
          f"{cpu1.ru_utime + cpu1.ru_stime - cpu0.ru_utime - cpu0.ru_stime:.0f} detik prosesor")
    assert (kerja / "modul_0_pengenalan.ipynb").read_text() == "punya peserta"
    assert (kerja / "modul_2_penghitungan_kebutuhan.ipynb").exists()
    venv = kerja / ".venv"
    assert (venv / "share/jupyter/lab/settings/overrides.json").exists()
    env = {**_tanpa_pip_config(), "SPM_DATASETS": str(PROJECT_DIR / "datasets")}
    r = subprocess.run([*_tanpa_jaringan(), str(venv / "bin/spm"), "latihan", "daftar"], env=env,
                       capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert r.returncode == 0 and "Pengenalan JupyterLab" in r.stdout, r.stdout + r.stderr
    kode = ("import spm_helpers, jupyterlab, ipywidgets; from spm_helpers.training import check; "
            "assert check('m0.t1', 29) is True; print(spm_helpers.__file__)")
    r = subprocess.run([*_tanpa_jaringan(), str(venv / "bin/python"), "-c", kode], env=env, capture_output=True,
                       text=True, timeout=300, cwd=tmp_path)  # not this checkout's folder: it is on sys.path
    assert r.returncode == 0 and str(venv) in r.stdout, r.stdout + r.stderr  # the installed copy, not this checkout
    # a second start installs nothing and copies only what is missing
    (kerja / "modul_1_pengumpulan_data.ipynb").unlink()
    env = {**_tanpa_pip_config(), "SPM_LATIHAN_FOLDER": str(kerja), "SPM_HANYA_PASANG": "1", "PATH": "/usr/bin:/bin"}
    r = subprocess.run(["sh", str(usb / "mulai_linux.sh")], env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and "Memasang" not in r.stdout and (kerja / "modul_1_pengumpulan_data.ipynb").exists()


@pytest.mark.slow
def test_windows_set_resolves_offline_for_both_python_versions(tmp_path):
    """The Windows wheels are complete: pip resolves the project for win_amd64 from the folder alone, and the
    Windows-only dependencies that pip on Linux would skip (markers) are there."""
    ke = tmp_path / "usb"
    installer.build(ke, sistem=["windows"], python=("3.11", "3.12"))
    wheels = ke / "wheels"
    names = {p.name.split("-")[0].lower() for p in wheels.glob("*.whl")}
    assert {"pywinpty", "colorama"} <= names, sorted(names)  # Windows-only (markers) in jupyter_server, click
    for py in ("3.11", "3.12"):
        assert installer.tambahan_marker(wheels, installer.TARGETS["windows"], py) == set()
        report = tmp_path / f"r{py}.json"
        r = subprocess.run([sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--no-index",
                            "--find-links", str(wheels), "--platform", "win_amd64", "--python-version", py,
                            "--only-binary=:all:", "--implementation", "cp", "--target", str(tmp_path / "t"),
                            # pip checks Requires-Python against this interpreter, not --python-version; the
                            # wheel tags (cp311/cp312) still pick the right build for the target version
                            "--ignore-requires-python",
                            "--report", str(report), installer.NAMA_PAKET],
                           env=_tanpa_pip_config(), capture_output=True, text=True, timeout=600)
        assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
        installed = {i["metadata"]["name"].lower() for i in json.loads(report.read_text())["install"]}
        # (pip evaluates markers for this machine, so pywinpty is checked above, from the folder)
        assert {"spm-workbench", "jupyterlab", "pandas", "numpy", "pyarrow", "pyzmq"} <= installed


def test_readme_and_guide_send_participants_to_the_released_folder_and_cover_windows():
    readme = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    peserta = readme[readme.index("## Untuk peserta pelatihan"):readme.index("### Untuk fasilitator")]
    assert "BACA_DULU.md" in peserta and "MULAI_WINDOWS.bat" in peserta and "py -m jupyterlab" in peserta
    assert "Buka `exercises/" not in readme and "kunci" in peserta  # exercises/ holds the solutions
    assert "make lab" not in peserta
    panduan = " ".join((PROJECT_DIR / "exercises" / "PANDUAN_FASILITATOR.md").read_text(encoding="utf-8").split())
    for must in ("spm paket --ke USB/", "MULAI_WINDOWS.bat", ".venv\\Scripts\\spm", "tidak dapat disalin",
                 "--no-index --find-links", "--tampilkan-nama", "NBGRADER_EXECUTION", "spm kelas mulai --kode",
                 "127.0.0.1:8001/?kunci=", "spm kelas bersihkan", "WSL2", "sebagai root"):
        assert must in panduan, must
    assert not re.search(r"\{[A-Z]+\}", panduan)  # every measured time filled in
