"""Stage outputs reshaped for reading: Indonesian column headers, names joined, small pivots.

Shared by the stage notebooks (01–04), the regional report and the Rencana Aksi. Each function takes
an engine table and returns a table (or a ``report_blocks.Tabel``) — a sum or a mean over rows at
most, never a new SPM formula.
"""
from __future__ import annotations

import pandas as pd

from spm_helpers.reference import catalog
from spm_helpers.reference.catalog import bidang_order, jenis_info
from spm_helpers.region.data import RegionData
from spm_helpers.views.blocks import Tabel, tabel

# column → (header, format) used wherever that column is shown
KOLOM: dict[str, tuple[str, str]] = {
    "kode_jenis": ("Kode", "teks"),
    "nama_jenis": ("Jenis pelayanan dasar", "teks"),
    "bidang": ("Bidang", "teks"),
    "opd_pengampu": ("OPD pengampu", "teks"),
    "opd": ("OPD pengampu", "teks"),
    "penerima": ("Penerima (warga negara yang berhak)", "teks"),
    "jumlah_sasaran": ("Sasaran", "angka"),
    "jumlah_terlayani": ("Terlayani", "angka"),
    "capaian_penerima": ("Capaian penerima", "persen"),
    "capaian_mutu": ("Capaian mutu", "persen"),
    "indeks": ("Indeks", "desimal"),
    "kategori": ("Kategori", "teks"),
    "status": ("Status", "teks"),
    "biaya_kekurangan": ("Biaya menutup kekurangan", "rupiah"),
    "biaya": ("Biaya", "rupiah"),
    "target_persen": ("Target", "persen"),
    "sasaran_dilayani": ("Sasaran dilayani", "angka"),
    "tahun_tuntas": ("Tahun tuntas (100%)", "tahun"),
    "keterangan": ("Keterangan", "teks"),
    "kode_item": ("Kode butir", "teks"),
    "nama_butir": ("Butir mutu", "teks"),
    "satuan": ("Satuan", "teks"),
    "kebutuhan": ("Kebutuhan", "angka"),
    "tersedia": ("Tersedia", "angka"),
    "kekurangan": ("Kekurangan", "angka"),
    "surplus": ("Kelebihan", "angka"),
    "harga_satuan": ("Harga satuan", "rupiah"),
    "sumber_harga": ("Sumber harga", "teks"),
    "tingkat": ("Tingkat", "teks"),
    "tahun": ("Tahun", "tahun"),
    "jumlah_butir": ("Butir mutu", "angka"),
    "jumlah_butir_kurang": ("Butir kurang", "angka"),
    "jumlah_butir_tanpa_data": ("Butir tanpa data", "angka"),
    "jumlah_jenis": ("Jenis", "angka"),
    "jumlah_jenis_dinilai": ("Jenis dinilai", "angka"),
}


def kolom(*names: str, **ganti: tuple[str, str]) -> dict[str, tuple[str, str]]:
    """The header/format spec for these columns, in this order; ``ganti`` overrides a column's spec."""
    return {n: ganti[n] if n in ganti else KOLOM[n] for n in names}


def sort_bidang(df: pd.DataFrame) -> pd.DataFrame:
    """Rows in the catalogue order of bidang (PP 2/2018), not alphabetical."""
    order = {k: i for i, k in enumerate(bidang_order())}
    return df.sort_values("kode_bidang", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)


def tabel_bidang(bidang: pd.DataFrame, judul: str | None = None) -> Tabel:
    """Index per bidang: jenis counted, jenis scored, index, category."""
    return tabel(sort_bidang(bidang), kolom("bidang", "jumlah_jenis", "jumlah_jenis_dinilai", "indeks", "kategori"),
                 judul=judul)


def tabel_capaian(capaian: pd.DataFrame, judul: str | None = None, maks_baris: int | None = None) -> Tabel:
    """Per jenis: sasaran, terlayani, capaian penerima and mutu, index, category."""
    return tabel(capaian, kolom("nama_jenis", "jumlah_sasaran", "jumlah_terlayani", "capaian_penerima",
                                "capaian_mutu", "indeks", "kategori"), judul=judul, maks_baris=maks_baris)


def tabel_biaya_rencana(capaian: pd.DataFrame, tahun: int, judul: str | None = None) -> Tabel:
    """Per jenis: cost of closing this year's shortfall and next year's planned target, people and cost."""
    nxt = tahun + 1
    spec = {"nama_jenis": KOLOM["nama_jenis"],
            "biaya_kekurangan": (f"Biaya menutup kekurangan {tahun} (juta Rp)", "juta"),
            "target_tahun_depan": (f"Target {nxt}", "persen"),
            "sasaran_dilayani_tahun_depan": (f"Sasaran dilayani {nxt}", "angka"),
            "biaya_tahun_depan": (f"Biaya rencana {nxt} (juta Rp)", "juta"),
            "tahun_tuntas": KOLOM["tahun_tuntas"]}
    return tabel(capaian, spec, judul=judul, catatan="Biaya dalam juta rupiah.")


def biaya_rencana_per_bidang(rencana: pd.DataFrame) -> pd.DataFrame:
    """Plan cost per bidang (rows, catalogue order, plus 'Jumlah') and plan year (columns 'biaya_<tahun>')."""
    g = rencana.groupby(["kode_bidang", "bidang", "tahun_rencana"], sort=False)["biaya"].sum(min_count=1)
    wide = g.unstack("tahun_rencana")
    wide.columns = [f"biaya_{int(t)}" for t in wide.columns]
    wide = sort_bidang(wide.reset_index())
    total = {"kode_bidang": "", "bidang": "Jumlah",
             **{c: wide[c].sum(min_count=1) for c in wide.columns if c.startswith("biaya_")}}
    out = pd.concat([wide, pd.DataFrame([total])], ignore_index=True)
    for c in out.columns:
        if c.startswith("biaya_"):
            out[c] = out[c].astype("Int64")
    return out


def tabel_biaya_rencana_bidang(rencana: pd.DataFrame, judul: str | None = None) -> Tabel:
    wide = biaya_rencana_per_bidang(rencana)
    spec = {"bidang": KOLOM["bidang"], **{c: (c.split("_")[1], "juta") for c in wide.columns
                                          if c.startswith("biaya_")}}
    return tabel(wide, spec, judul=judul, catatan="Biaya dalam juta rupiah.")


def target_rencana_per_bidang(rencana: pd.DataFrame, capaian_awal: bool = True) -> pd.DataFrame:
    """Mean planned target of the jenis of each bidang per plan year (long: nama, tahun_rencana,
    target_persen), optionally with the base year's mean capaian as the starting point."""
    cols = ["bidang", "tahun_rencana", "target_persen"]
    out = rencana.groupby(["bidang", "tahun_rencana"], sort=False)["target_persen"].mean().reset_index()[cols]
    if capaian_awal and len(rencana):
        t0 = int(rencana["tahun_rencana"].min()) - 1
        base = rencana.drop_duplicates("kode_jenis").groupby("bidang", sort=False)["capaian_awal"].mean()
        out = pd.concat([base.rename("target_persen").reset_index().assign(tahun_rencana=t0)[cols], out])
    return out.rename(columns={"bidang": "nama"}).sort_values(["nama", "tahun_rencana"], ignore_index=True)


def tabel_jenis_wilayah(kode_wilayah: str) -> Tabel:
    """The jenis pelayanan dasar a region must deliver, with who is entitled and the OPD responsible."""
    from spm_helpers.reference import regions

    tingkat = regions.get(kode_wilayah).tingkat
    j = catalog.jenis(tingkat)[["kode_jenis", "bidang", "nama", "penerima", "opd_pengampu"]]
    return tabel(j.rename(columns={"nama": "nama_jenis"}),
                 kolom("kode_jenis", "bidang", "nama_jenis", "penerima", "opd_pengampu"),
                 lebar={"kode_jenis": "11%", "bidang": "15%", "nama_jenis": "28%", "penerima": "28%"})


def kelengkapan(data: RegionData) -> pd.DataFrame:
    """Completeness of the report year per bidang: jenis expected and reported, sasaran and terlayani filled,
    mutu items reported against the items the catalogue lists, regional unit prices given."""
    info = jenis_info(data.wilayah.tingkat)
    s = data.of_year("sasaran")
    k = data.of_year("ketersediaan")
    mutu = catalog.mutu(data.aturan, kode_jenis=info["kode_jenis"].tolist())
    rows = []
    for kode_bidang, grp in info.groupby("kode_bidang", sort=False):
        jenis = set(grp["kode_jenis"])
        sj = s[s["kode_jenis"].isin(jenis)]
        items = mutu[mutu["kode_jenis"].isin(jenis)]
        kj = k[k["kode_item"].isin(set(items["kode_item"])) & k["jumlah_tersedia"].notna()]
        rows.append({"kode_bidang": kode_bidang, "bidang": grp["bidang"].iloc[0], "jumlah_jenis": len(jenis),
                     "jenis_dilaporkan": sj["kode_jenis"].nunique(),
                     "sasaran_terisi": int(sj["jumlah_sasaran"].notna().sum()),
                     "terlayani_terisi": int(sj["jumlah_terlayani"].notna().sum()),
                     "butir_katalog": len(items), "butir_dilaporkan": kj["kode_item"].nunique(),
                     "harga_daerah": int(data.of_year("harga_satuan")["kode_item"].isin(set(items["kode_item"])).sum())})
    return sort_bidang(pd.DataFrame(rows))


def tabel_kelengkapan(data: RegionData) -> Tabel:
    spec = {"bidang": KOLOM["bidang"], "jumlah_jenis": ("Jenis wajib", "angka"),
            "jenis_dilaporkan": ("Jenis dilaporkan", "angka"), "sasaran_terisi": ("Sasaran terisi", "angka"),
            "terlayani_terisi": ("Terlayani terisi", "angka"), "butir_katalog": ("Butir mutu di katalog", "angka"),
            "butir_dilaporkan": ("Butir mutu dilaporkan", "angka"),
            "harga_daerah": ("Harga satuan daerah (SSH)", "angka")}
    return tabel(kelengkapan(data), spec)


def tabel_bendera(bendera: pd.DataFrame, judul: str | None = None, maks_baris: int | None = 40) -> Tabel:
    """Data-quality flags: jenis, item, level, explanation."""
    spec = {"nama_jenis": KOLOM["nama_jenis"], "kode_item": KOLOM["kode_item"], "tingkat": KOLOM["tingkat"],
            "keterangan": KOLOM["keterangan"]}
    df = bendera.copy()
    if "nama_jenis" not in df.columns:
        df = df.merge(jenis_info()[["kode_jenis", "nama_jenis"]], on="kode_jenis", how="left")
    df["nama_jenis"] = df["nama_jenis"].fillna(df["kode_jenis"]).fillna("–")
    return tabel(df, spec, judul=judul, maks_baris=maks_baris)


def ringkasan_bendera(bendera: pd.DataFrame) -> pd.DataFrame:
    """Count of flags per level and kind (bendera), most severe first."""
    if bendera.empty:
        return pd.DataFrame({"tingkat": [], "bendera": [], "jumlah": []})
    order = {"galat": 0, "peringatan": 1, "info": 2}
    out = bendera.groupby(["tingkat", "bendera"]).size().rename("jumlah").reset_index()
    return out.sort_values(["tingkat", "jumlah"], key=lambda s: s.map(order) if s.name == "tingkat" else -s,
                           ignore_index=True)


def tabel_ringkasan_bendera(bendera: pd.DataFrame) -> Tabel:
    """How many flags of each kind and level."""
    r = ringkasan_bendera(bendera)
    if r.empty:
        return tabel(pd.DataFrame({"keterangan": ["Tidak ada bendera mutu data."]}), {"keterangan": ("", "teks")})
    return tabel(r, {"tingkat": KOLOM["tingkat"], "bendera": ("Jenis bendera", "teks"), "jumlah": ("Jumlah", "angka")})
