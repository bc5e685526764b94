"""Stage 3 on demo region 17.01 (Kab. Bengkulu Selatan), plan 2026–2030 from base year 2025 (DECISIONS D4, revised).

Prints, for anyone to rerun: the unconstrained ('merata') plan's year-1 cost against the stage-2 gap cost (plus
what a growth of sasaran adds), the targets per jenis under a pagu of 0, 10 %, 33 % and 90 % of that year-1 cost,
a 2028 budget dip and an unlimited pagu — asserting that no target is ever below the base-year capaian and that
targets never fall — and the IP-SPM with its keterisian and category (D3, D8). Every figure comes from the engine.

    python benchmarks/plan_17_01.py
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from spm_helpers import fmt, region
from spm_helpers.engine import needs, plan
from spm_helpers.reference import catalog

KODE, TAHUN = "17.01", 2025


def rencana(data, lama: int = 5, **kw) -> plan.Rencana:
    return plan.build_rencana(data.sasaran, data.input("harga_satuan", True), ketersediaan=data.input("ketersediaan"),
                              tahun_dasar=TAHUN, lama=lama, **kw)


def check(r: plan.Rencana, nama: str) -> None:
    df = r.rencana
    assert (df["target_persen"] >= df["capaian_awal"] - 1e-9).all(), f"{nama}: target di bawah tahun dasar"
    naik = df.groupby("kode_jenis")["target_persen"].apply(lambda t: t.is_monotonic_increasing)
    assert naik.all(), f"{nama}: target turun"
    a = r.anggaran
    assert (a["pagu"].isna() | (a["biaya"] <= a["pagu"])).all(), f"{nama}: pagu terlampaui"
    assert (a["biaya"] + a["kekurangan_anggaran"] == a["biaya_kebutuhan"]).all()


def targets(r: plan.Rencana) -> pd.DataFrame:
    t = r.rencana.pivot(index="kode_jenis", columns="tahun_rencana", values="target_persen")
    awal = r.rencana.drop_duplicates("kode_jenis").set_index("kode_jenis")["capaian_awal"]
    return pd.concat([awal.rename("2025 (dasar)"), t], axis=1).round(2)


def main() -> None:
    data = region.load_region_data(KODE, TAHUN)
    h = region.compute(data)
    w = h.indeks
    print(f"{data.wilayah.nama} ({KODE}), tahun dasar {TAHUN}, rencana 2026–2030 — {data.data_label}")
    print(f"IP-SPM {TAHUN}: {fmt.angka(w['indeks'], 2)} ({w['kategori']}, skema {catalog.SKEMA_KATEGORI}); "
          f"keterisian {fmt.persen(w['keterisian'])} ({int(w['jumlah_jenis_lengkap'])} dari "
          f"{int(w['jumlah_jenis_wajib'])} jenis berdata lengkap, dinilai {int(w['jumlah_jenis_dinilai'])}); "
          f"IP-SPM data kosong = 0: {fmt.angka(w['ip_spm_data_kosong_nol'], 2)} ({w['kategori_data_kosong_nol']})")

    merata = rencana(data)
    check(merata, "merata")
    a = merata.anggaran.set_index("tahun_rencana")
    y1 = int(a.loc[TAHUN + 1, "biaya"])
    gap = int(needs.compute_kebutuhan(data.of_year("sasaran"), data.input("ketersediaan"),
                                      data.input("harga_satuan"))["biaya"].sum(skipna=True))
    print("\nRencana tanpa pagu (merata), biaya tambahan per tahun:")
    for t, row in a.iterrows():
        print(f"  {t}: {fmt.rupiah(row['biaya'])}")
    print(f"Biaya tahun 1 ({TAHUN + 1}): {fmt.rupiah(y1)}; biaya menutup kekurangan tahap 2 ({TAHUN}): "
          f"{fmt.rupiah(gap)}; biaya tahun terakhir = tahap 2: {int(a.loc[TAHUN + 5, 'biaya']) == gap}")
    s = data.sasaran.groupby("tahun")["jumlah_sasaran"].sum()
    g = float(np.median(s.pct_change().dropna()))  # the region's median yearly growth of total sasaran
    tumbuh = rencana(data, pertumbuhan_sasaran=g)
    y1g = int(tumbuh.anggaran.iloc[0]["biaya"])
    allowance = int(rencana(data, pertumbuhan_sasaran=g, lama=1).anggaran.iloc[0]["biaya"]) - gap
    assert y1 <= gap and y1g <= gap + max(allowance, 0)
    print(f"Dengan pertumbuhan sasaran {fmt.persen(100 * g)} per tahun: biaya tahun 1 {fmt.rupiah(y1g)} ≤ "
          f"tahap 2 + pertumbuhan sasaran ({fmt.rupiah(gap)} + {fmt.rupiah(max(allowance, 0))})")

    per_tahun = a["biaya"].astype("int64")
    skenario = {"pagu 0": 0, "pagu 10% biaya tahun 1": round(0.10 * y1), "pagu 33% biaya tahun 1": round(0.33 * y1),
                "pagu 90% biaya tahun 1": round(0.90 * y1),
                "pagu turun pada 2028 (biaya merata, 2028 hanya 25%)":
                    {int(t): int(v * (0.25 if t == 2028 else 1.0)) for t, v in per_tahun.items()},
                "pagu tak terbatas": 10**15}
    for nama, pagu in skenario.items():
        r = rencana(data, metode="pagu", pagu=pagu)
        check(r, nama)
        ang = r.anggaran
        tuntas = int(r.status["tahun_tuntas"].notna().sum())
        label = fmt.rupiah(pagu) if not isinstance(pagu, dict) else "per tahun " + ", ".join(
            f"{t}: {fmt.rupiah_ringkas(v)}" for t, v in pagu.items())
        print(f"\n== {nama} ({label}) — tidak ada target di bawah tahun dasar, target tidak pernah turun")
        print(f"   didanai {fmt.rupiah(ang['biaya'].sum())}, belum didanai {fmt.rupiah(ang['kekurangan_anggaran'].sum())}"
              f" selama periode; {tuntas} dari {len(r.status)} jenis mencapai 100%")
        print(targets(r).to_string())


if __name__ == "__main__":
    main()
