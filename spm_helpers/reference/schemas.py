"""pandera schemas for every table of the data model (DESIGN §4), with Indonesian messages.

``validate(df, "sasaran", berkas=...)`` returns the table with proper dtypes or raises
``SPMDataError`` listing *every* problem with its row and column. Rows keep their source
position in an optional ``_baris`` column (set by the importers) so a message can point at
the row the officer sees in Excel; provenance columns ``_berkas``/``_sheet`` work the same way.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import pandera.pandas as pa

from spm_helpers import fmt
from spm_helpers.errors import SEVERITY_ERROR, SEVERITY_WARNING, Problem, SPMDataError, shown_in_number_cell
from spm_helpers.reference import quarter

KODE_WILAYAH_RE = r"^\d{2}(\.\d{2})?$"
KODE_JENIS_RE = r"^(PDD|KES|PU|PRM|TRB|SOS)-(PROV|KK)-\d{2}$"
KODE_ITEM_RE = r"^(PDD|KES|PU|PRM|TRB|SOS)-(PROV|KK)-\d{2}\.\d{2}$"
PROVENANCE = ("_berkas", "_sheet", "_baris")

KEYS = ["kode_wilayah", "tahun", "kode_jenis"]


@dataclass(frozen=True)
class TableSpec:
    """What a table must look like. ``integers``/``floats`` are coerced before the checks run, so a
    typo like '12a' is reported once as 'bukan angka' instead of breaking every later check."""

    name: str
    schema: pa.DataFrameSchema
    integers: tuple[str, ...] = ()
    floats: tuple[str, ...] = ()
    texts: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    labels: dict[str, str] = field(default_factory=dict)


def _c(dtype: Any, *checks: pa.Check, nullable: bool = False, required: bool = True) -> pa.Column:
    return pa.Column(dtype, list(checks), nullable=nullable, required=required, coerce=False)


def _nonneg(label: str = "nilai") -> pa.Check:
    return pa.Check.ge(0, error=f"{label} tidak boleh negatif")


def _regex(pattern: str, message: str) -> pa.Check:
    return pa.Check.str_matches(pattern, error=message)


_TAHUN = pa.Check.in_range(2000, 2100, error="tahun harus antara 2000 dan 2100")
_WIL = _regex(KODE_WILAYAH_RE, "kode wilayah harus berformat 'PP' (provinsi) atau 'PP.KK' (kab/kota), "
              "misalnya '32.75'")
_JENIS = _regex(KODE_JENIS_RE, "kode jenis pelayanan tidak dikenal (contoh yang benar: 'KES-KK-01')")
_ITEM = _regex(KODE_ITEM_RE, "kode butir mutu tidak dikenal (contoh yang benar: 'KES-KK-01.01')")
_PERSEN = pa.Check.in_range(0, 100, error="persentase harus antara 0 dan 100")


def _wide(fn, message: str, name: str) -> pa.Check:
    return pa.Check(fn, error=message, name=name, ignore_na=False)


def _terlayani_le_sasaran(df: pd.DataFrame) -> pd.Series:
    ok = ~(df["jumlah_terlayani"] > df["jumlah_sasaran"])
    return ok.fillna(True).astype(bool)


def _item_of_jenis(df: pd.DataFrame) -> pd.Series:
    ok = [(not isinstance(i, str)) or (not isinstance(j, str)) or i.startswith(j + ".")
          for i, j in zip(df["kode_item"], df["kode_jenis"])]
    return pd.Series(ok, index=df.index)


def _kurang_formula(df: pd.DataFrame) -> pd.Series:
    expected = (df["kebutuhan"] - df["tersedia"]).clip(lower=0)
    return (df["kekurangan"] == expected).fillna(True).astype(bool)


_PERIOD_KEYS = KEYS + ["triwulan"]

SPECS: dict[str, TableSpec] = {}


def _register(spec: TableSpec) -> TableSpec:
    SPECS[spec.name] = spec
    return spec


_register(TableSpec(
    "sasaran",
    pa.DataFrameSchema(
        {
            "kode_wilayah": _c(str, _WIL),
            "tahun": _c("Int64", _TAHUN),
            "kode_jenis": _c(str, _JENIS),
            "jumlah_sasaran": _c("Int64", _nonneg("jumlah sasaran"), nullable=True),
            "jumlah_terlayani": _c("Int64", _nonneg("jumlah terlayani"), nullable=True),
            "sumber_data": _c(str, nullable=True, required=False),
            "triwulan": _c("Int64", pa.Check.isin([1, 2, 3, 4], error="triwulan harus 1, 2, 3 atau 4"),
                           nullable=True, required=False),
        },
        checks=[_wide(_terlayani_le_sasaran, "jumlah terlayani lebih besar dari jumlah sasaran",
                      "terlayani_le_sasaran")],
        unique=_PERIOD_KEYS, report_duplicates="all", strict=False,
    ),
    integers=("tahun", "jumlah_sasaran", "jumlah_terlayani", "triwulan"),
    texts=("kode_wilayah", "kode_jenis", "sumber_data"),
    optional=("sumber_data", "triwulan"),
))

_register(TableSpec(
    "ketersediaan",
    pa.DataFrameSchema(
        {
            "kode_wilayah": _c(str, _WIL),
            "tahun": _c("Int64", _TAHUN),
            "kode_jenis": _c(str, _JENIS),
            "kode_item": _c(str, _ITEM),
            "jumlah_tersedia": _c("Int64", _nonneg("jumlah tersedia"), nullable=True),
            "triwulan": _c("Int64", pa.Check.isin([1, 2, 3, 4], error="triwulan harus 1, 2, 3 atau 4"),
                           nullable=True, required=False),
        },
        checks=[_wide(_item_of_jenis, "butir mutu ini bukan milik jenis pelayanan pada baris yang sama",
                      "item_of_jenis")],
        unique=KEYS + ["kode_item", "triwulan"], report_duplicates="all", strict=False,
    ),
    integers=("tahun", "jumlah_tersedia", "triwulan"),
    texts=("kode_wilayah", "kode_jenis", "kode_item"),
    optional=("triwulan",),
))

_register(TableSpec(
    "harga_satuan",
    pa.DataFrameSchema(
        {
            "kode_wilayah": _c(str, _WIL),
            "tahun": _c("Int64", _TAHUN),
            "kode_item": _c(str, _ITEM),
            "harga_satuan": _c("Int64", _nonneg("harga satuan"), nullable=True),
        },
        unique=["kode_wilayah", "tahun", "kode_item"], report_duplicates="all", strict=False,
    ),
    integers=("tahun", "harga_satuan"),
    texts=("kode_wilayah", "kode_item"),
))

# ---------------------------------------------------------------------------------- quarterly (D9)
def _iso_date(s: pd.Series) -> pd.Series:
    """A real calendar date written YYYY-MM-DD (what the forms write and ``tanggal`` means everywhere)."""
    ok = s.isna() | s.astype(str).str.fullmatch(r"\d{4}-\d{2}-\d{2}")
    parsed = pd.to_datetime(s.where(ok), format="%Y-%m-%d", errors="coerce")
    return (s.isna() | (ok & parsed.notna())).astype(bool)


def _realisasi_le_alokasi(df: pd.DataFrame) -> pd.Series:
    return (~(df["realisasi"] > df["alokasi"])).fillna(True).astype(bool)


def _masalah_ditulis(df: pd.DataFrame) -> pd.Series:
    """A problem row states its problem, unless its status says there is none."""
    return (df["permasalahan"].notna() | (df["status"] == quarter.TANPA_MASALAH)).fillna(False).astype(bool)


def _solusi_ditulis(df: pd.DataFrame) -> pd.Series:
    return (df["solusi"].notna() | (df["status"] == quarter.TANPA_MASALAH) | df["permasalahan"].isna()) \
        .fillna(True).astype(bool)


def _selesai_bertanggal(df: pd.DataFrame) -> pd.Series:
    return (~((df["status"] == quarter.SELESAI) & df["tanggal"].isna())).fillna(True).astype(bool)


_TRIWULAN_WAJIB = pa.Check.isin([1, 2, 3, 4], error="triwulan harus 1, 2, 3 atau 4")

_register(TableSpec(
    "anggaran",
    pa.DataFrameSchema(
        {
            "kode_wilayah": _c(str, _WIL),
            "tahun": _c("Int64", _TAHUN),
            "triwulan": _c("Int64", _TRIWULAN_WAJIB),
            "kode_jenis": _c(str, _JENIS),
            "sumber_dana": _c(str, pa.Check(lambda s: s.isin(quarter.kode_sumber_dana()),
                                            element_wise=False,
                                            error="sumber dana tidak dikenal (pilih: APBD, DAK fisik, DAK nonfisik, "
                                                  "BOS, JKN/kapitasi, lainnya)")),
            "alokasi": _c("Int64", _nonneg("alokasi"), nullable=True),
            "realisasi": _c("Int64", _nonneg("realisasi"), nullable=True),
            "keterangan": _c(str, nullable=True, required=False),
        },
        checks=[_wide(_realisasi_le_alokasi, "realisasi lebih besar dari alokasi", "realisasi_le_alokasi")],
        unique=["kode_wilayah", "tahun", "triwulan", "kode_jenis", "sumber_dana"], report_duplicates="all",
        strict=False,
    ),
    integers=("tahun", "triwulan", "alokasi", "realisasi"),
    texts=("kode_wilayah", "kode_jenis", "sumber_dana", "keterangan"),
    optional=("keterangan",),
))

_register(TableSpec(
    "permasalahan",
    pa.DataFrameSchema(
        {
            "kode_wilayah": _c(str, _WIL),
            "tahun": _c("Int64", _TAHUN),
            "triwulan": _c("Int64", _TRIWULAN_WAJIB),
            "kode_jenis": _c(str, _JENIS),
            "permasalahan": _c(str, nullable=True),
            "solusi": _c(str, nullable=True),
            "status": _c(str, pa.Check(lambda s: s.isin(quarter.STATUS_MASALAH), element_wise=False,
                                       error="status permasalahan harus 'belum ditangani', 'dalam penanganan', "
                                             "'selesai' atau 'tidak ada permasalahan'")),
        },
        checks=[_wide(_masalah_ditulis, "permasalahan belum ditulis (atau pilih status 'tidak ada permasalahan')",
                      "masalah_ditulis"),
                _wide(_solusi_ditulis, "solusi belum ditulis untuk permasalahan ini", "solusi_ditulis")],
        unique=["kode_wilayah", "tahun", "triwulan", "kode_jenis", "permasalahan"], report_duplicates="all",
        strict=False,
    ),
    integers=("tahun", "triwulan"),
    texts=("kode_wilayah", "kode_jenis", "permasalahan", "solusi", "status"),
))

_register(TableSpec(
    "tahapan",
    pa.DataFrameSchema(
        {
            "kode_wilayah": _c(str, _WIL),
            "tahun": _c("Int64", _TAHUN),
            "tahapan": _c(str, pa.Check(lambda s: s.isin(quarter.TAHAPAN), element_wise=False,
                                        error="tahapan harus 1, 2, 3, 4 atau 'rencana_aksi'")),
            "status": _c(str, pa.Check(lambda s: s.isin(quarter.STATUS_TAHAPAN), element_wise=False,
                                       error="status tahapan harus 'belum dimulai', 'dalam proses' atau 'selesai'")),
            "tanggal": _c(str, pa.Check(_iso_date, element_wise=False,
                                        error="tanggal harus tanggal yang sah berformat TTTT-BB-HH, mis. 2025-03-31"),
                          nullable=True),
            "nomor_dokumen": _c(str, nullable=True),
        },
        checks=[_wide(_selesai_bertanggal, "tahapan berstatus 'selesai' tetapi tanggal selesainya kosong",
                      "selesai_bertanggal")],
        unique=["kode_wilayah", "tahun", "tahapan"], report_duplicates="all", strict=False,
    ),
    integers=("tahun",),
    texts=("kode_wilayah", "tahapan", "status", "tanggal", "nomor_dokumen"),
))

_register(TableSpec(
    "penduduk",
    pa.DataFrameSchema(
        {
            "kode_wilayah": _c(str, _WIL),
            "tahun": _c("Int64", _TAHUN),
            "kecamatan": _c(str, nullable=True, required=False),
            "kelompok_umur": _c(str, _regex(r"^(\d{1,2}|\d{1,2}-\d{1,2}|\d{2}\+)$",
                                            "kelompok umur tidak dikenal (contoh yang benar: '0-4', '75+', '7')")),
            "jenis_kelamin": _c(str, pa.Check.isin(["L", "P"], error="jenis kelamin harus 'L' atau 'P'")),
            "jumlah": _c("Int64", _nonneg("jumlah penduduk")),
            "sumber_data": _c(str, nullable=True, required=False),
        },
        unique=["kode_wilayah", "tahun", "kecamatan", "kelompok_umur", "jenis_kelamin"], report_duplicates="all",
        strict=False,
    ),
    integers=("tahun", "jumlah"),
    texts=("kode_wilayah", "kecamatan", "kelompok_umur", "jenis_kelamin", "sumber_data"),
    optional=("kecamatan", "sumber_data"),
))

_register(TableSpec(
    "katalog_jenis",
    pa.DataFrameSchema(
        {
            "kode_jenis": _c(str, _JENIS, pa.Check(lambda s: ~s.duplicated(), error="kode jenis ganda")),
            "kode_bidang": _c(str, pa.Check.isin(["PDD", "KES", "PU", "PRM", "TRB", "SOS"],
                                                 error="kode bidang tidak dikenal")),
            "tingkat": _c(str, pa.Check.isin(["provinsi", "kabkota"], error="tingkat harus provinsi/kabkota")),
            "nama": _c(str), "penerima": _c(str), "dasar_hukum": _c(str), "opd_pengampu": _c(str),
            "status": _c(str, pa.Check.isin(["terkonfirmasi", "perlu_verifikasi"],
                                            error="status harus terkonfirmasi/perlu_verifikasi")),
        },
        strict=False,
    ),
    texts=("kode_jenis", "kode_bidang", "tingkat", "nama", "penerima", "dasar_hukum", "opd_pengampu",
           "status"),
))

_register(TableSpec(
    "katalog_mutu",
    pa.DataFrameSchema(
        {
            "kode_jenis": _c(str, _JENIS),
            "kode_item": _c(str, _ITEM, pa.Check(lambda s: ~s.duplicated(), error="kode butir ganda")),
            "nama": _c(str),
            "kategori": _c(str, pa.Check.isin(["barang", "jasa", "sdm"], error="kategori harus barang/jasa/sdm")),
            "satuan": _c(str),
            "jumlah_per_sasaran": _c(float, pa.Check.gt(0, error="jumlah per sasaran harus lebih dari 0")),
            "harga_satuan_acuan": _c("Int64", pa.Check.gt(0, error="harga acuan harus lebih dari 0")),
            "aturan": _c(str),
            "status": _c(str, pa.Check.isin(["terkonfirmasi", "perlu_verifikasi"],
                                            error="status harus terkonfirmasi/perlu_verifikasi")),
            "sumber": _c(str),
        },
        checks=[_wide(_item_of_jenis, "butir mutu ini bukan milik jenis pelayanan pada baris yang sama",
                      "item_of_jenis")],
        strict=False,
    ),
    integers=("harga_satuan_acuan",),
    floats=("jumlah_per_sasaran",),
    texts=("kode_jenis", "kode_item", "nama", "kategori", "satuan", "aturan", "status", "sumber"),
))

_register(TableSpec(
    "kebutuhan",
    pa.DataFrameSchema(
        {
            "kode_wilayah": _c(str, _WIL), "tahun": _c("Int64", _TAHUN), "kode_jenis": _c(str, _JENIS),
            "kode_item": _c(str, _ITEM),
            "kebutuhan": _c("Int64", _nonneg("kebutuhan"), nullable=True),
            "tersedia": _c("Int64", _nonneg("tersedia"), nullable=True),
            "kekurangan": _c("Int64", _nonneg("kekurangan"), nullable=True),
            "surplus": _c("Int64", _nonneg("surplus"), nullable=True),
            "harga_satuan": _c("Int64", _nonneg("harga satuan"), nullable=True),
            "biaya": _c("Int64", _nonneg("biaya"), nullable=True),
        },
        checks=[_wide(_kurang_formula, "kekurangan harus sama dengan max(0, kebutuhan − tersedia)",
                      "kekurangan_formula")],
        strict=False,
    ),
    integers=("tahun", "kebutuhan", "tersedia", "kekurangan", "surplus", "harga_satuan", "biaya"),
    texts=("kode_wilayah", "kode_jenis", "kode_item"),
))

_register(TableSpec(
    "rencana",
    pa.DataFrameSchema(
        {
            "kode_wilayah": _c(str, _WIL), "kode_jenis": _c(str, _JENIS),
            "tahun_rencana": _c("Int64", _TAHUN),
            "target_persen": _c(float, _PERSEN, nullable=True),
            "sasaran_dilayani": _c("Int64", _nonneg("sasaran dilayani"), nullable=True),
            "biaya": _c("Int64", _nonneg("biaya"), nullable=True),
            "opd": _c(str),
        },
        strict=False,
    ),
    integers=("tahun_rencana", "sasaran_dilayani", "biaya"),
    floats=("target_persen",),
    texts=("kode_wilayah", "kode_jenis", "opd"),
))

_register(TableSpec(
    "capaian",
    pa.DataFrameSchema(
        {
            "kode_wilayah": _c(str, _WIL), "tahun": _c("Int64", _TAHUN), "kode_jenis": _c(str, _JENIS),
            "capaian_penerima": _c(float, _PERSEN, nullable=True),
            "capaian_mutu": _c(float, _PERSEN, nullable=True),
            "indeks": _c(float, _PERSEN, nullable=True),
            "kategori": _c(str, nullable=True),
        },
        strict=False,
    ),
    floats=("capaian_penerima", "capaian_mutu", "indeks"),
    texts=("kode_wilayah", "kode_jenis", "kategori"),
))


# ---------------------------------------------------------------------------------------------
_NOT_NULL_MESSAGES = {
    ("permasalahan", "kode_jenis"): "permasalahan harus menyebut jenis pelayanan (kode_jenis kosong)",
    ("anggaran", "kode_jenis"): "anggaran harus menyebut jenis pelayanan (kode_jenis kosong)",
    ("anggaran", "sumber_dana"): "sumber dana kosong (pilih: APBD, DAK fisik, DAK nonfisik, BOS, JKN/kapitasi, lainnya)",
    ("permasalahan", "status"): "status permasalahan kosong",
    ("tahapan", "status"): "status tahapan kosong",
}

_CHECK_MESSAGES = {
    "not_nullable": "tidak boleh kosong",
    "column_in_dataframe": "kolom wajib tidak ditemukan",
    "multiple_fields_uniqueness": "baris ganda: kombinasi kunci ini muncul lebih dari sekali",
    "field_uniqueness": "nilai ganda",
}


def _row_number(df: pd.DataFrame, index: Any) -> int | None:
    if index is None or (isinstance(index, float) and pd.isna(index)) or index not in df.index:
        return None
    if "_baris" in df.columns and pd.notna(df.at[index, "_baris"]):
        return int(df.at[index, "_baris"])
    return int(df.index.get_loc(index)) + 2  # header is row 1 in CSV/Excel


def _prov(df: pd.DataFrame, index: Any, col: str, default: str | None) -> str | None:
    if index is not None and col in df.columns and index in df.index and pd.notna(df.at[index, col]):
        return str(df.at[index, col])
    return default


def _to_number(series: pd.Series, integer: bool) -> tuple[pd.Series, pd.Series]:
    """Numeric version of a column and a mask of the cells that were not numbers (or not whole)."""
    if pd.api.types.is_bool_dtype(series):
        bad = series.notna()
        return pd.Series(pd.NA, index=series.index, dtype="Float64"), bad
    num = pd.to_numeric(series, errors="coerce")
    bad = series.notna() & num.isna()
    if series.dtype == object or pd.api.types.is_string_dtype(series):
        bad &= series.astype(str).str.strip() != ""
    if integer:
        frac = num.notna() & (num != num.round())
        bad |= frac
        num = num.where(~frac)
    return num, bad


def validate(df: pd.DataFrame, table: str, *, berkas: str | None = None, sheet: str | None = None,
             raise_errors: bool = True) -> pd.DataFrame | tuple[pd.DataFrame, list[Problem]]:
    """Check ``df`` against the named table's schema.

    Returns the table with dtypes fixed (Int64 counts, str codes). With ``raise_errors=False``
    returns ``(table, problems)`` instead of raising, for importers that collect problems
    across many sheets before reporting.
    """
    spec = SPECS[table]
    problems: list[Problem] = []
    out = df.copy() if df.index.is_unique else df.reset_index(drop=True)
    missing = [c for c, col in spec.schema.columns.items() if col.required and c not in out.columns]
    for c in missing:
        problems.append(Problem(f"kolom wajib '{c}' tidak ditemukan pada tabel {table}", berkas=berkas,
                                sheet=sheet, kolom=c))
    if missing:
        if raise_errors:
            raise SPMDataError(problems)
        return out, problems

    for col in spec.integers + spec.floats:
        if col not in out.columns:
            continue
        integer = col in spec.integers
        num, bad = _to_number(out[col], integer)
        for idx in out.index[bad]:
            why = "harus bilangan bulat" if integer else "harus berupa angka"
            problems.append(Problem(f"{why}", berkas=_prov(out, idx, "_berkas", berkas),
                                    sheet=_prov(out, idx, "_sheet", sheet), baris=_row_number(out, idx),
                                    kolom=col, nilai=shown_in_number_cell(out.at[idx, col])))
        out[col] = num.astype("Int64") if integer else num.astype(float)
    for col in spec.texts:
        if col in out.columns:
            s = out[col]
            out[col] = s.where(s.isna(), s.astype(str).str.strip()).astype(object)
            out.loc[out[col] == "", col] = None

    try:
        spec.schema.validate(out, lazy=True)
    except pa.errors.SchemaErrors as err:
        problems += _translate(err.failure_cases, out, table, berkas, sheet)
    problems = _dedupe(problems)
    if raise_errors and any(p.tingkat == SEVERITY_ERROR for p in problems):
        raise SPMDataError(problems)
    return (out, problems) if not raise_errors else out


def _translate(fc: pd.DataFrame, df: pd.DataFrame, table: str, berkas: str | None,
               sheet: str | None) -> list[Problem]:
    out: list[Problem] = []
    for rec in fc.to_dict("records"):
        check = str(rec.get("check"))
        column = rec.get("column")
        column = None if column is None or (isinstance(column, float) and pd.isna(column)) else str(column)
        index = rec.get("index")
        if check.startswith("dtype(") or check.startswith("coerce_dtype("):
            continue  # already reported by the numeric pass
        if check == "column_in_dataframe":
            column = str(rec.get("failure_case"))
        msg = _CHECK_MESSAGES.get(check, check)
        if isinstance(rec.get("failure_case"), str) and rec["failure_case"].startswith(("TypeError", "KeyError")):
            continue  # a consequence of a problem already listed
        nilai = None if check in ("multiple_fields_uniqueness", "column_in_dataframe") else rec.get("failure_case")
        if check in _WIDE_TARGET:  # a value composed from already-checked numbers: shown as it is
            column, show = _WIDE_TARGET[check]
            nilai = show(df.loc[index]) if index is not None and index in df.index else None
        elif column in SPECS[table].integers + SPECS[table].floats if table in SPECS else False:
            nilai = shown_in_number_cell(nilai)
        if check == "not_nullable" and (table, column) in _NOT_NULL_MESSAGES:
            msg = _NOT_NULL_MESSAGES[(table, column)]
        if check == "multiple_fields_uniqueness":
            column = None
        if check == "multiple_fields_uniqueness" and table in SPECS:
            msg = "baris ganda: " + ", ".join(
                c for c in SPECS[table].schema.unique or [] if c in df.columns) + " sama dengan baris lain"
        out.append(Problem(msg, berkas=_prov(df, index, "_berkas", berkas), sheet=_prov(df, index, "_sheet", sheet),
                           baris=_row_number(df, index), kolom=column, nilai=nilai,
                           tingkat=SEVERITY_WARNING if check in _PERINGATAN else SEVERITY_ERROR))
    return out


# Checks that flag doubtful but usable data (D3): terlayani > sasaran is common where the projected sasaran is
# below the people actually served; capaian is capped at 100 and the row is kept, never refused.
_PERINGATAN = frozenset({"jumlah terlayani lebih besar dari jumlah sasaran",
                        # quarterly (D9): usable, but the quarter pack lists them for the OPD to check
                        "realisasi lebih besar dari alokasi",
                        "solusi belum ditulis untuk permasalahan ini",
                        "tahapan berstatus 'selesai' tetapi tanggal selesainya kosong"})


_WIDE_TARGET = {
    "jumlah terlayani lebih besar dari jumlah sasaran":
        ("jumlah_terlayani", lambda r: f"{r['jumlah_terlayani']} > {r['jumlah_sasaran']}"),
    "butir mutu ini bukan milik jenis pelayanan pada baris yang sama":
        ("kode_item", lambda r: r["kode_item"]),
    "kekurangan harus sama dengan max(0, kebutuhan − tersedia)":
        ("kekurangan", lambda r: r["kekurangan"]),
    "realisasi lebih besar dari alokasi":
        ("realisasi", lambda r: f"{fmt.rupiah(r['realisasi'])} > {fmt.rupiah(r['alokasi'])}"),
    "permasalahan belum ditulis (atau pilih status 'tidak ada permasalahan')": ("permasalahan", lambda r: None),
    "solusi belum ditulis untuk permasalahan ini": ("solusi", lambda r: None),
    "tahapan berstatus 'selesai' tetapi tanggal selesainya kosong": ("tanggal", lambda r: None),
}


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: dict[tuple, Problem] = {}
    for p in problems:
        key = (p.berkas, p.sheet, p.baris, p.kolom, p.alasan)
        seen.setdefault(key, p)
    return sorted(seen.values(), key=lambda p: (p.berkas or "", p.sheet or "", p.baris or 0, p.kolom or ""))


def columns(table: str) -> list[str]:
    """Column names of a table, required first, for writing templates and empty frames."""
    spec = SPECS[table]
    return list(spec.schema.columns)


def empty(table: str) -> pd.DataFrame:
    spec = SPECS[table]
    data = {}
    for c, col in spec.schema.columns.items():
        if not col.required:
            continue
        dtype = "Int64" if c in spec.integers else float if c in spec.floats else object
        data[c] = pd.Series(dtype=dtype)
    return pd.DataFrame(data)
