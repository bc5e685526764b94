"""Benchmark: 3,000,000 by-name rows validated (NIK rules, DECISIONS D5), deduplicated and counted.

Synthetic people only (NIK digits drawn at random, names 'Warga 123', no real data), written once to a
Parquet file. Each way then runs in its own fresh process, so its peak memory (VmHWM: the whole
process, Arrow buffers included, which tracemalloc cannot see) belongs to it alone:

- vectorised: ``byname.read_byname`` + ``byname.count`` on all rows (numpy over the NIK bytes from
  the Arrow buffers, one sort of the NIK numbers for duplicates); read time is reported apart.
- naive: the same rules row by row in plain Python (``byname.check_nik_one``, a dict for duplicates,
  ``datetime.strptime`` for dates) on a SAMPLE of the first ``--sampel`` rows, timed and then
  EXTRAPOLATED linearly to all rows (stated in the output). On that sample both ways must give the
  same counts, checked here.

Wall time and CPU time are both printed: on a shared machine wall time swings with other load, CPU
time of the process does not. The ratio is given for both.

    python benchmarks/byname.py                  # 3,000,000 rows, naive on 100,000
    python benchmarks/byname.py --baris 300000 --sampel 50000
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

TARGET_S, TARGET_GB = 15.0, 2.0
JENIS, WILAYAH, TAHUN = "KES-KK-01", "32.75", 2025


def generate(n: int, path: Path, seed: int = 59) -> None:
    """n rows: ~3% repeats of earlier people, ~2% registered elsewhere, ~1% broken NIKs, ~1% odd dates."""
    rng = np.random.default_rng(seed)
    kab = np.where(rng.random(n) < 0.02, 73, 75)
    day = rng.integers(1, 29, n) + np.where(rng.random(n) < 0.5, 40, 0)
    parts = [np.full(n, 32), kab, rng.integers(1, 13, n), day, rng.integers(1, 13, n), rng.integers(0, 100, n)]
    nik = np.zeros(n, dtype=np.int64)
    for p in parts:
        nik = nik * 100 + p
    nik = nik * 10000 + rng.integers(1, 10000, n)
    repeat = rng.random(n) < 0.03
    nik[repeat] = nik[rng.integers(0, n, repeat.sum())]
    text = pa.array(nik).cast(pa.string())
    broken = np.flatnonzero(rng.random(n) < 0.01)
    text = text.to_pandas().astype("str")
    text.iloc[broken[::2]] = text.iloc[broken[::2]].str.slice(0, 15)           # a digit missing
    text.iloc[broken[1::2]] = text.iloc[broken[1::2]].str.slice(0, 12) + "0000"  # serial 0000
    dates = (np.datetime64("2025-01-01") + rng.integers(0, 365, n)).astype("datetime64[D]")
    date_text = pd.Series(dates.astype(str), dtype="str")
    odd = rng.random(n) < 0.01
    date_text[odd] = "2024-12-31"
    served = np.where(rng.random(n) < 0.8, "ya", "tidak")
    ids = pa.array(np.arange(n)).cast(pa.string())
    pd.DataFrame({
        "nik": text,
        "nama": pc.binary_join_element_wise("Warga ", ids, "").to_pandas().astype("str"),
        "alamat": pc.binary_join_element_wise("Jl. Contoh No. ", ids, "").to_pandas().astype("str"),
        "terlayani": pd.Series(served, dtype="str"),
        "tanggal_layanan": date_text.where(served == "ya", None),
    }).to_parquet(path, index=False)


def peak_gb() -> float:
    """Peak resident memory of this process. VmHWM belongs to the current program image; ru_maxrss would
    also count the parent's memory at fork time (Linux keeps it across exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024 ** 2  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2


def run_vectorised(path: Path) -> dict:
    from spm_helpers.inputs import byname

    t0, c0 = time.perf_counter(), time.process_time()
    df, sheet = byname.read_byname(path)
    t1, c1 = time.perf_counter(), time.process_time()
    hasil = byname.count([(path.name, sheet, df)], JENIS, kode_wilayah=WILAYAH, tahun=TAHUN)
    t2, c2 = time.perf_counter(), time.process_time()
    return {"baca_s": t1 - t0, "hitung_s": t2 - t1, "baca_cpu": c1 - c0, "hitung_cpu": c2 - c1,
            "peak_gb": peak_gb(), "ringkasan": hasil.ringkasan, "masalah": len(hasil.masalah)}


def run_naive(path: Path, sample: int) -> dict:
    """Row by row, the way a first script would do it: one dict per row, one check per field."""
    from spm_helpers.inputs import byname

    df = pd.read_parquet(path).head(sample)  # the sample file: its peak memory is the sample's
    rows = df.to_dict("records")
    t0, c0 = time.perf_counter(), time.process_time()
    seen: dict[str, bool] = {}
    problems, prefix = [], WILAYAH.replace(".", "")
    for i, row in enumerate(rows, start=1):
        code = byname.check_nik_one(row["nik"])
        status = row["terlayani"].strip().lower() if isinstance(row["terlayani"], str) else ""
        date = None
        if isinstance(row["tanggal_layanan"], str) and row["tanggal_layanan"].strip():
            for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
                try:
                    date = dt.datetime.strptime(row["tanggal_layanan"].strip(), fmt)
                    break
                except ValueError:
                    pass
        if code or status not in byname.YA | byname.TIDAK | {""}:
            problems.append({"baris": i, "alasan": byname.NIK_REASONS[code] or "status"})
            continue
        nik = byname.normalize_nik(pd.Series([row["nik"]])).iloc[0] if " " in row["nik"] else row["nik"]
        if not nik.startswith(prefix):
            problems.append({"baris": i, "alasan": "luar wilayah"})
        served = status in byname.YA and (date is None or date.year == TAHUN)
        if nik in seen:
            problems.append({"baris": i, "alasan": "ganda"})
        seen[nik] = seen.get(nik, False) or served
    t1, c1 = time.perf_counter(), time.process_time()
    return {"hitung_s": t1 - t0, "hitung_cpu": c1 - c0, "peak_gb": peak_gb(), "jumlah_sasaran": len(seen),
            "jumlah_terlayani": sum(seen.values())}


def child(mode: str, path: Path, sample: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--_anak", mode, "--_berkas", str(path), "--sampel", str(sample)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--baris", type=int, default=3_000_000)
    ap.add_argument("--sampel", type=int, default=100_000)
    ap.add_argument("--_anak", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--_berkas", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args._anak:
        path = Path(args._berkas)
        result = run_vectorised(path) if args._anak == "vector" else run_naive(path, args.sampel)
        print(json.dumps(result))
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "byname.parquet"
        t0 = time.perf_counter()
        generate(args.baris, path)
        print(f"data sintetis: {args.baris:,} baris ditulis ke Parquet dalam {time.perf_counter() - t0:.1f} s")
        sample_path = Path(tmp) / "sampel.parquet"
        pd.read_parquet(path).head(args.sampel).to_parquet(sample_path, index=False)
        vec = child("vector", path, args.sampel)
        vec_sample = child("vector", sample_path, args.sampel)
        naive = child("naive", sample_path, args.sampel)
    agree = (vec_sample["ringkasan"]["jumlah_sasaran"], vec_sample["ringkasan"]["jumlah_terlayani"]) == (
        naive["jumlah_sasaran"], naive["jumlah_terlayani"])
    scale = args.baris / args.sampel
    naive_full, naive_cpu = naive["hitung_s"] * scale, naive["hitung_cpu"] * scale
    print(f"\nvektor  ({args.baris:,} baris): baca {vec['baca_s']:.2f} s (CPU {vec['baca_cpu']:.2f} s), "
          f"validasi+dedup+hitung {vec['hitung_s']:.2f} s (CPU {vec['hitung_cpu']:.2f} s), "
          f"puncak memori proses {vec['peak_gb']:.2f} GB")
    print(f"        ringkasan: {vec['ringkasan']}, {vec['masalah']:,} baris masalah")
    print(f"naif    ({args.sampel:,} baris sampel): {naive['hitung_s']:.2f} s (CPU {naive['hitung_cpu']:.2f} s), "
          f"puncak memori {naive['peak_gb']:.2f} GB → diekstrapolasi linear ke {args.baris:,} baris: "
          f"{naive_full:.1f} s (CPU {naive_cpu:.1f} s) — PERKIRAAN, tidak dijalankan penuh")
    print(f"sampel  hitungan vektor = naif: {'ya' if agree else 'TIDAK'} "
          f"(sasaran {naive['jumlah_sasaran']:,}, terlayani {naive['jumlah_terlayani']:,})")
    print(f"rasio   naif (ekstrapolasi) / vektor, validasi+dedup+hitung: {naive_full / vec['hitung_s']:.1f}× waktu, "
          f"{naive_cpu / vec['hitung_cpu']:.1f}× CPU")
    total = vec["hitung_s"] + vec["baca_s"]
    ok_t, ok_m = total < TARGET_S, vec["peak_gb"] < TARGET_GB
    print(f"target  < {TARGET_S:.0f} s (baca + hitung = {total:.1f} s): {'LULUS' if ok_t else 'GAGAL'}; "
          f"< {TARGET_GB:.0f} GB: {'LULUS' if ok_m else 'GAGAL'}; beban mesin (load average 1 menit) saat selesai: "
          f"{os.getloadavg()[0]:.1f} pada {os.cpu_count()} CPU")
    if not agree:
        sys.exit(1)


if __name__ == "__main__":
    main()
