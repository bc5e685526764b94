"""``spm latihan rilis``: master notebooks → participant notebooks.

Like nbgrader's generate_assignment (ClearSolutions, ClearHiddenTests, ClearOutput), with one
deliberate difference in the stub. nbgrader writes ``raise NotImplementedError()``; for officers new
to Python that turns *Run All* into a red traceback at the first unanswered task and leaves every
later cell unrun. Here each solution region becomes::

    # TULIS JAWABAN ANDA DI SINI
    biaya_butir = ...

which runs without error: later cells still run, and the check cell answers with a yellow
"Belum dijawab — ganti tanda ... dengan jawaban Anda" instead of a traceback. The variable name
tells the participant what to produce. Check cells stay (locked, undeletable), outputs are cleared,
cells tagged ``fasilitator`` are dropped, and the result is verified to contain no solution marker.
"""
from __future__ import annotations

import copy
import re
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from spm_helpers.errors import SPMError
from spm_helpers.files import write_text
from spm_helpers.paths import exercises_dir
from spm_helpers.training import exercise_files as nbk
from spm_helpers.training.registry import Modul, daftar_modul, modul

PROMPT = "# TULIS JAWABAN ANDA DI SINI"
PROMPT_TEKS = "_TULIS JAWABAN ANDA DI SINI_"
_TARGET = re.compile(r"^([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s*(?::[^=]+)?=(?!=)")
_SOLUSI = re.compile(re.escape(nbk.BEGIN_SOLUTION) + ".*?" + re.escape(nbk.END_SOLUTION), re.S)
_README = """# Latihan SPM Workbench

## 1. Membuka JupyterLab di folder ini

Pilih cara yang sesuai dengan yang disiapkan fasilitator:

- **Dari flashdisk pemasang (tanpa internet).** Di folder flashdisk, klik dua kali
  `MULAI_WINDOWS.bat` (Windows), `MULAI_MAC.command` (macOS) atau `mulai_linux.sh` (Linux). Pertama kali,
  pemasangan makan waktu beberapa menit; setelah itu JupyterLab langsung terbuka di browser, di folder
  `SPM-Latihan` dalam folder pengguna Anda (salinan folder ini). Untuk membuka lagi besok, klik dua kali
  berkas yang sama.
- **Dari server kelas.** Buka alamat yang ditulis fasilitator di browser (mis. `http://192.168.43.10:8000`),
  lalu isi nama lengkap, OPD dan kode kelas. Tidak ada yang perlu dipasang; notebook Anda tersimpan di
  server dan terbuka lagi bila Anda masuk dengan nama dan OPD yang sama.
- **Python sudah terpasang dengan paket `spm-workbench`.** Buka terminal (Windows: *Command Prompt*) di
  folder ini, lalu ketik `python -m jupyterlab` (Windows: `py -m jupyterlab`). JupyterLab terbuka di
  browser; berkas-berkas di panel kiri adalah isi folder ini.

## 2. Mengerjakan latihan

Buka notebook modul (klik dua kali di panel kiri), isi `nama_peserta` dan `opd` di sel pertama, lalu
jalankan sel satu per satu (Shift+Enter). Ganti setiap tanda `...` di bawah tulisan
`# TULIS JAWABAN ANDA DI SINI` dengan jawaban Anda; sel pemeriksaan di bawahnya langsung memberi tahu
apakah jawaban sudah benar. Tulis angka dengan titik sebagai tanda desimal (`87.5`) dan tanpa pemisah
ribuan (`4090`): begitulah Python membaca angka.

Bila muncul "Variabel ... belum ada" (misalnya setelah kernel dimulai ulang), jalankan lagi sel-sel di
atasnya: menu Run ▸ Run All Above Selected Cell.

Semua angka adalah data contoh (sintetis), bukan data resmi: Kabupaten Bengkulu Selatan (Modul 0–4),
Kabupaten Mahakam Ulu (Modul 5) dan Kabupaten Kepulauan Meranti (Modul 6).

## 3. Menyerahkan

Simpan (Ctrl+S). Bila fasilitator meminta berkas, ganti dulu nama berkasnya dengan nama Anda
(klik kanan ▸ Rename, mis. `modul_0_pengenalan_ani_dinkes.ipynb`) supaya tidak tertimpa berkas peserta
lain, lalu serahkan berkas .ipynb itu.
"""


def _stub(lines: list[str], indent: str, nanti: str = "") -> list[str]:
    """The prompt plus ``name = ...`` for each name the solution assigns at its own indentation and a
    later cell uses (the answer, not the helper variables of one particular solution)."""
    names: list[str] = []
    for line in lines:
        if line.startswith(indent) and not line[len(indent):].startswith((" ", "\t", "#")):
            m = _TARGET.match(line[len(indent):])
            if m:
                names += [n.strip() for n in m.group(1).split(",") if n.strip() not in names]
    dipakai = [n for n in names if re.search(rf"\b{n}\b", nanti)] or names[-1:]
    body = [f"{indent}{n} = ..." for n in dipakai] or ([f"{indent}pass"] if indent else [])
    return [indent + PROMPT] + body


def _ganti_wilayah(source: str, begin: str, end: str, ganti, letak: str) -> str:
    """Replace each ``begin``…``end`` region with ``ganti(lines, indent)``; unbalanced markers fail."""
    out: list[str] = []
    region: list[str] | None = None
    indent = ""
    for line in source.splitlines():
        stripped = line.strip()
        if stripped.startswith(begin):
            if region is not None:
                raise SPMError(f"{letak}: '{begin}' dibuka dua kali tanpa '{end}'.")
            region, indent = [], line[: len(line) - len(line.lstrip())]
        elif stripped.startswith(end):
            if region is None:
                raise SPMError(f"{letak}: '{end}' tanpa '{begin}'.")
            out += ganti(region, indent)
            region = None
        elif region is not None:
            region.append(line)
        else:
            out.append(line)
    if region is not None:
        raise SPMError(f"{letak}: '{begin}' tidak ditutup dengan '{end}'.")
    return "\n".join(out)


def release_notebook(master: NotebookNode, nama: str = "notebook") -> NotebookNode:
    """The participant version of one master notebook."""
    nb = copy.deepcopy(master)
    cells = []
    for i, cell in enumerate(nb.cells, start=1):
        if nbk.TAG_FASILITATOR in cell.metadata.get("tags", []):
            continue
        letak = f"{nama}, sel {i}"
        if cell.cell_type == "code":
            nanti = "\n".join(_SOLUSI.sub("", c.source) for c in nb.cells[i:] if c.cell_type == "code")
            src = _ganti_wilayah(cell.source, nbk.BEGIN_SOLUTION, nbk.END_SOLUTION,
                                 lambda r, ind: _stub(r, ind, nanti), letak)
            cell.source = _ganti_wilayah(src, nbk.BEGIN_HIDDEN, nbk.END_HIDDEN, lambda r, ind: [], letak)
            cell.outputs, cell.execution_count = [], None
        elif cell.cell_type == "markdown":
            cell.source = _ganti_wilayah(cell.source, nbk.BEGIN_SOLUTION, nbk.END_SOLUTION,
                                         lambda r, ind: [PROMPT_TEKS], letak)
        for key in ("execution", "collapsed", "scrolled"):
            cell.metadata.pop(key, None)
        cells.append(cell)
    nb.cells = cells
    sisa = [m for c in nb.cells for m in (nbk.BEGIN_SOLUTION, nbk.END_SOLUTION, nbk.BEGIN_HIDDEN) if m in c.source]
    if sisa:  # defence in depth: never hand out a solution
        raise SPMError(f"{nama}: penanda jawaban masih tersisa setelah rilis ({', '.join(sorted(set(sisa)))}).")
    nbformat.validate(nb)
    return nb


def master_path(m: Modul, folder: Path | None = None) -> Path:
    return (folder or exercises_dir()) / m.berkas


def _pilih(nomor: list[int] | None) -> list[Modul]:
    if not nomor:
        return [m for m in daftar_modul() if master_path(m).exists()]
    try:
        return [modul(n) for n in nomor]
    except KeyError as exc:
        raise SPMError(exc.args[0]) from None


def release(ke: str | Path, nomor: list[int] | None = None, *, timpa: bool = False,
            sumber: str | Path | None = None) -> list[Path]:
    """Write participant notebooks (and a short README) into ``ke``; refuses to replace existing files
    unless ``timpa``. Nothing is written when any target exists."""
    ke = Path(ke)
    src_dir = Path(sumber) if sumber else None
    mods = _pilih(nomor)
    plan = {ke / m.berkas: master_path(m, src_dir) for m in mods}
    hilang = [str(p) for p in plan.values() if not p.exists()]
    if hilang:
        raise SPMError("Notebook induk tidak ditemukan: " + ", ".join(hilang))
    targets = [*plan, ke / "BACA_DULU.md"]
    ada = [str(p) for p in targets if p.exists()]
    if ada and not timpa:
        raise SPMError("Berkas berikut sudah ada dan tidak akan ditimpa: " + ", ".join(ada)
                       + ". Pilih folder lain atau tambahkan --timpa.")
    released = {t: release_notebook(nbk.read(s), s.name) for t, s in plan.items()}  # all or nothing
    out = [write_text(t, nbformat.writes(nb) + "\n") for t, nb in released.items()]
    out.append(write_text(ke / "BACA_DULU.md", _README))
    return out
