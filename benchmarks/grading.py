"""Benchmark: grading 30 submissions with the sandboxed grader (``spm latihan nilai``), one at a time
against several at once, same submissions, same run.

The 30 are made from the released exercises the way a class hands them in: Modul 0 right, partly wrong,
empty and broken (a syntax error, an infinite loop, and a loop that ignores Ctrl-C / SIGINT), and
Modul 1–6 right, wrong or empty. Every run's table is compared with the expected statuses, so a faster
grader that scores differently fails here.

    python benchmarks/grading.py                    # naive, one slot, the default; 3 runs each
    python benchmarks/grading.py --runs 1 --paralel 2 --paralel 4 --tanpa-serial
    python benchmarks/grading.py --batas-waktu 60 --batas-notebook 300   # the limits of an older default

Prints per mode: the median wall time of the whole grading, the median time until every submission
except the two loops was graded ("lainnya"), each loop's time, the ratios and ``uptime``. Modes: paralel=0 is
the naive way (each notebook graded on its own, one after the other), paralel=1 the grader with one slot (a
loop gives its slot away once it is niced), paralel=N the grader's default (cores + 2).
"""
from __future__ import annotations

import argparse
import copy
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from spm_helpers.paths import exercises_dir  # noqa: E402
from spm_helpers.training import exercise_files as nbk  # noqa: E402
from spm_helpers.training import grade  # noqa: E402
from spm_helpers.training.feedback import BELUM, BENAR, SALAH  # noqa: E402
from spm_helpers.training.registry import daftar_modul  # noqa: E402
from spm_helpers.training.release import release_notebook  # noqa: E402

LOOPS = ("m0_loop.ipynb", "m0_abaikan_sigint.ipynb")
OPD = ["Dinkes", "Disdik", "Dinsos", "PUPR", "Perkim", "Satpol PP", "BPBD", "Damkar"]


def _sign(nb, nama: str, opd: str):
    nb = copy.deepcopy(nb)
    cell = next(c for c in nb.cells if 'nama_peserta = ""' in c.source)
    cell.source = cell.source.replace('nama_peserta = ""', f'nama_peserta = "{nama}"').replace(
        'opd = ""', f'opd = "{opd}"')
    return nb


def _answer(nb, variabel: str, kode: str):
    """What a participant typed instead of the solution that assigns ``variabel``."""
    cell = next(c for c in nb.cells if nbk.BEGIN_SOLUTION in c.source and f"\n{variabel} =" in c.source)
    cell.source = kode
    return nb


def make_submissions(folder: Path) -> dict[str, dict[str, str]]:
    """Write the 30 notebooks into ``folder``; returns file → expected status per task."""
    master = {m.nomor: nbk.read(exercises_dir() / m.berkas) for m in daftar_modul()}
    soal = {m.nomor: [s.id for s in m.soal_dinilai] for m in daftar_modul()}
    semua = {n: dict.fromkeys(ids, BENAR) for n, ids in soal.items()}
    exp: dict[str, dict[str, str]] = {}

    def put(name: str, nb, statuses: dict[str, str]) -> None:
        nbformat.write(nb, folder / name)
        exp[name] = statuses

    for i in range(8):
        put(f"m0_benar_{i}.ipynb", _sign(master[0], f"Benar {i}", OPD[i]), semua[0])
    for i in range(5):  # counted all jenis, and a fraction instead of a percent
        nb = _answer(_sign(master[0], f"Sebagian {i}", OPD[i]), "jumlah_jenis_kabkota",
                     "jumlah_jenis_kabkota = len(catalog.jenis())")
        nb = _answer(nb, "capaian_ibu_hamil", "b = sasaran[(sasaran['tahun'] == 2025) & (sasaran['kode_jenis'] == "
                                              "'KES-KK-01')].iloc[0]\ncapaian_ibu_hamil = b['jumlah_terlayani'] / "
                                              "b['jumlah_sasaran']")
        put(f"m0_sebagian_{i}.ipynb", nb, {**semua[0], "m0.t1": SALAH, "m0.t4": SALAH})
    for i in range(3):
        put(f"m0_kosong_{i}.ipynb", _sign(release_notebook(master[0]), f"Kosong {i}", OPD[i]),
            dict.fromkeys(soal[0], BELUM))
    put("m0_sintaks.ipynb", _answer(_sign(master[0], "Salah Ketik", "PUPR"), "sasaran_ibu_hamil",
                                    "sasaran_ibu_hamil = (4090"), {**semua[0], "m0.t3": grade.TIDAK_DIJALANKAN})
    put(LOOPS[0], _answer(_sign(master[0], "Lupa Berhenti", "PUPR"), "kode_kota_bengkulu", "while True:\n    pass"),
        {**semua[0], "m0.t2": grade.TIDAK_DIJALANKAN})
    # Ctrl-C does nothing: the kernel never answers again, so what comes after the loop is not reached
    put(LOOPS[1], _answer(_sign(master[0], "Tak Bisa Disela", "BPBD"), "kode_kota_bengkulu",
                          "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"),
        {"m0.t1": BENAR, **dict.fromkeys(soal[0][1:], grade.TIDAK_DIJALANKAN)})
    for i in range(2):
        put(f"m1_benar_{i}.ipynb", _sign(master[1], f"Satu {i}", OPD[i]), semua[1])
    nb = _answer(_sign(master[1], "Satu Salah", "Dinkes"), "jenis_melebihi",
                 "jenis_melebihi = s2025.loc[s2025['jumlah_terlayani'] >= s2025['jumlah_sasaran'], "
                 "'kode_jenis'].tolist()")
    put("m1_salah.ipynb", nb, {**semua[1], "m1.t2": SALAH})
    for i in range(2):
        put(f"m2_benar_{i}.ipynb", _sign(master[2], f"Dua {i}", OPD[i]), semua[2])
    nb = _answer(_sign(master[2], "Dua Salah", "Dinkes"), "total_biaya",
                 "sasaran_jenis = s[(s['tahun'] == 2025) & (s['kode_jenis'] == kode_jenis)]\n"
                 "t = compute_kebutuhan(sasaran_jenis, data.ketersediaan, data.harga_satuan)\n"
                 "total_biaya = ((t['kebutuhan'] - t['tersedia']) * t['harga_satuan']).sum()")
    put("m2_salah.ipynb", nb, {**semua[2], "m2.t4": SALAH})
    for n in (3, 4, 5, 6):
        put(f"m{n}_benar.ipynb", _sign(master[n], f"Modul {n}", OPD[n]), semua[n])
    put("m3_kosong.ipynb", _sign(release_notebook(master[3]), "Tiga Kosong", "Dinsos"), dict.fromkeys(soal[3], BELUM))
    assert len(exp) == 30, len(exp)
    return exp


def run_once(folder: Path, paralel: int, batas_waktu: int, batas_notebook: int | None) -> dict:
    """Grade the folder once; wall time, time until all but the loops were done, each loop's time."""
    t0 = time.perf_counter()
    done: dict[str, float] = {}

    def kemajuan(h, _selesai, _total):
        done[h.berkas] = time.perf_counter() - t0

    if paralel == 0:  # the naive way: one notebook after the other, each graded on its own
        hasil = []
        for nb in sorted(folder.glob("*.ipynb")):
            with tempfile.TemporaryDirectory() as one:
                shutil.copy(nb, Path(one) / nb.name)
                hasil += grade.grade(one, batas_waktu=batas_waktu, paralel=1, kemajuan=kemajuan,
                                     batas_notebook=batas_notebook)
    else:
        hasil = grade.grade(folder, batas_waktu=batas_waktu, paralel=paralel, kemajuan=kemajuan,
                            batas_notebook=batas_notebook)
    wall = time.perf_counter() - t0
    others = max(t for b, t in done.items() if b not in LOOPS)
    return {"wall": wall, "lainnya": others, "hasil": hasil,
            "loop": {b: next(h.detik for h in hasil if h.berkas == b) for b in LOOPS}}


def check(hasil, exp: dict[str, dict[str, str]]) -> list[str]:
    """Differences between the graded table and the expected one (empty when equal)."""
    got = {h.berkas: h.soal for h in hasil}
    return [f"{b}: diharapkan {exp[b]}, didapat {got.get(b)}" for b in exp if got.get(b) != exp[b]]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--paralel", type=int, action="append", help="workers (repeatable); default: the grader's own")
    ap.add_argument("--tanpa-serial", action="store_true", help="skip the one-at-a-time runs")
    ap.add_argument("--batas-waktu", type=int, default=None, help="per-cell limit (default: the CLI's)")
    ap.add_argument("--batas-notebook", type=int, default=None, help="whole-notebook limit (default: the grader's)")
    args = ap.parse_args()
    batas_waktu = args.batas_waktu or getattr(grade, "BATAS_WAKTU", 60)
    paralels = args.paralel or [getattr(grade, "paralel_bawaan", lambda: 2)()]
    modes = ([] if args.tanpa_serial else [0, 1]) + paralels
    print(f"cores={os.cpu_count()} sandbox={grade.Sandbox.detect()} batas_waktu={batas_waktu} "
          f"batas_notebook={args.batas_notebook or grade.batas_notebook_bawaan(batas_waktu)} modes={modes}")
    print("uptime sebelum:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    results: dict[int, list[dict]] = {m: [] for m in modes}
    failed = False
    with tempfile.TemporaryDirectory(prefix="spm-bench-nilai-") as tmp:
        folder = Path(tmp) / "kiriman"
        folder.mkdir()
        exp = make_submissions(folder)
        for r in range(args.runs):
            for m in modes:  # interleaved, so a drift in machine speed hits every mode alike
                res = run_once(folder, m, batas_waktu, args.batas_notebook)
                diff = check(res["hasil"], exp)
                if diff:
                    print("TABEL BERBEDA:\n  " + "\n  ".join(diff))
                    failed = True
                results[m].append(res)
                print(f"  run {r + 1} paralel={m}: {res['wall']:.1f} s (lainnya {res['lainnya']:.1f} s; loop "
                      + ", ".join(f"{b} {t:.1f} s" for b, t in res["loop"].items()) + ")", flush=True)
    print("uptime sesudah:", subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    med = {m: statistics.median(r["wall"] for r in rs) for m, rs in results.items()}
    for m, rs in results.items():
        print(f"paralel={m}: median {med[m]:.1f} s untuk 30 kiriman (min {min(r['wall'] for r in rs):.1f}, "
              f"max {max(r['wall'] for r in rs):.1f}); semua kecuali 2 loop selesai dalam median "
              f"{statistics.median(r['lainnya'] for r in rs):.1f} s")
    for base in (0, 1):
        if base in med:
            for m in paralels:
                print(f"rasio paralel={base}/paralel={m}: {med[base] / med[m]:.2f}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
