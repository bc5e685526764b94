"""Data-quality flags shared by every stage. Flags are *reported*, never fixed: the engine computes on the
data as given (a jenis it cannot score is NA, not 0) and this table says what looks wrong and where.

Public functions
- ``check_quality(sasaran, ketersediaan=None, harga_satuan=None, *, katalog_jenis=None, katalog_mutu=None,
  wilayah=None, batas_kewajaran=None, batas_lonjakan=0.5, selisih_minimal=10, aturan=...)`` → every flag.
- One function per check, same output columns: ``check_terlayani(sasaran)``,
  ``check_sasaran_kosong(sasaran)``, ``check_sasaran_tidak_wajar(sasaran, *, wilayah, batas_kewajaran)``,
  ``check_jenis(sasaran, *, katalog_jenis, katalog_mutu)``, ``check_butir(sasaran, ketersediaan, *,
  katalog_mutu)``, ``check_harga(harga_satuan)``, ``check_lonjakan(sasaran, *, batas_lonjakan,
  selisih_minimal)``, ``check_triwulan(sasaran)``, ``check_sasaran_perkiraan(sasaran, *, perkiraan)``.
- ``gabung_bendera(parts)``: flag tables joined and sorted like ``check_quality``.
- ``batas_kewajaran_bawaan()`` → the default plausibility table (datasets/katalog/batas_kewajaran.csv).

Output columns (``KOLOM_BENDERA``): kode_wilayah, tahun, triwulan, kode_jenis, kode_item, bendera (code),
keterangan (Indonesian), tingkat ('galat', 'peringatan', 'info'). Codes match ``contoh.PROBLEM_KINDS``
where the demo data injects that problem.
"""
from __future__ import annotations

from functools import lru_cache, wraps
from typing import Callable

import numpy as np
import pandas as pd

from spm_helpers.engine import primitives as d
from spm_helpers.engine.needs import butir_kebutuhan
from spm_helpers.errors import SEVERITY_ERROR, SEVERITY_WARNING
from spm_helpers.paths import katalog_dir
from spm_helpers.reference import regions
from spm_helpers.reference.catalog import DEFAULT_ATURAN

INFO = "info"
KOLOM_BENDERA = ["kode_wilayah", "tahun", "triwulan", "kode_jenis", "kode_item", "bendera", "keterangan",
                 "tingkat"]
_URUTAN_TINGKAT = {SEVERITY_ERROR: 0, SEVERITY_WARNING: 1, INFO: 2}


def _teks(s: pd.Series) -> pd.Series:
    """Numbers as text for messages (Indonesian thousands separator)."""
    vals = ["kosong" if pd.isna(x) else f"{int(x):,}".replace(",", ".") for x in pd.to_numeric(s)]
    return pd.Series(vals, index=s.index, dtype=object)


def _angka_teks(s: pd.Series, fmt: str) -> pd.Series:
    return pd.Series([fmt.format(x).replace(".", ",") for x in s], index=s.index, dtype=object)


_KUNCI_BENDERA = ("kode_wilayah", "tahun", "triwulan", "kode_jenis", "kode_item")


def _bendera(rows: pd.DataFrame, bendera: str, keterangan, tingkat: str) -> pd.DataFrame:
    """Flag rows: the key columns of ``rows`` plus code, text (a string or a Series on ``rows``' index)
    and severity. Checks run on every region and year of a batch and usually find nothing, so an empty
    selection costs nothing and a frame is built in one go."""
    if not len(rows):
        return _KOSONG
    cols = {c: rows[c].to_numpy() if c in rows.columns else np.full(len(rows), pd.NA, dtype=object)
            for c in _KUNCI_BENDERA}
    if isinstance(keterangan, pd.Series):
        keterangan = keterangan.reindex(rows.index).to_numpy()
    return pd.DataFrame({**cols, "bendera": bendera, "keterangan": keterangan, "tingkat": tingkat})


def _kosong() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in KOLOM_BENDERA})


_KOSONG = _kosong()  # shared, never modified: _gabung leaves empty parts out


def _gabung(parts: list[pd.DataFrame]) -> pd.DataFrame:
    parts = [p for p in parts if len(p)]
    if not parts:
        return _kosong()
    out = pd.concat(parts, ignore_index=True)
    out["tahun"] = out["tahun"].astype("Int64")
    out["triwulan"] = pd.to_numeric(out["triwulan"]).astype("Int64")
    out["_t"] = out["tingkat"].map(_URUTAN_TINGKAT)
    out = out.sort_values(["kode_wilayah", "tahun", "triwulan", "_t", "bendera", "kode_jenis", "kode_item"],
                          na_position="first", kind="stable", ignore_index=True)
    return out[KOLOM_BENDERA]


def _check(parts: Callable[..., list[pd.DataFrame]]) -> Callable[..., pd.DataFrame]:
    """A check returns its flag parts; callers get them joined and sorted. ``check_quality`` takes the
    parts of every check (``.parts``) and sorts once."""
    @wraps(parts)
    def flags(*args, **kwargs) -> pd.DataFrame:
        return _gabung(parts(*args, **kwargs))

    flags.parts = parts  # type: ignore[attr-defined]
    return flags


# ----------------------------------------------------------------------------- sasaran rows
@_check
def check_terlayani(sasaran: pd.DataFrame) -> list[pd.DataFrame]:
    """terlayani > sasaran (peringatan, D3: projected sasaran are often below the people actually served;
    capaian is capped at 100 and the report says so) and terlayani empty while sasaran > 0 (peringatan:
    that jenis cannot be scored)."""
    sas, lay = pd.to_numeric(sasaran["jumlah_sasaran"]), pd.to_numeric(sasaran["jumlah_terlayani"])
    over = sasaran[(lay > sas).fillna(False)]
    blank = sasaran[(sas > 0).fillna(False) & lay.isna()]
    return [
        _bendera(over, "terlayani_melebihi_sasaran", "Jumlah terlayani (" + _teks(over["jumlah_terlayani"])
                 + ") lebih besar dari jumlah sasaran (" + _teks(over["jumlah_sasaran"]) + "); capaian penerima "
                 "dibatasi 100% dan kebutuhan dihitung dari jumlah sasaran", SEVERITY_WARNING),
        _bendera(blank, "terlayani_kosong", "Jumlah terlayani kosong (tidak diketahui, bukan nol); jenis ini "
                 "tidak dinilai", SEVERITY_WARNING)]


@_check
def check_sasaran_kosong(sasaran: pd.DataFrame) -> list[pd.DataFrame]:
    """Sasaran empty (peringatan) or 0 (info): the jenis is 'tidak ada sasaran' and left out of averages."""
    sas = pd.to_numeric(sasaran["jumlah_sasaran"])
    blank, zero = sasaran[sas.isna()], sasaran[(sas == 0).fillna(False)]
    return [
        _bendera(blank, "sasaran_kosong", "Jumlah sasaran kosong; jenis ini tidak dinilai", SEVERITY_WARNING),
        _bendera(zero, "sasaran_nol", "Jumlah sasaran 0: tidak ada sasaran, jenis ini tidak ikut dirata-rata",
                 INFO)]


@lru_cache(maxsize=1)
def batas_kewajaran_bawaan() -> pd.DataFrame:
    """kode_jenis, batas_persen_penduduk (sasaran above this share of the population is implausible),
    tidak_teratur (1 = disaster-type jenis whose sasaran jumps by nature), status, sumber."""
    return pd.read_csv(katalog_dir() / "batas_kewajaran.csv")


@_check
def check_sasaran_tidak_wajar(sasaran: pd.DataFrame, *, wilayah: pd.DataFrame | None = None,
                              batas_kewajaran: pd.DataFrame | None = None) -> list[pd.DataFrame]:
    """Sasaran larger than a plausible share of the region's population (e.g. ibu hamil > 5%). A jenis
    not in the table is only held to 100% of the population."""
    w = regions.table() if wilayah is None else wilayah
    b = batas_kewajaran_bawaan() if batas_kewajaran is None else batas_kewajaran
    df = sasaran.merge(w[["kode_wilayah", "penduduk"]], on="kode_wilayah", how="left")
    df = df.merge(b[["kode_jenis", "batas_persen_penduduk"]], on="kode_jenis", how="left")
    batas = df["batas_persen_penduduk"].fillna(100.0).astype(float)
    share = 100.0 * pd.to_numeric(df["jumlah_sasaran"]).astype(float) / df["penduduk"].astype(float)
    bad = df[(share > batas).fillna(False)]
    pct = _angka_teks(share[bad.index], "{:.1f}")
    lim = _angka_teks(batas[bad.index], "{:g}")
    ket = ("Jumlah sasaran " + _teks(bad["jumlah_sasaran"]) + " = " + pct + "% penduduk ("
           + _teks(bad["penduduk"]) + "), di atas batas kewajaran " + lim + "%")
    return [_bendera(bad, "sasaran_tidak_wajar", ket, SEVERITY_WARNING)]


@_check
def check_jenis(sasaran: pd.DataFrame, *, katalog_jenis: pd.DataFrame | None = None,
                katalog_mutu: pd.DataFrame | None = None, aturan: str = DEFAULT_ATURAN) -> list[pd.DataFrame]:
    """A catalogue jenis of the region's level with no row in a reported period (jenis_hilang), a jenis
    code not in the catalogue (jenis_tidak_dikenal), and a jenis with no mutu item in the catalogue
    (jenis_tanpa_butir: its capaian mutu cannot be computed)."""
    kj = d.jenis_katalog(katalog_jenis)
    km = d.mutu_katalog(katalog_mutu, aturan)
    kunci = d.kunci_periode(sasaran)
    parts = []
    if "tingkat" in kj.columns:
        per = sasaran[kunci].drop_duplicates()
        per = per.assign(tingkat=np.where(per["kode_wilayah"].str.len() == 2, regions.TINGKAT_PROVINSI,
                                          regions.TINGKAT_KABKOTA))
        expect = per.merge(kj[["kode_jenis", "tingkat"]], on="tingkat")
        got = sasaran[kunci + ["kode_jenis"]].assign(_ada=True)
        miss = expect.merge(got, on=kunci + ["kode_jenis"], how="left")
        miss = miss[miss["_ada"].isna()]
        parts.append(_bendera(miss, "jenis_hilang", "Jenis pelayanan ini tidak dilaporkan pada periode ini",
                              SEVERITY_WARNING))
    unknown = sasaran[~sasaran["kode_jenis"].isin(kj["kode_jenis"])]
    parts.append(_bendera(unknown, "jenis_tidak_dikenal", "Kode jenis pelayanan tidak ada di katalog SPM; "
                          "baris ini tidak dihitung", SEVERITY_ERROR))
    no_item = sasaran[sasaran["kode_jenis"].isin(kj["kode_jenis"]) & ~sasaran["kode_jenis"].isin(km["kode_jenis"])]
    parts.append(_bendera(no_item, "jenis_tanpa_butir", "Katalog belum memuat butir mutu untuk jenis ini; "
                          "capaian mutu tidak dapat dihitung", SEVERITY_WARNING))
    return parts


@_check
def check_sasaran_perkiraan(sasaran: pd.DataFrame, *, perkiraan: pd.DataFrame, metode: pd.DataFrame | None = None,
                            parameter: pd.DataFrame | None = None) -> list[pd.DataFrame]:
    """A reported sasaran far from its estimate from population (D10; ``sasaran_estimate.bandingkan``): the
    gap threshold per jenis and the minimum gap in people are data. The estimate never replaces the number;
    rows adopted from an estimate are not compared with it."""
    from spm_helpers.engine.sasaran_estimate import bandingkan

    b = bandingkan(perkiraan, sasaran, metode=metode, parameter=parameter)
    bad = b[b["jauh"]]
    pct = _angka_teks(bad["selisih_persen"].astype(float), "{:+.0f}")
    lim = _angka_teks(bad["batas_selisih_persen"].astype(float), "{:g}")
    ket = ("Jumlah sasaran " + _teks(bad["jumlah_sasaran"]) + " berbeda " + pct + "% dari perkiraan dari penduduk "
           + _teks(bad["perkiraan"]) + " (" + bad["dasar_perhitungan"].astype(str) + "), di atas batas " + lim
           + "%; periksa sumber angka sasaran")
    return [_bendera(bad, "sasaran_jauh_dari_perkiraan", ket, SEVERITY_WARNING)]


# ----------------------------------------------------------------------------- items and prices
@_check
def check_butir(sasaran: pd.DataFrame, ketersediaan: pd.DataFrame, *,
                katalog_mutu: pd.DataFrame | None = None, aturan: str = DEFAULT_ATURAN) -> list[pd.DataFrame]:
    """An item needed (kebutuhan > 0) with no ketersediaan reported (butir_tidak_dilaporkan), and a reported
    item that the catalogue does not list for that jenis (butir_tidak_dikenal: it is not counted)."""
    km = d.mutu_katalog(katalog_mutu, aturan)
    b = butir_kebutuhan(sasaran, ketersediaan, km)
    pilih = (b.kebutuhan > 0) & np.isnan(b.tersedia)
    miss = b.kunci(pilih).assign(kebutuhan=b.kebutuhan[pilih])
    jenis_of = ketersediaan["kode_item"].map(dict(zip(km["kode_item"], km["kode_jenis"])))
    known = (jenis_of == ketersediaan["kode_jenis"]) if "kode_jenis" in ketersediaan.columns else jenis_of.notna()
    strange = ketersediaan[~known.fillna(False).astype(bool)]
    return [
        _bendera(miss, "butir_tidak_dilaporkan", "Ketersediaan butir mutu ini tidak dilaporkan (kebutuhan "
                 + _teks(miss["kebutuhan"]) + "); capaian mutu jenis ini tidak dihitung", SEVERITY_WARNING),
        _bendera(strange, "butir_tidak_dikenal", "Butir mutu tidak ada di katalog untuk jenis ini; baris ini "
                 "tidak dihitung", SEVERITY_WARNING)]


@_check
def check_harga(harga_satuan: pd.DataFrame) -> list[pd.DataFrame]:
    """Regional unit price 0 (harga_nol: the item would cost nothing) or empty (harga_kosong: the catalogue
    reference price is used instead)."""
    h = pd.to_numeric(harga_satuan["harga_satuan"])
    zero, blank = harga_satuan[(h == 0).fillna(False)], harga_satuan[h.isna()]
    return [
        _bendera(zero, "harga_nol", "Harga satuan daerah diisi 0; biaya butir ini menjadi 0", SEVERITY_WARNING),
        _bendera(blank, "harga_kosong", "Harga satuan daerah kosong; dipakai harga acuan katalog", INFO)]


# ----------------------------------------------------------------------------- over time
@_check
def check_lonjakan(sasaran: pd.DataFrame, *, batas_lonjakan: float = 0.5, selisih_minimal: int = 10,
                   batas_kewajaran: pd.DataFrame | None = None) -> list[pd.DataFrame]:
    """Sudden change against the previous year: more than ``batas_lonjakan`` (0.5 = 50%) up or down, or up
    from 0, and at least ``selisih_minimal`` people, for jumlah_sasaran and jumlah_terlayani. Annual rows
    are compared (quarterly rows only when a table has no annual rows). For jenis marked ``tidak_teratur``
    in the plausibility table (disaster-type: zero in many years, spikes in others) a jump is 'info'."""
    b = batas_kewajaran_bawaan() if batas_kewajaran is None else batas_kewajaran
    irregular = set(b.loc[b.get("tidak_teratur", pd.Series(0, index=b.index)) == 1, "kode_jenis"])
    s = sasaran
    if d.has_triwulan(s) and s["triwulan"].isna().any():
        s = s[s["triwulan"].isna()]
    kunci = ["kode_wilayah", "kode_jenis"] + (["triwulan"] if d.has_triwulan(s) else [])
    parts = []
    kolom_angka = ["jumlah_sasaran", "jumlah_terlayani"]
    cur = s[kunci + ["tahun"] + kolom_angka]
    prev = cur.assign(tahun=cur["tahun"] + 1).rename(columns={k: f"_lalu_{k}" for k in kolom_angka})
    both = cur.merge(prev, on=kunci + ["tahun"], how="inner")  # each row with last year's row
    for kolom, bendera, label in (("jumlah_sasaran", "lonjakan_sasaran", "Jumlah sasaran"),
                                  ("jumlah_terlayani", "lonjakan_terlayani", "Jumlah terlayani")):
        df = both.rename(columns={f"_lalu_{kolom}": "_lalu"})
        now, before = pd.to_numeric(df[kolom]).astype(float), pd.to_numeric(df["_lalu"]).astype(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            change = (now - before) / before
        bad = df[(((now - before).abs() >= selisih_minimal) & (change.abs() > batas_lonjakan)).fillna(False)]
        if bad.empty:
            continue
        pct = pd.Series(np.where(before[bad.index] > 0, _angka_teks(100 * change[bad.index], " ({:+.0f}%)"), ""),
                        index=bad.index, dtype=object)
        ket = (label + " berubah dari " + _teks(bad["_lalu"]) + " menjadi " + _teks(bad[kolom]) + pct
               + " dibanding tahun sebelumnya")
        ir = bad["kode_jenis"].isin(irregular)
        parts += [_bendera(bad[~ir], bendera, ket[~ir], SEVERITY_WARNING),
                  _bendera(bad[ir], bendera, ket[ir] + " (jenis ini memang tidak teratur)", INFO)]
    return parts


@_check
def check_triwulan(sasaran: pd.DataFrame) -> list[pd.DataFrame]:
    """Quarterly realisation is cumulative: terlayani falling from one quarter to the next is an error of
    entry (terlayani_turun_triwulan)."""
    if not d.has_triwulan(sasaran):
        return []
    q = sasaran[sasaran["triwulan"].notna()]
    kunci = ["kode_wilayah", "tahun", "kode_jenis"]
    prev = q[kunci + ["triwulan", "jumlah_terlayani"]].rename(columns={"jumlah_terlayani": "_lalu"})
    prev = prev.assign(triwulan=prev["triwulan"] + 1)
    df = q.merge(prev, on=kunci + ["triwulan"], how="inner")
    bad = df[(pd.to_numeric(df["jumlah_terlayani"]) < pd.to_numeric(df["_lalu"])).fillna(False)]
    ket = ("Jumlah terlayani kumulatif turun dari " + _teks(bad["_lalu"]) + " (triwulan sebelumnya) menjadi "
           + _teks(bad["jumlah_terlayani"]))
    return [_bendera(bad, "terlayani_turun_triwulan", ket, SEVERITY_WARNING)]


# ----------------------------------------------------------------------------- all checks
def check_quality(sasaran: pd.DataFrame, ketersediaan: pd.DataFrame | None = None,
                  harga_satuan: pd.DataFrame | None = None, *, katalog_jenis: pd.DataFrame | None = None,
                  katalog_mutu: pd.DataFrame | None = None, wilayah: pd.DataFrame | None = None,
                  batas_kewajaran: pd.DataFrame | None = None, batas_lonjakan: float = 0.5,
                  selisih_minimal: int = 10, aturan: str = DEFAULT_ATURAN,
                  perkiraan: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every check over the three input tables, one tidy table sorted by region, period and severity.
    ``perkiraan`` (``sasaran_estimate.perkirakan_sasaran``): also compare sasaran with the population estimate."""
    d.require_columns(sasaran, ["kode_wilayah", "tahun", "kode_jenis", "jumlah_sasaran", "jumlah_terlayani"],
                      "sasaran")
    km = d.mutu_katalog(katalog_mutu, aturan)
    parts = [*check_terlayani.parts(sasaran), *check_sasaran_kosong.parts(sasaran),
             *check_sasaran_tidak_wajar.parts(sasaran, wilayah=wilayah, batas_kewajaran=batas_kewajaran),
             *check_jenis.parts(sasaran, katalog_jenis=katalog_jenis, katalog_mutu=km),
             *check_lonjakan.parts(sasaran, batas_lonjakan=batas_lonjakan, selisih_minimal=selisih_minimal,
                                   batas_kewajaran=batas_kewajaran),
             *check_triwulan.parts(sasaran)]
    if ketersediaan is not None:
        parts += check_butir.parts(sasaran, ketersediaan, katalog_mutu=km)
    if harga_satuan is not None:
        parts += check_harga.parts(harga_satuan)
    if perkiraan is not None:
        parts += check_sasaran_perkiraan.parts(sasaran, perkiraan=perkiraan)
    return _gabung(parts)


def gabung_bendera(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Flag tables joined and sorted the way ``check_quality`` sorts them (for flags computed apart)."""
    return _gabung([p[KOLOM_BENDERA] for p in parts if len(p)])
