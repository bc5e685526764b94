"""``spm latihan nilai``: execute collected notebooks and score each task.

Collection is a folder drop (nbgrader's zip_collect idea, no exchange service): every ``.ipynb``
under the folder, also inside ``.zip`` files (one zip inside another too), whatever the participants
named them. Each submission runs in its own kernel in its own temporary working folder, with a time
limit per cell (the kernel is interrupted and the next cell runs: nbclient ``interrupt_on_timeout`` +
``allow_errors``) and a limit for the whole notebook, so an infinite loop or a crash in one
notebook never stops the others. Several run at once (``paralel``); scoring 30 is a minute or so.

What counts is what ``check`` recorded while the notebook ran: each kernel gets ``SPM_LATIHAN_HASIL``
pointing at a side file of JSON lines. A task without a record is ``cek dihapus`` when no cell calls
its check any more, else ``tidak dijalankan`` (an error or a timeout stopped it).
"""
from __future__ import annotations

import asyncio
import io
import json
import os
import subprocess
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import nbformat
from nbclient import NotebookClient
from nbformat import NotebookNode

from spm_helpers.training import exercise_files as nbk
from spm_helpers.training.feedback import BENAR, ENV_HASIL
from spm_helpers.training.registry import modul as get_modul

CEK_DIHAPUS = "cek dihapus"
TIDAK_DIJALANKAN = "tidak dijalankan"
_ABAIKAN = ("__MACOSX", ".ipynb_checkpoints")
MAKS_ZIP_BERSARANG = 2
# Nobody presses "interrupt" in a headless run: a KeyboardInterrupt is the timeout's interrupt.
_HABIS = ("WaktuHabis", "KeyboardInterrupt")


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

    @property
    def benar(self) -> int:
        return sum(s == BENAR for s in self.soal.values())


# ------------------------------------------------------------------------------------------ collect
def _dibaca(berkas: str, data: bytes) -> Kiriman:
    try:
        return Kiriman(berkas, nbformat.reads(data.decode("utf-8-sig"), as_version=4))
    except Exception:  # not JSON, truncated upload, wrong encoding: report, do not stop
        return Kiriman(berkas, galat="berkas notebook rusak atau tidak dapat dibaca")


def _dari_zip(nama: str, data: bytes, depth: int) -> list[Kiriman]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return [Kiriman(nama, galat="berkas zip rusak")]
    out = []
    with zf:
        for info in sorted(zf.infolist(), key=lambda i: i.filename):
            inner = info.filename
            if info.is_dir() or any(p in inner for p in _ABAIKAN) or Path(inner).name.startswith("."):
                continue
            if inner.lower().endswith(".ipynb"):
                out.append(_dibaca(f"{nama}/{inner}", zf.read(info)))
            elif inner.lower().endswith(".zip") and depth < MAKS_ZIP_BERSARANG:
                out += _dari_zip(f"{nama}/{inner}", zf.read(info), depth + 1)
    return out


def collect(folder: str | Path, kecuali: Path | None = None) -> list[Kiriman]:
    """Every notebook under ``folder`` (sorted, hidden folders and checkpoints skipped)."""
    root = Path(folder)
    out: list[Kiriman] = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if not path.is_file() or any(p.startswith(".") or p in _ABAIKAN for p in rel.parts):
            continue
        if kecuali is not None and kecuali.resolve() in path.resolve().parents:
            continue
        suffix = path.suffix.lower()
        if suffix == ".ipynb":
            out.append(_dibaca(rel.as_posix(), path.read_bytes()))
        elif suffix == ".zip":
            out += _dari_zip(rel.as_posix(), path.read_bytes(), 1)
    return out


# ------------------------------------------------------------------------------------------ execute
def _siapkan(nb: NotebookNode) -> NotebookNode:
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def _catatan_galat(nb: NotebookNode, batas_waktu: int) -> list[str]:
    """'waktu habis di sel 7', 'galat di sel 9 (NameError)' for the facilitator."""
    out = []
    for i, cell in enumerate(nb.cells, start=1):
        for o in cell.get("outputs", []):
            if o.get("output_type") == "error":
                out.append(f"waktu habis di sel {i} (> {batas_waktu} detik)" if o.get("ename") in _HABIS
                           else f"galat di sel {i} ({o.get('ename', 'Error')})")
                break
    return out


async def _jalankan(nb: NotebookNode, batas_waktu: int, kerja: Path, hasil: Path) -> list[str]:
    client = NotebookClient(
        nb, timeout=batas_waktu, allow_errors=True, interrupt_on_timeout=True, kernel_name="python3",
        error_on_timeout={"ename": "WaktuHabis", "evalue": f"Sel melewati batas waktu {batas_waktu} detik",
                          "traceback": []},
        resources={"metadata": {"path": str(kerja)}}, startup_timeout=120,
    )
    env = {**os.environ, ENV_HASIL: str(hasil), "MPLBACKEND": "Agg"}
    n_code = sum(c.cell_type == "code" for c in nb.cells)
    try:  # the per-cell limit handles loops; this bounds a kernel that ignores interrupts
        await asyncio.wait_for(client.async_execute(env=env, stderr=subprocess.DEVNULL),  # kernel's own log
                               timeout=batas_waktu * max(n_code, 1) + 60)
    except TimeoutError:
        return _catatan_galat(nb, batas_waktu) + ["dihentikan: seluruh notebook melewati batas waktu"]
    except Exception as exc:  # dead kernel, broken notebook structure
        return _catatan_galat(nb, batas_waktu) + [f"eksekusi berhenti ({type(exc).__name__})"]
    return _catatan_galat(nb, batas_waktu)


def _baca_hasil(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """(task → last status, identity recorded by ``start``) from the side file."""
    status: dict[str, str] = {}
    ident: dict[str, str] = {}
    if not path.exists():
        return status, ident
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            rec = json.loads(line)
        except json.JSONDecodeError:
            continue
        if "soal" in rec and not rec.get("widget"):
            status[str(rec["soal"])] = str(rec.get("status"))
        elif "peserta" in rec:
            ident = {"nama_peserta": str(rec.get("peserta") or ""), "opd": str(rec.get("opd") or "")}
    return status, ident


async def _nilai_satu(k: Kiriman, batas_waktu: int) -> HasilKiriman:
    h = HasilKiriman(k.berkas)
    if k.nb is None:
        h.catatan.append(k.galat or "tidak dapat dibaca")
        return h
    h.modul = nbk.modul_notebook(k.nb)
    try:
        m = get_modul(h.modul) if h.modul is not None else None
    except KeyError:
        m = None
    ident = nbk.identitas(k.nb)
    if m is None:
        h.nama_peserta, h.opd = ident.get("nama_peserta", ""), ident.get("opd", "")
        h.catatan.append("bukan notebook latihan yang dikenal (modul tidak diketahui)")
        return h
    t0 = time.perf_counter()
    nb = _siapkan(k.nb)
    with tempfile.TemporaryDirectory(prefix="spm-nilai-") as tmp:
        kerja = Path(tmp) / "kerja"
        kerja.mkdir()
        hasil = Path(tmp) / "hasil.jsonl"
        h.catatan += await _jalankan(nb, batas_waktu, kerja, hasil)
        status, ident_run = _baca_hasil(hasil)
    h.detik = time.perf_counter() - t0
    h.nama_peserta = ident.get("nama_peserta") or ident_run.get("nama_peserta", "")
    h.opd = ident.get("opd") or ident_run.get("opd", "")
    dipanggil = nbk.soal_di_notebook(k.nb)
    for s in m.soal_dinilai:
        h.soal[s.id] = status.get(s.id) or (TIDAK_DIJALANKAN if s.id in dipanggil else CEK_DIHAPUS)
    return h


def grade(folder: str | Path, *, batas_waktu: int = 60, paralel: int = 4, kecuali: Path | None = None,
          kemajuan: Callable[[HasilKiriman, int, int], None] | None = None) -> list[HasilKiriman]:
    """Score every submission under ``folder``; results in collection order."""
    kiriman = collect(folder, kecuali)
    return asyncio.run(_nilai_semua(kiriman, batas_waktu, paralel, kemajuan))


async def _nilai_semua(kiriman: list[Kiriman], batas_waktu: int, paralel: int,
                       kemajuan: Callable[[HasilKiriman, int, int], None] | None) -> list[HasilKiriman]:
    sem = asyncio.Semaphore(max(1, paralel))
    selesai = 0

    async def satu(k: Kiriman) -> HasilKiriman:
        nonlocal selesai
        async with sem:
            h = await _nilai_satu(k, batas_waktu)
        selesai += 1
        if kemajuan:
            kemajuan(h, selesai, len(kiriman))
        return h

    return list(await asyncio.gather(*(satu(k) for k in kiriman)))
