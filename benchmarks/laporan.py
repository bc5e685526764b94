"""Benchmark: execution time of the regional report notebook (laporan_wilayah.ipynb) per region.

Warm: the batch's own path (``batch.worker.run_task``: one kernel kept warm and reset between regions,
in-process HTML export). Naive: ``publish.run_notebook`` (papermill, a new kernel per region) + the same
export. Both on the same demo data (generated once, not timed) and regions. Printed per region: wall
time, and the notebook's own execution time (sum of papermill's per-cell durations), which is the figure
the < 2 s target is about; then the slowest cells and the ratio naive / warm.

    python benchmarks/laporan.py            # 12 regions warm, 3 naive
    python benchmarks/laporan.py --n 30
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat

try:
    LOAD = os.getloadavg()[0]
except (AttributeError, OSError):  # Windows
    LOAD = float("nan")

ROOT = Path(__file__).resolve().parents[1]
TAHUN = 2025


def pick(n: int) -> list[str]:
    from spm_helpers.reference import regions

    codes = regions.select("all")
    step = max(1, len(codes) // n)
    return codes[::step][:n]


def cell_seconds(nb: nbformat.NotebookNode) -> list[tuple[float, str]]:
    return [(float(c.metadata.get("papermill", {}).get("duration") or 0.0), c.source.splitlines()[0][:60])
            for c in nb.cells if c.cell_type == "code"]


def in_process(codes: list[str], data: Path, out: Path) -> list[tuple[float, float]]:
    """(wall, CPU) seconds of the report's own work per region without a kernel: the same calls the cells
    make, each section rendered to its HTML/SVG. CPU time is what the report costs on an idle machine."""
    from IPython.core.formatters import DisplayFormatter

    from spm_helpers import region
    from spm_helpers.documents.regional_report import LaporanWilayah
    from spm_helpers.reference import catalog
    from spm_helpers.views.blocks import Bagian

    fmt = DisplayFormatter()
    sections = ["sampul", "kata_pengantar", "ringkasan", "latar_belakang", "dasar_hukum", "kebijakan_umum",
                "arah_kebijakan", "data_dan_metode", "pengantar_bab2", "capaian_per_bidang", "anggaran_spm",
                "rencana_pemenuhan", "permasalahan_solusi", "mutu_data", "penutup", "lampiran_mutu_data"]
    times = []
    for kode in codes:
        w0, c0 = time.perf_counter(), time.process_time()
        hasil = region.compute(region.load_region_data(kode, TAHUN, data))
        lap = LaporanWilayah(hasil)
        parts = [getattr(lap, s)() for s in sections] + [lap.bab_bidang(b) for b in catalog.bidang_order()]
        for part in parts:
            for block in (part if isinstance(part, Bagian) else [part]):
                fmt.format(block)
        region.write_outputs(hasil, out / kode)
        times.append((time.perf_counter() - w0, time.process_time() - c0))
    return times


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=12)
    ap.add_argument("--naif", type=int, default=3)
    ap.add_argument("--sel", type=int, default=6, help="berapa sel paling lambat dicetak")
    args = ap.parse_args(argv)

    from spm_helpers.batch.worker import Task, run_task, shutdown_kernels
    from spm_helpers.documents import publish
    from spm_helpers.inputs import demo

    notebook = ROOT / "notebooks" / "laporan_wilayah.ipynb"
    codes = pick(args.n)
    with tempfile.TemporaryDirectory(prefix="bench-laporan-") as tmp:
        tmp = Path(tmp)
        data = tmp / "data"
        demo.write(demo.generate(codes, range(TAHUN - 4, TAHUN + 1)), data, fmt="parquet")

        warm = []
        for kode in codes:
            task = Task(kode, TAHUN, str(notebook), str(tmp / "hangat"), str(data), formats=("html",))
            res = run_task(task)
            if res["status"] != "berhasil":
                print(f"{kode}: GAGAL {res['galat']}")
                return 1
            nb = nbformat.read(task.out_dir / "laporan.ipynb", as_version=4)
            cells = cell_seconds(nb)
            warm.append((kode, res["detik"], sum(s for s, _ in cells), res["kernel"], cells))
        shutdown_kernels()

        proc = in_process(codes, data, tmp / "proses")[1:]  # the first pays one-off imports and caches

        naive = []
        for kode in codes[:args.naif]:
            out = tmp / "naif" / kode
            out.mkdir(parents=True)
            t0 = time.perf_counter()
            nb = publish.run_notebook(notebook, out / "laporan.ipynb", {
                "kode_wilayah": kode, "tahun": TAHUN, "data_dir": str(data), "output_dir": str(out)}, cwd=out.parent)
            publish.export_report(nb, out, ["html"])
            naive.append((kode, time.perf_counter() - t0, sum(s for s, _ in cell_seconds(nb))))

    print(f"Beban mesin (load average 1 menit) saat mulai: {LOAD:.2f} pada {os.cpu_count()} inti")
    print(f"{'wilayah':8} {'kernel':7} {'wall s':>7} {'eksekusi s':>11}")
    for kode, wall, exe, kern, _ in warm:
        print(f"{kode:8} {kern:7} {wall:7.2f} {exe:11.2f}")
    steady = [w for w in warm if w[3] == "hangat"]
    med_wall = statistics.median(w[1] for w in steady)
    med_exec = statistics.median(w[2] for w in steady)
    print(f"\nHangat (median {len(steady)} wilayah): wall {med_wall:.2f} s, eksekusi notebook {med_exec:.2f} s")
    slow: dict[str, list[float]] = {}
    for *_, cells in steady:
        for s, src in cells:
            slow.setdefault(src, []).append(s)
    print("Sel paling lambat (median, hangat):")
    for src, vals in sorted(slow.items(), key=lambda kv: -statistics.median(kv[1]))[:args.sel]:
        print(f"  {statistics.median(vals):5.2f} s  {src}")
    print(f"Tanpa kernel, dalam proses (median {len(proc)}): wall {statistics.median(p[0] for p in proc):.2f} s, "
          f"CPU {statistics.median(p[1] for p in proc):.2f} s")
    nw = statistics.median(n[1] for n in naive)
    ne = statistics.median(n[2] for n in naive)
    print(f"\nNaif, kernel baru per wilayah (median {len(naive)}): wall {nw:.2f} s, eksekusi notebook {ne:.2f} s")
    print(f"Rasio naif / hangat: wall {nw / med_wall:.1f}×, eksekusi {ne / med_exec:.1f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
