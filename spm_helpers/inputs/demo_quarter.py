"""Deterministic synthetic quarterly tables (D9) for the demo data: anggaran, permasalahan, tahapan.

Made to look like what Bangda sees, not like a perfect form: most regions report budgets, fewer report
problems, a few skip a quarter, some leave the rencana aksi number blank. Everything depends only on
(seed, region, year), so one region generated alone equals the same region in a batch of 552.

Amounts are illustrative: a per-bidang rupiah per sasaran (``_RUPIAH_PER_SASARAN``) times the year's sasaran,
split over funding sources typical of the bidang. They are labelled synthetic like every demo number.
"""
from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from spm_helpers.reference import catalog, schemas
from spm_helpers.reference import quarter as q

# Persistent reporting behaviour of a region (drawn once per region).
P_NO_BUDGET = 0.10  # a region that enters no budget rows at all
P_NO_PROBLEMS = 0.35  # … no problem rows at all ("most fill in only the IP-SPM")
P_LATE_QUARTER = 0.15  # per region and year: one of quarters 1–3 not reported (late)
P_NO_TAHAPAN = 0.08
P_RA_NO_NUMBER = 0.15
P_JENIS_BUDGET = 0.93  # a reporting region has budget rows for this jenis
P_PROBLEM = 0.30  # a jenis gets a new problem in a quarter
P_STATE_NONE = 0.75  # a jenis without problems is stated as 'tidak ada permasalahan'

REALISASI_SHARE = (0.12, 0.36, 0.63, 0.93)  # cumulative share of the yearly allocation spent, by quarter
_RUPIAH_PER_SASARAN = {"PDD": 1_400_000, "KES": 180_000, "PU": 350_000, "PRM": 2_500_000, "TRB": 60_000,
                       "SOS": 900_000}
# funding sources by bidang: (source, probability, share of the total when present)
_SUMBER = {
    "PDD": [("APBD", 1.0, 0.55), ("BOS", 0.85, 0.35), ("DAK fisik", 0.4, 0.25)],
    "KES": [("APBD", 1.0, 0.45), ("DAK nonfisik", 0.7, 0.25), ("JKN/kapitasi", 0.6, 0.3), ("DAK fisik", 0.3, 0.2)],
    "PU": [("APBD", 1.0, 0.6), ("DAK fisik", 0.6, 0.4)],
    "PRM": [("APBD", 1.0, 1.0), ("lainnya", 0.15, 0.2)],
    "TRB": [("APBD", 1.0, 1.0), ("lainnya", 0.2, 0.15)],
    "SOS": [("APBD", 1.0, 0.8), ("lainnya", 0.3, 0.2)],
}
_MASALAH = {
    "PDD": [("Anak tidak sekolah belum terdata by name by address", "Pendataan anak tidak sekolah bersama "
             "desa/kelurahan dan Dukcapil"),
            ("Kekurangan guru di satuan pendidikan terpencil", "Redistribusi guru dan pengusulan formasi PPPK"),
            ("Ruang kelas rusak berat belum direhabilitasi", "Rehabilitasi diusulkan melalui DAK fisik")],
    "KES": [("Kunjungan ibu hamil belum lengkap di desa terpencil", "Kunjungan rumah bidan desa dan kelas ibu "
             "hamil"),
            ("Bahan medis habis pakai terlambat datang", "Percepatan pengadaan melalui e-katalog"),
            ("Sasaran proyeksi berbeda jauh dari data riil", "Verifikasi sasaran dengan data Dukcapil dan kohort"),
            ("Skrining usia produktif belum menjangkau tempat kerja", "Posbindu PTM di kantor dan pabrik")],
    "PU": [("Akses air minum aman rendah di daerah rawan air", "Pembangunan SPAM perdesaan bersama desa"),
           ("Data akses sanitasi rumah tangga belum mutakhir", "Pemutakhiran data melalui STBM")],
    "PRM": [("Lahan relokasi korban bencana belum tersedia", "Koordinasi penyediaan lahan dengan BPN"),
            ("Data rumah korban bencana belum diverifikasi", "Verifikasi lapangan bersama BPBD")],
    "TRB": [("Anggota Satlinmas belum terlatih", "Pelatihan Satlinmas bertahap per kecamatan"),
            ("Informasi rawan bencana belum sampai ke desa", "Sosialisasi kajian risiko bencana bersama BPBD")],
    "SOS": [("Data penyandang disabilitas terlantar belum padu dengan DTSEN", "Verifikasi dan validasi data "
             "bersama pendamping sosial"),
            ("Sarana panti sosial belum memenuhi standar", "Pendampingan akreditasi dan usulan rehabilitasi")],
}


def _rng(seed: int, kode: str, *extra: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([seed, int(kode.replace(".", "")), 7000, *extra]))


def late_quarter(seed: int, kode: str, tahun: int) -> int | None:
    """The quarter (1–3) a region did not report in a year, or None; the same draw for every table."""
    rng = _rng(seed, kode, int(tahun), 1)
    return int(rng.integers(1, 4)) if rng.random() < P_LATE_QUARTER else None


def generate(sasaran: pd.DataFrame, seed: int) -> dict[str, pd.DataFrame]:
    """The three quarterly tables for the regions and years of the annual ``sasaran`` rows."""
    annual = sasaran[sasaran["triwulan"].isna()] if "triwulan" in sasaran.columns else sasaran
    bidang_of = dict(zip(catalog.jenis()["kode_jenis"], catalog.jenis()["kode_bidang"]))
    a_rows: list[dict] = []
    m_rows: list[dict] = []
    t_rows: list[dict] = []
    for (kode, tahun), rows in annual.groupby(["kode_wilayah", "tahun"], sort=True):
        tahun = int(tahun)
        trait = _rng(seed, kode, 0)
        no_budget, no_problems = trait.random() < P_NO_BUDGET, trait.random() < P_NO_PROBLEMS
        no_tahapan, ra_no_number = trait.random() < P_NO_TAHAPAN, trait.random() < P_RA_NO_NUMBER
        pace = float(np.clip(trait.normal(1.0, 0.1), 0.7, 1.1))
        late = late_quarter(seed, kode, tahun)
        quarters = [t for t in q.TRIWULAN if t != late]
        if not no_budget:
            a_rows += _anggaran(seed, kode, tahun, rows, bidang_of, quarters, pace)
        if not no_problems:
            m_rows += _permasalahan(seed, kode, tahun, rows, bidang_of, quarters)
        if not no_tahapan:
            t_rows += _tahapan(seed, kode, tahun, ra_no_number)
    return {"anggaran": _frame(a_rows, "anggaran"), "permasalahan": _frame(m_rows, "permasalahan"),
            "tahapan": _frame(t_rows, "tahapan")}


def _anggaran(seed, kode, tahun, rows, bidang_of, quarters, pace) -> list[dict]:
    rng = _rng(seed, kode, tahun, 2)
    out = []
    for kode_jenis, sas in zip(rows["kode_jenis"], rows["jumlah_sasaran"]):
        b = bidang_of[kode_jenis]
        keep = rng.random() < P_JENIS_BUDGET
        total = max(int(sas) if pd.notna(sas) else 0, 40) * _RUPIAH_PER_SASARAN[b] * float(rng.lognormal(0, 0.25))
        sources = [(s, share) for s, p, share in _SUMBER[b] if rng.random() < p]
        weight = sum(share for _, share in sources)
        revise = rng.random() < 0.2  # APBD-Perubahan from quarter 3: the yearly allocation changes
        factor = float(rng.uniform(0.9, 1.1))
        noise = rng.normal(0, 0.03, len(q.TRIWULAN))
        if not keep:
            continue
        for s, share in sources:
            alokasi = _juta(total * share / weight)
            spent = np.maximum.accumulate(np.clip(np.array(REALISASI_SHARE) * pace + noise, 0.0, 1.0))
            for t in quarters:
                alok_t = _juta(alokasi * factor) if revise and t >= 3 else alokasi
                real = min(_ribu(alokasi * spent[t - 1]), alok_t)
                out.append({"kode_wilayah": kode, "tahun": tahun, "triwulan": t, "kode_jenis": kode_jenis,
                            "sumber_dana": s, "alokasi": alok_t, "realisasi": real})
    return out


def _permasalahan(seed, kode, tahun, rows, bidang_of, quarters) -> list[dict]:
    rng = _rng(seed, kode, tahun, 3)
    out = []
    for kode_jenis in rows["kode_jenis"]:
        bank = _MASALAH[bidang_of[kode_jenis]]
        start = [t for t in q.TRIWULAN if rng.random() < P_PROBLEM]
        pick = int(rng.integers(0, len(bank)))
        state_none = rng.random() < P_STATE_NONE
        solved_after = int(rng.integers(1, 4))  # quarters from first report to 'selesai'
        first = start[0] if start else None
        for t in quarters:
            if first is not None and t >= first:
                age = t - first
                status = "belum ditangani" if age == 0 else "selesai" if age >= solved_after else "dalam penanganan"
                masalah, solusi = bank[pick]
                out.append({"kode_wilayah": kode, "tahun": tahun, "triwulan": t, "kode_jenis": kode_jenis,
                            "permasalahan": masalah, "solusi": solusi, "status": status})
            elif state_none:
                out.append({"kode_wilayah": kode, "tahun": tahun, "triwulan": t, "kode_jenis": kode_jenis,
                            "permasalahan": None, "solusi": None, "status": q.TANPA_MASALAH})
    return out


def _tahapan(seed, kode, tahun, ra_no_number) -> list[dict]:
    rng = _rng(seed, kode, tahun, 4)
    prov = "." not in kode
    day = lambda month: dt.date(tahun, month, int(rng.integers(1, 29))).isoformat()  # noqa: E731
    perkada = "Pergub" if prov else "Perbup/Perwali"
    nomor = int(rng.integers(1, 90))
    rows = [("1", q.SELESAI, day(int(rng.integers(1, 3))), f"Laporan pengumpulan data SPM {tahun}"),
            ("2", q.SELESAI, day(int(rng.integers(2, 5))), f"Dokumen penghitungan kebutuhan SPM {tahun}"),
            ("3", q.SELESAI, day(int(rng.integers(4, 8))), f"Rencana pemenuhan SPM dalam RKPD {tahun + 1}"),
            ("4", q.PROSES, day(1), None),
            ("rencana_aksi", q.SELESAI, day(int(rng.integers(2, 7))),
             None if ra_no_number else f"{perkada} Nomor {nomor} Tahun {tahun}")]
    if rng.random() < 0.25:  # the plan for next year not finished yet
        rows[2] = ("3", q.PROSES, day(int(rng.integers(3, 6))), None)
    return [{"kode_wilayah": kode, "tahun": tahun, "tahapan": t, "status": s, "tanggal": d, "nomor_dokumen": n}
            for t, s, d, n in rows]


def _juta(x: float) -> int:
    return int(max(round(x / 1e6), 1) * 1_000_000)


def _ribu(x: float) -> int:
    return int(round(x / 1e3) * 1000)


def _frame(rows: list[dict], table: str) -> pd.DataFrame:
    if not rows:
        return schemas.empty(table)
    df = pd.DataFrame(rows, columns=list(schemas.empty(table).columns))
    for c in schemas.SPECS[table].integers:
        df[c] = df[c].astype("Int64")
    return df
