"""The quarterly e-SPM report (DECISIONS D8, D9) as pure DataFrame functions, vectorised over regions.

Quarter semantics, used by every function here:
- capaian is cumulative within the year: the quarter's rows of ``sasaran`` (``triwulan`` = q) carry the
  people served from January to the end of that quarter; quarter 4 is the annual figure (the annual row wins
  when both exist, as in ``region.data.annual_rows``);
- budgets: ``alokasi`` is the yearly allocation as known in that quarter (it may change with the APBD-P),
  ``realisasi`` is cumulative to the end of the quarter; the rate is realisasi / alokasi of the same quarter;
- a quarter without data is 'belum dilaporkan' (NA, status text), never zero;
- ``tahapan`` rows carry the stage's latest status and its date: for an earlier quarter a stage dated after
  that quarter's end was not yet done then (selesai → dalam proses, dalam proses → belum dimulai).

Public functions
- ``sasaran_triwulan(sasaran, triwulan)`` → the rows that describe the cumulative situation at quarter end.
- ``ketersediaan_triwulan(ketersediaan, triwulan)`` → stock at quarter end (the quarter's rows, else annual).
- ``ringkasan_anggaran(anggaran, triwulan)`` → per region, jenis and funding source: alokasi, realisasi, rate.
- ``anggaran_per_jenis(rinci)`` → the same summed per jenis (and ``anggaran_per_bidang``).
- ``status_tahapan(tahapan, kode_wilayah, tahun, triwulan)`` → the five stage rows as they stood at quarter end.
- ``keterisian_blok(...)`` → completeness per block and overall, and the checklist of what is missing.
- ``daftar_permasalahan(permasalahan, triwulan=None)`` → the problems of a quarter, or of a whole year.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from spm_helpers.engine.achievement import DINILAI
from spm_helpers.reference import quarter as q

KUNCI = ["kode_wilayah", "tahun"]


# ------------------------------------------------------------------------------------------- capaian
def sasaran_triwulan(sasaran: pd.DataFrame, triwulan: int) -> pd.DataFrame:
    """Rows of ``sasaran`` for the cumulative situation at the end of ``triwulan`` (no triwulan column).

    Quarters 1–3: the rows marked with that quarter. Quarter 4: the annual rows, and the quarter-4 rows of
    a region/year/jenis that has no annual row. A table without a ``triwulan`` column is annual only, so it
    describes quarter 4 and nothing earlier."""
    t = q.check_triwulan(triwulan)
    if "triwulan" not in sasaran.columns:
        return sasaran.reset_index(drop=True) if t == 4 else sasaran.iloc[0:0].reset_index(drop=True)
    tri = pd.to_numeric(sasaran["triwulan"])
    if t < 4:
        out = sasaran[tri == t]
    else:
        keys = [c for c in ("kode_wilayah", "tahun", "kode_jenis", "kode_item") if c in sasaran.columns]
        out = pd.concat([sasaran[tri.isna()], sasaran[tri == 4]]).drop_duplicates(keys)
    return out.drop(columns="triwulan").reset_index(drop=True)


def ketersediaan_triwulan(ketersediaan: pd.DataFrame, triwulan: int) -> pd.DataFrame:
    """Stock at the end of ``triwulan`` (no triwulan column): the quarter's rows where reported, else the
    year's annual row (stock is usually counted once a year; the engine does the same for quarterly sasaran)."""
    t = q.check_triwulan(triwulan)
    if "triwulan" not in ketersediaan.columns:
        return ketersediaan.reset_index(drop=True)
    tri = pd.to_numeric(ketersediaan["triwulan"])
    keys = [c for c in ("kode_wilayah", "tahun", "kode_jenis", "kode_item") if c in ketersediaan.columns]
    first = [ketersediaan[tri.isna()], ketersediaan[tri == 4]] if t == 4 else [ketersediaan[tri == t],
                                                                               ketersediaan[tri.isna()]]
    return pd.concat(first).drop_duplicates(keys).drop(columns="triwulan").reset_index(drop=True)


# ------------------------------------------------------------------------------------------- anggaran
def ringkasan_anggaran(anggaran: pd.DataFrame, triwulan: int) -> pd.DataFrame:
    """One row per region, year, jenis and funding source for the quarter: alokasi (yearly allocation as known
    that quarter), realisasi (cumulative), persen_realisasi = 100 × realisasi / alokasi (NA when the allocation
    is 0 or unknown). Rows keep their NA: an unknown amount is not Rp 0.

    Columns: kode_wilayah, tahun, kode_jenis, sumber_dana, alokasi, realisasi, persen_realisasi."""
    t = q.check_triwulan(triwulan)
    a = anggaran[pd.to_numeric(anggaran["triwulan"]) == t]
    out = a[KUNCI + ["kode_jenis", "sumber_dana", "alokasi", "realisasi"]].copy()
    out["persen_realisasi"] = _rate(out["realisasi"], out["alokasi"])
    order = {k: i for i, k in enumerate(q.kode_sumber_dana())}
    out["_u"] = out["sumber_dana"].map(order)
    return out.sort_values(KUNCI + ["kode_jenis", "_u"]).drop(columns="_u").reset_index(drop=True)


def anggaran_per_jenis(rinci: pd.DataFrame) -> pd.DataFrame:
    """``ringkasan_anggaran`` summed per jenis; a sum with an unknown part is unknown (NA), never a partial
    total presented as the whole. ``sumber`` names the funding sources, in catalogue order.

    Columns: kode_wilayah, tahun, kode_jenis, alokasi, realisasi, persen_realisasi, sumber."""
    return _sum(rinci, KUNCI + ["kode_jenis"])


def anggaran_per_bidang(rinci: pd.DataFrame, katalog_jenis: pd.DataFrame) -> pd.DataFrame:
    """Budget absorption per bidang (the annual report's chart). Columns: kode_wilayah, tahun, kode_bidang,
    alokasi, realisasi, persen_realisasi, sumber."""
    b = rinci.merge(katalog_jenis[["kode_jenis", "kode_bidang"]], on="kode_jenis", how="left")
    return _sum(b, KUNCI + ["kode_bidang"])


def _sum(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    if df.empty:
        return pd.DataFrame(columns=keys + ["alokasi", "realisasi", "persen_realisasi", "sumber"])
    g = df.groupby(keys, sort=True, dropna=False)
    size = g.size()
    # the group's funding sources in order of first appearance, joined without a Python call per group
    group = g.ngroup()
    first = df["sumber_dana"].notna() & ~pd.DataFrame({"g": group, "s": df["sumber_dana"]}).duplicated()
    joined = df.loc[first, "sumber_dana"].astype(str).groupby(group[first]).agg(", ".join)
    out = pd.DataFrame({
        "alokasi": g["alokasi"].sum(min_count=1).where(g["alokasi"].count() == size),
        "realisasi": g["realisasi"].sum(min_count=1).where(g["realisasi"].count() == size),
        "sumber": pd.Series(joined.reindex(range(len(size)), fill_value="").to_numpy(object), index=size.index),
    }).reset_index()
    out["alokasi"] = out["alokasi"].astype("Int64")
    out["realisasi"] = out["realisasi"].astype("Int64")
    out.insert(len(keys) + 2, "persen_realisasi", _rate(out["realisasi"], out["alokasi"]))
    return out


def _rate(realisasi: pd.Series, alokasi: pd.Series) -> pd.Series:
    r = pd.to_numeric(realisasi).astype("float64")
    a = pd.to_numeric(alokasi).astype("float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        return pd.Series(np.where(a > 0, 100.0 * r / a, np.nan), index=realisasi.index)


# ------------------------------------------------------------------------------------------- tahapan
def status_tahapan(tahapan: pd.DataFrame, kode_wilayah: list[str], tahun: int, triwulan: int) -> pd.DataFrame:
    """The five rows (stages 1–4, rencana aksi) of each region as they stood at the end of the quarter.

    ``status_triwulan`` is the status at quarter end (a date after the quarter's end moves 'selesai' back to
    'dalam proses' and 'dalam proses' back to 'belum dimulai'); a stage without a row is 'belum dilaporkan'.

    Columns: kode_wilayah, tahun, tahapan, nama_tahapan, status, tanggal, nomor_dokumen, status_triwulan."""
    end = q.akhir_triwulan(tahun, triwulan)
    grid = pd.DataFrame([(k, int(tahun), t) for k in kode_wilayah for t in q.TAHAPAN],
                        columns=["kode_wilayah", "tahun", "tahapan"])
    have = tahapan[pd.to_numeric(tahapan["tahun"]) == int(tahun)] if len(tahapan) else tahapan
    cols = ["status", "tanggal", "nomor_dokumen"]
    out = grid.merge(have[["kode_wilayah", "tahapan"] + cols] if len(have) else
                     pd.DataFrame(columns=["kode_wilayah", "tahapan"] + cols), on=["kode_wilayah", "tahapan"],
                     how="left")
    out.insert(3, "nama_tahapan", out["tahapan"].map(q.NAMA_TAHAPAN))
    when = pd.to_datetime(out["tanggal"], format="%Y-%m-%d", errors="coerce")
    later = (when.notna() & (when > pd.Timestamp(end))).to_numpy(bool)
    status = out["status"].astype(object)
    at_end = status.where(~later, status.map({q.SELESAI: q.PROSES, q.PROSES: q.BELUM, q.BELUM: q.BELUM}))
    out["status_triwulan"] = at_end.where(status.notna(), q.BELUM_DILAPORKAN)
    return out


# ------------------------------------------------------------------------------------------- problems
def daftar_permasalahan(permasalahan: pd.DataFrame, triwulan: int | None = None) -> pd.DataFrame:
    """The stated problems (rows saying 'tidak ada permasalahan' left out) of one quarter, or, with
    ``triwulan=None``, of the whole year: each distinct problem once, with the status of the last quarter it
    was reported in and that quarter (``triwulan_terakhir``).

    Columns: kode_wilayah, tahun, kode_jenis, permasalahan, solusi, status, triwulan_terakhir."""
    p = permasalahan[(permasalahan["status"] != q.TANPA_MASALAH) & permasalahan["permasalahan"].notna()]
    if triwulan is not None:
        p = p[pd.to_numeric(p["triwulan"]) == q.check_triwulan(triwulan)]
    p = p.sort_values(KUNCI + ["kode_jenis", "triwulan"], kind="stable")
    keys = KUNCI + ["kode_jenis", "permasalahan"]
    out = p.drop_duplicates(keys, keep="last").rename(columns={"triwulan": "triwulan_terakhir"})
    return out[keys + ["solusi", "status", "triwulan_terakhir"]].reset_index(drop=True)


# ------------------------------------------------------------------------------------------- keterisian
@dataclass
class Keterisian:
    """Completeness of a quarter's report: per block, overall, and what is missing."""

    blok: pd.DataFrame  # kode_wilayah, kode_blok, nama, urutan, bobot, jumlah_wajib, jumlah_lengkap, keterisian
    total: pd.DataFrame  # kode_wilayah, keterisian (weighted mean of the blocks)
    kurang: pd.DataFrame  # kode_wilayah, kode_blok, blok, kode_jenis, nama_jenis, penanggung_jawab, kekurangan


def keterisian_blok(*, wajib: pd.DataFrame, capaian: pd.DataFrame, anggaran: pd.DataFrame,
                    permasalahan: pd.DataFrame, tahapan: pd.DataFrame) -> Keterisian:
    """Completeness (D8) of the five blocks of one quarter, counted against what the level must report.

    ``wajib``: kode_wilayah, kode_jenis, nama_jenis, opd_pengampu — every catalogue jenis of each region's
    level (never the rows present). ``capaian``: achievement rows of the quarter (kode_wilayah, kode_jenis,
    jumlah_sasaran, jumlah_terlayani, jumlah_butir_tanpa_data, status). ``anggaran`` and ``permasalahan``: the
    quarter's rows. ``tahapan``: ``status_tahapan`` output.

    A jenis is complete for
    - capaian: scored ('dinilai') or its sasaran stated as 0;
    - anggaran: at least one row, every row with alokasi and realisasi (Rp 0 is an answer, empty is not);
    - permasalahan: at least one row, every stated problem with its solusi (or 'tidak ada permasalahan').
    A stage (tahapan: stages 1–4; rencana aksi: its document) is complete when its status is given, and a
    'selesai' one has its date and document number (the evidence e-SPM asks for).
    Block score = 100 × complete / required; overall = block scores weighted by ``blok_triwulan.csv``."""
    blocks = q.blok().set_index("kode_blok")
    rows: list[pd.DataFrame] = []
    kurang: list[pd.DataFrame] = []

    cap = wajib.merge(capaian, on=["kode_wilayah", "kode_jenis"], how="left")
    sas = pd.to_numeric(cap["jumlah_sasaran"]).astype("float64")
    ok = (cap["status"] == DINILAI).fillna(False).to_numpy(bool) | (sas == 0).to_numpy()
    why = np.select(
        [cap["status"].isna().to_numpy(), sas.isna().to_numpy(),
         pd.to_numeric(cap["jumlah_terlayani"]).isna().to_numpy(),
         (pd.to_numeric(cap["jumlah_butir_tanpa_data"]).fillna(0) > 0).to_numpy()],
        [q.BELUM_DILAPORKAN + " (sasaran dan terlayani)", "jumlah sasaran belum diisi",
         "jumlah terlayani belum diisi",
         "ketersediaan " + pd.to_numeric(cap["jumlah_butir_tanpa_data"]).fillna(0).astype(int).astype(str)
         + " butir mutu belum diisi"],
        default="data belum lengkap")
    _add(rows, kurang, "capaian", cap, ok, why)

    a = anggaran
    has_a = a.groupby(["kode_wilayah", "kode_jenis"]).agg(
        n=("sumber_dana", "size"), kosong=("alokasi", lambda s: int(s.isna().sum())),
        kosong_r=("realisasi", lambda s: int(s.isna().sum()))).reset_index() if len(a) else \
        pd.DataFrame(columns=["kode_wilayah", "kode_jenis", "n", "kosong", "kosong_r"])
    ang = wajib.merge(has_a, on=["kode_wilayah", "kode_jenis"], how="left")
    n = pd.to_numeric(ang["n"]).fillna(0).to_numpy()
    ka = pd.to_numeric(ang["kosong"]).fillna(0).to_numpy()
    kr = pd.to_numeric(ang["kosong_r"]).fillna(0).to_numpy()
    ok = (n > 0) & (ka == 0) & (kr == 0)
    why = np.select([n == 0, ka > 0], ["belum ada baris anggaran (isi alokasi dan realisasi per sumber dana; "
                                       "tulis 0 bila memang tidak dianggarkan)", "alokasi kosong"],
                    default="realisasi kosong")
    _add(rows, kurang, "anggaran", ang, ok, why)

    m = permasalahan
    if len(m):
        tanpa_solusi = (m["status"] != q.TANPA_MASALAH) & m["permasalahan"].notna() & m["solusi"].isna()
        has_m = m.assign(_ts=tanpa_solusi.astype(int)).groupby(["kode_wilayah", "kode_jenis"]).agg(
            n=("status", "size"), ts=("_ts", "sum")).reset_index()
    else:
        has_m = pd.DataFrame(columns=["kode_wilayah", "kode_jenis", "n", "ts"])
    mas = wajib.merge(has_m, on=["kode_wilayah", "kode_jenis"], how="left")
    n = pd.to_numeric(mas["n"]).fillna(0).to_numpy()
    ts = pd.to_numeric(mas["ts"]).fillna(0).to_numpy()
    ok = (n > 0) & (ts == 0)
    why = np.where(n == 0, "belum diisi (tulis permasalahan dan solusinya, atau nyatakan 'tidak ada permasalahan')",
                   "solusi belum ditulis")
    _add(rows, kurang, "permasalahan", mas, ok, why)

    for kode_blok, stages in (("tahapan", ["1", "2", "3", "4"]), ("rencana_aksi", ["rencana_aksi"])):
        t = tahapan[tahapan["tahapan"].isin(stages)].copy()
        # judged as the stage stood at quarter end: a stage finished later needs no document number yet
        at_end = t["status_triwulan"].where(t["status"].notna()) if "status_triwulan" in t.columns else t["status"]
        selesai = at_end == q.SELESAI
        no_date, no_doc = selesai & t["tanggal"].isna(), selesai & t["nomor_dokumen"].isna()
        missing = t["status"].isna()
        ok = (~missing & ~no_date & ~no_doc).to_numpy(bool)
        why = np.select([missing.to_numpy(bool), no_date.to_numpy(bool) & no_doc.to_numpy(bool),
                         no_date.to_numpy(bool)],
                        ["status belum diisi", "tanggal selesai dan nomor dokumen kosong", "tanggal selesai kosong"],
                        default="nomor dokumen kosong")
        t["kode_jenis"] = None
        t["nama_jenis"] = t["nama_tahapan"]
        t["opd_pengampu"] = blocks.at[kode_blok, "penanggung_jawab"]
        _add(rows, kurang, kode_blok, t, ok, why)

    blok = pd.concat(rows, ignore_index=True)
    info = blocks[["nama", "urutan", "bobot"]].reset_index()
    blok = blok.merge(info, on="kode_blok", how="left")
    blok["keterisian"] = np.where(blok["jumlah_wajib"] > 0, 100.0 * blok["jumlah_lengkap"] / blok["jumlah_wajib"],
                                  np.nan)
    blok = blok.sort_values(["kode_wilayah", "urutan"]).reset_index(drop=True)
    w = blok.assign(_wx=blok["bobot"] * blok["keterisian"])
    g = w.groupby("kode_wilayah", sort=True)
    total = (g["_wx"].sum() / g["bobot"].sum()).rename("keterisian").reset_index()
    kurang_df = pd.concat(kurang, ignore_index=True)
    kurang_df = kurang_df.merge(info[["kode_blok", "nama", "urutan"]].rename(columns={"nama": "blok"}),
                                on="kode_blok", how="left")
    kurang_df = kurang_df.sort_values(["kode_wilayah", "urutan"], kind="stable").drop(columns="urutan")
    cols = ["kode_wilayah", "kode_blok", "blok", "kode_jenis", "nama_jenis", "penanggung_jawab", "kekurangan"]
    return Keterisian(blok[["kode_wilayah", "kode_blok", "nama", "urutan", "bobot", "jumlah_wajib",
                            "jumlah_lengkap", "keterisian"]], total, kurang_df[cols].reset_index(drop=True))


def _add(rows: list, kurang: list, kode_blok: str, df: pd.DataFrame, ok: np.ndarray, why: np.ndarray) -> None:
    counted = pd.DataFrame({"kode_wilayah": df["kode_wilayah"].to_numpy(), "_ok": ok.astype(int)})
    g = counted.groupby("kode_wilayah", sort=True)["_ok"]
    rows.append(pd.DataFrame({"kode_blok": kode_blok, "jumlah_wajib": g.size(), "jumlah_lengkap": g.sum()})
                .reset_index())
    miss = df.loc[~ok, ["kode_wilayah", "kode_jenis", "nama_jenis", "opd_pengampu"]].copy()
    miss["kekurangan"] = np.asarray(why)[~ok]
    miss.insert(1, "kode_blok", kode_blok)
    kurang.append(miss.rename(columns={"opd_pengampu": "penanggung_jawab"}))
