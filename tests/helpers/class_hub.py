"""A real ``spm kelas`` hub for tests, isolated (one system user per participant) when the test runs as
root on Linux. Participants' servers then run as other users, so the Python they run and the class folder
must be readable by everyone; when this test's interpreter is not (a pyenv under /root), a venv of the
system Python 3 of the same minor version is made in a shared temporary folder, seeing this environment's
packages through a ``.pth`` file, its ``share/jupyter`` (JupyterLab, extensions) and ``etc/jupyter`` (which
server extensions are on) linked, and a kernelspec
of its own, the way a facilitator's install under /opt would look."""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from spm_helpers.training import hub, hub_users


def free_port() -> int:
    """A port whose neighbours (+1 the progress page's default, +2 the proxy API, +3 the hub) are free too."""
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port < 65000 and not any(_busy(p) for p in (port + 1, port + 2, port + 3)):
            return port


def _busy(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def _shared_python(root: Path) -> str | None:
    """An interpreter every user can run, with this environment's packages; None when there is none."""
    import jupyterhub

    import spm_helpers

    if hub_users.penghalang([Path(sys.executable), Path(jupyterhub.__file__).parent,
                             Path(spm_helpers.__file__).parent], []) is None:
        return sys.executable
    system = Path(f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}")
    if not system.exists():
        return None
    venv = root / "python"
    subprocess.run([str(system), "-m", "venv", "--without-pip", str(venv)], check=True)
    site = next((venv / "lib").glob("python*/site-packages"))
    # addsitedir, not a bare path: it also runs that folder's own .pth files, among them the editable
    # install's finder for spm_helpers (a bare path line would leave spm_helpers unimportable)
    purelib = sysconfig.get_paths()["purelib"]
    (site / "spm_lingkungan_uji.pth").write_text(f"import site; site.addsitedir({purelib!r})\n")
    share = venv / "share" / "jupyter"
    share.mkdir(parents=True)
    for part in ("lab", "labextensions", "nbextensions", "nbconvert"):
        if (Path(sys.prefix) / "share" / "jupyter" / part).exists():
            (share / part).symlink_to(Path(sys.prefix) / "share" / "jupyter" / part)
    if (Path(sys.prefix) / "etc" / "jupyter").exists():  # which server extensions are on (JupyterLab's own)
        (venv / "etc").mkdir()
        (venv / "etc" / "jupyter").symlink_to(Path(sys.prefix) / "etc" / "jupyter")
    spec = share / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [str(venv / "bin" / "python"), "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f",
                 "{connection_file}"], "display_name": "Python 3", "language": "python"}))
    subprocess.run(["chmod", "-R", "a+rX", str(root)], check=True)
    return str(venv / "bin" / "python")


@contextmanager
def class_hub(tmp_path: Path, *, extra_config: str = "", isolasi: bool | None = None):
    """Start a hub for a class in a fresh folder (isolated when possible, or as asked); yields (folder, base
    url, progress page url with its key, isolated?). Stops the hub and removes the participants' system
    users afterwards."""
    isolasi = hub_users.tersedia() if isolasi is None else isolasi and hub_users.tersedia()
    root = Path(tempfile.mkdtemp(prefix="spm-kelas-uji-")) if isolasi else tmp_path
    python = sys.executable
    if isolasi:
        os.chmod(root, 0o755)
        python = _shared_python(root)
        isolasi = python is not None
        python = python or sys.executable
    folder = root / "kelas"
    port, pantau = free_port(), free_port()
    code = ("import sys\nfrom spm_helpers.training import hub\n"
            f"p = hub.buat_konfigurasi({str(folder)!r}, 'SPM2025', ip='127.0.0.1', port={port}, "
            f"port_pantau={pantau}, isolasi={isolasi})\nprint(p)")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    path = Path(subprocess.run([python, "-c", code], env=env, check=True, capture_output=True,
                               text=True).stdout.strip())
    if extra_config:
        os.chmod(path, 0o600)
        with open(path, "a") as fh:
            fh.write(extra_config)
    log = open(tmp_path / "hub.log", "w")
    proc = subprocess.Popen([python, "-m", "jupyterhub", "-f", str(path)], cwd=folder, stdout=log, env=env,
                            stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    t0 = time.time()
    try:
        for _ in range(180):
            try:
                urllib.request.urlopen(base + "/hub/api", timeout=5)
                break
            except OSError:
                if proc.poll() is not None:
                    raise AssertionError((tmp_path / "hub.log").read_text()[-3000:]) from None
                time.sleep(1)
        print(f"\nhub siap {time.time() - t0:.1f} detik setelah dijalankan (isolasi={isolasi})")
        yield folder, base, f"http://127.0.0.1:{pantau}/?kunci={hub.kunci_pantau(folder)}", isolasi
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # the hub started here and its children (servers, services)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()
        if isolasi:
            hub_users.hapus_semua(folder)
            shutil.rmtree(root, ignore_errors=True)
