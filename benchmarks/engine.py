"""Benchmark of the SPM engine on the whole national table.

The national table: every region (38 provinsi + 514 kab/kota) × all its jenis × mutu items × 5 years of
demo data (data contoh, sintetis). The vectorised way is one call of each stage over all regions; the
naive way is a loop that filters each region and calls the *same* functions, then concatenates (what a
notebook loop over regions would do). Both must give identical tables, checked here.

Timed pipeline (stages 2, 3 and 4): needs.compute_kebutuhan, needs.summarize_kebutuhan(per="wilayah"),
plan.build_rencana (D4 revised: additional provision per mutu item on top of the base-year stock, 2026–2030
from 2025, no pagu) and achievement.compute_ip_spm (jenis → bidang → region, with the keterisian of D8).
The vectorised pipeline runs ``--ulang`` times before
and again after the naive loop (the machine is shared, its load changes); wall time (best and median) and
CPU time of this process are printed. Peak memory is measured in a separate run under tracemalloc
(tracing slows allocation, so it never contaminates the timing). The plan alone (with and without a pagu)
and the quality checks are timed too, vectorised only.

Sasaran estimated from population (``sasaran_estimate.perkirakan_sasaran``, issue 17): the national demo age
table (552 regions × 16 groups × 2 sexes) in one call against a loop calling the same function per region;
the results must be identical; target < 2 s for all 552 regions.

    python benchmarks/engine.py              # full national table, naive loop included
    python benchmarks/engine.py --naif 60    # naive loop over the first 60 regions only, scaled up
    python benchmarks/engine.py --hanya-sasaran   # only the sasaran-from-population section
"""
from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc
from dataclasses import dataclass, field

import pandas as pd

from spm_helpers.engine import achievement, needs, plan, quality
from spm_helpers.engine import sasaran_estimate as se
from spm_helpers.inputs import demo, population
from spm_helpers.reference import catalog, regions

TARGET_S = 2.0
TAHUN_DASAR = 2025
TARGET_RASIO = 50.0


def pipeline(sasaran: pd.DataFrame, ketersediaan: pd.DataFrame, harga: pd.DataFrame) -> dict[str, pd.DataFrame]:
    keb = needs.compute_kebutuhan(sasaran, ketersediaan, harga)
    ip = achievement.compute_ip_spm(sasaran, ketersediaan)
    r = plan.build_rencana(sasaran, harga, ketersediaan=ketersediaan, tahun_dasar=TAHUN_DASAR)
    return {"kebutuhan": keb, "biaya_wilayah": needs.summarize_kebutuhan(keb, "wilayah"), "jenis": ip.jenis,
            "bidang": ip.bidang, "wilayah": ip.wilayah, "rencana": r.rencana, "rencana_status": r.status,
            "rencana_anggaran": r.anggaran, "rencana_butir": r.butir}


def naive(sasaran: pd.DataFrame, ketersediaan: pd.DataFrame, harga: pd.DataFrame,
          codes: list[str]) -> dict[str, pd.DataFrame]:
    parts: dict[str, list[pd.DataFrame]] = {}
    for kode in codes:
        out = pipeline(*(df[df["kode_wilayah"] == kode] for df in (sasaran, ketersediaan, harga)))
        for name, df in out.items():
            parts.setdefault(name, []).append(df)
    return {name: pd.concat(dfs, ignore_index=True) for name, dfs in parts.items()}


@dataclass
class Waktu:
    """Wall and CPU seconds of repeated runs. The best wall time is the least disturbed by other processes
    on a shared machine; CPU time (this process only) is what the work itself costs."""

    dinding: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def measure(self, fn, *args):
        c0, t0 = time.process_time(), time.perf_counter()
        result = fn(*args)
        self.dinding.append(time.perf_counter() - t0)
        self.cpu.append(time.process_time() - c0)
        return result

    def teks(self) -> str:
        return (f"{min(self.dinding):7.2f} s (median {statistics.median(self.dinding):.2f} s dari {len(self.dinding)}; "
                f"CPU {min(self.cpu):.2f} s)")


def timed(fn, *args, repeat: int = 1, into: Waktu | None = None) -> tuple[Waktu, object]:
    w = into or Waktu()
    result = None
    for _ in range(repeat):
        result = w.measure(fn, *args)
    return w, result


def peak_mib(fn, *args) -> float:
    tracemalloc.start()
    tracemalloc.reset_peak()
    fn(*args)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def same(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    for name in a:
        keys = [c for c in ("kode_wilayah", "tahun", "tahun_rencana", "triwulan", "kode_bidang", "kode_jenis",
                            "kode_item")
                if c in a[name].columns]
        x = a[name].sort_values(keys, ignore_index=True)
        y = b[name].sort_values(keys, ignore_index=True)
        pd.testing.assert_frame_equal(x, y, check_categorical=False)


def perkiraan_per_wilayah(penduduk: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """The naive way: the same estimator called once per region, then concatenated."""
    pos = penduduk.groupby("kode_wilayah", sort=False).indices
    return pd.concat([se.perkirakan_sasaran(penduduk.take(pos[k])) for k in codes], ignore_index=True)


def bagian_sasaran(ulang: int) -> None:
    codes = regions.select("all")
    penduduk = population.contoh_penduduk(codes, 2024)
    se.perkirakan_sasaran(penduduk.head(64))  # warm the method/parameter/catalogue caches
    print(f"Perkiraan sasaran dari penduduk: {len(codes)} wilayah, {len(penduduk):,} baris penduduk")
    vec_t, vec = timed(se.perkirakan_sasaran, penduduk, repeat=ulang)
    naive_t, nai = timed(perkiraan_per_wilayah, penduduk, codes, repeat=max(1, ulang // 2))
    timed(se.perkirakan_sasaran, penduduk, repeat=ulang, into=vec_t)
    keys = ["kode_wilayah", "tahun", "kode_jenis"]
    pd.testing.assert_frame_equal(vec.sort_values(keys, ignore_index=True), nai.sort_values(keys, ignore_index=True))
    med_v, med_n = statistics.median(vec_t.dinding), statistics.median(naive_t.dinding)
    verdict = "tercapai" if med_v < TARGET_S else "TIDAK tercapai"
    print(f"Vektor  (satu panggilan)   : {vec_t.teks()}   [target < {TARGET_S:.0f} s: {verdict}]")
    print(f"Naif    (loop per wilayah) : {naive_t.teks()}")
    print(f"Rasio naif / vektor        : median {med_n / med_v:.1f} ×, terbaik {min(naive_t.dinding) / min(vec_t.dinding):.1f} ×"
          f"   hasil identik: ya")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ulang", type=int, default=5, help="runs of the vectorised pipeline (best and median)")
    ap.add_argument("--naif", type=int, default=0, help="naive loop over the first N regions only (0 = all)")
    ap.add_argument("--hanya-sasaran", action="store_true", help="only the sasaran-from-population section")
    args = ap.parse_args()
    if args.hanya_sasaran:
        bagian_sasaran(args.ulang)
        return

    codes = regions.select("all")
    t0 = time.perf_counter()
    data = demo.generate(codes, tahun=range(2021, 2026))
    gen_s = time.perf_counter() - t0
    catalog.mutu(), catalog.jenis(), catalog.bobot(), catalog.kategori_capaian(), regions.table()  # warm caches
    s, k, h = data.sasaran, data.ketersediaan, data.harga_satuan
    n_items = len(k)
    print(f"Tabel nasional: {len(codes)} wilayah × 5 tahun: {len(s):,} baris sasaran, {n_items:,} baris butir "
          f"(data contoh dibuat dalam {gen_s:.1f} s, tidak dihitung)")

    vec_t, vec = timed(pipeline, s, k, h, repeat=args.ulang)
    vec_mem = peak_mib(pipeline, s, k, h)

    loop_codes = codes if args.naif <= 0 else codes[: args.naif]
    sub = (s[s["kode_wilayah"].isin(loop_codes)], k[k["kode_wilayah"].isin(loop_codes)],
           h[h["kode_wilayah"].isin(loop_codes)])
    naive_t, nai = timed(naive, *sub, loop_codes)
    naive_mem = peak_mib(naive, *sub, loop_codes)
    same(pipeline(*sub) if args.naif > 0 else vec, nai)
    timed(pipeline, s, k, h, repeat=args.ulang, into=vec_t)  # again after the long loop: load changes

    best = min(vec_t.dinding)
    verdict = "tercapai" if best < TARGET_S else "TIDAK tercapai"
    print(f"Vektor  (satu panggilan)   : {vec_t.teks()}   puncak memori {vec_mem:7.1f} MiB   "
          f"[target < {TARGET_S:.0f} s: {verdict}]")
    scale = len(codes) / len(loop_codes)
    est = f"   (loop {len(loop_codes)} wilayah, waktu dikali {scale:.1f})" if scale > 1 else ""
    print(f"Naif    (loop per wilayah) : {min(naive_t.dinding) * scale:7.2f} s (CPU {min(naive_t.cpu) * scale:.2f} s)"
          f"   puncak memori {naive_mem:7.1f} MiB{est}")
    print(f"Rasio naif / vektor        : waktu {min(naive_t.dinding) * scale / best:.1f} ×, "
          f"CPU {min(naive_t.cpu) * scale / min(vec_t.cpu):.1f} ×   hasil identik: ya   "
          f"[target ≥ {TARGET_RASIO:.0f} ×: "
          f"{'tercapai' if min(naive_t.dinding) * scale / best >= TARGET_RASIO else 'TIDAK tercapai'}]")

    for name, fn in (("Rencana merata (tahap 3)", lambda: plan.build_rencana(s, h, ketersediaan=k)),
                     ("Rencana pagu (tahap 3)", lambda: plan.build_rencana(s, h, ketersediaan=k, metode="pagu",
                                                                           pagu=10**10)),
                     ("Pemeriksaan kualitas", lambda: quality.check_quality(s, k, h))):
        t, _ = timed(fn, repeat=max(1, args.ulang // 2))
        print(f"{name:<27}: {t.teks()}   (vektor, nasional)")
    bagian_sasaran(args.ulang)


if __name__ == "__main__":
    main()
