"""The OPD workbook: what a blank form contains, and how a filled one reads back."""
from __future__ import annotations

import datetime as dt

import corpus_collect as cc
import pandas as pd
import pytest
from openpyxl import load_workbook

from spm_helpers.errors import SPMError
from spm_helpers.inputs import opd_form
from spm_helpers.inputs.workbook import read_marker
from spm_helpers.reference import catalog


@pytest.fixture(scope="module")
def disdik(tmp_path_factory):
    folder = tmp_path_factory.mktemp("formulir")
    return opd_form.write_form(cc.KAB, 2025, "disdik", folder / "kosong.xlsx"), cc.filled_forms(folder, cc.KAB, ["disdik"])


def test_opd_per_level_follows_the_catalogue():
    assert opd_form.opd_for_region("32.75") == list(opd_form.OPD)  # kab/kota: all 8 OPDs own a jenis
    assert opd_form.opd_for_region("32") == ["dinkes", "disdik", "dinsos", "pupr", "perkim", "satpolpp"]
    assert opd_form.jenis_of_opd("32.75", "damkar")["kode_jenis"].tolist() == ["TRB-KK-05"]
    assert opd_form.jenis_of_opd("32.75", "bpbd")["kode_jenis"].tolist() == ["TRB-KK-02", "TRB-KK-03", "TRB-KK-04"]
    with pytest.raises(SPMError, match="tidak mengampu"):
        opd_form.jenis_of_opd("32", "bpbd")
    with pytest.raises(SPMError, match="OPD 'dishub' tidak dikenal"):
        opd_form.jenis_of_opd("32.75", "dishub")


def test_every_catalogue_owner_has_a_short_name():
    assert set(catalog.jenis()["opd_pengampu"]) == set(opd_form.OPD.values())


def test_blank_form_layout(disdik):
    blank, _ = disdik
    wb = load_workbook(blank)
    assert wb.sheetnames == ["Petunjuk", "PDD-KK-01", "PDD-KK-02", "PDD-KK-03", "_spm"]
    assert wb["_spm"].sheet_state == "veryHidden"
    assert read_marker(wb) == {"format": "spm-formulir-opd", "versi": "1", "kode_wilayah": "32.75", "tahun": "2025",
                               "opd": "disdik", "aturan": "permenkes_6_2024",
                               "jenis": "PDD-KK-01,PDD-KK-02,PDD-KK-03", "dibuat_oleh": "SPM Workbench 0.1.0"}
    petunjuk = " ".join(str(c.value) for c in wb["Petunjuk"]["A"] if c.value)
    assert "Cara mengisi" in petunjuk and "kosong ≠ nol" in petunjuk and "Kota Bekasi (32.75)" in petunjuk
    ws = wb["PDD-KK-01"]
    assert "Kota Bekasi (32.75)" in ws["A2"].value and "2025" in ws["A2"].value  # region and year stamped
    assert [c.value for c in ws[6]][:4] == ["Kode jenis", "Jumlah sasaran", "Jumlah terlayani", "Sumber data"]
    assert ws["A7"].value == "PDD-KK-01" and ws["A7"].protection.locked
    assert ws.protection.sheet and ws["B6"].protection.locked and not ws["B7"].protection.locked
    items = catalog.mutu(kode_jenis="PDD-KK-01")
    for i, item in enumerate(items.itertuples(), start=11):
        assert ws[f"A{i}"].value == item.kode_item
        assert ws[f"G{i}"].value == item.harga_satuan_acuan == ws[f"H{i}"].value  # price pre-filled
        assert not ws[f"F{i}"].protection.locked and not ws[f"G{i}"].protection.locked
        assert ws[f"H{i}"].protection.locked
    rules = {str(dv.sqref): dv.type for dv in ws.data_validations.dataValidation}
    assert rules["B7"] == rules["C7"] == "whole"
    assert rules[f"F11:F{10 + len(items)}"] == "whole"


def test_write_forms_never_replaces_an_existing_file(tmp_path):
    [path] = opd_form.write_forms(cc.KAB, 2025, tmp_path, "damkar")
    path.write_bytes(b"isian petugas")
    with pytest.raises(SPMError, match="tidak akan ditimpa"):
        opd_form.write_forms(cc.KAB, 2025, tmp_path, "damkar")
    assert path.read_bytes() == b"isian petugas"


def test_province_forms_one_per_opd(tmp_path):
    paths = opd_form.write_forms("32", 2025, tmp_path)
    assert [p.name for p in paths] == [f"formulir_spm_32_2025_{o}.xlsx" for o in opd_form.opd_for_region("32")]
    assert load_workbook(paths[0]).sheetnames[1:3] == ["KES-PROV-01", "KES-PROV-02"]


def test_blank_form_reads_back_as_missing_not_zero(disdik):
    blank, _ = disdik
    fd = opd_form.read_form(blank)
    assert [p.tingkat for p in fd.problems] == ["peringatan"] * 3  # 'belum diisi' per sheet, no error
    s = fd.tables["sasaran"]
    assert len(s) == 3 and s["jumlah_sasaran"].isna().all() and s["jumlah_terlayani"].isna().all()
    assert fd.tables["ketersediaan"]["jumlah_tersedia"].isna().all()
    # the pre-filled reference prices are read as the region's prices unless cleared
    assert len(fd.tables["harga_satuan"]) == len(fd.tables["ketersediaan"])


def _edited(path, tmp_path, **cells):
    wb = load_workbook(path)
    for coord, value in cells.items():
        sheet, cell = coord.split("__")
        wb[sheet.replace("_", "-")][cell] = value
    out = tmp_path / path.name
    wb.save(out)
    return out


def test_indonesian_number_writing_and_blank_versus_zero(disdik, tmp_path):
    filled = disdik[1]["disdik"]
    path = _edited(filled, tmp_path, PDD_KK_01__B7="1.234.567", PDD_KK_01__C7=0, PDD_KK_01__G11="Rp 150.000",
                   PDD_KK_01__F11="2.500", PDD_KK_01__F12=None, PDD_KK_02__C7=None)
    fd = opd_form.read_form(path)
    assert [p for p in fd.problems if p.tingkat == "galat"] == []
    s = fd.tables["sasaran"].set_index("kode_jenis")
    assert s.at["PDD-KK-01", "jumlah_sasaran"] == 1234567 and s.at["PDD-KK-01", "jumlah_terlayani"] == 0
    assert pd.isna(s.at["PDD-KK-02", "jumlah_terlayani"])  # blank stays blank
    k = fd.tables["ketersediaan"].set_index("kode_item")["jumlah_tersedia"]
    assert k["PDD-KK-01.01"] == 2500 and pd.isna(k["PDD-KK-01.02"])
    h = fd.tables["harga_satuan"].set_index("kode_item")["harga_satuan"]
    assert h["PDD-KK-01.01"] == 150000


def test_rows_keep_their_place_in_the_workbook(disdik):
    fd = opd_form.read_form(disdik[1]["disdik"])
    k = fd.tables["ketersediaan"]
    first = k[k["kode_item"] == "PDD-KK-02.01"].iloc[0]
    assert (first["_berkas"], first["_sheet"], first["_baris"]) == ("formulir_spm_32.75_2025_disdik.xlsx",
                                                                    "PDD-KK-02", 11)


def test_inserted_column_is_followed_by_header(disdik, tmp_path):
    wb = load_workbook(disdik[1]["disdik"])
    ws = wb["PDD-KK-01"]
    sasaran = ws["B7"].value
    ws.insert_cols(2)
    path = tmp_path / "sisip.xlsx"
    wb.save(path)
    fd = opd_form.read_form(path)
    assert [p for p in fd.problems if p.tingkat == "galat"] == []
    assert fd.tables["sasaran"].set_index("kode_jenis").at["PDD-KK-01", "jumlah_sasaran"] == sasaran


def test_date_and_formula_each_reported_once_with_cell(disdik, tmp_path):
    path = _edited(disdik[1]["disdik"], tmp_path, PDD_KK_03__B7=dt.date(2025, 1, 5), PDD_KK_03__F11="=F12*2")
    errors = [(p.sheet, p.baris, p.kolom, p.alasan[:20]) for p in opd_form.read_form(path).problems
              if p.tingkat == "galat"]
    assert errors == [("PDD-KK-03", 7, "Jumlah sasaran", "berisi tanggal, buka"),
                      ("PDD-KK-03", 11, "Jumlah tersedia", "berisi rumus (formul")]
