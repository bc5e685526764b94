"""``spm latihan nilai``: execute collected notebooks in a sandbox and score each task.

Collection is a folder drop (nbgrader's zip_collect idea, no exchange service): every ``.ipynb``
under the folder, also inside ``.zip`` files (one zip inside another too), whatever the participants
named them; every member's size is checked before it is read (a zip bomb is refused, not expanded).

A submission is participants' code, so it runs with none of the facilitator's rights (``Sandbox``):
in bubblewrap when it is installed (Debian package ``bubblewrap``) — its own empty HOME and working
folder, no network, a read-only view of Python and the package only, the answer keys hidden, its own
PID namespace so nothing outlives it — else as a separate process group with a scrubbed environment
and limits. Both add limits on memory, processes, file size and wall time, and the whole process
group is killed at the end. Several run at once (``paralel``), each with its own wall time, so an
infinite loop that ignores Ctrl-C holds back only itself; Ctrl-C stops grading and keeps what finished.

Scores are not taken from anything the notebook writes. The grader inserts, after each check cell
that is unchanged from the released notebook (checksums, as nbgrader does), a harvest cell that
prints the answer the check cell passes; it reads those outputs from the executed notebook that comes
back over this submission's own pipe, and judges them itself with the keys, in its own process.
What remains possible is said in ``LIMITS``.
"""
from __future__ import annotations

import base64
import concurrent.futures as cf
import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import nbformat
from nbformat import NotebookNode

from spm_helpers.paths import PACKAGE_DIR, datasets_dir, exercises_dir
from spm_helpers.training import exercise_files as nbk
from spm_helpers.training.feedback import BENAR, context_from, judge
from spm_helpers.training.registry import Modul, find, normalize_id
from spm_helpers.training.registry import modul as get_modul
from spm_helpers.training.release import release_notebook

CEK_DIHAPUS = "cek dihapus"
CEK_DIUBAH = "cek diubah"
TIDAK_DIJALANKAN = "tidak dijalankan"
DIHENTIKAN = "penilaian dihentikan (Ctrl-C) sebelum kiriman ini selesai"
_ABAIKAN = ("__MACOSX", ".ipynb_checkpoints")
MAKS_ZIP_BERSARANG = 2
MAKS_NOTEBOOK = 20 * 2**20  # one .ipynb, uncompressed
MAKS_ZIP = 100 * 2**20  # one .zip, and everything inside one zip uncompressed
MAKS_KELUARAN = 64 * 2**20  # the executed notebook coming back from the sandbox
MEMORI = 3 * 2**30  # RLIMIT_AS of a submission (kernel and all)
PROSES = 256  # RLIMIT_NPROC (only with a uid of its own: the limit counts every process of that uid)
UKURAN_BERKAS = 64 * 2**20  # RLIMIT_FSIZE: the largest file a submission may write
PANEN = "SPM-PANEN "
KEYS_DIR = PACKAGE_DIR / "training" / "keys"
NOBODY = 65534  # the unprivileged uid/gid a submission runs as when the grader is root
BATAS_WAKTU = 30  # seconds per cell by default; the slowest cell of a finished exercise takes ~2 s
# Nobody presses "interrupt" in a headless run: a KeyboardInterrupt is the timeout's interrupt.
_HABIS = ("WaktuHabis", "KeyboardInterrupt")
LIMITS = (
    "Penilaian ini formatif. Yang tetap mungkin: peserta memakai fungsi paket spm_helpers (mesin hitung "
    "yang memang dipelajari) untuk menghitung jawaban alih-alih menulis kodenya sendiri; tanpa bubblewrap, "
    "notebook masih dapat membaca berkas yang dapat dibaca pengguna komputer ini dan kunci jawaban di "
    "dalam paket; notebook dapat merusak hasilnya sendiri (bukan hasil peserta lain).")


@dataclass
class Kiriman:
    """One submitted notebook (or a file that should have been one)."""

    berkas: str  # shown to the facilitator: path under the folder, 'a.zip/b/c.ipynb' inside zips
    nb: NotebookNode | None = None
    galat: str | None = None


@dataclass
class HasilKiriman:
    berkas: str
    nama_peserta: str = ""
    opd: str = ""
    modul: int | None = None
    soal: dict[str, str] = field(default_factory=dict)  # task id → status
    catatan: list[str] = field(default_factory=list)
    detik: float = 0.0
    akun: str = ""  # who submitted, from the file's place (hub account folder or file name), not its content
    sandbox: str = ""

    @property
    def benar(self) -> int:
        return sum(s == BENAR for s in self.soal.values())


def akun_dari(berkas: str) -> str:
    """'andi/modul_2.ipynb' → 'andi' (a hub collects per account folder); 'andi.ipynb' → 'andi'."""
    parts = Path(berkas.split(".zip/")[0]).parts
    return parts[0] if len(parts) > 1 else Path(parts[0]).stem


# ------------------------------------------------------------------------------------------ collect
def _dibaca(berkas: str, data: bytes) -> Kiriman:
    try:
        return Kiriman(berkas, nbformat.reads(data.decode("utf-8-sig"), as_version=4))
    except Exception:  # not JSON, truncated upload, wrong encoding: report, do not stop
        return Kiriman(berkas, galat="berkas notebook rusak atau tidak dapat dibaca")


def _terlalu_besar(berkas: str, batas: int) -> Kiriman:
    return Kiriman(berkas, galat=f"berkas terlalu besar (lebih dari {batas // 2**20} MB setelah diekstrak); "
                                 "tidak dibuka")


def _baca_anggota(zf: zipfile.ZipFile, info: zipfile.ZipInfo, batas: int) -> bytes | None:
    """The member's bytes, or None beyond ``batas``: read with a bound, because the size a zip
    header declares can lie."""
    if info.file_size > batas:
        return None
    with zf.open(info) as fh:
        data = fh.read(batas + 1)
    return None if len(data) > batas else data


def _dari_zip(nama: str, data: bytes, depth: int) -> list[Kiriman]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return [Kiriman(nama, galat="berkas zip rusak")]
    out, total = [], 0
    with zf:
        for info in sorted(zf.infolist(), key=lambda i: i.filename):
            inner = info.filename
            if info.is_dir() or any(p in inner for p in _ABAIKAN) or Path(inner).name.startswith("."):
                continue
            is_nb, is_zip = inner.lower().endswith(".ipynb"), inner.lower().endswith(".zip")
            if not (is_nb or (is_zip and depth < MAKS_ZIP_BERSARANG)):
                continue
            batas = min(MAKS_NOTEBOOK if is_nb else MAKS_ZIP, MAKS_ZIP - total)
            try:
                content = _baca_anggota(zf, info, batas)
            except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError):
                out.append(Kiriman(f"{nama}/{inner}", galat="anggota zip rusak atau terkunci kata sandi"))
                continue
            if content is None:
                out.append(_terlalu_besar(f"{nama}/{inner}", batas if batas > 0 else MAKS_ZIP))
                continue
            total += len(content)
            out += [_dibaca(f"{nama}/{inner}", content)] if is_nb else _dari_zip(f"{nama}/{inner}", content, depth + 1)
    return out


def collect(folder: str | Path, kecuali: Path | None = None) -> list[Kiriman]:
    """Every notebook under ``folder`` (sorted, hidden folders and checkpoints skipped)."""
    root = Path(folder)
    out: list[Kiriman] = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.is_symlink() or not path.is_file() or any(p.startswith(".") or p in _ABAIKAN for p in rel.parts):
            continue
        if kecuali is not None and kecuali.resolve() in path.resolve().parents:
            continue
        suffix = path.suffix.lower()
        if suffix not in (".ipynb", ".zip"):
            continue
        batas = MAKS_NOTEBOOK if suffix == ".ipynb" else MAKS_ZIP
        if path.stat().st_size > batas:
            out.append(_terlalu_besar(rel.as_posix(), batas))
        elif suffix == ".ipynb":
            out.append(_dibaca(rel.as_posix(), path.read_bytes()))
        else:
            out += _dari_zip(rel.as_posix(), path.read_bytes(), 1)
    return out


# ------------------------------------------------------------------------------------------ check cells
def _hash(source: str) -> str:
    return hashlib.sha256("\n".join(line.rstrip() for line in source.strip().splitlines()).encode()).hexdigest()


@dataclass(frozen=True)
class SelCek:
    """A released check cell: its checksum and, per task it checks, the answer and keyword expressions."""

    hash: str
    panggilan: tuple[tuple[str, str | None, tuple[tuple[str, str], ...]], ...]  # (task, answer expr, kwargs)


def _panggilan(source: str) -> list[tuple[str, str | None, tuple[tuple[str, str], ...]]]:
    import ast

    out = []
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return out
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "check"):
            continue
        if not node.args or not isinstance(node.args[0], ast.Constant) or not isinstance(node.args[0].value, str):
            continue
        sid = normalize_id(node.args[0].value)
        if sid is None:
            continue
        expr = ast.get_source_segment(source, node.args[1]) if len(node.args) > 1 else None
        kw = tuple((k.arg, ast.get_source_segment(source, k.value)) for k in node.keywords if k.arg)
        out.append((sid, expr, kw))
    return out


def released_checks(m: Modul, master: NotebookNode | None = None) -> dict[str, SelCek]:
    """Checksum → check cell of the module's released notebook (what participants were given)."""
    nb = release_notebook(master if master is not None else nbk.read(exercises_dir() / m.berkas), m.berkas)
    out = {}
    for cell in nb.cells:
        if cell.cell_type == "code" and nbk.soal_dipanggil(cell.source):
            h = _hash(cell.source)
            out[h] = SelCek(h, tuple(_panggilan(cell.source)))
    return out


# ------------------------------------------------------------------------------------------ harvest
_PANEN_KODE = r"""
def __spm_panen__(sid, expr, kw, names):
    import base64 as _b, io as _io, json as _j, math as _m
    def enc(x, d=0):
        if d > 20:
            return {"__t": "lain", "type": "terlalu dalam"}
        if x is Ellipsis:
            return {"__t": "ellipsis"}
        if x is None or isinstance(x, (bool, str)):
            return x if not isinstance(x, str) else x[:100000]
        if isinstance(x, int):
            return x if abs(x) < 2**63 else {"__t": "bigint", "v": str(x)}
        if isinstance(x, float):
            return x if _m.isfinite(x) else {"__t": "float", "v": repr(x)}
        mod = type(x).__module__.split(".")[0]
        if mod == "numpy" and hasattr(x, "item") and getattr(x, "ndim", 1) == 0:
            return enc(x.item(), d + 1)
        if mod == "numpy" and hasattr(x, "tolist"):
            return {"__t": "ndarray", "v": enc(x.tolist(), d + 1)}
        if mod == "pandas":
            import pandas as _pd
            if isinstance(x, _pd.DataFrame):
                try:
                    b = _io.BytesIO(); x.to_parquet(b)
                    return {"__t": "df", "v": _b.b64encode(b.getvalue()).decode()}
                except Exception:
                    return {"__t": "df_json", "v": x.to_json(orient="split")}
            if isinstance(x, _pd.Series):
                return {"__t": "series", "name": enc(x.name, d + 1), "v": enc(x.to_frame("__v"), d + 1)}
            if isinstance(x, _pd.Index):
                return {"__t": "index", "v": enc(list(x), d + 1)}
        if isinstance(x, (list, tuple, set, frozenset)):
            return {"__t": type(x).__name__ if type(x) in (list, tuple, set, frozenset) else "list",
                    "v": [enc(i, d + 1) for i in list(x)[:10000]]}
        if isinstance(x, dict):
            return {"__t": "dict", "v": [[enc(k, d + 1), enc(v, d + 1)] for k, v in list(x.items())[:10000]]}
        return {"__t": "lain", "type": type(x).__name__}
    g = globals()
    out = {"soal": sid}
    try:
        v = eval(expr, g) if expr else Ellipsis
        if callable(v) and getattr(v, "__name__", "") == "<lambda>":
            v = v()  # check cells pass `lambda: name` so a missing variable is a message, not a traceback
        out["jawaban"] = enc(v)
        out["kw"] = {k: enc(eval(v, g)) for k, v in kw}
        out["konteks"] = {n: enc(g[n]) for n in names if n in g}
    except BaseException as e:
        out["galat"] = type(e).__name__
    print(__PREFIX__ + _j.dumps(out))
"""


# The answer keys are not inside the sandbox, so the notebook's own check()/start() cannot judge there;
# they and the practice widgets stay silent while grading (the harvest cells carry the answers out).
_PRELUDE = """
def __spm_diam__(*args, **kwargs):
    return None
try:
    import spm_helpers.training as __t, spm_helpers.training.feedback as __f, spm_helpers.training.widgets as __w
    __t.check = __t.start = __f.check = __f.start = __spm_diam__
    __t.pilihan_ganda = __t.isian_angka = __w.pilihan_ganda = __w.isian_angka = __spm_diam__
except Exception:
    pass
"""


def _sel_panen(sid: str, expr: str | None, kw, names) -> NotebookNode:
    code = (_PANEN_KODE.replace("__PREFIX__", repr(PANEN))
            + f"__spm_panen__({sid!r}, {expr!r}, {list(kw)!r}, {list(names)!r})\n")
    cell = nbformat.v4.new_code_cell(code)
    cell.metadata["spm_panen"] = sid
    return cell


class _Lain:
    """An answer of a type the harvest does not carry (a function, a widget...): compared as wrong."""

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return f"<{self.name}>"


def decode(x: Any) -> Any:
    """The inverse of the harvest's encoding; never evaluates anything from the notebook."""
    import numpy as np
    import pandas as pd

    if not isinstance(x, dict) or "__t" not in x:
        return x
    t, v = x["__t"], x.get("v")
    if t == "ellipsis":
        return ...
    if t == "bigint":
        return int(str(v)[:400])
    if t == "float":
        return float(v) if v in ("nan", "inf", "-inf") else float("nan")
    if t == "ndarray":
        items = decode(v)
        try:
            return np.asarray(items)
        except ValueError:  # ragged
            return np.asarray(items, dtype=object)
    if t == "df":
        return pd.read_parquet(io.BytesIO(base64.b64decode(v)))
    if t == "df_json":
        return pd.read_json(io.StringIO(v), orient="split")
    if t == "series":
        s = decode(v)["__v"]
        s.name = decode(x.get("name"))
        return s
    if t == "index":
        return pd.Index(decode(v))
    if t in ("list", "tuple", "set", "frozenset"):
        items = [decode(i) for i in v]
        return {"list": list, "tuple": tuple, "set": set, "frozenset": frozenset}[t](items) \
            if t in ("list", "tuple") else _set(items, t)
    if t == "dict":
        return {_hashable(decode(k)): decode(val) for k, val in v}
    return _Lain(str(x.get("type", "?")))


def _set(items: list, t: str):
    try:
        return set(items) if t == "set" else frozenset(items)
    except TypeError:
        return list(items)


def _hashable(k):
    try:
        hash(k)
        return k
    except TypeError:
        return repr(k)


def _panen(nb: NotebookNode) -> dict[str, dict]:
    """task → the last record its harvest cell printed (only harvest cells' own outputs are read)."""
    out = {}
    for cell in nb.cells:
        sid = cell.get("metadata", {}).get("spm_panen")
        if not sid or cell.cell_type != "code":
            continue
        for o in cell.get("outputs", []):
            if o.get("output_type") != "stream":
                continue
            for line in str(o.get("text", "")).splitlines():
                if line.startswith(PANEN):
                    try:
                        rec = json.loads(line[len(PANEN):])
                    except ValueError:
                        continue
                    if isinstance(rec, dict) and rec.get("soal") == sid:
                        out[sid] = rec
    return out


def _nilai_rekam(rec: dict) -> str:
    """The verdict on one harvested answer, judged here (the grader's process) with the keys."""
    if "galat" in rec or "jawaban" not in rec:  # the check cell itself would have failed: no verdict
        return TIDAK_DIJALANKAN
    try:
        s = find(rec["soal"])
        jawaban = decode(rec["jawaban"])
        kw = {str(k): decode(v) for k, v in dict(rec.get("kw") or {}).items()}
        ruang = {str(k): decode(v) for k, v in dict(rec.get("konteks") or {}).items()}
        return judge(rec["soal"], jawaban, context_from(s, ruang, **kw)).status
    except Exception:  # noqa: BLE001 - a malformed record is that submission's loss, never the grader's crash
        return TIDAK_DIJALANKAN


# ------------------------------------------------------------------------------------------ execute
def _siapkan(nb: NotebookNode, checks: dict[str, SelCek], m: Modul) -> tuple[NotebookNode, dict[str, str]]:
    """The notebook to run: outputs cleared, one harvest cell after each unchanged check cell; and the
    tasks whose check cell was changed (``cek diubah``: not harvested, so not scored)."""
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    cells, diubah, konteks = [], {}, {s.id: s.konteks for s in m.soal}
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
            cell.metadata.pop("spm_panen", None)  # a forged harvest marker is not ours
        cells.append(cell)
        if cell.cell_type != "code" or not nbk.soal_dipanggil(cell.source):
            continue
        released = checks.get(_hash(cell.source))
        if released is None:
            for sid in nbk.soal_dipanggil(cell.source):
                diubah.setdefault(sid, CEK_DIUBAH)
            continue
        for sid, expr, kw in released.panggilan:
            cells.append(_sel_panen(sid, expr, kw, konteks.get(sid, ())))
            diubah[sid] = ""  # an unchanged copy counts
    prelude = nbformat.v4.new_code_cell(_PRELUDE)
    prelude.metadata["spm_panen"] = "_prelude"
    nb.cells = [prelude, *cells]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb, {k: v for k, v in diubah.items() if v}


def _catatan_galat(nb: NotebookNode, batas_waktu: int) -> list[str]:
    """'waktu habis di sel 7', 'galat di sel 9 (NameError)' for the facilitator (harvest cells not counted)."""
    out, i = [], 0
    for cell in nb.cells:
        if cell.get("metadata", {}).get("spm_panen"):
            continue
        i += 1
        for o in cell.get("outputs", []):
            if o.get("output_type") == "error":
                out.append(f"waktu habis di sel {i} (> {batas_waktu} detik)" if o.get("ename") in _HABIS
                           else f"galat di sel {i} ({o.get('ename', 'Error')})")
                break
    return out


class Sandbox:
    """How a submission is run. ``kind``: 'bubblewrap', 'pengguna terpisah' (an unprivileged uid) or
    'proses terpisah' (same user: scrubbed environment, own HOME/folder/process group and limits only)."""

    BWRAP, UID, PROSES = "bubblewrap", "pengguna terpisah", "proses terpisah"

    def __init__(self, kind: str | None = None, hide: tuple[Path, ...] = ()):
        self.kind = kind or self.detect()
        self.hide = tuple(Path(p).resolve() for p in (KEYS_DIR, *hide))  # the answer keys, always

    @staticmethod
    def detect() -> str:
        if shutil.which("bwrap") and Sandbox._bwrap_works():
            return Sandbox.BWRAP
        if os.geteuid() == 0 and Sandbox._nobody_can_run_python():
            return Sandbox.UID
        return Sandbox.PROSES

    @staticmethod
    def _bwrap_works() -> bool:
        try:
            return subprocess.run(["bwrap", *Sandbox._bwrap_base(), "--", sys.executable, "-c", "pass"],
                                  capture_output=True, timeout=30, check=False).returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            return False

    @staticmethod
    def _nobody_can_run_python() -> bool:
        try:
            return subprocess.run([sys.executable, "-c", "import spm_helpers"], capture_output=True, timeout=60,
                                  user=NOBODY, group=NOBODY, extra_groups=[], cwd="/", check=False).returncode == 0
        except (OSError, subprocess.TimeoutExpired):
            return False

    @staticmethod
    def _bwrap_base() -> list[str]:
        args = ["--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL",
                "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
        if os.geteuid() == 0:  # never root inside, not even a mapped one
            args += ["--unshare-user", "--uid", str(NOBODY), "--gid", str(NOBODY)]
        for d in ("/usr", "/etc/alternatives", "/etc/fonts", "/etc/ssl", "/etc/localtime", "/etc/ld.so.cache"):
            if os.path.exists(d):
                args += ["--ro-bind", d, d]
        for d in ("/bin", "/sbin", "/lib", "/lib64", "/lib32"):
            if os.path.islink(d):
                args += ["--symlink", os.readlink(d), d]
            elif os.path.isdir(d):
                args += ["--ro-bind", d, d]
        seen = set()
        for d in {sys.prefix, sys.base_prefix, sys.exec_prefix, str(PACKAGE_DIR), str(datasets_dir()),
                  *[p for p in sys.path if p and os.path.isdir(p) and "site-packages" in p]}:
            real = os.path.realpath(d)
            if real not in seen and os.path.exists(real):
                seen.add(real)
                args += ["--ro-bind", real, real]
        return args

    def command(self, home: Path) -> tuple[list[str], dict[str, str], dict[str, int]]:
        """(argv, environment, rlimits) for one submission whose HOME is ``home``."""
        runner = [sys.executable, "-m", "spm_helpers.training.sandbox_run"]
        env = _clean_env(home)
        if self.kind == self.BWRAP:
            inner_home = "/home/peserta"
            argv = ["bwrap", *self._bwrap_base()]
            for p in self.hide:  # the answer keys, the submissions folder, the results folder
                if p.exists():
                    argv += ["--tmpfs", str(p)]
            argv += ["--dir", inner_home, "--dir", f"{inner_home}/kerja", "--chdir", f"{inner_home}/kerja",
                     "--clearenv"]
            for k, v in _clean_env(Path(inner_home)).items():
                argv += ["--setenv", k, v]
            return argv + ["--", *runner], {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}, limits(nproc=True)
        return runner, env, limits(nproc=self.kind == self.UID)


def _clean_env(home: Path) -> dict[str, str]:
    """Nothing of the facilitator's environment (tokens, passwords, SPM_LATIHAN_HASIL...) goes in."""
    env = {"HOME": str(home), "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "LANG": "C.UTF-8",
           "MPLBACKEND": "Agg", "PYTHONDONTWRITEBYTECODE": "1", "OPENBLAS_NUM_THREADS": "1",
           "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "JUPYTER_PLATFORM_DIRS": "1",
           "SPM_DATASETS": str(datasets_dir()), "TMPDIR": "/tmp" if home.as_posix().startswith("/home/peserta")
           else str(home)}
    if os.environ.get("VIRTUAL_ENV"):
        env["VIRTUAL_ENV"] = os.environ["VIRTUAL_ENV"]
    # the same spm_helpers the grader runs (a checkout or a second worktree, not what an editable install
    # points to, which the sandbox does not show)
    env["PYTHONPATH"] = str(PACKAGE_DIR.parent)
    return env


def limits(nproc: bool) -> dict[str, int]:
    """The rlimits the runner sets on itself before it starts the kernel (inherited by everything below)."""
    out = {"RLIMIT_AS": MEMORI, "RLIMIT_FSIZE": UKURAN_BERKAS, "RLIMIT_CORE": 0}
    if nproc:  # counts every process of the uid: only where the submission has a uid of its own
        out["RLIMIT_NPROC"] = PROSES
    return out


class _Jalan:
    """The running processes, so Ctrl-C (or the end) kills every submission's whole process group."""

    def __init__(self):
        self.procs: set[subprocess.Popen] = set()
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def add(self, p: subprocess.Popen) -> None:
        with self.lock:
            self.procs.add(p)

    def remove(self, p: subprocess.Popen) -> None:
        with self.lock:
            self.procs.discard(p)

    def kill_all(self) -> None:
        self.stop.set()
        with self.lock:
            for p in list(self.procs):
                _kill_group(p)


def _kill_group(p: subprocess.Popen) -> None:
    try:
        os.killpg(p.pid, signal.SIGKILL)  # the kernel, its children, a daemon it left: all of them
    except (ProcessLookupError, PermissionError):
        pass


class _Slots:
    """At most ``n`` submissions compete for the CPU at once. One whose cell has run past the runner's
    ``LAMBAT`` (an infinite loop, now at nice 19) gives its slot to the next submission, so loops do not
    hold the others back."""

    def __init__(self, n: int):
        self.sem = threading.Semaphore(n)

    def take(self) -> Callable[[], None]:
        """Wait for a slot; returns the function that gives it back (once, whoever calls it first)."""
        self.sem.acquire()
        held = [True]
        lock = threading.Lock()

        def give_back() -> None:
            with lock:
                if held[0]:
                    held[0] = False
                    self.sem.release()

        return give_back


def _jalankan(nb: NotebookNode, batas_waktu: int, batas_total: float, sandbox: Sandbox,
              jalan: _Jalan, lambat: Callable[[], None] | None = None) -> tuple[NotebookNode | None, list[str]]:
    """Run one notebook in the sandbox; (executed notebook or None, notes). ``lambat`` is called when the
    runner says the notebook is now a slow one (nice 19)."""
    from spm_helpers.training.sandbox_run import TANDA_LAMBAT

    with tempfile.TemporaryDirectory(prefix="spm-nilai-") as tmp:
        home = Path(tmp) / "home"
        (home / "kerja").mkdir(parents=True)
        if sandbox.kind == Sandbox.UID:
            for d in (home, home / "kerja"):
                os.chown(d, NOBODY, NOBODY)
        argv, env, rlimits = sandbox.command(home)
        request = json.dumps({"nb": nb, "batas_waktu": batas_waktu, "batas_notebook": batas_total,
                              "batas": rlimits}).encode()
        user = {"user": NOBODY, "group": NOBODY, "extra_groups": []} if sandbox.kind == Sandbox.UID else {}
        try:  # no preexec_fn: it is unsafe with the grader's threads; the runner sets its own limits
            p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                 cwd=home / "kerja", env=env, start_new_session=True, close_fds=True, **user)
        except OSError as exc:
            return None, [f"notebook tidak dapat dijalankan ({exc.strerror})"]
        jalan.add(p)
        chunks, size, timer = [], 0, threading.Timer(batas_total, _kill_group, [p])
        timer.start()
        try:
            if jalan.stop.is_set():
                _kill_group(p)
            try:
                p.stdin.write(request)
                p.stdin.close()
            except OSError:
                pass
            while chunk := p.stdout.read1(1 << 16):
                size += len(chunk)
                if size > MAKS_KELUARAN:
                    _kill_group(p)
                    break
                chunks.append(chunk)
                if lambat and b"".join(chunks[:2]).startswith(TANDA_LAMBAT):
                    lambat()
                    lambat = None
            p.wait()
        finally:
            timer.cancel()
            _kill_group(p)  # whatever is left in the group (a daemon) goes too
            jalan.remove(p)
        if jalan.stop.is_set():
            return None, [DIHENTIKAN]
        if size > MAKS_KELUARAN:
            return None, ["keluaran notebook terlalu besar; dihentikan"]
        data = b"".join(chunks)
        if data.startswith(TANDA_LAMBAT):
            data = data[len(TANDA_LAMBAT):]
        try:
            answer = json.loads(data)
            executed = nbformat.from_dict(answer["nb"])
            status = str(answer.get("status", ""))
        except (ValueError, KeyError, TypeError):
            return None, [f"dihentikan: seluruh notebook melewati batas waktu atau prosesnya mati "
                          f"(batas {int(batas_total)} detik)"]
        notes = _catatan_galat(executed, batas_waktu)
        if status and status != "selesai":
            notes.append(status)
        return executed, notes


def batas_notebook_bawaan(batas_waktu: int) -> int:
    """The wall time of one whole notebook by default: four cell limits, at least two minutes. A finished
    exercise runs in under 15 s; a loop costs one cell limit (the runner stops a kernel that ignores the
    interrupt), so this only bounds a notebook that is slow in every cell."""
    return max(120, 4 * int(batas_waktu))


def paralel_bawaan() -> int:
    """Notebooks graded at once by default: two more than the cores this process may use. A submission
    spends part of its time waiting (kernel start-up, messages, the sandbox), so the CPUs stay busy only with
    more runs than cores: on 2 cores, 30 submissions took 63 s with 4 at once and 71 s with 3
    (benchmarks/grading.py); each more costs a kernel's memory (~215 MB with pandas)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(2, cores + 2)


def _nilai_satu(k: Kiriman, batas_waktu: int, sandbox: Sandbox, jalan: _Jalan,
                checks_of: Callable[[Modul], dict[str, SelCek]], batas_notebook: int | None = None,
                slots: _Slots | None = None) -> HasilKiriman:
    h = HasilKiriman(k.berkas, akun=akun_dari(k.berkas), sandbox=sandbox.kind)
    if k.nb is None:
        h.catatan.append(k.galat or "tidak dapat dibaca")
        return h
    h.modul = nbk.modul_notebook(k.nb)
    try:
        m = get_modul(h.modul) if h.modul is not None else None
    except KeyError:
        m = None
    ident = nbk.identitas(k.nb)  # the source as submitted, never what the run printed or recorded
    h.nama_peserta, h.opd = ident.get("nama_peserta", ""), ident.get("opd", "")
    if m is None:
        h.catatan.append("bukan notebook latihan yang dikenal (modul tidak diketahui)")
        return h
    if jalan.stop.is_set():
        h.catatan.append(DIHENTIKAN)
        return h
    nb, diubah = _siapkan(k.nb, checks_of(m), m)
    total = batas_notebook or batas_notebook_bawaan(batas_waktu)
    give_back = slots.take() if slots else None
    try:
        if jalan.stop.is_set():
            h.catatan.append(DIHENTIKAN)
            return h
        t0 = time.perf_counter()
        executed, notes = _jalankan(nb, batas_waktu, total, sandbox, jalan, lambat=give_back)
    finally:
        if give_back:
            give_back()
    h.catatan += notes
    h.detik = time.perf_counter() - t0
    if executed is None and DIHENTIKAN in notes:
        return h
    records = _panen(executed) if executed is not None else {}
    dipanggil = nbk.soal_di_notebook(k.nb)
    for s in m.soal_dinilai:
        if s.id in records:
            h.soal[s.id] = _nilai_rekam(records[s.id])
        elif s.id in diubah:
            h.soal[s.id] = CEK_DIUBAH
        else:
            h.soal[s.id] = TIDAK_DIJALANKAN if s.id in dipanggil else CEK_DIHAPUS
    if any(v == CEK_DIUBAH for v in h.soal.values()):
        h.catatan.append("sel pemeriksaan diubah dari versi rilis; soal itu tidak dinilai")
    return h


def hide_paths(folder: Path, kecuali: Path | None) -> tuple[Path, ...]:
    """What a submission must not see besides the keys: every submission and the results folder."""
    return tuple(p for p in (Path(folder), kecuali) if p is not None)


def grade(folder: str | Path, *, batas_waktu: int = BATAS_WAKTU, paralel: int | None = None,
          kecuali: Path | None = None,
          kemajuan: Callable[[HasilKiriman, int, int], None] | None = None,
          sandbox: Sandbox | None = None, batas_notebook: int | None = None) -> list[HasilKiriman]:
    """Score every submission under ``folder``; results in collection order.

    Ctrl-C stops the running notebooks (their process groups are killed) and returns what finished;
    the rest carry the note ``DIHENTIKAN``."""
    kiriman = collect(folder, kecuali)
    sandbox = sandbox or Sandbox(hide=hide_paths(Path(folder), kecuali))
    cache: dict[int, dict[str, SelCek]] = {}

    def checks_of(m: Modul) -> dict[str, SelCek]:
        if m.nomor not in cache:
            cache[m.nomor] = released_checks(m)
        return cache[m.nomor]

    jalan = _Jalan()
    hasil: list[HasilKiriman | None] = [None] * len(kiriman)
    selesai = 0
    n = max(1, paralel or paralel_bawaan())
    # n notebooks at full speed; up to 2n more may sit niced in a slow cell (a loop) without holding a slot
    pool = cf.ThreadPoolExecutor(max_workers=3 * n, thread_name_prefix="spm-nilai")
    slots = _Slots(n)
    futures = {pool.submit(_nilai_satu, k, batas_waktu, sandbox, jalan, checks_of, batas_notebook, slots): i
               for i, k in enumerate(kiriman)}
    try:
        for fut in cf.as_completed(futures):
            i = futures[fut]
            hasil[i] = fut.result()
            selesai += 1
            if kemajuan:
                kemajuan(hasil[i], selesai, len(kiriman))
    except KeyboardInterrupt:
        jalan.kill_all()
        for fut in futures:
            fut.cancel()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    for fut, i in futures.items():
        if hasil[i] is None:
            done = fut.done() and not fut.cancelled() and fut.exception() is None
            hasil[i] = fut.result() if done else HasilKiriman(kiriman[i].berkas, akun=akun_dari(kiriman[i].berkas),
                                                              catatan=[DIHENTIKAN], sandbox=sandbox.kind)
    return [h for h in hasil if h is not None]


def interrupted(hasil: list[HasilKiriman]) -> bool:
    return any(DIHENTIKAN in h.catatan for h in hasil)
