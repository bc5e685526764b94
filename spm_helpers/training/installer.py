"""``spm paket --ke USB/``: an offline installer folder for participants' laptops.

The folder holds everything a laptop with Python 3.11 or 3.12 needs and nothing it must download:

    USB/
      BACA_DULU.md              how to install and start, per operating system
      MULAI_WINDOWS.bat         double-click: create the venv (first time), install, open JupyterLab
      MULAI_MAC.command         the same for macOS
      mulai_linux.sh            the same for Linux
      wheels/                   every wheel for Windows, macOS (arm64, x86_64) and Linux, Python 3.11/3.12
      kelas/                    the released participant notebooks (``spm latihan rilis``)
      jupyterlab/overrides.json JupyterLab settings (no news/update pop-ups that need the internet)

The start script makes a virtual environment in the participant's own folder (``~/SPM-Latihan/.venv``;
a venv cannot be copied between laptops or paths), installs with ``--no-index --find-links`` (no
network), copies ``kelas/`` to ``~/SPM-Latihan`` without replacing notebooks already there, and opens
JupyterLab in that folder. A second double-click only opens JupyterLab.

Wheels come from ``pip download --platform ... --only-binary=:all: --python-version ...``. pip evaluates
environment markers (``; sys_platform == "win32"``) for the machine it runs on, not for the target, so a
Windows-only dependency (pywinpty, pywin32, colorama) would be missing; ``tambahan_marker`` reads the
downloaded wheels' metadata, evaluates the markers for the target, and downloads what is missing.
"""
from __future__ import annotations

import re
import shutil
import stat
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from email.parser import Parser
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename

from spm_helpers.errors import SPMError
from spm_helpers.files import write_text
from spm_helpers.paths import PROJECT_DIR, exercises_dir
from spm_helpers.training.release import release

NAMA_PAKET = "spm-workbench"
VERSI_PYTHON = ("3.11", "3.12")
FOLDER_KERJA = "SPM-Latihan"  # in the participant's home folder


@dataclass(frozen=True)
class Target:
    """One operating system + architecture pip can download wheels for."""

    nama: str
    os: str  # windows / macos / linux
    platforms: tuple[str, ...]
    marker: dict[str, str]  # environment-marker values of such a machine

    def cocok(self, wheel: str) -> bool:
        """Whether a wheel file (by its platform tags) can be installed on this target."""
        try:
            _, _, _, tags = parse_wheel_filename(wheel)
        except Exception:  # noqa: BLE001 - not a wheel name: not ours to judge
            return False
        return any(t.platform == "any" or any(_platform_cocok(t.platform, p) for p in self.platforms) for t in tags)


def _platform_cocok(tag: str, platform: str) -> bool:
    """Same OS family and architecture (the OS version is pip's business when it downloads)."""
    if tag == platform:
        return True
    if platform.startswith("macosx_") and tag.startswith("macosx_"):
        return tag.endswith("_" + platform.rsplit("_", 1)[1]) or tag.endswith("_universal2")
    return platform.startswith("manylinux") and tag.startswith("manylinux") and tag.endswith("_x86_64")


_LINUX = ("manylinux_2_28_x86_64", "manylinux_2_27_x86_64", "manylinux_2_24_x86_64", "manylinux_2_17_x86_64",
          "manylinux2014_x86_64")
TARGETS = {
    "windows": Target("windows", "windows", ("win_amd64",),
                      {"os_name": "nt", "sys_platform": "win32", "platform_system": "Windows",
                       "platform_machine": "AMD64"}),
    "macos-arm64": Target("macos-arm64", "macos", ("macosx_14_0_arm64",),
                          {"os_name": "posix", "sys_platform": "darwin", "platform_system": "Darwin",
                           "platform_machine": "arm64"}),
    "macos-x86_64": Target("macos-x86_64", "macos", ("macosx_13_0_x86_64",),
                           {"os_name": "posix", "sys_platform": "darwin", "platform_system": "Darwin",
                            "platform_machine": "x86_64"}),
    "linux": Target("linux", "linux", _LINUX,
                    {"os_name": "posix", "sys_platform": "linux", "platform_system": "Linux",
                     "platform_machine": "x86_64"}),
}


def lingkungan_marker(target: Target, python: str) -> dict[str, str]:
    """Environment-marker values of ``target`` running CPython ``python`` ('3.12')."""
    env = dict(default_environment())
    env.update(target.marker)
    env.update({"python_version": python, "python_full_version": f"{python}.0",
                "implementation_name": "cpython", "platform_python_implementation": "CPython"})
    return env


# ------------------------------------------------------------------------------------------ metadata
def _metadata(wheel: Path) -> list[str]:
    """``Requires-Dist`` lines of a wheel."""
    with zipfile.ZipFile(wheel) as zf:
        name = next((n for n in zf.namelist() if n.endswith(".dist-info/METADATA") and n.count("/") == 1), None)
        if name is None:
            return []
        msg = Parser().parsestr(zf.read(name).decode("utf-8", "replace"))
    return msg.get_all("Requires-Dist") or []


def tambahan_marker(folder: Path, target: Target, python: str, extras: dict[str, set[str]] | None = None) -> set[str]:
    """Requirements that the wheels in ``folder`` (those installable on ``target``) need on ``target`` but
    whose distribution has no wheel in ``folder``: what pip skipped because of a marker."""
    ada = {canonicalize_name(parse_wheel_filename(p.name)[0]) for p in folder.glob("*.whl")}
    env = lingkungan_marker(target, python)
    perlu: set[str] = set()
    for wheel in sorted(folder.glob("*.whl")):
        if not target.cocok(wheel.name):
            continue
        nama = canonicalize_name(parse_wheel_filename(wheel.name)[0])
        for line in _metadata(wheel):
            try:
                req = Requirement(line)
            except InvalidRequirement:
                continue
            if req.marker is not None:
                aktif = any(req.marker.evaluate({**env, "extra": e})
                            for e in ({""} | (extras or {}).get(nama, set())))
                if not aktif:
                    continue
            if canonicalize_name(req.name) not in ada:
                perlu.add(str(Requirement(f"{req.name}{req.specifier}")))
    return perlu


# ------------------------------------------------------------------------------------------ building
def _pip(*args: str, log: list[str] | None = None) -> None:
    cmd = [sys.executable, "-m", "pip", *args]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if log is not None:
        log.append(" ".join(cmd))
    if r.returncode != 0:
        pesan = (r.stderr or r.stdout).strip().splitlines()[-3:]
        raise SPMError("pip gagal mengunduh paket (" + " ".join(args[:1]) + "): " + " / ".join(pesan)
                       + ". Pastikan ada internet saat menyiapkan flashdisk.")


def build_project_wheel(ke: Path, sumber: Path | None = None) -> Path:
    """The project's own wheel (``pip wheel --no-deps``) from its source folder."""
    src = Path(sumber) if sumber else PROJECT_DIR
    if not (src / "pyproject.toml").exists():
        raise SPMError(f"Folder sumber proyek tidak ditemukan di {src} (pyproject.toml tidak ada). Jalankan "
                       "dari salinan sumber SPM Workbench, atau berikan berkas wheel dengan --wheel.")
    for old in ke.glob("spm_workbench-*.whl"):  # one version of the project on the stick
        old.unlink()
    with tempfile.TemporaryDirectory(prefix="spm-wheel-") as tmp:
        _pip("wheel", "--no-deps", "-q", "-w", tmp, str(src))
        (whl,) = Path(tmp).glob("spm_workbench-*.whl")
        return Path(shutil.copy2(whl, ke / whl.name))


def download_wheels(wheels: Path, project_wheel: Path, targets: list[Target], pythons: tuple[str, ...],
                    log: list[str] | None = None) -> None:
    """Every wheel the project needs on each target and Python version, markers evaluated for the target."""
    for target in targets:
        for py in pythons:
            tambahan: set[str] = set()
            for _ in range(4):  # markers can pull in packages that have markers of their own
                args = ["download", "-q", "--only-binary=:all:", "--python-version", py,
                        "--implementation", "cp", "--dest", str(wheels), "--find-links", str(wheels)]
                for p in target.platforms:
                    args += ["--platform", p]
                _pip(*args, str(project_wheel), *sorted(tambahan), log=log)
                baru = tambahan_marker(wheels, target, py) - tambahan
                if not baru:
                    break
                tambahan |= baru


# ------------------------------------------------------------------------------------------ scripts
_BAT = r"""@echo off
rem SPM Workbench: pasang (pertama kali) lalu buka JupyterLab. Klik dua kali berkas ini.
setlocal
set "SUMBER=%~dp0"
set "KERJA=%USERPROFILE%\{kerja}"
set "VENV=%KERJA%\.venv"
if exist "%VENV%\Scripts\python.exe" goto buka
echo Memasang SPM Workbench ke %KERJA% (beberapa menit, tanpa internet)...
set "PY="
for %%V in (3.12 3.11) do (
  if not defined PY ( py -%%V -c "import sys" >nul 2>&1 && set "PY=py -%%V" )
)
if not defined PY ( python -c "import sys; assert sys.version_info[:2] in ((3, 11), (3, 12))" >nul 2>&1 && set "PY=python" )
if not defined PY (
  echo Python 3.11 atau 3.12 belum terpasang. Pasang dulu dari pemasang Python di flashdisk, lalu klik lagi berkas ini.
  pause
  exit /b 1
)
%PY% -m venv "%VENV%" || goto gagal
"%VENV%\Scripts\python.exe" -m pip install --isolated --no-index --find-links "%SUMBER%wheels" {paket} || goto gagal
:buka
if not exist "%KERJA%" mkdir "%KERJA%"
xcopy "%SUMBER%kelas\*" "%KERJA%\" /E /I /D /Y >nul
if not exist "%VENV%\share\jupyter\lab\settings" mkdir "%VENV%\share\jupyter\lab\settings"
copy /Y "%SUMBER%jupyterlab\overrides.json" "%VENV%\share\jupyter\lab\settings\overrides.json" >nul
echo JupyterLab dibuka di browser. Jangan tutup jendela ini selama latihan.
"%VENV%\Scripts\python.exe" -m jupyterlab --ServerApp.root_dir="%KERJA%" --ServerApp.open_browser=True
exit /b 0
:gagal
echo Pemasangan gagal. Foto layar ini dan tunjukkan kepada fasilitator.
pause
exit /b 1
"""

_SH = """#!/bin/sh
# SPM Workbench: pasang (pertama kali) lalu buka JupyterLab. {cara}
set -e
SUMBER="$(cd "$(dirname "$0")" && pwd)"
KERJA="${{SPM_LATIHAN_FOLDER:-$HOME/{kerja}}}"
VENV="$KERJA/.venv"
if [ ! -x "$VENV/bin/python" ]; then
  echo "Memasang SPM Workbench ke $KERJA (beberapa menit, tanpa internet)..."
  PY=""
  for c in ${{SPM_PYTHON:-}} python3.12 python3.11 python3; do
    if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import sys; assert sys.version_info[:2] in ((3, 11), (3, 12))' 2>/dev/null; then
      PY="$c"; break
    fi
  done
  if [ -z "$PY" ]; then
    echo "Python 3.11 atau 3.12 belum terpasang. Pasang dulu, lalu jalankan lagi berkas ini."
    exit 1
  fi
  mkdir -p "$KERJA"
  "$PY" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --isolated --no-index --find-links "$SUMBER/wheels" {paket}
fi
mkdir -p "$KERJA" "$VENV/share/jupyter/lab/settings"
# copy the class notebooks without replacing a notebook the participant already worked on
(cd "$SUMBER/kelas" && find . -type d -exec mkdir -p "$KERJA/{{}}" \\; && \\
  find . -type f -exec sh -c 'for f; do [ -e "$0/$f" ] || cp "$f" "$0/$f"; done' "$KERJA" {{}} +)
cp "$SUMBER/jupyterlab/overrides.json" "$VENV/share/jupyter/lab/settings/overrides.json"
if [ -n "$SPM_HANYA_PASANG" ]; then exit 0; fi
echo "JupyterLab dibuka di browser. Jangan tutup jendela ini selama latihan."
exec "$VENV/bin/python" -m jupyterlab --ServerApp.root_dir="$KERJA" --ServerApp.open_browser=True
"""

_BACA = """# Pemasang SPM Workbench (tanpa internet)

Isi flashdisk ini cukup untuk memasang latihan SPM Workbench di laptop Windows, macOS atau Linux tanpa
internet. Syarat: **Python 3.11 atau 3.12** sudah terpasang (Windows: pemasang dari python.org, centang
"Add python.exe to PATH"; macOS: pemasang dari python.org; Linux: paket python3 bawaan).

| Sistem | Klik dua kali |
|---|---|
| Windows 10/11 (64-bit) | `MULAI_WINDOWS.bat` (bila Windows memperingatkan: *More info* ▸ *Run anyway*) |
| macOS (Apple silicon atau Intel) | `MULAI_MAC.command` (pertama kali: klik kanan ▸ *Open* ▸ *Open*) |
| Linux | `mulai_linux.sh` (atau di terminal: `sh mulai_linux.sh`) |

Pertama kali, pemasangan berlangsung beberapa menit dan membuat folder `{kerja}` di folder pengguna
Anda (berisi lingkungan Python `.venv` dan salinan notebook latihan). Setelah itu JupyterLab terbuka di
browser, di folder `{kerja}`. Untuk membuka lagi, klik dua kali berkas yang sama; notebook yang sudah Anda
isi tidak ditimpa. Flashdisk boleh dicabut setelah JupyterLab terbuka.

Isi: `wheels/` (paket untuk {sistem}; Python {python}), `kelas/` (notebook peserta, tanpa kunci
jawaban), `jupyterlab/` (pengaturan JupyterLab).
"""


def _tulis_skrip(ke: Path, paket: str) -> list[Path]:
    out = [write_text(ke / "MULAI_WINDOWS.bat", _BAT.format(kerja=FOLDER_KERJA, paket=paket).replace("\n", "\r\n")),
           write_text(ke / "MULAI_MAC.command", _SH.format(kerja=FOLDER_KERJA, paket=paket,
                                                         cara="Klik dua kali di Finder.")),
           write_text(ke / "mulai_linux.sh", _SH.format(kerja=FOLDER_KERJA, paket=paket,
                                                       cara="Klik dua kali, atau: sh mulai_linux.sh"))]
    for p in out[1:]:
        p.chmod(p.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return out


def build(ke: str | Path, *, sistem: list[str] | None = None, python: tuple[str, ...] = VERSI_PYTHON,
          wheel: str | Path | None = None, sumber: str | Path | None = None, timpa: bool = False,
          log: list[str] | None = None) -> Path:
    """Build the installer folder ``ke`` (see the module docstring); returns it."""
    ke = Path(ke)
    nama = sistem or ["windows", "macos-arm64", "macos-x86_64", "linux"]
    salah = [n for n in nama if n not in TARGETS]
    if salah:
        raise SPMError(f"Sistem tidak dikenal: {', '.join(salah)}. Pilihan: {', '.join(TARGETS)}.")
    bad_py = [p for p in python if not re.fullmatch(r"3\.\d+", p)]
    if bad_py:
        raise SPMError(f"Versi Python harus berbentuk 3.11 atau 3.12, bukan {', '.join(bad_py)}.")
    if (ke / "kelas").exists() and any((ke / "kelas").iterdir()) and not timpa:
        raise SPMError(f"Folder {ke / 'kelas'} sudah berisi berkas dan tidak akan ditimpa. Pilih folder lain "
                       "atau tambahkan --timpa.")
    wheels = ke / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    if wheel:
        w = Path(wheel)
        if not w.is_file() or not w.name.startswith("spm_workbench-") or w.suffix != ".whl":
            raise SPMError(f"Berkas wheel SPM Workbench tidak ditemukan: {w}")
        project = Path(shutil.copy2(w, wheels / w.name))
    else:
        project = build_project_wheel(wheels, Path(sumber) if sumber else None)
    download_wheels(wheels, project, [TARGETS[n] for n in nama], python, log)
    release(ke / "kelas", timpa=timpa)
    (ke / "jupyterlab").mkdir(exist_ok=True)
    shutil.copy2(exercises_dir() / "jupyterlab" / "overrides.json", ke / "jupyterlab" / "overrides.json")
    paket = NAMA_PAKET
    _tulis_skrip(ke, paket)
    sistem_teks = ", ".join(sorted({TARGETS[n].os for n in nama}, key=["windows", "macos", "linux"].index))
    write_text(ke / "BACA_DULU.md", _BACA.format(kerja=FOLDER_KERJA, sistem=sistem_teks, python=" dan ".join(python)))
    return ke


def ukuran_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


__all__ = ["TARGETS", "Target", "build", "build_project_wheel", "download_wheels", "lingkungan_marker",
           "tambahan_marker", "ukuran_mb"]
