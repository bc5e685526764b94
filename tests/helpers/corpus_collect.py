"""Fixture builder for the data-collection tests: filled OPD workbooks and a corpus of broken ones.

Everything is generated at test time from the blank forms and the demo data (no committed
binaries). ``fill`` behaves like an officer: it opens the blank workbook, finds the cells by the
header texts printed on the sheet, types the numbers and saves. Each ``Case`` then breaks one
thing and states the exact problems expected (file, sheet, row, column, reason) and which tidy
rows may legitimately be missing; every other row must come through unchanged.
"""
from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from spm_helpers.inputs import collect, opd_form
from spm_helpers.inputs import demo as demo_data
from spm_helpers.reference import catalog, schemas

KAB, PROV, TAHUN = "32.75", "32", 2025
MAIN, OTHER = "disdik", "dinsos"  # the broken form and a bystander that must come through untouched
P1, P2, P3 = "PDD-KK-01", "PDD-KK-02", "PDD-KK-03"
ROW_S, HDR_S, HDR_I, ROW_I = 7, 6, 10, 11  # sasaran data row, headers, first item row (as printed)
B_SAS, C_TER, D_SUM, F_TER, G_HRG = "B", "C", "D", "F", "G"


@lru_cache(maxsize=8)
def demo(kode: str):
    """Demo data of one region for TAHUN (cached: callers only read it)."""
    return demo_data.generate([kode], tahun=[TAHUN])


def _header_row(ws, title: str) -> tuple[int, dict[str, int]]:
    for row in ws.iter_rows(min_row=1, max_row=30):
        titles = {str(c.value).strip(): c.column for c in row if c.value is not None}
        if title in titles:
            return row[0].row, titles
    raise AssertionError(f"header {title!r} not on sheet {ws.title}")


def _put(ws, row: int, col: int, value) -> None:
    cell = ws.cell(row, col)
    assert cell.protection.locked is False, f"{ws.title}!{cell.coordinate} should be an unlocked input cell"
    cell.value = None if value is None or pd.isna(value) else (int(value) if isinstance(value, (int, float)) or
                                                                hasattr(value, "__index__") else value)


def fill(blank: Path, data, dst: Path) -> Path:
    """Type the demo numbers into a blank form like an officer would, then save as ``dst``."""
    wb = load_workbook(blank)
    s = data.sasaran.set_index("kode_jenis")
    k = data.ketersediaan.set_index("kode_item")["jumlah_tersedia"]
    h = data.harga_satuan.set_index("kode_item")["harga_satuan"]
    for ws in wb.worksheets:
        if ws.title not in s.index:
            continue
        r, cols = _header_row(ws, "Jumlah sasaran")
        for title, col in (("Jumlah sasaran", "jumlah_sasaran"), ("Jumlah terlayani", "jumlah_terlayani"),
                           ("Sumber data", "sumber_data")):
            _put(ws, r + 1, cols[title], s.at[ws.title, col])
        r, cols = _header_row(ws, "Jumlah tersedia")
        for row in range(r + 1, ws.max_row + 1):
            item = ws.cell(row, cols["Kode butir"]).value
            if item:
                _put(ws, row, cols["Jumlah tersedia"], k.get(item))
                _put(ws, row, cols["Harga satuan (Rp)"], h.get(item))  # no regional price: blank
    wb.save(dst)
    return dst


def filled_forms(folder: Path, kode: str, opds: list[str] | None = None, tahun: int = TAHUN) -> dict[str, Path]:
    """Blank forms written by the product, filled with the region's demo data: {opd: path}."""
    folder.mkdir(parents=True, exist_ok=True)
    data = demo(kode) if tahun == TAHUN else demo_data.generate([kode], tahun=[tahun])
    out = {}
    for opd in opds or opd_form.opd_for_region(kode):
        blank = opd_form.write_form(kode, tahun, opd, folder / f"kosong_{kode}_{tahun}_{opd}.xlsx", overwrite=True)
        out[opd] = fill(blank, data, folder / opd_form.form_filename(kode, tahun, opd))
    return out


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> dict[str, Path]:
    """Filled disdik + dinsos forms of Kota Bekasi 2025: the corpus' starting point (import it as a fixture)."""
    return filled_forms(tmp_path_factory.mktemp("dasar"), KAB, [MAIN, OTHER])


def expected_tables(kode: str, opds: list[str]) -> dict[str, pd.DataFrame]:
    """The demo tables restricted to the jenis of these OPDs: what a clean import must return."""
    data = demo(kode)
    jenis = set(pd.concat([opd_form.jenis_of_opd(kode, o) for o in opds])["kode_jenis"])
    items = set(catalog.mutu(kode_jenis=list(jenis))["kode_item"])
    return {"sasaran": data.sasaran[data.sasaran["kode_jenis"].isin(jenis)],
            "ketersediaan": data.ketersediaan[data.ketersediaan["kode_jenis"].isin(jenis)],
            "harga_satuan": data.harga_satuan[data.harga_satuan["kode_item"].isin(items)]}


def tidy(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """Schema columns, schema dtypes, key order: so two tables compare cell by cell."""
    cols = [c for c in schemas.columns(table) if c in df.columns and c != "triwulan"]
    out = df[cols].copy()
    for col in cols:
        if col in schemas.SPECS[table].integers:
            out[col] = out[col].astype("Int64")
        else:
            out[col] = out[col].astype(object).where(out[col].notna(), None)
    return out.sort_values(collect.KEYS[table]).reset_index(drop=True)


def assert_tables(got: dict[str, pd.DataFrame], want: dict[str, pd.DataFrame]) -> None:
    for table in ("sasaran", "ketersediaan", "harga_satuan"):
        pd.testing.assert_frame_equal(tidy(got[table], table), tidy(want[table], table), obj=table)


# --------------------------------------------------------------------------------------------- cases
@dataclass
class Expect:
    berkas: str
    sheet: str | None
    baris: int | None
    kolom: str | None
    alasan: str  # a distinctive part of the Indonesian reason
    tingkat: str = "galat"


@dataclass
class Case:
    name: str
    build: Callable[[Path, dict[str, Path]], list[Path]]  # (folder, filled forms) -> files to import
    expect: list[Expect]
    drop: dict[str, list[str]] = field(default_factory=dict)  # table -> kode_jenis or kode_item to be absent
    ubah: Callable[[dict], dict] | None = None  # how a row kept with a warning differs from the clean tables


def _name(opd: str, kode: str = KAB, tahun: int = TAHUN) -> str:
    return opd_form.form_filename(kode, tahun, opd)


D, S = _name(MAIN), _name(OTHER)
ALL_MAIN = {"sasaran": [P1, P2, P3], "ketersediaan": [P1, P2, P3], "harga_satuan": [P1, P2, P3]}


def _items(jenis: str) -> list[str]:
    return catalog.mutu(kode_jenis=jenis)["kode_item"].tolist()


def _copy(folder: Path, base: dict[str, Path], opd: str = MAIN, name: str | None = None) -> Path:
    dst = folder / (name or base[opd].name)
    shutil.copy(base[opd], dst)
    return dst


def edit(fn: Callable, opd: str = MAIN) -> Callable[[Path, dict[str, Path]], list[Path]]:
    """A case that changes the main form with ``fn(wb)`` and imports it with the bystander."""
    def build(folder: Path, base: dict[str, Path]) -> list[Path]:
        path = _copy(folder, base, opd)
        wb = load_workbook(path)
        fn(wb)
        wb.save(path)
        return [path, _copy(folder, base, OTHER)]
    return build


def replace_main(make: Callable[[Path, dict[str, Path]], Path]) -> Callable:
    """A case where the main form is replaced by another file."""
    def build(folder: Path, base: dict[str, Path]) -> list[Path]:
        return [make(folder, base), _copy(folder, base, OTHER)]
    return build


def add_file(make: Callable[[Path, dict[str, Path]], Path]) -> Callable:
    def build(folder: Path, base: dict[str, Path]) -> list[Path]:
        return [_copy(folder, base, MAIN), _copy(folder, base, OTHER), make(folder, base)]
    return build


def setcell(sheet: str, coord: str, value) -> Callable:
    def fn(wb):
        wb[sheet][coord] = value
    return fn


def _bytes(name: str, data: bytes) -> Callable[[Path, dict[str, Path]], Path]:
    def make(folder: Path, base: dict[str, Path]) -> Path:
        (folder / name).write_bytes(data)
        return folder / name
    return make


def _truncated(folder: Path, base: dict[str, Path]) -> Path:
    data = base[MAIN].read_bytes()
    (folder / D).write_bytes(data[: int(len(data) * 0.6)])
    return folder / D


def _zip_not_xlsx(folder: Path, base: dict[str, Path]) -> Path:
    with zipfile.ZipFile(folder / D, "w") as z:
        z.writestr("halo.txt", "bukan excel")
    return folder / D


def _plain_workbook(folder: Path, base: dict[str, Path]) -> Path:
    wb = Workbook()
    wb.active.append(["kode_jenis", "jumlah_sasaran"])
    wb.active.append([P1, 100])
    wb.save(folder / D)
    return folder / D


def _other_form(kode: str, tahun: int) -> Callable[[Path, dict[str, Path]], Path]:
    def make(folder: Path, base: dict[str, Path]) -> Path:
        return opd_form.write_form(kode, tahun, MAIN, folder / _name(MAIN, kode, tahun))
    return make


def _conflict(folder: Path, base: dict[str, Path]) -> list[Path]:
    revisi = _copy(folder, base, MAIN, "revisi_" + D)
    wb = load_workbook(revisi)
    wb[P1][f"{B_SAS}{ROW_S}"] = int(wb[P1][f"{B_SAS}{ROW_S}"].value) + 100
    wb.save(revisi)
    return [_copy(folder, base, MAIN), revisi, _copy(folder, base, OTHER)]


def _twice(folder: Path, base: dict[str, Path]) -> list[Path]:
    return [_copy(folder, base, MAIN), _copy(folder, base, OTHER), _copy(folder, base, OTHER, "salinan_" + S)]


def _terlayani_over(wb) -> None:
    wb[P1][f"{C_TER}{ROW_S}"] = int(wb[P1][f"{B_SAS}{ROW_S}"].value) + 10


def _terlayani_over_kept(tables: dict) -> dict:
    s = tables["sasaran"].copy()
    row = s["kode_jenis"] == P1
    s.loc[row, "jumlah_terlayani"] = s.loc[row, "jumlah_sasaran"] + 10
    return {**tables, "sasaran": s}


def _merge(rng: str) -> Callable:
    def fn(wb):
        wb[P1].merge_cells(rng)
    return fn


def _dup_item_row(wb) -> None:
    ws = wb[P1]
    last = HDR_I + len(_items(P1)) + 1
    for col in range(1, 9):
        ws.cell(last, col).value = ws.cell(ROW_I + 1, col).value


def _blank_sheet(wb) -> None:
    ws = wb[P2]
    for coord in (f"{B_SAS}{ROW_S}", f"{C_TER}{ROW_S}", f"{D_SUM}{ROW_S}"):
        ws[coord] = None
    for r in range(ROW_I, ROW_I + len(_items(P2))):
        ws[f"{F_TER}{r}"], ws[f"{G_HRG}{r}"] = None, None


def _version(wb) -> None:
    ws = wb["_spm"]
    for row in ws.iter_rows():
        if row[0].value == "versi":
            row[1].value = "0"


def _unknown_rule(wb) -> None:
    for row in wb["_spm"].iter_rows():
        if row[0].value == "aturan":
            row[1].value = "permenkes_lama_sekali"


def _del(sheet: str) -> Callable:
    def fn(wb):
        del wb[sheet]
    return fn


def _rename(wb) -> None:
    wb[P2].title = "Pendidikan dasar"


def _extra_sheet(wb) -> None:
    wb.create_sheet("Catatan")["A1"] = "catatan rapat"


I1, I2, I3 = _items(P1)[:3]
LAST_ITEM_ROW = ROW_I + len(_items(P1)) - 1

CASES = [
    Case("teks_di_angka", edit(setcell(P1, "B7", "dua ratus")), [Expect(D, P1, 7, "Jumlah sasaran", "bukan angka")],
         {"sasaran": [P1]}),
    Case("terlayani_negatif", edit(setcell(P1, "C7", -5)),
         [Expect(D, P1, 7, "Jumlah terlayani", "tidak boleh negatif")], {"sasaran": [P1]}),
    Case("terlayani_melebihi_sasaran", edit(_terlayani_over),
         [Expect(D, P1, 7, "Jumlah terlayani", "lebih besar dari jumlah sasaran", "peringatan")], {},
         ubah=lambda t: _terlayani_over_kept(t)),  # D3: kept as entered, with a warning
    Case("desimal_di_cacah", edit(setcell(P1, "B7", 12.5)), [Expect(D, P1, 7, "Jumlah sasaran", "bilangan bulat")],
         {"sasaran": [P1]}),
    Case("teks_desimal_koma", edit(setcell(P1, "B7", "1.234,5")),
         [Expect(D, P1, 7, "Jumlah sasaran", "bilangan bulat")], {"sasaran": [P1]}),
    Case("angka_ambigu", edit(setcell(P1, "C7", "12.5")),
         [Expect(D, P1, 7, "Jumlah terlayani", "format angka tidak jelas")], {"sasaran": [P1]}),
    Case("tanda_strip", edit(setcell(P1, "C7", "-")), [Expect(D, P1, 7, "Jumlah terlayani", "tanda '-'")],
         {"sasaran": [P1]}),
    Case("tanggal_di_angka", edit(setcell(P1, "F11", dt.datetime(2025, 3, 1))),
         [Expect(D, P1, 11, "Jumlah tersedia", "berisi tanggal, bukan angka")], {"ketersediaan": [I1]}),
    Case("rumus", edit(setcell(P1, "B7", "=SUM(1,2)")), [Expect(D, P1, 7, "Jumlah sasaran", "berisi rumus")],
         {"sasaran": [P1]}),
    Case("benar_salah", edit(setcell(P1, "F12", True)), [Expect(D, P1, 12, "Jumlah tersedia", "benar/salah")],
         {"ketersediaan": [I2]}),
    Case("galat_excel", edit(setcell(P1, "F13", "#DIV/0!")),
         [Expect(D, P1, 13, "Jumlah tersedia", "galat Excel")], {"ketersediaan": [I3]}),
    Case("sel_digabung", edit(_merge("B7:C7")), [Expect(D, P1, 7, "Jumlah sasaran", "sel digabung"),
                                                 Expect(D, P1, 7, "Jumlah terlayani", "sel digabung")],
         {"sasaran": [P1]}),
    Case("sel_digabung_butir", edit(_merge("F11:F12")), [Expect(D, P1, 11, "Jumlah tersedia", "F11:F12"),
                                                         Expect(D, P1, 12, "Jumlah tersedia", "F11:F12")],
         {"ketersediaan": [I1, I2]}),
    Case("judul_diubah", edit(setcell(P1, "B6", "Sasaran")),
         [Expect(D, P1, 6, "Jumlah sasaran", "tidak ditemukan")], {"sasaran": [P1]}),
    Case("judul_butir_diubah", edit(setcell(P1, "F10", "Tersedia")),
         [Expect(D, P1, 10, "Jumlah tersedia", "tidak ditemukan")], {"ketersediaan": _items(P1)}),
    Case("sheet_hilang", edit(_del(P3)), [Expect(D, P3, None, None, "tidak ditemukan")],
         {"sasaran": [P3], "ketersediaan": _items(P3), "harga_satuan": _items(P3)}),
    Case("sheet_diganti_nama", edit(_rename), [Expect(D, P2, None, None, "tidak ditemukan"),
                                               Expect(D, "Pendidikan dasar", None, None, "sheet tambahan",
                                                      "peringatan")],
         {"sasaran": [P2], "ketersediaan": _items(P2), "harga_satuan": _items(P2)}),
    Case("sheet_tambahan", edit(_extra_sheet), [Expect(D, "Catatan", None, None, "diabaikan", "peringatan")]),
    Case("isian_di_luar_formulir", edit(setcell(P1, "F7", "data sementara")),
         [Expect(D, P1, 7, None, "di luar kolom/baris formulir", "peringatan")]),
    Case("baris_butir_tambahan", edit(setcell(P1, f"A{LAST_ITEM_ROW + 1}", "PDD-KK-01.99")),
         [Expect(D, P1, LAST_ITEM_ROW + 1, "Kode butir", "baris tambahan diabaikan", "peringatan")]),
    Case("baris_butir_dihapus", edit(lambda wb: wb[P1].delete_rows(ROW_I)),
         [Expect(D, P1, None, "Kode butir", f"{I1} tidak ditemukan")],
         {"ketersediaan": [I1], "harga_satuan": [I1]}),
    Case("baris_butir_ganda", edit(_dup_item_row), [Expect(D, P1, ROW_I + 1, None, "baris ganda"),
                                                    Expect(D, P1, LAST_ITEM_ROW + 1, None, "baris ganda")],
         {"ketersediaan": [I2], "harga_satuan": [I2]}),
    Case("kode_jenis_diubah", edit(setcell(P1, "A7", "PDD-KK-09")),
         [Expect(D, P1, 7, "Kode jenis", f"harus berisi {P1}")], {"sasaran": [P1]}),
    Case("harga_negatif", edit(setcell(P1, "G11", -1000)),
         [Expect(D, P1, 11, "Harga satuan (Rp)", "harga satuan tidak boleh negatif")], {"harga_satuan": [I1]}),
    Case("harga_teks", edit(setcell(P1, "G12", "seratus ribu")),
         [Expect(D, P1, 12, "Harga satuan (Rp)", "bukan angka")], {"harga_satuan": [I2]}),
    Case("sheet_belum_diisi", edit(_blank_sheet), [Expect(D, P2, None, None, "belum diisi", "peringatan")],
         {"harga_satuan": _items(P2)}),
    Case("wilayah_lain", add_file(_other_form("32.73", TAHUN)),
         [Expect(_name(MAIN, "32.73"), None, None, None, "bukan Kota Bekasi (32.75)")]),
    Case("tahun_lain", add_file(_other_form(KAB, 2024)),
         [Expect(_name(MAIN, KAB, 2024), None, None, None, "tahun 2024, bukan Kota Bekasi (32.75) tahun 2025")]),
    Case("versi_lain", edit(_version), [Expect(D, None, None, None, "versi formulir '0' tidak didukung")], ALL_MAIN),
    Case("penanda_rusak", edit(_unknown_rule), [Expect(D, None, None, None, "penanda formulir rusak")], ALL_MAIN),
    Case("tanpa_penanda", edit(_del("_spm")), [Expect(D, None, None, None, "bukan formulir SPM Workbench")],
         ALL_MAIN),
    Case("workbook_biasa", replace_main(_plain_workbook),
         [Expect(D, None, None, None, "bukan formulir SPM Workbench")], ALL_MAIN),
    Case("berkas_kosong", replace_main(_bytes(D, b"")), [Expect(D, None, None, None, "berkas kosong")], ALL_MAIN),
    Case("bukan_excel", replace_main(_bytes(D, b"kode_jenis;jumlah_sasaran\nPDD-KK-01;100\n")),
         [Expect(D, None, None, None, "bukan berkas Excel")], ALL_MAIN),
    Case("berkas_csv", replace_main(_bytes("sasaran.csv", b"kode_wilayah,tahun\n32.75,2025\n")),
         [Expect("sasaran.csv", None, None, None, "bukan berkas Excel")], ALL_MAIN),
    Case("zip_terpotong", replace_main(_truncated), [Expect(D, None, None, None, "rusak atau terpotong")], ALL_MAIN),
    Case("xls_lama", replace_main(_bytes("formulir.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)),
         [Expect("formulir.xls", None, None, None, "format Excel lama (.xls)")], ALL_MAIN),
    Case("zip_bukan_xlsx", replace_main(_zip_not_xlsx), [Expect(D, None, None, None, "tidak dapat dibaca")],
         ALL_MAIN),
    Case("konflik_antar_berkas", _conflict, [Expect(D, P1, 7, "Jumlah sasaran", "bertentangan"),
                                             Expect("revisi_" + D, P1, 7, "Jumlah sasaran", "bertentangan")],
         {"sasaran": [P1]}),
    Case("kiriman_ganda_sama", _twice, [Expect(S, "SOS-KK-01", 7, None, "juga dikirim", "peringatan")]),
]
