"""One region's quarterly e-SPM report (D8, D9): read its rows, compute the five blocks, say what is missing.

``compute_triwulan(kode, tahun, triwulan, data_dir)`` → ``HasilTriwulan`` holds every table of the quarter
pack (``documents.quarter_pack``) and of the annual report's budget and problem chapters; ``ringkasan_triwulan``
is what a batch reads (``ringkasan_triwulan.json``). Every number comes from ``engine.quarter`` and
``engine.achievement``; this module selects, joins names, and counts days to the deadline.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from spm_helpers import DEMO_LABEL
from spm_helpers.engine import achievement
from spm_helpers.engine import quarter as eq
from spm_helpers.errors import SEVERITY_WARNING, Problem, SPMError
from spm_helpers.files import write_json
from spm_helpers.inputs import datastore
from spm_helpers.paths import contoh_dir
from spm_helpers.reference import catalog, regions, schemas
from spm_helpers.reference import quarter as q
from spm_helpers.region.data import is_demo, source_note

RINGKASAN_TRIWULAN = "ringkasan_triwulan.json"
QUARTER_INPUTS = ("sasaran", "ketersediaan", "anggaran", "permasalahan", "tahapan")


@dataclass
class DataTriwulan:
    """A region's rows for one year, quarterly rows kept (``region.data`` keeps only annual ones)."""

    wilayah: regions.Region
    tahun: int
    triwulan: int
    tables: dict[str, pd.DataFrame]
    data_label: str
    sumber: str
    folder: Path
    aturan: str = catalog.DEFAULT_ATURAN


def load_quarter_data(kode_wilayah: str, tahun: int, triwulan: int, data_dir: str | Path | None = None, *,
                      aturan: str = catalog.DEFAULT_ATURAN) -> DataTriwulan:
    """Read one region's rows of one year from every table the quarterly report uses (missing tables are
    empty: a region that has not reported budgets gets an empty block, not an error)."""
    wilayah = regions.get(kode_wilayah)
    t = q.check_triwulan(triwulan)
    folder = contoh_dir() if data_dir is None else Path(data_dir)
    tables = datastore.load(folder, wilayah.kode_wilayah, tahun=int(tahun), tables=QUARTER_INPUTS)
    demo = is_demo(data_dir, tables["sasaran"])
    return DataTriwulan(wilayah, int(tahun), t, tables, DEMO_LABEL if demo else "",
                        source_note(data_dir, tables["sasaran"], demo), folder, aturan)


@dataclass
class HasilTriwulan:
    """Every block of a region's quarterly report, and its completeness."""

    data: DataTriwulan
    capaian: pd.DataFrame  # one row per jenis the level must apply, catalogue order
    indeks: dict  # region IP-SPM at quarter end with D8 completeness (empty when no capaian reported)
    anggaran_rinci: pd.DataFrame  # per jenis × funding source
    anggaran_jenis: pd.DataFrame  # per jenis the level must apply (NA = belum dilaporkan)
    anggaran_bidang: pd.DataFrame
    permasalahan: pd.DataFrame  # the quarter's stated problems
    tahapan: pd.DataFrame  # five rows, status at quarter end
    rencana_aksi: pd.DataFrame  # per jenis: next year's plan target and cost beside this year's allocation
    keterisian: eq.Keterisian
    peringatan: list[Problem] = field(default_factory=list)
    hari_ini: dt.date = field(default_factory=dt.date.today)

    @property
    def wilayah(self) -> regions.Region:
        return self.data.wilayah

    @property
    def tahun(self) -> int:
        return self.data.tahun

    @property
    def triwulan(self) -> int:
        return self.data.triwulan

    @property
    def nama_triwulan(self) -> str:
        return q.nama_triwulan(self.triwulan)

    @cached_property
    def tenggat(self) -> tuple[dt.date | None, str]:
        return q.tenggat(self.tahun, self.triwulan)

    @property
    def hari_tersisa(self) -> int | None:
        """Days from ``hari_ini`` to the deadline (negative: late), None when no deadline is known."""
        d, _ = self.tenggat
        return None if d is None else (d - self.hari_ini).days

    @property
    def skor(self) -> float:
        return float(self.keterisian.total["keterisian"].iloc[0])

    @property
    def blok(self) -> pd.DataFrame:
        return self.keterisian.blok.drop(columns="kode_wilayah")

    @property
    def kurang(self) -> pd.DataFrame:
        return self.keterisian.kurang.drop(columns="kode_wilayah")

    @property
    def blok_kosong(self) -> list[str]:
        """Blocks with nothing complete: what a province chases first."""
        b = self.keterisian.blok
        return b.loc[b["jumlah_lengkap"] == 0, "nama"].tolist()


def compute_triwulan(kode_wilayah: str, tahun: int, triwulan: int, data_dir: str | Path | None = None, *,
                     hari_ini: dt.date | None = None, rencana: pd.DataFrame | None = None,
                     aturan: str = catalog.DEFAULT_ATURAN) -> HasilTriwulan:
    """The quarterly report of one region. ``rencana``: the annual report's per-jenis table
    (``HasilWilayah.capaian``) to take next year's plan from; without it the plan columns stay empty."""
    data = load_quarter_data(kode_wilayah, tahun, triwulan, data_dir, aturan=aturan)
    return quarter_result(data, hari_ini=hari_ini, rencana=rencana)


def quarter_result(data: DataTriwulan, *, hari_ini: dt.date | None = None,
                   rencana: pd.DataFrame | None = None) -> HasilTriwulan:
    """``compute_triwulan`` on rows already read (the notebook's entry widgets hand edited rows here)."""
    t, w = data.triwulan, data.wilayah
    tb = data.tables
    info = catalog.jenis_info(w.tingkat)
    wajib = info[["kode_jenis", "nama_jenis", "opd_pengampu"]].assign(kode_wilayah=w.kode_wilayah)

    sas = eq.sasaran_triwulan(tb["sasaran"], t)
    ket = eq.ketersediaan_triwulan(tb["ketersediaan"], t) if len(tb["ketersediaan"]) else None
    if len(sas):
        ip = achievement.compute_ip_spm(sas, ket if ket is not None and len(ket) else None, aturan=data.aturan)
        jenis = ip.jenis
        indeks = ip.wilayah.iloc[0].to_dict() if len(ip.wilayah) else {}
    else:
        jenis = pd.DataFrame(columns=["kode_wilayah", "kode_jenis", "jumlah_sasaran", "jumlah_terlayani",
                                      "capaian_penerima", "capaian_mutu", "indeks", "kategori", "status",
                                      "jumlah_butir_tanpa_data"])
        indeks = {}
    cap = info[["kode_jenis", "kode_bidang", "bidang", "nama_jenis", "opd_pengampu"]].merge(
        jenis.drop(columns=[c for c in ("kode_bidang", "tahun") if c in jenis.columns]), on="kode_jenis",
        how="left")
    cap["status"] = cap["status"].astype(object).where(cap["status"].notna(), q.BELUM_DILAPORKAN)

    rinci = eq.ringkasan_anggaran(tb["anggaran"], t)
    per_jenis = info[["kode_jenis", "kode_bidang", "bidang", "nama_jenis", "opd_pengampu"]].merge(
        eq.anggaran_per_jenis(rinci).drop(columns=["kode_wilayah", "tahun"], errors="ignore"), on="kode_jenis",
        how="left")
    per_bidang = eq.anggaran_per_bidang(rinci, catalog.jenis())
    masalah_q = tb["permasalahan"][pd.to_numeric(tb["permasalahan"]["triwulan"]) == t]
    tahapan = eq.status_tahapan(tb["tahapan"], [w.kode_wilayah], data.tahun, t)
    cap_for_k = cap.assign(kode_wilayah=w.kode_wilayah, status=cap["status"].where(
        cap["status"] != q.BELUM_DILAPORKAN, None))
    ang_q = tb["anggaran"][pd.to_numeric(tb["anggaran"]["triwulan"]) == t]
    kt = eq.keterisian_blok(wajib=wajib, capaian=cap_for_k[["kode_wilayah", "kode_jenis", "jumlah_sasaran",
                                                             "jumlah_terlayani", "jumlah_butir_tanpa_data",
                                                             "status"]],
                            anggaran=ang_q, permasalahan=masalah_q, tahapan=tahapan)
    ra = per_jenis[["kode_jenis", "nama_jenis", "opd_pengampu", "alokasi"]].rename(
        columns={"alokasi": "alokasi_tahun_ini"})
    if rencana is not None and len(rencana):
        plan = rencana.set_index("kode_jenis")
        for col in ("target_tahun_depan", "sasaran_dilayani_tahun_depan", "biaya_tahun_depan"):
            ra[col] = ra["kode_jenis"].map(plan[col].to_dict())
    return HasilTriwulan(data, cap.drop(columns=["kode_wilayah"], errors="ignore"), indeks, rinci, per_jenis,
                         per_bidang, eq.daftar_permasalahan(masalah_q), tahapan, ra, kt,
                         _warnings(data, wajib), hari_ini or dt.date.today())


def tanggal_hitung(text: str | dt.date | None) -> dt.date:
    """The date days-to-deadline are counted from: a 'YYYY-MM-DD' parameter, or today when empty."""
    if isinstance(text, dt.date):
        return text
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise SPMError(f"hari_ini harus tanggal berformat TTTT-BB-HH, mis. 2025-07-10 (bukan '{text}')") from None


def rencana_tahunan(kode_wilayah: str, tahun: int, data_dir: str | Path | None,
                    aturan: str = catalog.DEFAULT_ATURAN) -> pd.DataFrame | None:
    """The annual per-jenis table with next year's plan (``HasilWilayah.capaian``), or None when the year has no
    annual data yet (an early quarter): the Rencana Aksi sheet then shows the allocation only."""
    from spm_helpers.region.compute import compute
    from spm_helpers.region.data import load_region_data

    try:
        return compute(load_region_data(kode_wilayah, tahun, data_dir, aturan=aturan)).capaian
    except SPMError:
        return None


def _warnings(data: DataTriwulan, wajib: pd.DataFrame) -> list[Problem]:
    """What the officer should check although the rows were accepted: schema warnings of this quarter's rows,
    rows for a jenis the level does not have, cumulative realisation falling from the previous quarter."""
    out: list[Problem] = []
    for table in ("anggaran", "permasalahan", "tahapan"):
        df = data.tables[table]
        if "triwulan" in df.columns:
            df = df[pd.to_numeric(df["triwulan"]) == data.triwulan]
        if df.empty:
            continue
        _, found = schemas.validate(df, table, berkas=f"{table}.csv", raise_errors=False)
        out += [p for p in found if p.tingkat == SEVERITY_WARNING]
        if "kode_jenis" in df.columns:
            for kode in sorted(set(df["kode_jenis"].dropna()) - set(wajib["kode_jenis"])):
                out.append(Problem(f"jenis {kode} bukan jenis pelayanan dasar tingkat {data.wilayah.tingkat}: "
                                   "barisnya tidak dihitung", berkas=f"{table}.csv", kolom="kode_jenis", nilai=kode,
                                   tingkat=SEVERITY_WARNING))
    a = data.tables["anggaran"]
    if data.triwulan > 1 and len(a):
        keys = ["kode_jenis", "sumber_dana"]
        now = a[pd.to_numeric(a["triwulan"]) == data.triwulan].set_index(keys)["realisasi"]
        before = a[pd.to_numeric(a["triwulan"]) == data.triwulan - 1].set_index(keys)["realisasi"]
        both = pd.concat([now.rename("n"), before.rename("b")], axis=1, join="inner").dropna()
        for (kode, sumber), r in both[both["n"] < both["b"]].iterrows():
            out.append(Problem(f"realisasi kumulatif {kode} ({sumber}) turun dari triwulan sebelumnya; realisasi "
                               "diisi kumulatif sejak Januari", berkas="anggaran.csv", kolom="realisasi",
                               tingkat=SEVERITY_WARNING))
    return out


def _f(x) -> float | None:
    return None if x is None or (isinstance(x, float) and np.isnan(x)) or pd.isna(x) else float(x)


def ringkasan_triwulan(h: HasilTriwulan) -> dict:
    """The quarter summary a batch reads: completeness per block and overall, IP-SPM at quarter end,
    empty blocks, deadline. Floats unrounded; money in integer rupiah."""
    w = h.wilayah
    d, status = h.tenggat
    ang = h.anggaran_jenis
    alok = ang["alokasi"].dropna()
    real = ang["realisasi"].dropna()
    return {
        "kode_wilayah": w.kode_wilayah, "nama": w.nama, "tingkat": w.tingkat, "kode_provinsi": w.kode_provinsi,
        "tahun": h.tahun, "triwulan": h.triwulan,
        "keterisian": h.skor,
        "keterisian_blok": {r.kode_blok: _f(r.keterisian) for r in h.keterisian.blok.itertuples()},
        "blok_kosong": h.blok_kosong,
        "jumlah_kekurangan": int(len(h.keterisian.kurang)),
        "ip_spm": _f(h.indeks.get("indeks")), "kategori": h.indeks.get("kategori") or None,
        "keterisian_capaian_d8": _f(h.indeks.get("keterisian")),
        "alokasi": int(alok.sum()) if len(alok) else None, "realisasi": int(real.sum()) if len(real) else None,
        "jumlah_permasalahan": int(len(h.permasalahan)),
        "tenggat": d.isoformat() if d else None, "status_tenggat": status, "hari_tersisa": h.hari_tersisa,
        "data": h.data.data_label or "data daerah",
    }


def write_quarter_outputs(h: HasilTriwulan, output_dir: str | Path) -> dict[str, Path]:
    """``ringkasan_triwulan.json`` and the block tables as CSV (formula-safe, atomic) for batch summaries."""
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"ringkasan": write_json(out / RINGKASAN_TRIWULAN, ringkasan_triwulan(h))}
    for name, df in (("keterisian_blok", h.blok), ("kekurangan_triwulan", h.kurang),
                     ("anggaran_triwulan", h.anggaran_rinci)):
        paths[name] = datastore.write_table(df, out / f"{name}.csv")
    return paths


def check_has_rows(h: HasilTriwulan) -> None:
    """Refuse a quarter with no rows at all in any table (a wrong code or year, not a late region)."""
    if all(len(df) == 0 for df in h.data.tables.values()):
        raise SPMError(f"Tidak ada data {h.wilayah.nama} ({h.wilayah.kode_wilayah}) tahun {h.tahun} di "
                       f"{h.data.folder}. Periksa kode wilayah, tahun, atau folder data.")
