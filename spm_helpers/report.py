"""One region and year through the four stages, for the notebooks and the regional report.

``load_region_data`` reads only that region's rows (and the few years a report shows) and labels demo
data; ``compute`` runs the engine once — IP-SPM over the years, needs and cost of the report year, the
fulfilment plan from that year, the data-quality flags — and ``HasilWilayah`` offers the tables the
report prints (names joined, one row per jenis). ``ringkasan`` is the machine-readable summary the batch
reads (``ringkasan.json``); ``write_outputs`` writes it beside ``capaian.csv`` and ``kebutuhan.csv``.
Every number comes from the engine modules; this module only selects, joins and rounds nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from . import DEMO_LABEL, achievement, catalog, datastore, nasional, needs, plan, quality, regions
from .errors import SPMError, SEVERITY_ERROR, SEVERITY_WARNING
from .paths import contoh_dir

TAHUN_RIWAYAT = 4  # years before the report year that a report shows as a trend
KEKURANGAN_TERBESAR = 5
RINGKASAN = "ringkasan.json"


@dataclass
class RegionData:
    """The tidy input tables of one region (annual rows), the years read and where they came from."""

    wilayah: regions.Region
    tahun: int
    sasaran: pd.DataFrame
    ketersediaan: pd.DataFrame
    harga_satuan: pd.DataFrame
    data_label: str
    sumber: str
    aturan: str = catalog.DEFAULT_ATURAN
    folder: Path | None = None  # the data folder read (None: tables built in memory)
    tahun_awal: int | None = None  # first year asked for (the folder may start later)

    @property
    def years(self) -> list[int]:
        return sorted(int(t) for t in self.sasaran["tahun"].dropna().unique())

    def of_year(self, table: str, tahun: int | None = None) -> pd.DataFrame:
        """Rows of one table for one year (default: the report year)."""
        df = getattr(self, table)
        return df[df["tahun"] == (self.tahun if tahun is None else int(tahun))].reset_index(drop=True)

    def input(self, table: str, semua_tahun: bool = False) -> pd.DataFrame | None:
        """A table to hand to the engine: the report year's rows (or every year read), or None when there are
        no rows. None means 'not reported' to the engine (needs._cari fails on an empty lookup table)."""
        df = getattr(self, table) if semua_tahun else self.of_year(table)
        return None if df.empty else df

    def with_tables(self, tables: dict[str, pd.DataFrame]) -> "RegionData":
        """A copy with some tables replaced (e.g. after the data-entry form in notebook 01)."""
        return replace(self, **{k: _annual(v) for k, v in tables.items() if k in datastore.TABLES})


def _annual(df: pd.DataFrame) -> pd.DataFrame:
    """Annual rows only; a year reported only per quarter is represented by its cumulative quarter 4."""
    if "triwulan" not in df.columns:
        return df.reset_index(drop=True)
    q = pd.to_numeric(df["triwulan"])
    keys = [c for c in ("kode_wilayah", "tahun", "kode_jenis", "kode_item") if c in df.columns]
    out = pd.concat([df[q.isna()], df[q == 4]]).drop_duplicates(keys)
    return out.drop(columns="triwulan").reset_index(drop=True)


def is_demo(data_dir, sasaran: pd.DataFrame) -> bool:
    """Demo data: the bundled folder, or any row whose sumber_data is the demo label."""
    if data_dir is None or Path(data_dir).resolve() == contoh_dir().resolve():
        return True
    return "sumber_data" in sasaran.columns and bool((sasaran["sumber_data"] == DEMO_LABEL).any())


def _sumber(data_dir, sasaran: pd.DataFrame, demo: bool) -> str:
    folder = "data contoh bawaan SPM Workbench" if data_dir is None else f"folder data '{Path(data_dir).name}'"
    named = [] if "sumber_data" not in sasaran.columns else \
        sorted({str(s) for s in sasaran["sumber_data"].dropna().unique()} - {DEMO_LABEL})
    text = folder + (f"; sumber data yang dicatat: {', '.join(named)}" if named else "")
    return text + (" — " + DEMO_LABEL if demo else "")


def load_region_data(kode_wilayah: str, tahun: int, data_dir: str | Path | None = None, *,
                     tahun_awal: int | None = None, aturan: str = catalog.DEFAULT_ATURAN) -> RegionData:
    """Read one region's rows for ``tahun_awal`` … ``tahun`` (default: the report year and the 4 before).

    ``data_dir=None`` is the bundled demo data. The report year must have sasaran rows."""
    wilayah = regions.get(kode_wilayah)
    tahun = int(tahun)
    awal = tahun - TAHUN_RIWAYAT if tahun_awal is None else int(tahun_awal)
    folder = contoh_dir() if data_dir is None else Path(data_dir)
    tables = datastore.load(folder, wilayah.kode_wilayah, tahun=list(range(awal, tahun + 1)))
    sasaran = _annual(tables["sasaran"])
    if not (sasaran["tahun"] == tahun).any():
        raise SPMError(f"Tidak ada data sasaran {wilayah.nama} ({wilayah.kode_wilayah}) tahun {tahun} di "
                       f"{folder}. Periksa kode wilayah, tahun, atau folder data.")
    demo = is_demo(data_dir, sasaran)
    return RegionData(wilayah, tahun, sasaran, _annual(tables["ketersediaan"]), _annual(tables["harga_satuan"]),
                      DEMO_LABEL if demo else "", _sumber(data_dir, sasaran, demo), aturan, folder, awal)


def jenis_info(tingkat: str | None = None) -> pd.DataFrame:
    """kode_jenis → nama_jenis, kode_bidang, bidang, opd_pengampu, urutan (catalogue order)."""
    j = catalog.jenis(tingkat)
    out = j[["kode_jenis", "nama", "kode_bidang", "bidang", "opd_pengampu"]].rename(columns={"nama": "nama_jenis"})
    return out.assign(urutan=np.arange(len(out)))


def bidang_order() -> list[str]:
    return catalog.bidang()["kode_bidang"].tolist()


def with_jenis_names(df: pd.DataFrame) -> pd.DataFrame:
    """Add nama_jenis, bidang and opd_pengampu by kode_jenis (dict lookups; the tables are small)."""
    info = jenis_info().set_index("kode_jenis")
    out = df.copy()
    for col in ("nama_jenis", "bidang", "opd_pengampu"):
        out[col] = out["kode_jenis"].map(info[col].to_dict())
    return out


def kebutuhan_bernama(kebutuhan: pd.DataFrame, aturan: str = catalog.DEFAULT_ATURAN) -> pd.DataFrame:
    """The stage-2 item table with the item's name, unit and category and the jenis name, bidang and OPD."""
    mutu = catalog.mutu(aturan).set_index("kode_item")
    out = with_jenis_names(kebutuhan)
    for col, src in (("nama_butir", "nama"), ("satuan", "satuan"), ("kategori_butir", "kategori")):
        out[col] = out["kode_item"].map(mutu[src].to_dict())
    return out


def check_data(data: RegionData) -> pd.DataFrame:
    """Data-quality flags of the report year with the jenis name (jumps are checked against last year)."""
    prev = data.sasaran[data.sasaran["tahun"].isin([data.tahun - 1, data.tahun])]
    flags = quality.check_quality(prev, data.input("ketersediaan"), data.input("harga_satuan"), aturan=data.aturan)
    flags = flags[flags["tahun"] == data.tahun].reset_index(drop=True)
    flags["nama_jenis"] = flags["kode_jenis"].map(jenis_info().set_index("kode_jenis")["nama_jenis"].to_dict())
    return flags


@dataclass
class HasilWilayah:
    """Every stage's result for one region: ``ip`` over all years read, the rest for the report year."""

    data: RegionData
    ip: achievement.IPSPM
    kebutuhan: pd.DataFrame
    rencana: plan.Rencana
    bendera: pd.DataFrame
    lama_rencana: int

    @property
    def wilayah(self) -> regions.Region:
        return self.data.wilayah

    @property
    def tahun(self) -> int:
        return self.data.tahun

    @cached_property
    def indeks(self) -> pd.Series:
        """The region's row of the index table for the report year."""
        w = self.ip.wilayah
        return w[w["tahun"] == self.tahun].iloc[0]

    @cached_property
    def bidang(self) -> pd.DataFrame:
        """Bidang rows of the report year in catalogue order."""
        b = self.ip.bidang[self.ip.bidang["tahun"] == self.tahun]
        order = {k: i for i, k in enumerate(bidang_order())}
        return b.sort_values("kode_bidang", key=lambda s: s.map(order)).reset_index(drop=True)

    @cached_property
    def rekap_jenis(self) -> pd.DataFrame:
        return needs.summarize_kebutuhan(self.kebutuhan, "jenis")

    @cached_property
    def capaian(self) -> pd.DataFrame:
        """One row per jenis of the report year: names, capaian, cost of closing the gap, next year's plan.

        Columns: kode_wilayah, tahun, kode_bidang, bidang, kode_jenis, nama_jenis, opd_pengampu,
        jumlah_sasaran, jumlah_terlayani, capaian_penerima, capaian_mutu, indeks, kategori, status,
        biaya_kekurangan, jumlah_butir_tanpa_biaya, target_tahun_depan, sasaran_dilayani_tahun_depan,
        biaya_tahun_depan, tahun_tuntas, keterangan_rencana."""
        out = self.ip.jenis[self.ip.jenis["tahun"] == self.tahun].reset_index(drop=True)
        kode = out["kode_jenis"]
        info = jenis_info(self.wilayah.tingkat).set_index("kode_jenis")
        for col in ("bidang", "nama_jenis", "opd_pengampu", "urutan"):  # dict lookups: tiny tables, no merge
            out[col] = kode.map(info[col].to_dict())
        rk = self.rekap_jenis.set_index("kode_jenis")
        out["biaya_kekurangan"] = kode.map(rk["biaya"].to_dict()).astype("Int64")
        out["jumlah_butir_tanpa_biaya"] = kode.map(rk["jumlah_butir_tanpa_data"].to_dict()).astype("Int64")
        r = self.rencana.rencana
        nxt = r[r["tahun_rencana"] == self.tahun + 1].set_index("kode_jenis")
        out["target_tahun_depan"] = kode.map(nxt["target_persen"].to_dict()).astype("float64")
        out["sasaran_dilayani_tahun_depan"] = kode.map(nxt["sasaran_dilayani"].to_dict()).astype("Int64")
        out["biaya_tahun_depan"] = kode.map(nxt["biaya"].to_dict()).astype("Int64")
        st = self.rencana.status.set_index("kode_jenis")
        out["tahun_tuntas"] = kode.map(st["tahun_tuntas"].to_dict()).astype("Int64")
        out["keterangan_rencana"] = kode.map(st["keterangan"].to_dict())
        cols = ["kode_wilayah", "tahun", "kode_bidang", "bidang", "kode_jenis", "nama_jenis", "opd_pengampu",
                "jumlah_sasaran", "jumlah_terlayani", "capaian_penerima", "capaian_mutu", "indeks", "kategori",
                "status", "biaya_kekurangan", "jumlah_butir_tanpa_biaya", "target_tahun_depan",
                "sasaran_dilayani_tahun_depan", "biaya_tahun_depan", "tahun_tuntas", "keterangan_rencana"]
        order = np.lexsort((kode.to_numpy(dtype=object), out["urutan"].fillna(1e6).to_numpy(dtype="float64")))
        return out.take(order).reset_index(drop=True)[cols]

    @property
    def masalah(self) -> pd.DataFrame:
        """Flags that are problems (galat, peringatan), not information."""
        return self.bendera[self.bendera["tingkat"].isin([SEVERITY_ERROR, SEVERITY_WARNING])].reset_index(drop=True)

    @property
    def biaya_total(self) -> int:
        """Rupiah to close every known shortfall of the report year (items without data are not counted)."""
        return int(self.kebutuhan["biaya"].sum(skipna=True))

    @property
    def jumlah_butir_tanpa_biaya(self) -> int:
        return int(self.kebutuhan["biaya"].isna().sum())

    def kekurangan_terbesar(self, n: int = KEKURANGAN_TERBESAR) -> pd.DataFrame:
        """The n jenis whose shortfall costs most (cost > 0), largest first."""
        c = self.capaian[self.capaian["biaya_kekurangan"].fillna(0) > 0]
        return c.sort_values(["biaya_kekurangan", "kode_jenis"], ascending=[False, True]).head(n)

    @cached_property
    def tren(self) -> pd.DataFrame:
        return tren_indeks(self.ip)


def tren_indeks(ip: achievement.IPSPM, panjang_nama: int = 30) -> pd.DataFrame:
    """Index per year of the region ('Indeks wilayah') and each bidang (catalogue order), long format
    (tahun, nama, indeks) without unknown values; names shortened to ``panjang_nama`` for chart legends."""
    import textwrap

    w = ip.wilayah[["tahun", "indeks"]].assign(nama="Indeks wilayah")
    order = {k: i for i, k in enumerate(bidang_order())}
    b = ip.bidang.sort_values(["kode_bidang", "tahun"], key=lambda s: s.map(order) if s.name == "kode_bidang"
                              else s, kind="stable")
    b = b[["tahun", "bidang", "indeks"]].rename(columns={"bidang": "nama"})
    out = pd.concat([w, b], ignore_index=True)[["tahun", "nama", "indeks"]].dropna(subset=["indeks"])
    return out.assign(nama=[textwrap.shorten(str(n), panjang_nama, placeholder="…") for n in out["nama"]])


def compute(data: RegionData, *, lama_rencana: int = 5, metode: str = "merata", pagu=None) -> HasilWilayah:
    """Run the engine for one region: IP-SPM (all years read), needs and plan from the report year, flags.

    In a batch kernel the engine has usually run already for every region of the folder (``nasional``);
    the region's tables are then cut from that run instead of computed again."""
    run = nasional.for_region(data, lama_rencana, metode) if pagu is None else None
    if run is not None:
        ip, keb, rencana, bendera = run.results(data)
        return HasilWilayah(data, ip, keb, rencana, bendera, lama_rencana)
    ip = achievement.compute_ip_spm(data.sasaran, data.input("ketersediaan", True), aturan=data.aturan)
    keb = needs.compute_kebutuhan(data.of_year("sasaran"), data.input("ketersediaan"), data.input("harga_satuan"),
                                  aturan=data.aturan)
    rencana = plan.build_rencana(data.sasaran, data.input("harga_satuan", True), tahun_dasar=data.tahun,
                                 lama=lama_rencana, metode=metode, pagu=pagu, aturan=data.aturan)
    return HasilWilayah(data, ip, keb, rencana, check_data(data), lama_rencana)


def _float(x) -> float | None:
    return None if x is None or pd.isna(x) else float(x)


def indeks_per_bidang(bidang: pd.DataFrame) -> dict[str, float | None]:
    """Bidang name → index for all six bidang in catalogue order; None where the bidang has no score."""
    known = dict(zip(bidang["kode_bidang"], bidang["indeks"]))
    b = catalog.bidang()
    return {str(nama): _float(known.get(kode)) for kode, nama in zip(b["kode_bidang"], b["nama_bidang"])}


def ringkasan(hasil: HasilWilayah) -> dict:
    """The summary the batch reads (``ringkasan.json``); floats unrounded, money in integer rupiah."""
    w, row = hasil.wilayah, hasil.indeks
    top = hasil.kekurangan_terbesar()
    per_tingkat = hasil.bendera["tingkat"].value_counts()
    return {
        "kode_wilayah": w.kode_wilayah, "nama": w.nama, "tingkat": w.tingkat, "kode_provinsi": w.kode_provinsi,
        "nama_provinsi": w.nama_provinsi, "tahun": hasil.tahun,
        "indeks": _float(row["indeks"]), "kategori": None if pd.isna(row["kategori"]) else str(row["kategori"]),
        "indeks_bidang": indeks_per_bidang(hasil.bidang),
        "biaya_total": hasil.biaya_total,
        "kekurangan_terbesar": [{"kode_jenis": r.kode_jenis, "nama": r.nama_jenis, "biaya": int(r.biaya_kekurangan)}
                                for r in top.itertuples()],
        "jumlah_bendera": int(len(hasil.masalah)),
        "bendera_per_tingkat": {str(k): int(v) for k, v in per_tingkat.items()},
        "jumlah_jenis": int(len(hasil.capaian)),
        "jumlah_jenis_dinilai": int(row["jumlah_jenis_dinilai"]),
        "jumlah_butir_tanpa_biaya": hasil.jumlah_butir_tanpa_biaya,
        "biaya_rencana_tahun_depan": int(hasil.capaian["biaya_tahun_depan"].sum(skipna=True)),
        "aturan": hasil.data.aturan,
        "catatan_aturan": catalog.rule_set_note(hasil.data.aturan),
        "data_label": hasil.data.data_label,
        "sumber_data": hasil.data.sumber,
    }


def write_outputs(hasil: HasilWilayah, output_dir: str | Path) -> dict[str, Path]:
    """ringkasan.json, capaian.csv (jenis), kebutuhan.csv (items), bendera.csv, rencana.csv — atomically."""
    out = Path(output_dir)
    return {
        "ringkasan": datastore.write_json(out / RINGKASAN, ringkasan(hasil)),
        "capaian": datastore.write_table(hasil.capaian, out / "capaian.csv"),
        "kebutuhan": datastore.write_table(kebutuhan_bernama(hasil.kebutuhan, hasil.data.aturan), out / "kebutuhan.csv"),
        "bendera": datastore.write_table(hasil.bendera, out / "bendera.csv"),
        "rencana": datastore.write_table(hasil.rencana.rencana, out / "rencana.csv"),
    }
