"""Helpers behind notebook 04 (capaian dan evaluasi): the index and its categories, trends, target against
realisation, baseline mapping with next-year targets, and the comparison with peer regions.

Numbers come from :mod:`spm_helpers.engine.achievement`; this module picks the year, joins names, shapes tables
and figures, and writes ``evaluasi.json`` with the stage tables.
"""
from __future__ import annotations

import textwrap
from html import escape
from pathlib import Path

import pandas as pd

from spm_helpers import fmt
from spm_helpers.engine import achievement, plan
from spm_helpers.inputs import datastore
from spm_helpers.paths import contoh_dir
from spm_helpers.reference.catalog import with_jenis_names
from spm_helpers.region.data import RegionData, annual_rows
from spm_helpers.region.result import indeks_per_bidang, kalimat_keterisian, tren_indeks
from spm_helpers.views import charts, stage_charts
from spm_helpers.views.blocks import Bagian, figure, kotak, label_contoh, tabel, teks
from spm_helpers.views.stage_pages import as_int, identitas, write_stage
from spm_helpers.views.tables import KOLOM, kolom, tabel_bidang


def ip_spm(data: RegionData) -> achievement.IPSPM:
    """IP-SPM of every year read (jenis → bidang → region)."""
    return achievement.compute_ip_spm(data.sasaran, data.input("ketersediaan", True), aturan=data.aturan)


def _tahun(df: pd.DataFrame, tahun: int) -> pd.DataFrame:
    return df[df["tahun"] == tahun].reset_index(drop=True)


def kotak_indeks(ip: achievement.IPSPM, data: RegionData) -> Bagian:
    row = _tahun(ip.wilayah, data.tahun).iloc[0]
    if pd.isna(row["indeks"]):
        return Bagian([teks(f"IP-SPM tahun {data.tahun} belum dapat dihitung: tidak ada jenis yang dapat dinilai.")])
    box = kotak(f"IP-SPM {data.wilayah.nama} tahun {data.tahun}: <b>{fmt.angka(row['indeks'], 2)}</b> — kategori "
                f"<b>{row['kategori']}</b> ({int(row['jumlah_jenis_dinilai'])} jenis dinilai, "
                f"{int(row['jumlah_jenis_tanpa_sasaran'])} tanpa sasaran, "
                f"{int(row['jumlah_jenis_belum_lengkap'])} "
                f"datanya belum lengkap). {escape(kalimat_keterisian(row))}")
    return Bagian([box, label_contoh(data.data_label)])


def bidang_tahun(ip: achievement.IPSPM, data: RegionData) -> Bagian:
    b = _tahun(ip.bidang, data.tahun)
    parts = [tabel_bidang(b, judul=f"IP-SPM per bidang, {data.tahun}")]
    if b["indeks"].notna().any():
        b = b.assign(bidang=[textwrap.fill(x, 26) for x in b["bidang"]])
        parts.append(figure(charts.capaian_per_bidang(b, judul=f"IP-SPM per bidang, {data.wilayah.nama} {data.tahun}")))
    return Bagian(parts)


def tabel_capaian_jenis(ip: achievement.IPSPM, data: RegionData):
    c = with_jenis_names(_tahun(ip.jenis, data.tahun))
    return tabel(c, kolom("nama_jenis", "bidang", "jumlah_sasaran", "jumlah_terlayani", "capaian_penerima",
                          "capaian_mutu", "indeks", "kategori", "status"))


def tren(ip: achievement.IPSPM, data: RegionData) -> Bagian:
    """Trend of the region's index and each bidang's, the change against last year, and a jenis × year map."""
    if ip.wilayah["tahun"].nunique() < 2:
        return Bagian([teks("Data baru tersedia untuk satu tahun; perkembangan belum dapat ditampilkan.")])
    long = tren_indeks(ip)
    ch = achievement.perubahan_tahunan(ip.bidang, kolom=("indeks",))
    ch = ch[ch["tahun"] == data.tahun]
    spec = {"bidang": KOLOM["bidang"], "indeks_tahun_lalu": (f"Indeks {data.tahun - 1}", "desimal"),
            "indeks": (f"Indeks {data.tahun}", "desimal"), "perubahan_indeks": ("Perubahan (poin)", "desimal"),
            "arah": ("Arah", "teks")}
    heat = with_jenis_names(ip.jenis).assign(nama=lambda x: [textwrap.shorten(str(n), 48, placeholder="…")
                                                              for n in x["nama_jenis"]])
    return Bagian([figure(stage_charts.tren_wilayah_bidang(long, judul=f"Perkembangan IP-SPM {data.wilayah.nama}")),
                   tabel(ch, spec, judul=f"Perubahan indeks bidang {data.tahun - 1}–{data.tahun}"),
                   figure(charts.heatmap_capaian(heat, label="nama"))])


def rencana_dasar(data: RegionData, tahun_dasar: int, lama: int = 5) -> plan.Rencana:
    """The plan realisation is compared with: built from ``tahun_dasar`` (an earlier year) with the data known
    then, closing the gap evenly (stage 3 default)."""
    s = data.sasaran[data.sasaran["tahun"] <= tahun_dasar]
    h = data.harga_satuan[data.harga_satuan["tahun"] <= tahun_dasar]
    k = data.ketersediaan[data.ketersediaan["tahun"] == tahun_dasar]
    return plan.build_rencana(s, None if h.empty else h, ketersediaan=None if k.empty else k,
                              tahun_dasar=tahun_dasar, lama=lama, aturan=data.aturan)


def target_vs_realisasi(data: RegionData, ip: achievement.IPSPM) -> pd.DataFrame:
    """Targets of the plan from the first year read against the realisation of the later years."""
    r = rencana_dasar(data, data.years[0])
    return with_jenis_names(achievement.target_vs_realisasi(r.rencana, ip.jenis))


def bagian_tvr(tvr: pd.DataFrame, data: RegionData) -> Bagian:
    done = tvr[tvr["status"].isin(["tercapai", "tidak tercapai"])]
    if done.empty:
        return Bagian([teks("Belum ada tahun dengan realisasi setelah tahun dasar rencana; perbandingan belum dapat "
                            "dibuat.")])
    per_year = done.groupby(["tahun", "status"]).size().unstack("status", fill_value=0).reset_index()
    for c in ("tercapai", "tidak tercapai"):
        per_year[c] = per_year[c] if c in per_year.columns else 0
    last = done[(done["tahun"] == done["tahun"].max()) & (done["status"] == "tidak tercapai")]
    last = last.sort_values("selisih_persen")
    spec = kolom("nama_jenis", "opd", "target_persen", "realisasi_persen", "selisih_persen", "selisih_orang",
                 realisasi_persen=("Realisasi", "persen"), selisih_persen=("Selisih (poin)", "desimal"),
                 selisih_orang=("Selisih (orang)", "angka"))
    return Bagian([figure(stage_charts.realisasi_terhadap_target(tvr)),
                   tabel(per_year, {"tahun": KOLOM["tahun"], "tercapai": ("Target tercapai", "angka"),
                                    "tidak tercapai": ("Target tidak tercapai", "angka")}),
                   tabel(last, spec, judul=f"Jenis yang belum mencapai target tahun {int(done['tahun'].max())}",
                         maks_baris=15)])


def pemetaan_dan_usulan(ip: achievement.IPSPM, data: RegionData) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Baseline mapping of the report year (priority 1 = lowest index) and targets for the next two years."""
    pem = with_jenis_names(achievement.pemetaan_kondisi_awal(ip.jenis, tahun=data.tahun))
    usul = with_jenis_names(achievement.propose_target(ip.jenis, tahun=data.tahun))
    return pem, usul


def bagian_pemetaan(pem: pd.DataFrame, usul: pd.DataFrame, data: RegionData) -> Bagian:
    wide = usul.pivot_table(index="kode_jenis", columns="tahun_target", values="target_persen", aggfunc="first")
    t1, t2 = data.tahun + 1, data.tahun + 2
    p = pem.assign(target_1=pem["kode_jenis"].map(wide.get(t1, pd.Series(dtype=float)).to_dict()),
                   target_2=pem["kode_jenis"].map(wide.get(t2, pd.Series(dtype=float)).to_dict()))
    spec = {"prioritas": ("Prioritas", "angka"), "nama_jenis": KOLOM["nama_jenis"],
            "capaian_penerima": KOLOM["capaian_penerima"], "belum_terlayani": ("Belum terlayani", "angka"),
            "indeks": KOLOM["indeks"], "target_1": (f"Usulan target {t1}", "persen"),
            "target_2": (f"Usulan target {t2}", "persen")}
    return Bagian([tabel(p, spec)])


def indeks_sejawat(data: RegionData, data_dir=None) -> pd.DataFrame:
    """Region-level IP-SPM, for the report year, of every region of the same level in the data folder."""
    t = datastore.load(contoh_dir() if data_dir is None else Path(data_dir), None, tahun=data.tahun,
                       tables=("sasaran", "ketersediaan"))
    s = t["sasaran"][t["sasaran"]["kode_wilayah"].str.len() == len(data.wilayah.kode_wilayah)]
    k = t["ketersediaan"][t["ketersediaan"]["kode_wilayah"].isin(set(s["kode_wilayah"]))]
    return achievement.compute_ip_spm(annual_rows(s), None if k.empty else annual_rows(k), aturan=data.aturan).wilayah


def sejawat(data: RegionData, data_dir=None, jumlah: int = 10) -> pd.DataFrame:
    """The region beside the regions of the same type with the closest population (among those with data)."""
    return achievement.perbandingan_sejawat(indeks_sejawat(data, data_dir), data.wilayah.kode_wilayah,
                                            tahun=data.tahun, jumlah=jumlah)


def bagian_sejawat(sj: pd.DataFrame, data: RegionData) -> Bagian:
    if len(sj) <= 1:
        return Bagian([teks("Folder data tidak memuat daerah sejawat (daerah lain dengan tipe yang sama) untuk "
                            "tahun ini.")])
    own = sj[sj["wilayah_ini"]].iloc[0]
    text = (f"Di antara {len(sj)} daerah (termasuk {data.wilayah.nama}) dengan tipe sama dan jumlah penduduk "
            f"terdekat yang datanya tersedia, {data.wilayah.nama} berada di peringkat "
            f"**{int(own['peringkat_sejawat'])}**.")
    spec = {"peringkat_sejawat": ("Peringkat", "angka"), "nama": ("Daerah", "teks"), "penduduk": ("Penduduk", "angka"),
            "indeks": KOLOM["indeks"], "kategori": KOLOM["kategori"], "selisih": ("Selisih dengan daerah ini", "desimal")}
    return Bagian([teks(text), figure(charts.peringkat(sj, sorot=data.wilayah.kode_wilayah,
                                                        judul="Peringkat IP-SPM daerah sejawat")), tabel(sj, spec)])


def save_evaluation(ip: achievement.IPSPM, data: RegionData, output_dir, *, tvr: pd.DataFrame,
                    pemetaan: pd.DataFrame, usulan: pd.DataFrame, sejawat: pd.DataFrame) -> Bagian:
    row = _tahun(ip.wilayah, data.tahun).iloc[0]
    own = sejawat[sejawat["wilayah_ini"]] if len(sejawat) else sejawat
    summary = {**identitas(data), "indeks": None if pd.isna(row["indeks"]) else float(row["indeks"]),
               "kategori": None if pd.isna(row["kategori"]) else str(row["kategori"]),
               "indeks_per_tahun": {str(int(r.tahun)): (None if pd.isna(r.indeks) else float(r.indeks))
                                    for r in ip.wilayah.itertuples()},
               "indeks_bidang": indeks_per_bidang(_tahun(ip.bidang, data.tahun)),
               "target_tercapai": int((tvr["status"] == "tercapai").sum()),
               "target_tidak_tercapai": int((tvr["status"] == "tidak tercapai").sum()),
               "peringkat_sejawat": as_int(own["peringkat_sejawat"].iloc[0]) if len(own) else None,
               "jumlah_sejawat": int(len(sejawat))}
    files = {"capaian_jenis.csv": ip.jenis, "capaian_bidang.csv": ip.bidang, "indeks_wilayah.csv": ip.wilayah,
             "target_vs_realisasi.csv": tvr, "pemetaan_kondisi_awal.csv": pemetaan, "usulan_target.csv": usulan,
             "sejawat.csv": sejawat}
    return write_stage(output_dir, files, "evaluasi.json", summary)
