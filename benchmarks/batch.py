"""Benchmark: ``spm batch`` against the naive loop a user would write, same regions, same run.

Naive: for each region, ``papermill`` CLI (new Python, new kernel) then ``jupyter nbconvert --to html
--no-input`` (new Python again). Batch: one ``spm batch`` command (worker processes with warm
kernels, in-process export). Both read the same demo data (generated once, not timed) and run the
same notebook (the report notebook if it exists, else the batch test fixture).

    python benchmarks/batch.py                 # 20 regions each way, prints ratio and 552 estimate
    python benchmarks/batch.py --n 30 --semua  # also time spm batch on all 552 regions for real
    python benchmarks/batch.py --dokumen --n 6 # HTML vs HTML+PDF (Typst in the warm kernel) vs HTML+PDF
                                               # by Chromium, one browser per worker vs one launch per PDF
                                               # (the old way) vs +DOCX
    python benchmarks/batch.py --dokumen --n 0 --semua
                                               # all 552 for real, HTML only then html,pdf back to back
                                               # (--n 0: without the side-by-side sample first)
    python benchmarks/batch.py --triwulan 2 --n 20 [--semua]
                                               # the annual report batch against spm batch --triwulan 2
                                               # (quarter pack: HTML + Excel), same regions, back to back

The 552-region estimate for the batch is its measured time plus the remaining regions at the
steady rate seen in this run (time between the first and the last finished region).
"""
from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ALL = 552
TAHUN = 2024


def pick(n: int) -> list[str]:
    """``n`` regions spread over the country (provinces and kab/kota alike)."""
    from spm_helpers.reference import regions

    codes = regions.select("all")
    step = max(1, len(codes) // n)
    return codes[::step][:n]


def naive(codes: list[str], notebook: Path, data: Path, out: Path) -> float:
    out.mkdir(parents=True)
    lines = [f"cd {shlex.quote(str(notebook.parent))}"]
    for k in codes:
        nb = out / f"{k}.ipynb"
        lines.append(f"{BIN}/papermill --no-progress-bar --log-level ERROR {shlex.quote(notebook.name)} {nb} "
                     f"-r kode_wilayah {k} -p tahun {TAHUN} -p data_dir {data} -p output_dir {out / k}")
        lines.append(f"{BIN}/jupyter nbconvert --to html --no-input --log-level ERROR {nb}")
    start = time.perf_counter()
    done = subprocess.run(["bash", "-e", "-c", "\n".join(lines)], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    if done.returncode:
        sys.exit(f"naive loop failed:\n{done.stderr[-2000:]}")
    return time.perf_counter() - start


def spm_batch(codes: list[str], notebook: Path | None, data: Path, out: Path, workers: int, formats: str = "html",
              env: dict | None = None, triwulan: int | None = None) -> tuple[float, dict]:
    """One ``spm batch`` run; ``triwulan``: the quarterly batch (its own notebook, 06_laporan_triwulan)."""
    cmd = [str(BIN / "spm"), "batch", "--wilayah", ",".join(codes), "--tahun", str(TAHUN), "--data", str(data),
           "--ke", str(out), "--workers", str(workers), "--format", formats]
    cmd += ["--triwulan", str(triwulan)] if triwulan else ["--notebook", str(notebook)]
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, env=None if env is None else {**os.environ, **env})
    elapsed = time.perf_counter() - start
    return elapsed, json.loads((out / "manifest.json").read_text())


def machine_speed() -> float:
    """Seconds for 10 million Python additions (median of 3): this shared machine's speed varies by a factor
    of two between hours, so a time printed beside it can be compared with a run on another day."""
    def loop() -> float:
        start, total = time.perf_counter(), 0
        for i in range(10_000_000):
            total += i
        return time.perf_counter() - start

    return statistics.median(loop() for _ in range(3))


def steady_rate(manifest: dict) -> float:
    """Seconds per region once all workers are warm: spread of finish times over the regions between."""
    done = sorted(datetime.fromisoformat(e["selesai_pada"]).timestamp() for e in manifest["wilayah"])
    return (done[-1] - done[0]) / max(1, len(done) - 1)


def documents(codes: list[str], notebook: Path, data: Path, tmp: Path, workers: int) -> None:
    """The same regions five ways, side by side: HTML only; HTML+PDF with Typst in the warm kernel (no
    start per document); HTML+PDF printed by the Chromium fallback with one browser per worker, reused; the
    same with one Chromium launch per PDF (how PDFs were made before); HTML+PDF+DOCX. Prints per-region
    rates, ratios and the 552-region estimate of each."""
    n = len(codes)
    ways = [("html", "html", None), ("html+pdf (Typst, kernel hangat)", "html,pdf", None),
            ("html+pdf (Chromium satu per pekerja)", "html,pdf", {"SPM_PDF": "chromium"}),
            ("html+pdf (Chromium per dokumen)", "html,pdf", {"SPM_PDF": "chromium-per-dokumen"}),
            ("html+pdf+docx (Typst)", "html,pdf,docx", None)]
    results = {}
    for i, (name, formats, env) in enumerate(ways):
        elapsed, manifest = spm_batch(codes, notebook, data, tmp / f"dok{i}", workers, formats, env)
        rate = steady_rate(manifest)
        est = elapsed + (ALL - n) * rate
        results[name] = (elapsed, rate, est)
        print(f"{name:38s} {elapsed:7.1f} s = {elapsed / n:.2f} s/wilayah (laju stabil {rate:.2f} s/wilayah, "
              f"{manifest['jumlah']['gagal']} gagal) → perkiraan {ALL} wilayah {est / 60:.1f} menit")
    base = results["html"][1]
    for name, (_, rate, est) in results.items():
        print(f"  rasio laju {name} / html: {rate / base:.2f}x")
    typst = results["html+pdf (Typst, kernel hangat)"][1]
    pooled = results["html+pdf (Chromium satu per pekerja)"][1]
    once = results["html+pdf (Chromium per dokumen)"][1]
    print(f"  rasio laju Chromium per dokumen / Chromium satu per pekerja: {once / pooled:.2f}x")
    print(f"  rasio laju Chromium per dokumen / Typst: {once / typst:.2f}x")
    print(f"  rasio laju Chromium satu per pekerja / Typst: {pooled / typst:.2f}x")


def everything(notebook: Path, data: Path, tmp: Path, workers: int) -> None:
    """All 552 regions for real, HTML only and then HTML+PDF, back to back (the machine may be shared: the
    ratio of the two says more than either time alone), with the load average before and after each."""
    times = {}
    for formats in ("html", "html,pdf"):
        before = os.getloadavg()
        elapsed, manifest = spm_batch(["all"], notebook, data, tmp / f"semua-{formats.replace(',', '-')}",
                                      workers, formats)
        after = os.getloadavg()
        times[formats] = elapsed
        print(f"spm batch --format {formats}, {ALL} wilayah sungguhan: {elapsed:.1f} s = {elapsed / 60:.2f} menit "
              f"= {elapsed / ALL:.3f} s/wilayah ({manifest['jumlah']['gagal']} gagal); load average "
              f"{before[0]:.2f} {before[1]:.2f} {before[2]:.2f} → {after[0]:.2f} {after[1]:.2f} {after[2]:.2f}")
    print(f"  rasio html,pdf / html ({ALL} wilayah): {times['html,pdf'] / times['html']:.2f}x")


def quarterly(codes: list[str], notebook: Path, data: Path, tmp: Path, workers: int, triwulan: int,
              semua: bool) -> None:
    """The annual report batch and the quarterly batch on the same regions, back to back, twice in
    alternating order (the machine may be shared: medians and the ratio say more than one time)."""
    sets = ([("sampel", codes)] if codes else []) + ([("semua", ["all"])] if semua else [])
    for label, regions_ in sets:
        n = ALL if regions_ == ["all"] else len(regions_)
        runs: dict[str, list[float]] = {"tahunan": [], "triwulan": []}
        order = [("tahunan", None), ("triwulan", triwulan)]
        for rep in range(1 if label == "semua" else 2):
            for name, tw in (order if rep % 2 == 0 else order[::-1]):
                elapsed, manifest = spm_batch(regions_, notebook, data, tmp / f"{label}-{name}-{rep}", workers,
                                              "html", triwulan=tw)
                runs[name].append(elapsed)
                print(f"{label:6s} {name:8s} ({n} wilayah): {elapsed:7.1f} s = {elapsed / n:.2f} s/wilayah, "
                      f"{manifest['jumlah']['gagal']} gagal, load average {os.getloadavg()[0]:.1f}")
        med = {k: statistics.median(v) for k, v in runs.items()}
        print(f"  rasio triwulan / tahunan ({label}, median): {med['triwulan'] / med['tahunan']:.2f}x "
              f"(sasaran ≤ 1,5x)")
        if label == "sampel":
            print(f"  perkiraan {ALL} wilayah: tahunan {med['tahunan'] / n * ALL / 60:.1f} menit, "
                  f"triwulan {med['triwulan'] / n * ALL / 60:.1f} menit")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=20, help="regions per method (default 20)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--notebook", type=Path, default=None)
    ap.add_argument("--semua", action="store_true", help="also run spm batch on all 552 regions")
    ap.add_argument("--dokumen", action="store_true", help="compare html / html+pdf / per-document Chromium "
                                                             "/ +docx instead of the naive loop")
    ap.add_argument("--triwulan", type=int, default=0, help="compare the annual batch with spm batch --triwulan N")
    args = ap.parse_args()
    from spm_helpers.inputs import demo

    report = ROOT / "notebooks" / "laporan_wilayah.ipynb"
    fixture = ROOT / "tests/notebooks/batch_ringkasan.ipynb"
    notebook = (args.notebook or (report if report.exists() else fixture)).resolve()
    codes = pick(args.n) if args.n > 0 else []
    tmp = Path(tempfile.mkdtemp(prefix="spm-bench-batch-"))
    try:
        data = tmp / "data"
        # with the quarterly tables: the annual report's financing chapter, chart 2.8 and Bab III read them
        # (the bundled demo data has them too); without them those pages are empty and the report cheaper
        demo.write(demo.generate("all", range(TAHUN - 4, TAHUN + 1), triwulan=True), data, fmt="parquet")
        print(f"notebook: {notebook.relative_to(ROOT)}; {len(codes)} wilayah contoh; {args.workers} pekerja; "
              f"{os.cpu_count()} inti CPU; load average awal {os.getloadavg()[0]:.1f}; kecepatan mesin "
              f"{machine_speed():.2f} s per 10 juta penjumlahan Python (makin kecil makin cepat)")
        if args.triwulan:
            quarterly(codes, notebook, data, tmp, args.workers, args.triwulan, args.semua)
            print(f"load average akhir {os.getloadavg()[0]:.1f}")
            return
        if args.dokumen:
            if codes:
                documents(codes, notebook, data, tmp, args.workers)
            if args.semua:
                everything(notebook, data, tmp, args.workers)
            print(f"load average akhir {os.getloadavg()[0]:.1f}; kecepatan mesin {machine_speed():.2f} s")
            return
        t_naive = naive(codes, notebook, data, tmp / "naive")
        n = len(codes)
        print(f"naive (papermill + nbconvert per wilayah): {t_naive:7.1f} s = {t_naive / n:.2f} s/wilayah")
        t_batch, manifest = spm_batch(codes, notebook, data, tmp / "batch", args.workers)
        failed = manifest["jumlah"]["gagal"]
        rate = steady_rate(manifest)
        print(f"spm batch:                                 {t_batch:7.1f} s = {t_batch / n:.2f} s/wilayah "
              f"(laju stabil {rate:.2f} s/wilayah, {failed} gagal)")
        print(f"rasio naive / spm batch: {t_naive / t_batch:.1f}x")
        est_naive = t_naive / len(codes) * ALL
        est_batch = t_batch + (ALL - len(codes)) * rate
        print(f"perkiraan {ALL} wilayah: naive {est_naive / 60:.1f} menit, "
              f"spm batch {est_batch / 60:.1f} menit "
              f"(rasio {est_naive / est_batch:.1f}x)")
        if args.semua:
            t_all, m_all = spm_batch(["all"], notebook, data, tmp / "semua", args.workers)
            print(f"spm batch, {ALL} wilayah sungguhan: {t_all:.1f} s = {t_all / 60:.1f} menit "
                  f"({m_all['jumlah']['gagal']} gagal); "
                  f"rasio terhadap perkiraan naive {est_naive / t_all:.1f}x")
        print(f"load average akhir {os.getloadavg()[0]:.1f}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
