"""One system user per participant, for a classroom hub run as root: each participant's JupyterLab and
kernels run as that user, the workspace is that user's alone (mode 0700), and so is the participant's
folder in the class store. Python code in one participant's cell then cannot read another's notebooks or
progress records; only root (the facilitator) reads them all.

JupyterHub's own ``LocalAuthenticator.create_system_users`` makes a user named exactly like the hub user,
but Linux user names stop at 32 characters and a hub name is ``<name>-<OPD>`` (up to 81); so the hub name
is mapped to a short system name (``nama_sistem``) and the user is made with ``useradd`` on first start,
the way ``LocalAuthenticator.add_system_user`` does. Users made here carry ``PENANDA`` in their comment
field: an existing account without it is never taken over, and ``hapus_semua`` removes only ours.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

from spm_helpers.errors import SPMError

PENANDA = "Peserta kelas SPM"


def tersedia() -> bool:
    """Whether this process can run each participant as their own user (Linux, root, useradd present)."""
    return (sys.platform.startswith("linux") and hasattr(os, "geteuid") and os.geteuid() == 0
            and shutil.which("useradd") is not None)


def nama_sistem(nama_hub: str, ruang: str | Path) -> str:
    """'ani-rahmawati-dinas-kesehatan' → 'spm-ani-rahmawati-dinas-1a2b3c' (≤ 31 characters, stable). The code
    hashes the workspace too: the same participant in two classes on one server (two folders, perhaps at
    the same time) gets two users, so closing one class never deletes a user the other is running as."""
    kode = hashlib.sha1(f"{Path(ruang).resolve()}|{nama_hub}".encode()).hexdigest()[:6]
    return f"spm-{nama_hub[:20].strip('-')}-{kode}"


def pastikan(nama_hub: str, rumah: Path):
    """The participant's system user (a ``pwd`` entry), made on first use."""
    import pwd

    nama = nama_sistem(nama_hub, rumah)
    try:
        pw = pwd.getpwnam(nama)
    except KeyError:
        cmd = ["useradd", "--system", "--user-group", "--no-create-home", "--home-dir", str(rumah),
               "--shell", "/usr/sbin/nologin", "--comment", f"{PENANDA} {nama_hub}", nama]
        p = subprocess.run(cmd, capture_output=True, text=True)
        if p.returncode:
            raise SPMError(f"Pengguna sistem {nama} untuk peserta {nama_hub} tidak dapat dibuat "
                           f"(useradd: {p.stderr.strip() or p.returncode}).") from None
        pw = pwd.getpwnam(nama)
    if not pw.pw_gecos.startswith(PENANDA):
        raise SPMError(f"Akun sistem {nama} sudah ada dan bukan akun peserta kelas SPM; tidak dipakai.")
    return pw


def serahkan(pw, ruang: Path, berkas: list[Path], toko: Path) -> None:
    """Give the participant their workspace (and the files just seeded into it) and their folder in the
    class store, each mode 0700. Nothing else is chowned: a link the participant made never leads root
    to hand over a file outside."""
    for path in [ruang, *berkas]:
        os.chown(path, pw.pw_uid, pw.pw_gid, follow_symlinks=False)
    os.chmod(ruang, 0o700)
    toko.mkdir(exist_ok=True)
    os.chown(toko, pw.pw_uid, pw.pw_gid, follow_symlinks=False)
    os.chmod(toko, 0o700)


def tutup_kelas(folder: Path) -> None:
    """The class folder, ``peserta/`` and ``toko/`` may be passed through (0711) but not listed, so no
    participant sees who else is in the class; everything else in the folder is the facilitator's."""
    for path in (folder, folder / "peserta", folder / "toko"):
        os.chmod(path, 0o711)


def penghalang(baca: list[Path], lewati: list[Path]) -> Path | None:
    """The first folder or file that another user cannot pass: ``baca`` must be readable by everyone (a
    participant's server runs this Python and this package), the folders above ``lewati`` enterable."""
    for path, read in [*((Path(p), True) for p in baca), *((Path(p), False) for p in lewati)]:
        path = path.resolve()
        for parent in reversed(path.parents):
            if parent.exists() and not parent.stat().st_mode & stat.S_IXOTH:  # a missing one is made 0755
                return parent
        if not read:
            continue
        mode = path.stat().st_mode
        if (not mode & stat.S_IROTH or (stat.S_ISDIR(mode) and not mode & stat.S_IXOTH)):
            return path
    return None


def hapus_semua(folder: Path) -> list[str]:
    """Remove the system users made for the participants of the class in ``folder``. Their files stay and
    go back to root first, so a user id given out again later opens nothing of this class."""
    import pwd

    folder = Path(folder).resolve()
    out = []
    for pw in pwd.getpwall():
        if pw.pw_gecos.startswith(PENANDA) and Path(pw.pw_dir).parent == folder / "peserta":
            for top in (Path(pw.pw_dir), folder / "toko" / Path(pw.pw_dir).name):
                _kembalikan(top, pw.pw_uid)
            p = subprocess.run(["userdel", pw.pw_name], capture_output=True, text=True)
            if p.returncode:
                raise SPMError(f"Pengguna sistem {pw.pw_name} tidak dapat dihapus (userdel: {p.stderr.strip()}).")
            out.append(pw.pw_name)
    return out


def _kembalikan(top: Path, uid: int) -> None:
    if not top.exists():
        return
    for root, dirs, files in os.walk(top):  # never follows a link
        for path in [Path(root), *(Path(root) / n for n in dirs + files)]:
            if path.lstat().st_uid == uid:
                os.chown(path, 0, 0, follow_symlinks=False)
