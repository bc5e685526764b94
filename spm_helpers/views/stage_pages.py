"""Helpers behind the stage notebooks 01 pengumpulan data, 02 penghitungan kebutuhan, 03 rencana pemenuhan.

Each helper takes engine tables and returns what a notebook shows (``report_blocks`` objects) or writes
(CSV + a small JSON summary per stage into ``output_dir``), so the notebooks read like sentences.
Notebook 04's helpers are in :mod:`spm_helpers.views.evaluation`; stage 3's budget slider is in
:mod:`spm_helpers.views.pagu_widget`.
"""
from __future__ import annotations

import textwrap
from dataclasses import replace
from pathlib import Path

import pandas as pd

from spm_helpers import DEMO_LABEL, fmt
from spm_helpers.engine import needs, plan
from spm_helpers.engine import sasaran_estimate as se
from spm_helpers.files import write_json
from spm_helpers.fmt import rupiah_kata
from spm_helpers.inputs import collect, datastore, population
from spm_helpers.reference import catalog, regions
from spm_helpers.reference.catalog import kebutuhan_bernama, with_jenis_names
from spm_helpers.region.data import RegionData, annual_rows, is_demo, load_region_data, source_note, with_quarterly_rows
from spm_helpers.region.stages import perkiraan_sasaran
from spm_helpers.views import charts
from spm_helpers.views.blocks import Bagian, daftar, figure, gaya_cetak, label_contoh, tabel, teks
from spm_helpers.views.tables import KOLOM, kolom


# ----------------------------------------------------------------------------- common
def identitas(data: RegionData) -> dict:
    """The keys every stage summary starts with."""
    w = data.wilayah
    return {"kode_wilayah": w.kode_wilayah, "nama": w.nama, "tingkat": w.tingkat, "kode_provinsi": w.kode_provinsi,
            "tahun": data.tahun, "aturan": data.aturan, "data_label": data.data_label}


def keterangan_data(data: RegionData) -> Bagian:
    """Which region, year and data the notebook uses, with the demo banner when it applies."""
    w = data.wilayah
    where = "provinsi" if w.tingkat == "provinsi" else f"Provinsi {w.nama_provinsi}"
    text = (f"**Wilayah:** {w.nama} ({w.kode_wilayah}), {where} · **Tahun:** {data.tahun} · "
            f"**Tahun data dibaca:** {', '.join(map(str, data.years))}  \n"
            f"**Sumber data:** {data.sumber}  \n**Aturan:** {catalog.rule_set_note(data.aturan)}")
    return Bagian([gaya_cetak(data.data_label), teks(text), label_contoh(data.data_label)])


def write_stage(output_dir, files: dict[str, pd.DataFrame], summary_name: str, summary: dict) -> Bagian:
    """Write the stage's tables and JSON summary atomically and list them."""
    out = Path(output_dir)
    paths = [datastore.write_table(df, out / name) for name, df in files.items()]
    paths.append(write_json(out / summary_name, summary))
    return Bagian([teks(f"Hasil tersimpan di folder `{out}`:"), daftar([f"`{p.name}`" for p in paths], False)])


def as_int(x) -> int | None:
    return None if pd.isna(x) else int(x)


def grafik_biaya(df: pd.DataFrame, kelompok: str, judul: str, maks: int | None = None):
    """``charts.biaya_per_kelompok`` with long names wrapped, largest ``maks`` groups only; embedded."""
    d = df.dropna(subset=["biaya"]).sort_values("biaya", ascending=False)
    d = d.head(maks) if maks else d
    d = d.assign(**{kelompok: [textwrap.fill(textwrap.shorten(str(x), 70, placeholder="…"), 34) for x in d[kelompok]]})
    return figure(charts.biaya_per_kelompok(d, kelompok=kelompok, judul=judul))


# ----------------------------------------------------------------------------- 01 pengumpulan data
def collect_region_data(kode_wilayah: str, tahun: int, data_dir=None, formulir_dir=None, *,
                        aturan: str = catalog.DEFAULT_ATURAN) -> tuple[RegionData, collect.HasilImpor | None]:
    """The region's data: from filled OPD workbooks (*.xlsx in ``formulir_dir``; the report year only) or
    from a tidy data folder (default: the bundled demo data). The import result keeps every problem."""
    if formulir_dir is None:
        return load_region_data(kode_wilayah, tahun, data_dir, aturan=aturan), None
    w = regions.get(kode_wilayah)
    files = sorted(Path(formulir_dir).glob("*.xlsx"))
    hasil = collect.import_forms(files, kode_wilayah=w.kode_wilayah, tahun=int(tahun))
    t = {k: annual_rows(v.drop(columns=[collect.PROVENANCE], errors="ignore")) for k, v in hasil.tables.items()}
    demo = is_demo(formulir_dir, t["sasaran"])
    data = RegionData(w, int(tahun), t["sasaran"], t["ketersediaan"], t["harga_satuan"], DEMO_LABEL if demo else "",
                      f"{len(files)} formulir OPD, " + source_note(formulir_dir, t["sasaran"], demo), aturan)
    return data, hasil


def ringkasan_impor(hasil_impor: collect.HasilImpor | None) -> Bagian:
    """What the workbook import found (files, rows, problems, conflicting numbers), or where data came from."""
    if hasil_impor is None:
        return Bagian([teks("Data dibaca dari folder data (bukan dari formulir Excel OPD).")])
    parts = [hasil_impor]
    if len(hasil_impor.konflik):
        parts += [teks("**Angka yang bertentangan antar-berkas** (tidak dipakai sampai OPD memutuskan mana yang "
                       "benar):"),
                  tabel(hasil_impor.konflik, {c: (c, "teks") for c in collect.KONFLIK_COLUMNS})]
    return Bagian(parts)


def tabel_sasaran(data: RegionData):
    """Sasaran and terlayani of the report year per jenis, with the recorded data source."""
    s = with_jenis_names(data.of_year("sasaran"))
    s["sumber_data"] = s["sumber_data"] if "sumber_data" in s.columns else pd.NA
    return tabel(s, {**kolom("nama_jenis", "jumlah_sasaran", "jumlah_terlayani"),
                     "sumber_data": ("Sumber data", "teks")})


def dengan_penduduk(data: RegionData, berkas_penduduk=None) -> RegionData:
    """The data with the population table of ``berkas_penduduk`` (.xlsx/.csv, read as the report year) instead
    of the folder's; unchanged when None."""
    if berkas_penduduk is None:
        return data
    hasil = population.read_penduduk(berkas_penduduk, data.wilayah.kode_wilayah, data.tahun)
    return replace(data, penduduk=hasil.tabel)


_KOLOM_PERKIRAAN = {"nama_jenis": ("Jenis pelayanan dasar", "teks"),
                    "dasar_perhitungan": ("Dasar perhitungan", "teks"),
                    "perkiraan": ("Perkiraan dari penduduk", "angka"), "jumlah_sasaran": ("Sasaran dilaporkan", "angka"),
                    "selisih": ("Selisih", "angka"), "selisih_persen": ("Selisih (%)", "persen1"),
                    "keadaan": ("Keadaan", "teks")}


def tabel_perkiraan_sasaran(data: RegionData) -> Bagian:
    """Sasaran estimated from the population table (D10) beside the reported sasaran of the report year, with
    where the population came from; a note instead when the data has no population table."""
    p = perkiraan_sasaran(data)
    if p is None:
        return Bagian([teks("Folder data ini belum berisi tabel penduduk menurut kelompok umur dan jenis kelamin "
                            "(`penduduk.csv`), jadi sasaran belum dapat diperkirakan. Isi parameter "
                            "`berkas_penduduk` dengan tabel BPS/Dukcapil (.xlsx atau .csv), atau jalankan "
                            "`spm sasaran --wilayah KODE --tahun TAHUN --penduduk BERKAS`.")])
    b = with_jenis_names(se.bandingkan(p, data.of_year("sasaran")))
    b["keadaan"] = b["keadaan"].where(~b["jauh"], "selisih besar (bendera)")
    demo = "sumber_data" in data.penduduk.columns and (data.penduduk["sumber_data"] == DEMO_LABEL).any()
    tahun_tabel = sorted(pd.to_numeric(data.penduduk["tahun"]).astype(int).unique())
    proyeksi = "" if tahun_tabel == [data.tahun] else (
        f" Tabel penduduk tahun {', '.join(map(str, tahun_tabel))} diproyeksikan ke {data.tahun} dengan laju "
        f"{fmt.persen(100 * se.nilai_parameter()['laju_pertumbuhan'], 1)} per tahun.")
    text = (f"Jumlah penduduk {fmt.angka(p['penduduk_total'].iloc[0])} jiwa"
            f"{' (tabel umur ' + DEMO_LABEL + ')' if demo else ''}.{proyeksi} "
            f"**{int(b['jauh'].sum())} jenis** berselisih besar dengan sasaran yang dilaporkan. Perkiraan tidak "
            "menggantikan angka yang dilaporkan; metode dan parameternya berstatus *perlu_verifikasi* "
            "(`datasets/katalog/perkiraan_sasaran.csv`, `parameter_perkiraan.csv`).")
    lebar = {"nama_jenis": "26%", "dasar_perhitungan": "22%"}
    return Bagian([teks(text), tabel(b, _KOLOM_PERKIRAAN, judul=f"Perkiraan sasaran dari penduduk {data.tahun}",
                                     lebar=lebar),
                   label_contoh(DEMO_LABEL if demo else data.data_label)])


def save_collection(data: RegionData, bendera: pd.DataFrame, output_dir) -> Bagian:
    """data_terkumpul/ (a folder the next notebooks can read as data_dir, with the population table when there
    is one), bendera_data.csv, pengumpulan.json."""
    folder = Path(output_dir) / "data_terkumpul"
    tables = with_quarterly_rows(data)  # the quarter rows and tables too: notebook 06 can read the copy
    if data.penduduk is not None:
        tables["penduduk"] = data.penduduk
    datastore.save(tables, folder, overwrite=True)
    s = data.of_year("sasaran")
    summary = {**identitas(data), "jumlah_jenis": int(len(catalog.jenis_for_region(data.wilayah.kode_wilayah))),
               "jenis_dilaporkan": int(s["kode_jenis"].nunique()),
               "jumlah_bendera": int(bendera["tingkat"].isin(["galat", "peringatan"]).sum()),
               "bendera_per_tingkat": {str(k): int(v) for k, v in bendera["tingkat"].value_counts().items()},
               "folder_data": str(folder)}
    out = write_stage(output_dir, {"bendera_data.csv": bendera}, "pengumpulan.json", summary)
    saved = ", ".join(n.replace("_", " ") for n in tables)
    return out.add(teks(f"Data tersimpan di `{folder}` ({saved}); folder ini dapat dipakai sebagai `data_dir` "
                        f"buku kerja 02–06 dan laporan."))


# ----------------------------------------------------------------------------- 02 penghitungan kebutuhan
def kebutuhan_wilayah(data: RegionData) -> pd.DataFrame:
    """Stage 2 for the report year (``needs.compute_kebutuhan``) with item and jenis names."""
    keb = needs.compute_kebutuhan(data.of_year("sasaran"), data.input("ketersediaan"), data.input("harga_satuan"),
                                  aturan=data.aturan)
    return kebutuhan_bernama(keb, data.aturan)


def ringkasan_kebutuhan(keb: pd.DataFrame, data: RegionData) -> Bagian:
    n_kurang = int((keb["kekurangan"] > 0).sum())
    n_lebih = int((keb["surplus"] > 0).sum())
    n_na = int(keb["biaya"].isna().sum())
    text = (f"Untuk tahun {data.tahun} dihitung {len(keb)} butir mutu dari {keb['kode_jenis'].nunique()} jenis "
            f"pelayanan dasar: {n_kurang} butir masih kurang, {n_lebih} butir berlebih (kelebihan tidak "
            "mengurangi "
            f"kebutuhan butir lain), dan {n_na} butir belum dapat dihitung karena ketersediaannya tidak "
            "dilaporkan. "
            f"Biaya menutup seluruh kekurangan: **{rupiah_kata(keb['biaya'].sum(skipna=True))}**.")
    return Bagian([teks(text), label_contoh(data.data_label)])


def contoh_perhitungan(keb: pd.DataFrame) -> Bagian:
    """The arithmetic of the most expensive item, written out, so a reader can check it by hand."""
    known = keb[keb["biaya"].notna() & (keb["biaya"] > 0)]
    if known.empty:
        return Bagian([teks("Tidak ada butir dengan kekurangan yang perlu dibiayai.")])
    r = known.sort_values(["biaya", "kode_item"], ascending=[False, True]).iloc[0]
    per = fmt.angka(r["jumlah_per_sasaran"], 4).rstrip("0").rstrip(",")
    text = (f"**Contoh perhitungan** (butir dengan biaya terbesar). Jenis *{r['nama_jenis']}*, butir "
            f"*{r['nama_butir']}* (satuan: {r['satuan']}).\n\n"
            f"1. Kebutuhan = sasaran × jumlah per orang = {fmt.angka(r['jumlah_sasaran'])} × {per} = "
            f"**{fmt.angka(r['kebutuhan'])}** {r['satuan']} (dibulatkan ke atas).\n"
            f"2. Tersedia {fmt.angka(r['tersedia'])}, jadi kekurangan = {fmt.angka(r['kebutuhan'])} − "
            f"{fmt.angka(r['tersedia'])} = **{fmt.angka(r['kekurangan'])}** {r['satuan']}.\n"
            f"3. Harga satuan {fmt.rupiah(r['harga_satuan'])} ({r['sumber_harga']}), jadi biaya = "
            f"{fmt.angka(r['kekurangan'])} × {fmt.rupiah(r['harga_satuan'])} = **{fmt.rupiah(r['biaya'])}**.")
    return Bagian([teks(text)])


def summarize_bernama(kebutuhan: pd.DataFrame, per: str) -> pd.DataFrame:
    """``needs.summarize_kebutuhan`` with names, largest cost first ('jenis', 'bidang' or 'opd')."""
    r = needs.summarize_kebutuhan(kebutuhan, per)
    if per == "jenis":
        r = with_jenis_names(r.drop(columns=["opd_pengampu"]))
    if per == "opd":
        r = r.rename(columns={"opd_pengampu": "opd"})
    return r.sort_values("biaya", ascending=False, na_position="last", ignore_index=True)


def tabel_rekap(rekap: pd.DataFrame, kelompok: str, judul: str | None = None):
    return tabel(rekap, kolom(kelompok, "jumlah_butir", "jumlah_butir_kurang", "jumlah_butir_tanpa_data", "biaya",
                              biaya=("Biaya menutup kekurangan", "rupiah")), judul=judul)


def summarize_biaya(keb: pd.DataFrame, per: str) -> Bagian:
    """Cost of closing the gap per 'bidang', 'opd' or 'jenis': the table, then a chart (largest ten jenis)."""
    rekap = summarize_bernama(keb, per)
    kelompok = {"bidang": "bidang", "opd": "opd", "jenis": "nama_jenis"}[per]
    judul = {"bidang": "per bidang", "opd": "per OPD pengampu", "jenis": "per jenis (sepuluh terbesar)"}[per]
    return Bagian([tabel_rekap(rekap, kelompok),
                   grafik_biaya(rekap, kelompok, f"Biaya menutup kekurangan {judul}", maks=10 if per == "jenis" else None)])


def rincian_butir(keb: pd.DataFrame, jumlah_jenis: int = 3) -> Bagian:
    """Item tables of the ``jumlah_jenis`` jenis whose shortfall costs most."""
    per_jenis = keb.groupby("kode_jenis")["biaya"].sum(min_count=1).sort_values(ascending=False)
    parts = []
    for kode in per_jenis.dropna().index[:jumlah_jenis]:
        items = keb[keb["kode_jenis"] == kode]
        parts.append(tabel(items, kolom("nama_butir", "satuan", "kebutuhan", "tersedia", "kekurangan", "harga_satuan",
                                        "sumber_harga", "biaya"), judul=str(items["nama_jenis"].iloc[0])))
    return Bagian(parts or [teks("Tidak ada jenis dengan biaya kekurangan.")])


def save_needs(keb: pd.DataFrame, data: RegionData, output_dir) -> Bagian:
    per_bidang, per_opd = summarize_bernama(keb, "bidang"), summarize_bernama(keb, "opd")
    summary = {**identitas(data), "biaya_total": int(keb["biaya"].sum(skipna=True)),
               "biaya_per_bidang": {r.bidang: as_int(r.biaya) for r in per_bidang.itertuples()},
               "biaya_per_opd": {r.opd: as_int(r.biaya) for r in per_opd.itertuples()},
               "jumlah_butir": int(len(keb)), "jumlah_butir_kurang": int((keb["kekurangan"] > 0).sum()),
               "jumlah_butir_tanpa_data": int(keb["biaya"].isna().sum())}
    files = {"kebutuhan.csv": keb, "kebutuhan_jenis.csv": summarize_bernama(keb, "jenis"),
             "kebutuhan_bidang.csv": per_bidang, "kebutuhan_opd.csv": per_opd}
    return write_stage(output_dir, files, "kebutuhan.json", summary)


# ----------------------------------------------------------------------------- 03 rencana pemenuhan
def rencana_wilayah(data: RegionData, *, lama: int = 5, metode: str = "merata", pagu=None,
                    pertumbuhan_sasaran: float = 0.0, kenaikan_harga: float = 0.0) -> plan.Rencana:
    """The region's plan from the report year (stage 3), with the region's own prices."""
    return plan.build_rencana(data.sasaran, data.input("harga_satuan", True),
                              ketersediaan=data.input("ketersediaan"), tahun_dasar=data.tahun, lama=lama,
                              metode=metode, pagu=pagu, pertumbuhan_sasaran=pertumbuhan_sasaran,
                              kenaikan_harga=kenaikan_harga, aturan=data.aturan)


def status_bernama(rencana: plan.Rencana) -> pd.DataFrame:
    return with_jenis_names(rencana.status).sort_values(["tahun_tuntas", "kode_jenis"], na_position="last",
                                                         ignore_index=True)


def tabel_status(rencana: plan.Rencana):
    """Per jenis: baseline, final target, the year it reaches 100%, and why a jenis is not planned."""
    return tabel(status_bernama(rencana), kolom("nama_jenis", "opd_pengampu", "capaian_awal", "target_akhir",
                                                "tahun_tuntas", "keterangan",
                                                capaian_awal=("Capaian awal", "persen"),
                                                target_akhir=("Target akhir", "persen")))


def skenario_pagu(data: RegionData, bagian=(0.5, 0.75, 1.0), *, lama: int = 5) -> pd.DataFrame:
    """What-if without the widget: the plan under a yearly ceiling of 50/75/100% of the average yearly cost
    of the even ('merata') plan. Per scenario: pagu, cost used, jenis reaching 100% by the final year,
    mean final target."""
    base = rencana_wilayah(data, lama=lama)
    rata = float(base.anggaran["biaya"].mean())
    rows = []
    for share in bagian:
        pagu = int(round(rata * share))
        r = rencana_wilayah(data, lama=lama, metode="pagu", pagu=pagu)
        akhir = r.rencana[r.rencana["tahun_rencana"] == r.rencana["tahun_rencana"].max()]
        rows.append({"skenario": f"{fmt.angka(share * 100)}% dari biaya rata-rata rencana merata",
                     "pagu_per_tahun": pagu, "biaya_periode": int(r.anggaran["biaya"].sum()),
                     "jenis_tuntas": int((akhir["target_persen"] >= 100).sum()), "jenis_direncanakan": int(len(akhir)),
                     "target_akhir_rata_rata": float(akhir["target_persen"].mean())})
    return pd.DataFrame(rows)


def tabel_skenario(skenario: pd.DataFrame):
    return tabel(skenario, {"skenario": ("Skenario", "teks"), "pagu_per_tahun": ("Pagu per tahun", "rupiah_ringkas"),
                            "biaya_periode": ("Biaya seluruh periode", "rupiah_ringkas"),
                            "jenis_tuntas": ("Jenis mencapai 100%", "angka"),
                            "jenis_direncanakan": ("Jenis direncanakan", "angka"),
                            "target_akhir_rata_rata": ("Target akhir rata-rata", "persen")})


def tabel_rpjmd(rencana: plan.Rencana):
    """RPJMD/Renstra shape: baseline, target per plan year, final condition and the period's cost."""
    t = plan.tabel_rpjmd(rencana)
    years = [c.split("_")[1] for c in t.columns if c.startswith("target_")]
    spec = {"nama_jenis": KOLOM["nama_jenis"], "kondisi_awal": ("Kondisi awal", "persen1"),
            **{f"target_{y}": (f"Target {y}", "persen1") for y in years},
            "total_biaya": ("Biaya periode", "rupiah_ringkas")}
    return tabel(t, spec, catatan="Biaya per tahun ada di berkas rencana_rpjmd.csv.")


_RKPD = {"program": ("Program", "teks"), "tambahan_orang": ("Tambahan orang", "angka"),
         "biaya": ("Didanai", "rupiah"), "kekurangan_anggaran": ("Belum didanai", "rupiah")}


def tabel_rkpd(rencana: plan.Rencana, tahun: int):
    """The RKPD rows of one plan year: program, jenis, OPD, target, people to serve and the additional people,
    funded and unfunded cost (D4)."""
    return tabel(plan.tabel_rkpd(rencana, tahun), kolom("program", "nama_jenis", "opd", "target_persen",
                                                        "sasaran_dilayani", "tambahan_orang", "biaya",
                                                        "kekurangan_anggaran", **_RKPD), judul=f"RKPD {tahun}",
                 lebar={"program": "20%", "nama_jenis": "24%", "opd": "13%"})


def tabel_butir_tambahan(rencana: plan.Rencana, tahun: int, jumlah: int = 15):
    """What to buy and whom to hire in one plan year: the additional items with the largest cost."""
    b = plan.tabel_butir(rencana, tahun)
    if b.empty:
        return teks(f"Tidak ada butir tambahan pada tahun {tahun}.")
    b = b.sort_values(["biaya", "kode_item"], ascending=[False, True]).head(jumlah)
    return tabel(with_jenis_names(b), kolom("nama_jenis", "nama_butir", "satuan", "tambahan", "biaya",
                                           nama_butir=("Butir", "teks"), satuan=("Satuan", "teks"),
                                           tambahan=("Tambahan", "angka")),
                 judul=f"Butir tambahan terbesar {tahun} (beli/rekrut)")


def renja_semua_opd(rencana: plan.Rencana, tahun: int) -> Bagian:
    """One Renja table per OPD pengampu for one plan year."""
    rk = plan.tabel_rkpd(rencana, tahun)
    parts = []
    for opd in sorted(rk["opd"].dropna().unique()):
        parts.append(tabel(plan.tabel_renja(rencana, tahun, opd), kolom("program", "nama_jenis", "target_persen",
                                                                          "sasaran_dilayani", "tambahan_orang", "biaya",
                                                                          "kekurangan_anggaran", **_RKPD),
                           judul=f"Renja {opd} {tahun}"))
    return Bagian(parts)


def save_plan(rencana: plan.Rencana, data: RegionData, output_dir, *, metode: str, lama: int, pagu,
              tahun_rkpd: int) -> Bagian:
    st = rencana.status
    summary = {**identitas(data), "metode": metode, "lama": lama, "pagu": pagu, "tahun_dasar": data.tahun,
               "tahun_akhir": data.tahun + lama,
               "biaya_per_tahun": {str(r.tahun_rencana): as_int(r.biaya) for r in rencana.anggaran.itertuples()},
               "biaya_periode": int(rencana.anggaran["biaya"].sum(skipna=True)),
               "jenis_direncanakan": int((~st["keterangan"].str.startswith("tidak direncanakan")).sum()),
               "jenis_tidak_tercapai": int((st["keterangan"] == plan.TIDAK_TERCAPAI).sum()),
               "kekurangan_anggaran_per_tahun": {str(r.tahun_rencana): as_int(r.kekurangan_anggaran)
                                                 for r in rencana.anggaran.itertuples()},
               "kekurangan_anggaran_periode": int(rencana.anggaran["kekurangan_anggaran"].sum(skipna=True))}
    files = {"rencana.csv": rencana.rencana, "rencana_status.csv": st, "rencana_anggaran.csv": rencana.anggaran,
             "rencana_rpjmd.csv": plan.tabel_rpjmd(rencana),
             f"rencana_rkpd_{tahun_rkpd}.csv": plan.tabel_rkpd(rencana, tahun_rkpd),
             "rencana_butir.csv": rencana.butir}
    return write_stage(output_dir, files, "rencana.json", summary)
