"""The case region of the exercises: Kab. Bengkulu Selatan (17.01), demo data 2021–2025.

Every module works on this one region so a class shares numbers it can discuss. Module 1 uses the
version with injected problems (``contoh.generate(..., masalah=True)``); later modules the clean one
("after the OPDs confirmed their corrections"). Functions return fresh copies: participants modify
what they get, and the answer keys are computed from the same cached originals.

OPD variant: ``jenis_latihan(opd)`` picks a jenis the participant's own OPD is responsible for,
preferring one still clearly below full service (see :data:`BATAS_LATIHAN`).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from spm_helpers.errors import UnknownItemError
from spm_helpers.inputs import demo
from spm_helpers.inputs.demo import DemoData
from spm_helpers.reference import catalog, regions
from spm_helpers.training.comparers import normalize_text

KODE_WILAYAH = "17.01"
TAHUN = 2025
TAHUN_LALU = 2024
TAHUN_DATA = tuple(range(2021, TAHUN + 1))
OPD_BAWAAN = "dinkes"
FOLDER_DATA = "data_latihan"
# A training jenis is one served below this share (capaian penerima, %) in the case year. At 100% the
# tasks go flat: the planned trajectory is [100] * 5, so "jump to 100% at once" is the right answer, and
# reading terlayani for sasaran gives the same number. 95, not 100, so a near-full jenis is avoided too.
BATAS_LATIHAN = 95.0

# How participants write their OPD → the short names of spm_helpers.inputs.opd_form.OPD.
_ALIAS_OPD = {
    "dinkes": ("kesehatan", "dinkes", "puskesmas"),
    "disdik": ("pendidikan", "disdik", "dikbud", "diknas"),
    "dinsos": ("sosial", "dinsos"),
    "pupr": ("pupr", "pekerjaan umum", "pu "),
    "perkim": ("perkim", "perumahan", "permukiman"),
    "satpolpp": ("satpol", "pamong praja"),
    "bpbd": ("bpbd", "penanggulangan bencana"),
    "damkar": ("damkar", "kebakaran", "pemadam"),
}


@lru_cache(maxsize=2)
def _data(masalah: bool) -> DemoData:
    d = demo.generate([KODE_WILAYAH], TAHUN_DATA, masalah=masalah)
    return d if masalah else _dengan_hibah(d)


def _dengan_hibah(d: DemoData) -> DemoData:
    """A grant ('hibah') leaves one item per jenis in surplus in the case year, so that module 2's
    "a surplus is not a negative need" lesson has a real row: of each jenis's items priced by the
    catalogue (no regional SSH), the one with the largest need gets 25% more stock than it needs."""
    from spm_helpers.engine.needs import compute_kebutuhan

    s = d.sasaran[d.sasaran["tahun"] == TAHUN]
    k = compute_kebutuhan(s, d.ketersediaan, d.harga_satuan)
    k = k[(k["sumber_harga"] != "SSH daerah") & (k["kebutuhan"] > 0)]
    pilih = k.loc[k.groupby("kode_jenis")["kebutuhan"].idxmax(), ["kode_item", "kebutuhan"]]
    ters = d.ketersediaan.copy()
    baru = dict(zip(pilih["kode_item"], (pilih["kebutuhan"].astype("int64") * 5 + 3) // 4))
    rows = (ters["tahun"] == TAHUN) & ters["kode_item"].isin(baru)
    ters.loc[rows, "jumlah_tersedia"] = ters.loc[rows, "kode_item"].map(baru).astype("Int64")
    return DemoData(d.sasaran, ters, d.harga_satuan, d.masalah)


def data_kasus(masalah: bool = False) -> DemoData:
    """Demo tables of the case region (a copy). ``masalah=True``: with the problems of module 1;
    otherwise the confirmed data, with one surplus item per jenis from a grant (module 2)."""
    d = _data(masalah)
    return DemoData(d.sasaran.copy(), d.ketersediaan.copy(), d.harga_satuan.copy(), d.masalah.copy())


def nama_wilayah() -> str:
    return regions.get(KODE_WILAYAH).nama


def opd_singkat(opd: object) -> str:
    """'Dinas Kesehatan Kab. X', 'dinkes', 'DINKES' → 'dinkes'; unknown or empty → the default OPD."""
    text = f" {normalize_text(opd)} " if isinstance(opd, str) else ""
    for short, words in _ALIAS_OPD.items():
        if any(w in text for w in words):
            return short
    return OPD_BAWAAN


def nama_opd_baku(opd: object) -> str | None:
    """'Dinkes', 'DINAS KESEHATAN Kab. X', 'Puskesmas' → 'Dinas Kesehatan' (the catalogue's OPD name);
    None when the text names no OPD of the catalogue (the caller keeps what was written)."""
    from spm_helpers.inputs.opd_form import OPD

    text = f" {normalize_text(opd)} " if isinstance(opd, str) else ""
    return next((OPD[short] for short, words in _ALIAS_OPD.items() if any(w in text for w in words)), None)


def jenis_opd(opd: object) -> list[str]:
    """Kab/kota jenis owned by the participant's OPD (catalogue order)."""
    from spm_helpers.inputs.opd_form import OPD

    full = OPD[opd_singkat(opd)]
    j = catalog.jenis("kabkota")
    return j.loc[j["opd_pengampu"] == full, "kode_jenis"].tolist()


def capaian_tahun(sasaran: pd.DataFrame, tahun: int = TAHUN) -> pd.Series:
    """Capaian penerima (%, capped at 100) by kode_jenis of the jenis scored in ``tahun`` (sasaran > 0
    and terlayani known); the others are left out, since they have no capaian to plan or report."""
    s = sasaran[(sasaran["tahun"] == tahun) & (sasaran["jumlah_sasaran"] > 0) & sasaran["jumlah_terlayani"].notna()]
    sas = s["jumlah_sasaran"].astype("float64")
    return pd.Series((100 * s["jumlah_terlayani"].astype("float64").clip(upper=sas) / sas).to_numpy(),
                     index=s["kode_jenis"].to_numpy(), dtype="float64")


def belum_tuntas_dulu(kode: list[str], capaian: pd.Series) -> list[str]:
    """The scored codes of ``kode``, those served below BATAS_LATIHAN first (each group in its given order)."""
    dinilai = [k for k in kode if k in capaian.index]
    return sorted(dinilai, key=lambda k: bool(capaian[k] >= BATAS_LATIHAN))


def jenis_latihan(opd: object = None) -> str:
    """The first jenis of the OPD that is scored in the case year and has no injected problem, one served
    below BATAS_LATIHAN first. The OPD's own jenis is kept even when all are fully served (Satpol PP's one
    jenis in the case region): module 1 reads it from the OPD's own form. Module 3, which cannot work on a
    fully served jenis, goes further (``kasus_lanjut.jenis_rencana``)."""
    bermasalah = set(_data(True).masalah["kode_jenis"].dropna())
    pilihan = belum_tuntas_dulu([k for k in jenis_opd(opd) if k not in bermasalah], capaian_tahun(_data(False).sasaran))
    return pilihan[0] if pilihan else "KES-KK-01"


def jenis_dipakai(konteks) -> str:
    """The jenis a key is computed for: the notebook's ``kode_jenis`` when set, else the OPD's."""
    return konteks.get("kode_jenis") or jenis_latihan(konteks.get("opd"))


def butir_latihan(kode_jenis: str) -> str:
    """The mutu item used for the by-hand tasks of module 2: one that has stock and a shortfall and,
    where possible, a non-integer need per person (so rounding up matters) and a regional price."""
    from spm_helpers.engine.needs import compute_kebutuhan

    d = _data(False)
    s = d.sasaran[(d.sasaran["tahun"] == TAHUN) & (d.sasaran["kode_jenis"] == kode_jenis)]
    k = compute_kebutuhan(s, d.ketersediaan, d.harga_satuan)
    if k.empty:
        raise UnknownItemError(f"Jenis {kode_jenis} tidak ada di data kasus tahun {TAHUN}.")
    exact = k["jumlah_sasaran"].astype("float64") * k["jumlah_per_sasaran"]
    skor = ((k["kekurangan"].fillna(0) > 0).astype(int) * 8 + (k["tersedia"].fillna(0) > 0).astype(int) * 4
            + (exact != exact.round()).astype(int) * 2 + (k["sumber_harga"] == "SSH daerah").astype(int))
    return str(k.loc[skor.idxmax(), "kode_item"])


def konfirmasi_opd() -> pd.DataFrame:
    """The corrected sasaran rows the OPDs 'send back' for every row with a problem (module 1)."""
    m = _data(True).masalah
    kode = set(m["kode_jenis"].dropna())
    s = _data(False).sasaran
    rows = s[(s["tahun"] == TAHUN) & s["kode_jenis"].isin(kode)]
    return rows[["kode_wilayah", "tahun", "kode_jenis", "jumlah_sasaran", "jumlah_terlayani"]].reset_index(drop=True)


def formulir_kasus(opd: object = None, folder: str | Path = FOLDER_DATA) -> Path:
    """The participant's OPD form of the case year, filled with the case data *with* its problems.

    Written once (an existing file, possibly opened and edited by the participant, is kept)."""
    from spm_helpers.inputs.opd_form import form_filename

    short = opd_singkat(opd)
    path = Path(folder) / form_filename(KODE_WILAYAH, TAHUN, short)
    if not path.exists():
        _tulis_formulir(short, path)
    return path


def _tulis_formulir(opd: str, path: Path) -> None:
    """A blank form from ``forms.write_form``, then the case values typed in as an officer would."""
    from openpyxl import load_workbook

    from spm_helpers.files import atomic_path
    from spm_helpers.inputs.opd_form import ITEM_HEADER_ROW, JUDUL, SASARAN_HEADER_ROW, write_form

    d = _data(True)
    s = d.sasaran[d.sasaran["tahun"] == TAHUN].set_index("kode_jenis")
    k = d.ketersediaan[d.ketersediaan["tahun"] == TAHUN].set_index("kode_item")["jumlah_tersedia"]
    h = d.harga_satuan[d.harga_satuan["tahun"] == TAHUN].set_index("kode_item")["harga_satuan"]
    with atomic_path(path, overwrite=False) as tmp:
        write_form(KODE_WILAYAH, TAHUN, opd, tmp, overwrite=True)
        with open(tmp, "rb") as fh:  # openpyxl judges by extension; the temp name has none
            wb = load_workbook(fh)
        for kode in jenis_opd(opd):
            ws = wb[kode]
            col = _kolom(ws, SASARAN_HEADER_ROW, JUDUL)
            row = SASARAN_HEADER_ROW + 1
            if kode in s.index:  # a jenis missing from the data stays blank, as a forgotten sheet does
                for key in ("jumlah_sasaran", "jumlah_terlayani", "sumber_data"):
                    ws.cell(row, col[key], _sel(s.at[kode, key]))
            col = _kolom(ws, ITEM_HEADER_ROW, JUDUL)
            r = ITEM_HEADER_ROW + 1
            while ws.cell(r, col["kode_item"]).value:
                item = ws.cell(r, col["kode_item"]).value
                ws.cell(r, col["jumlah_tersedia"], _sel(k.get(item)))
                if item in h.index:
                    ws.cell(r, col["harga_satuan"], _sel(h[item]))
                r += 1
        wb.save(tmp)


def _kolom(ws, header_row: int, judul: dict[str, str]) -> dict[str, int]:
    by_title = {ws.cell(header_row, c).value: c for c in range(1, ws.max_column + 1)}
    return {key: by_title[title] for key, title in judul.items() if title in by_title}


def _sel(value):
    return None if value is None or pd.isna(value) else (int(value) if not isinstance(value, str) else value)


@lru_cache(maxsize=1)
def _penduduk() -> pd.DataFrame:
    from spm_helpers.inputs.population import contoh_penduduk

    return contoh_penduduk([KODE_WILAYAH], TAHUN)


def penduduk_kasus() -> pd.DataFrame:
    """The case region's population by age group and sex in the case year, tidy (*data contoh (sintetis)*)."""
    return _penduduk().copy()


def tabel_umur_kasus() -> pd.DataFrame:
    """The same table laid out as BPS prints it: Kelompok Umur | Laki-laki | Perempuan | Jumlah."""
    from spm_helpers.inputs.population import tabel_lebar

    return tabel_lebar(_penduduk())
