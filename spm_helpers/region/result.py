"""Every stage's result for one region, the tables a report prints, and the summary a batch reads.

``HasilWilayah`` offers the report's tables (names joined, one row per jenis); ``ringkasan`` is the
machine-readable summary (``ringkasan.json``); ``write_outputs`` writes it beside ``capaian.csv`` and
``kebutuhan.csv``. Every number comes from the engine; this module only selects and joins.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from spm_helpers import fmt
from spm_helpers.engine import achievement, needs, plan
from spm_helpers.errors import SEVERITY_ERROR, SEVERITY_WARNING
from spm_helpers.files import write_json
from spm_helpers.inputs import datastore
from spm_helpers.reference import catalog, regions
from spm_helpers.region.data import RegionData

KEKURANGAN_TERBESAR = 5
RINGKASAN = "ringkasan.json"


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
        order = {k: i for i, k in enumerate(catalog.bidang_order())}
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
        info = catalog.jenis_info(self.wilayah.tingkat).set_index("kode_jenis")
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
    order = {k: i for i, k in enumerate(catalog.bidang_order())}
    b = ip.bidang.sort_values(["kode_bidang", "tahun"], key=lambda s: s.map(order) if s.name == "kode_bidang"
                              else s, kind="stable")
    b = b[["tahun", "bidang", "indeks"]].rename(columns={"bidang": "nama"})
    out = pd.concat([w, b], ignore_index=True)[["tahun", "nama", "indeks"]].dropna(subset=["indeks"])
    return out.assign(nama=[textwrap.shorten(str(n), panjang_nama, placeholder="…") for n in out["nama"]])


def kalimat_keterisian(row: pd.Series) -> str:
    """The completeness sentence (D8) that goes beside every IP-SPM: keterisian, "dinilai N dari 29 jenis"
    counted from the catalogue, and the index with jenis lacking complete data counted as 0."""
    wajib = int(row["jumlah_jenis_wajib"])
    text = (f"Tingkat keterisian data {fmt.persen(row['keterisian'])} ({int(row['jumlah_jenis_lengkap'])} dari "
            f"{wajib} jenis berdata lengkap); dinilai {int(row['jumlah_jenis_dinilai'])} dari {wajib} jenis.")
    if pd.notna(row["ip_spm_data_kosong_nol"]):
        kat = row.get("kategori_data_kosong_nol")
        text += (f" IP-SPM bila jenis tanpa data lengkap dihitung 0: {fmt.angka(row['ip_spm_data_kosong_nol'], 2)}"
                 + (f" ({kat})." if pd.notna(kat) else "."))
    return text


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
        "skema_kategori": catalog.SKEMA_KATEGORI,
        "keterisian": _float(row["keterisian"]),
        "jumlah_jenis_wajib": int(row["jumlah_jenis_wajib"]),
        "jumlah_jenis_lengkap": int(row["jumlah_jenis_lengkap"]),
        "ip_spm_data_kosong_nol": _float(row["ip_spm_data_kosong_nol"]),
        "kategori_data_kosong_nol": None if pd.isna(row["kategori_data_kosong_nol"])
        else str(row["kategori_data_kosong_nol"]),
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
        "kekurangan_anggaran_tahun_depan": _kekurangan_tahun_depan(hasil),
        "aturan": hasil.data.aturan,
        "catatan_aturan": catalog.rule_set_note(hasil.data.aturan),
        "data_label": hasil.data.data_label,
        "sumber_data": hasil.data.sumber,
    }


def _kekurangan_tahun_depan(hasil: HasilWilayah) -> int:
    a = hasil.rencana.anggaran
    nxt = a[a["tahun_rencana"] == hasil.tahun + 1]["kekurangan_anggaran"]
    return int(nxt.sum(skipna=True)) if len(nxt) else 0


def write_outputs(hasil: HasilWilayah, output_dir: str | Path) -> dict[str, Path]:
    """ringkasan.json, capaian.csv (jenis), kebutuhan.csv (items), bendera.csv, rencana.csv — atomically."""
    out = Path(output_dir)
    return {
        "ringkasan": write_json(out / RINGKASAN, ringkasan(hasil)),
        "capaian": datastore.write_table(hasil.capaian, out / "capaian.csv"),
        "kebutuhan": datastore.write_table(catalog.kebutuhan_bernama(hasil.kebutuhan, hasil.data.aturan), out / "kebutuhan.csv"),
        "bendera": datastore.write_table(hasil.bendera, out / "bendera.csv"),
        "rencana": datastore.write_table(hasil.rencana.rencana, out / "rencana.csv"),
    }
