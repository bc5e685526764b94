"""``spm kelas mulai``: a classroom JupyterHub on the facilitator's machine (a Linux laptop, WSL2 on Windows,
or a small server), for participants on the same Wi-Fi or hotspot with nothing installed but a browser.

- Sign-in: a class code (the facilitator writes it on the board) plus the participant's name and OPD
  (``KodeKelasAuthenticator``); no accounts to create. Name + OPD decide the workspace, so signing in
  again (another browser, after a restart) opens the same notebooks.
- Workspace: ``<folder>/peserta/<name-opd>/``, seeded with the released modules; a file already there is
  never replaced (``RuangPeserta``). The notebooks live on disk: a culled or restarted server loses
  nothing.
- Idle servers are stopped by jupyterhub-idle-culler (an hour without activity by default).
- Live progress: every kernel gets ``SPM_KELAS_TOKO=<folder>/toko/<user>``; the facilitator's page
  (``spm kelas pantau``) runs as a hub-managed service on 127.0.0.1 only, never proxied, and opens only
  with the key in ``<folder>/kunci_pantau`` (a participant's kernel runs on this machine and could reach
  127.0.0.1 too).
- Offline: JupyterHub, the proxy (the Python configurable-http-proxy) and JupyterLab serve their own
  static files; nothing is fetched from a CDN.

Isolation (``isolasi``, the default when the hub runs as root on Linux): each participant's server and
kernels run as a system user of their own (``hub_users``), their workspace and their store folder are
theirs alone (0700), the class folder cannot be listed, and everything the hub writes is the
facilitator's (umask 077). Without root every workspace runs as the facilitator's OS user
(``SimpleLocalProcessSpawner`` behaviour): the file browser is rooted in each participant's own folder and
terminals are off, but Python code in a cell could read another participant's folder and records;
``spm kelas mulai`` says so.
"""
from __future__ import annotations

import asyncio
import hmac
import json
import os
import re
import secrets
import shutil
import sys
import unicodedata
from pathlib import Path

from spm_helpers.errors import SPMError
from spm_helpers.files import write_text
from spm_helpers.paths import exercises_dir
from spm_helpers.training import hub_users, progress
from spm_helpers.training.cases import nama_opd_baku

try:  # the hub's own packages are the optional extra ``kelas``
    from jupyterhub.auth import Authenticator
    from jupyterhub.spawner import SimpleLocalProcessSpawner, set_user_setuid
    from traitlets import Bool, Unicode
except ImportError:  # pragma: no cover - without the extra only ``buat_konfigurasi`` is unusable
    Authenticator = SimpleLocalProcessSpawner = None  # type: ignore[assignment,misc]

TEMPLATE_DIR = Path(__file__).resolve().parent / "hub_templates"
IDENTITAS_BERKAS = ".identitas_peserta.json"  # where older class folders kept the sign-in (read for collection)
KUNCI_BERKAS = "kunci_pantau"


def _slug(text: str, n: int) -> str:
    t = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", t).strip("-")[:n].strip("-")


def nama_pengguna(nama: str, opd: str) -> str:
    """'Ani Rahmawati', 'Dinkes' → 'ani-rahmawati-dinas-kesehatan' (the same person → the same workspace)."""
    baku = nama_opd_baku(opd) or opd
    return f"{_slug(nama, 40) or 'peserta'}-{_slug(baku, 40) or 'opd'}"


if Authenticator is not None:

    class KodeKelasAuthenticator(Authenticator):
        """Class code + name + OPD. Everyone with the code may sign in (``allow_all``)."""

        kode_kelas = Unicode("", config=True, help="The class code participants type.")
        toko_dir = Unicode("", config=True, help="The class store: the sign-in name and OPD are kept there, for "
                                                 "the progress page and for collection when a notebook's first "
                                                 "cell is empty.")

        async def authenticate(self, handler, data):
            nama = " ".join(str(data.get("username", "")).split())
            opd = " ".join(str(data.get("opd", "")).split())
            kode = str(data.get("password", "")).strip()
            if not (nama and opd and self.kode_kelas) or not hmac.compare_digest(kode.upper(), self.kode_kelas.upper()):
                return None
            name = nama_pengguna(nama, opd)
            if self.toko_dir:
                progress.note_sign_in(self.toko_dir, name, nama, opd)
            return {"name": name, "auth_state": None}

    class RuangPeserta(SimpleLocalProcessSpawner):
        """One folder per participant under the class folder, seeded with the released modules; with
        ``isolasi`` the server runs as the participant's own system user."""

        modul_dir = Unicode("", config=True, help="Folder of released participant notebooks.")
        toko_dir = Unicode("", config=True, help="Class store for live progress (SPM_KELAS_TOKO=<toko>/<user>).")
        isolasi = Bool(False, config=True, help="Run each participant as a system user of their own (needs root).")

        @property
        def toko_peserta(self) -> Path:
            return Path(self.toko_dir) / self.user.name

        async def start(self):
            ruang = Path(self.home_dir)
            baru = [] if ruang.exists() else [ruang]
            baru += seed(Path(self.modul_dir), ruang)
            if self.isolasi:
                pw = await asyncio.to_thread(hub_users.pastikan, self.user.name, ruang)
                hub_users.serahkan(pw, ruang, [ruang, *baru], self.toko_peserta)
            elif self.toko_dir:
                self.toko_peserta.mkdir(parents=True, exist_ok=True)
            return await super().start()

        def make_preexec_fn(self, name):
            if not self.isolasi:
                return super().make_preexec_fn(name)
            become, home = set_user_setuid(hub_users.nama_sistem(name, self.home_dir), chdir=False), self.home_dir

            def preexec():
                become()
                os.chdir(home)

            return preexec

        def user_env(self, env):
            env = super().user_env(env)
            if self.isolasi:
                env.update(USER=hub_users.nama_sistem(self.user.name, self.home_dir), SHELL="/bin/sh")
            if self.toko_dir:
                env["SPM_KELAS_TOKO"] = str(self.toko_peserta)
            return env


def seed(modul: Path, ruang: Path) -> list[Path]:
    """Copy the released notebooks into a workspace, never replacing a file that is there. The hub does
    this as root in a folder the participant owns: a file is created only where nothing is (not even a
    link, ``O_EXCL|O_NOFOLLOW``), so a link the participant left never makes root write elsewhere."""
    ruang.mkdir(parents=True, exist_ok=True)
    out = []
    for src in sorted(modul.glob("*")):
        dst = ruang / src.name
        if not src.is_file() or src.is_symlink():
            continue
        try:
            fd = os.open(dst, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
        except FileExistsError:
            continue
        with os.fdopen(fd, "wb") as fh:
            fh.write(src.read_bytes())
        shutil.copystat(src, dst)
        out.append(dst)
    return out


def kumpulkan(folder: str | Path, ke: str | Path, modul: list[int] | None = None) -> list[Path]:
    """Collect the participants' notebooks for grading: ``ke/<participant>/<notebook>``, so no two files
    share a name. A notebook still identical to the released one (never opened or never saved) is left out.
    Existing files in ``ke`` are never replaced."""
    folder, ke = Path(folder), Path(ke)
    rilis = {p.name: p.read_bytes() for p in (folder / "modul").glob("*.ipynb")}
    pola = [f"modul_{n}_" for n in modul] if modul else ["modul_"]
    out = []
    for ruang in sorted(p for p in (folder / "peserta").iterdir() if p.is_dir() and not p.is_symlink()):
        for nb in sorted(ruang.glob("*.ipynb")):
            if nb.is_symlink() or not nb.is_file():  # a participant's link to a file elsewhere is not theirs
                continue
            if not any(nb.name.startswith(p) for p in pola) or rilis.get(nb.name) == nb.read_bytes():
                continue
            dst = ke / ruang.name / nb.name
            if dst.exists():
                raise SPMError(f"{dst} sudah ada dan tidak akan ditimpa. Pilih folder lain dengan --ke.")
            dst.parent.mkdir(parents=True, exist_ok=True)
            out.append(_salin_dengan_identitas(nb, dst, _identitas(folder, ruang)))
    return out


def _identitas(folder: Path, ruang: Path) -> dict[str, str]:
    """What the participant typed at sign-in, from the class store (older folders: from the workspace)."""
    masuk = progress.signed_in(folder / "toko", ruang.name)
    if masuk:
        return {"nama_peserta": masuk["peserta"], "opd": masuk["opd"]}
    try:
        rec = json.loads((ruang / IDENTITAS_BERKAS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return rec if isinstance(rec, dict) else {}


def _salin_dengan_identitas(nb: Path, dst: Path, ident: dict[str, str]) -> Path:
    """Copy a notebook; an empty ``nama_peserta``/``opd`` is filled with what the participant typed at
    sign-in (nothing else is changed)."""
    import nbformat

    from spm_helpers.training import exercise_files as nbk

    if not ident:
        return Path(shutil.copy2(nb, dst))
    try:
        doc = nbformat.read(str(nb), as_version=4)
    except (OSError, ValueError):
        return Path(shutil.copy2(nb, dst))
    ada = nbk.identitas(doc)
    for cell in doc.cells:
        if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
            for key in nbk.IDENTITAS:
                if not ada.get(key) and ident.get(key):
                    cell.source = re.sub(rf"""^{key}\s*=\s*(["'])\s*\1""", f"{key} = {json.dumps(ident[key])}",
                                         cell.source, count=1, flags=re.M)
    return write_text(dst, nbformat.writes(doc) + "\n")


def configure(c, *, folder: str | Path, kode: str, ip: str = "0.0.0.0", port: int = 8000,
              batas_diam: int = 3600, port_pantau: int = 8001, isolasi: bool = False) -> None:
    """Fill a JupyterHub config object ``c`` for the class in ``folder`` (``isolasi``: one system user per
    participant, needs root)."""
    folder = Path(folder).resolve()
    if isolasi:
        os.umask(0o077)  # the hub's database, logs and collected files are the facilitator's alone
    bin_dir = Path(sys.executable).parent
    c.JupyterHub.ip = ip
    c.JupyterHub.port = int(port)
    c.JupyterHub.db_url = f"sqlite:///{folder / 'hub.sqlite'}"
    c.JupyterHub.cookie_secret_file = str(folder / "hub_cookie_secret")
    c.JupyterHub.pid_file = str(folder / "hub.pid")
    c.JupyterHub.template_paths = [str(TEMPLATE_DIR)]
    c.JupyterHub.authenticator_class = KodeKelasAuthenticator
    c.KodeKelasAuthenticator.kode_kelas = kode
    c.KodeKelasAuthenticator.allow_all = True
    c.KodeKelasAuthenticator.toko_dir = str(folder / "toko")
    c.JupyterHub.spawner_class = RuangPeserta
    c.RuangPeserta.home_dir_template = str(folder / "peserta" / "{username}")
    c.RuangPeserta.modul_dir = str(folder / "modul")
    c.RuangPeserta.toko_dir = str(folder / "toko")
    c.RuangPeserta.isolasi = bool(isolasi)
    c.Spawner.cmd = [sys.executable, "-m", "jupyterhub.singleuser"]
    c.Spawner.default_url = "/lab"
    c.Spawner.args = ["--ServerApp.terminals_enabled=False"]
    if not isolasi and hasattr(os, "geteuid") and os.geteuid() == 0:  # root without isolation: one user for all
        c.Spawner.args.append("--ServerApp.allow_root=True")
    c.Spawner.start_timeout = 120
    c.Spawner.http_timeout = 120
    proxy = shutil.which("configurable-http-proxy", path=str(bin_dir)) or "configurable-http-proxy"
    c.ConfigurableHTTPProxy.command = [proxy]
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{int(port) + 2}"  # port + 1 is the progress page's default
    c.JupyterHub.hub_port = int(port) + 3
    c.JupyterHub.load_roles = [{"name": "pemangkas-diam", "services": ["pemangkas-diam"],
                                "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"]}]
    c.JupyterHub.services = [
        {"name": "pemangkas-diam",  # stops servers idle for batas_diam seconds; files stay on disk
         "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={int(batas_diam)}",
                     f"--cull-every={max(60, int(batas_diam) // 6)}"]},
        {"name": "kemajuan",  # the facilitator's page, on loopback only (never proxied to participants)
         "command": [sys.executable, "-m", "spm_helpers.cli", "kelas", "pantau", "--toko", str(folder / "toko"),
                     "--port", str(int(port_pantau)), "--berkas-kunci", str(folder / KUNCI_BERKAS)]},
    ]


_KONFIG = """# Dibuat oleh `spm kelas mulai`. Jalankan ulang perintah itu untuk mengubahnya.
from spm_helpers.training.hub import configure

configure(c, folder={folder!r}, kode={kode!r}, ip={ip!r}, port={port}, batas_diam={batas_diam}, port_pantau={pantau},
          isolasi={isolasi})
"""


def buat_konfigurasi(folder: str | Path, kode: str, *, ip: str = "0.0.0.0", port: int = 8000, batas_diam: int = 3600,
                     port_pantau: int = 8001, isolasi: bool | None = None) -> Path:
    """Prepare the class folder (released modules, store, page key, JupyterLab settings) and write its hub
    config. ``isolasi`` None: isolate when this process can (root on Linux, ``hub_users.tersedia``)."""
    from spm_helpers.training.release import release

    if Authenticator is None:
        raise SPMError("JupyterHub belum terpasang. Pasang dengan: pip install \"spm-workbench[kelas]\".")
    if not re.fullmatch(r"[A-Za-z0-9]{4,32}", kode or ""):
        raise SPMError("Kode kelas harus 4–32 huruf atau angka (tanpa spasi), mis. SPM2025.")
    if int(port_pantau) in (int(port), int(port) + 2, int(port) + 3):
        raise SPMError(f"Port halaman kemajuan {port_pantau} bentrok dengan server kelas (port {port}, {int(port) + 2} "
                       f"dan {int(port) + 3} dipakai JupyterHub). Pilih --port-pantau lain, mis. {int(port) + 1}.")
    isolasi = hub_users.tersedia() if isolasi is None else bool(isolasi)
    if isolasi and not hub_users.tersedia():
        raise SPMError("Pemisahan peserta (satu pengguna sistem per peserta) perlu Linux dan hak root: "
                       "jalankan dengan sudo, atau tambahkan --tanpa-isolasi.")
    folder = Path(folder).resolve()
    if isolasi:
        import jupyterhub

        import spm_helpers

        halang = hub_users.penghalang([Path(sys.executable), Path(spm_helpers.__file__).parent,
                                       Path(jupyterhub.__file__).parent], [folder])
        if halang:
            raise SPMError(f"Peserta tidak dapat membuka {halang}: server tiap peserta berjalan sebagai pengguna "
                           "sistemnya sendiri, jadi Python, paket SPM dan folder kelas harus dapat dibaca semua "
                           "pengguna (mis. pasang di /opt/spm dan buat folder kelas di /srv). Atau tambahkan "
                           "--tanpa-isolasi.")
    (folder / "peserta").mkdir(parents=True, exist_ok=True)
    (folder / "toko").mkdir(exist_ok=True)
    if not (folder / "modul").exists() or not any((folder / "modul").iterdir()):
        release(folder / "modul")
    if not (folder / KUNCI_BERKAS).exists():
        write_text(folder / KUNCI_BERKAS, secrets.token_urlsafe(12) + "\n")
    os.chmod(folder / KUNCI_BERKAS, 0o600)
    if isolasi:
        hub_users.tutup_kelas(folder)
    settings = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings"
    if not (settings / "overrides.json").exists():  # no news/update pop-ups that need the internet
        settings.mkdir(parents=True, exist_ok=True)
        shutil.copy2(exercises_dir() / "jupyterlab" / "overrides.json", settings / "overrides.json")
    path = write_text(folder / "jupyterhub_config.py", _KONFIG.format(
        folder=str(folder), kode=kode, ip=ip, port=int(port), batas_diam=int(batas_diam), pantau=int(port_pantau),
        isolasi=isolasi))
    os.chmod(path, 0o600)  # holds the class code
    return path


def kunci_pantau(folder: str | Path) -> str:
    """The key of the class's progress page (``?kunci=``)."""
    return (Path(folder) / KUNCI_BERKAS).read_text(encoding="utf-8").strip()


def terisolasi(folder: str | Path) -> bool:
    """Whether the class in ``folder`` was configured with one system user per participant."""
    try:
        return "isolasi=True" in (Path(folder) / "jupyterhub_config.py").read_text(encoding="utf-8")
    except OSError:
        return False
