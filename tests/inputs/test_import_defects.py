"""Issue 18: each import defect found with the corpus of real-life mistakes, reproduced and closed.

One test per defect; each builds the careless file the way an officer's tools produce it and checks the
importer either reads the exact data or stops with a located Indonesian error (never merges people,
never drops rows, never a traceback).
"""
from __future__ import annotations

import shutil
import zipfile

import corpus_collect as cc
import numpy as np
import openpyxl
import pandas as pd
import pytest
import typer
from corpus_collect import base  # noqa: F401 - module-scoped fixture
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from spm_helpers.cli import collect as cli_collect
from spm_helpers.cli import compliance as cli_compliance
from spm_helpers.compliance import assessments as cd
from spm_helpers.compliance import workbook as ce
from spm_helpers.errors import SPMDataError, SPMError
from spm_helpers.inputs import byname, collect, datastore

runner = CliRunner()
JENIS = "KES-KK-01"


def _people(n: int, start: int = 11) -> list[str]:
    """n distinct valid NIKs of Kota Bekasi whose serials end in 1..9 (women born 11-01-1990, kec. 32.75.01)."""
    out, serial = [], start
    while len(out) < n:
        if serial % 10:
            out.append(f"327501510190{serial:04d}")
        serial += 1
    return out


def _truncate(nik: str) -> str:
    """What Excel/LibreOffice keeps of a 16-digit number: 15 significant digits, the last one becomes 0."""
    return str(int(float(f"{nik[:15]}e1")))


def _rows(niks: list[str], served: int) -> pd.DataFrame:
    return pd.DataFrame({"NIK": niks, "Nama": [f"Warga {i}" for i in range(len(niks))],
                         "Terlayani": ["ya"] * served + ["tidak"] * (len(niks) - served),
                         "Tanggal layanan": ["14/03/2025"] * len(niks)})


# --------------------------------------------------------------------------------------------- by name
def test_nik_people_are_30_distinct_and_truncation_would_merge_them():
    people = _people(30)
    assert len(set(people)) == 30 and all(byname.check_nik_one(p) == 0 for p in people)
    # 3275015101900011..19 all become ...0010 or ...0020: 30 people collapse into a handful
    assert len({_truncate(p) for p in people}) <= 5


def test_csv_saved_from_excel_with_truncated_niks_is_refused_not_merged(tmp_path):
    people = _people(30)
    path = tmp_path / "bumil.csv"
    _rows([_truncate(p) for p in people], 20).to_csv(path, index=False, sep=";")
    h = byname.import_byname([path], JENIS, kode_wilayah="32.75", tahun=2025)
    assert not h.ok
    galat = h.masalah[h.masalah["tingkat"] == "galat"]
    assert len(galat) == 30 and galat["alasan"].str.contains("digit terakhir NIK hilang").all()
    assert h.ringkasan["jumlah_sasaran"] == 0  # nothing counted, nobody merged
    # the untouched file counts 30 people, 20 served
    _rows(people, 20).to_csv(path, index=False, sep=";")
    h = byname.import_byname([path], JENIS, kode_wilayah="32.75", tahun=2025)
    assert h.ok and (h.ringkasan["jumlah_sasaran"], h.ringkasan["jumlah_terlayani"]) == (30, 20)


def test_truncated_niks_are_caught_in_xlsx_and_parquet_too(tmp_path):
    people = [_truncate(p) for p in _people(10)]
    wb = Workbook()
    wb.active.append(["NIK", "Terlayani"])
    for p in people:
        wb.active.append([int(p), "ya"])  # Excel keeps the truncated number as an exact integer
    wb.save(tmp_path / "a.xlsx")
    pd.DataFrame({"nik": [int(p) for p in people], "terlayani": "ya"}).to_parquet(tmp_path / "b.parquet")
    for name in ("a.xlsx", "b.parquet"):
        h = byname.import_byname([tmp_path / name], JENIS, kode_wilayah="32.75", tahun=2025)
        assert not h.ok and h.ringkasan["baris_valid"] == 0, name


def test_exact_integer_niks_ending_in_zero_are_valid(tmp_path):
    # 9 people typed as numbers by a script (exact); one of them really ends in 0: 1 in 10 is normal
    niks = _people(9) + ["3275015101900020"]
    wb = Workbook()
    wb.active.append(["NIK", "Terlayani"])
    for p in niks:
        wb.active.append([int(p), "ya"])
    wb.save(tmp_path / "a.xlsx")
    h = byname.import_byname([tmp_path / "a.xlsx"], JENIS, kode_wilayah="32.75", tahun=2025)
    assert h.ok, h.masalah
    assert h.ringkasan["jumlah_sasaran"] == 10


def test_precision_rule_needs_evidence():
    arr = pd.Series(["3275015101900010", "3275015101900020", "3275015101900031"])
    assert not byname.precision_lost(arr, np.zeros(3, dtype=np.int64)).any()  # 2 of 3 end in 0: < 90%
    arr = pd.Series(["3275015101900010", "3275015101900020", "3275015101900030"])
    assert byname.precision_lost(arr, np.zeros(3, dtype=np.int64)).all()
    assert not byname.precision_lost(arr, np.arange(3)).any()  # one per file: no evidence


def test_two_sheets_two_puskesmas_are_both_read(tmp_path):
    people = _people(30)
    wb = Workbook()
    wb.active.title = "Puskesmas A"
    sheets = [wb.active, wb.create_sheet("Puskesmas B")]
    for ws, part in zip(sheets, (people[:15], people[15:])):
        ws.append(["NIK", "Nama", "Terlayani"])
        for p in part:
            ws.append([p, "x", "ya"])
    wb.create_sheet("Kosong")
    wb.save(tmp_path / "dua.xlsx")
    h = byname.import_byname([tmp_path / "dua.xlsx"], JENIS, kode_wilayah="32.75", tahun=2025)
    assert h.ringkasan["baris_dibaca"] == 30 and h.ringkasan["jumlah_sasaran"] == 30
    # a problem names the sheet it is on
    ws = load_workbook(tmp_path / "dua.xlsx")
    ws["Puskesmas B"]["A3"] = "bukan nik"
    ws.save(tmp_path / "dua.xlsx")
    h = byname.import_byname([tmp_path / "dua.xlsx"], JENIS, kode_wilayah="32.75", tahun=2025)
    [p] = [p for p in h.problems if p.tingkat == "galat"]
    assert (p.sheet, p.baris) == ("Puskesmas B", 3)


def test_a_sheet_with_data_but_no_nik_header_is_refused(tmp_path):
    wb = Workbook()
    wb.active.append(["NIK", "Terlayani"])
    wb.active.append(["3275015101900011", "ya"])
    other = wb.create_sheet("Rekap")
    other.append(["Nama", "Jumlah"])
    other.append(["x", 3])
    wb.save(tmp_path / "a.xlsx")
    with pytest.raises(SPMDataError) as exc:
        byname.import_byname([tmp_path / "a.xlsx"], JENIS, kode_wilayah="32.75", tahun=2025)
    assert {p.sheet for p in exc.value.problems} == {"Rekap"}
    assert "setiap sheet yang berisi data" in str(exc.value)


def test_by_name_file_name_is_masked_in_every_output(tmp_path):
    path = tmp_path / "siti_3275015101900011.csv"
    _rows(_people(3), 2).to_csv(path, index=False)
    h = byname.import_byname([path], JENIS, kode_wilayah="32.75", tahun=2025)
    assert "3275015101900011" not in h.sasaran.to_csv()
    assert h.sasaran.at[0, "sumber_berkas"] == "siti_3275********0011.csv"


# --------------------------------------------------------------------------------------------- OPD forms
@pytest.fixture
def app():
    a = typer.Typer()
    cli_collect.register(a)
    return a


def _run(app, *args):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "400"})


def test_timpa_replaces_only_the_rows_of_the_forms_imported(app, tmp_path, base):
    data = tmp_path / "data"
    assert _run(app, "impor", base[cc.OTHER], "--ke", data).exit_code == 0
    dinsos = datastore.load(data)["sasaran"]
    assert _run(app, "impor", base[cc.MAIN], "--ke", data).exit_code == 0  # another OPD: added, no question
    both = datastore.load(data)["sasaran"]
    assert set(both["kode_jenis"]) == set(dinsos["kode_jenis"]) | {cc.P1, cc.P2, cc.P3}
    # a corrected disdik form: refused with an explanation, then replaced with --timpa
    fixed = shutil.copy(base[cc.MAIN], tmp_path / "revisi.xlsx")
    wb = load_workbook(fixed)
    wb[cc.P1]["B7"] = int(wb[cc.P1]["B7"].value) + 100
    wb.save(fixed)
    res = _run(app, "impor", fixed, "--ke", data)
    assert res.exit_code == 2
    text = " ".join(res.output.split())  # rich wraps long lines
    assert "hanya baris jenis di formulir ini yang diganti" in text and "tidak tersentuh" in text
    res = _run(app, "impor", fixed, "--ke", data, "--timpa")
    assert res.exit_code == 0, res.output
    after = datastore.load(data)["sasaran"].set_index("kode_jenis")
    before = both.set_index("kode_jenis")
    assert after.at[cc.P1, "jumlah_sasaran"] == before.at[cc.P1, "jumlah_sasaran"] + 100
    for code in dinsos["kode_jenis"]:  # the other OPD's rows are untouched
        assert after.at[code, "jumlah_sasaran"] == before.at[code, "jumlah_sasaran"]
    assert len(after) == len(before)
    kt = datastore.load(data)["ketersediaan"]
    assert not kt.duplicated(collect.KEYS["ketersediaan"]).any()


@pytest.mark.parametrize("value", [10**19, 12345678901234567890123, "1" * 25])
def test_a_19_plus_digit_number_is_a_located_error(tmp_path, base, value):
    path = shutil.copy(base[cc.MAIN], tmp_path / cc.D)
    wb = load_workbook(path)
    wb[cc.P1]["B7"] = value
    wb.save(path)
    hasil = collect.import_forms([path])
    [p] = hasil.galat
    assert (p.sheet, p.baris, p.kolom) == (cc.P1, 7, "Jumlah sasaran") and "terlalu besar" in p.alasan
    assert "1111111111" not in p.describe()  # the long digit run is masked


def test_edited_hidden_marker_contradicting_titles_is_an_error(tmp_path, base):
    path = shutil.copy(base[cc.MAIN], tmp_path / "formulir_disdik.xlsx")
    wb = load_workbook(path)
    wb["_spm"]["B3"] = "32.73"  # kode_wilayah row of the marker: Kota Bandung instead of Kota Bekasi
    assert wb["_spm"]["A3"].value == "kode_wilayah"
    wb.save(path)
    hasil = collect.import_forms([path])
    [p] = hasil.galat
    assert "penanda formulir" in p.alasan and "32.75" in p.alasan and not len(hasil.tables["sasaran"])


def test_marker_contradicting_the_file_name_is_an_error(tmp_path, base):
    path = shutil.copy(base[cc.MAIN], tmp_path / "formulir_spm_32.73_2025_disdik.xlsx")
    hasil = collect.import_forms([path])
    assert any("nama berkas menyebut 32.73" in p.alasan for p in hasil.galat)


def test_ninety_six_comma_969_is_asked_about_not_told_to_drop_decimals(tmp_path, base):
    path = shutil.copy(base[cc.MAIN], tmp_path / cc.D)
    wb = load_workbook(path)
    wb[cc.P1]["B7"] = "96,969"
    wb.save(path)
    [p] = collect.import_forms([path]).galat
    assert "bila maksudnya 96.969 (ribuan), tulis 96969" in p.alasan


def test_merge_with_one_blank_copy_says_so(tmp_path, base):
    a = shutil.copy(base[cc.MAIN], tmp_path / cc.D)
    b = shutil.copy(base[cc.MAIN], tmp_path / ("kosong_" + cc.D))
    wb = load_workbook(b)
    for col in "BCD":
        wb[cc.P1][f"{col}7"] = None
    wb.save(b)
    hasil = collect.import_forms([a, b])
    msg = next(p.alasan for p in hasil.peringatan if p.sheet == cc.P1 and p.baris == 7)
    assert "isiannya kosong" in msg and "nilainya sama" not in msg


def test_fifty_thousand_extra_rows_give_one_warning(tmp_path, base):
    path = shutil.copy(base[cc.MAIN], tmp_path / cc.D)
    wb = load_workbook(path)
    ws = wb[cc.P1]
    for r in range(60, 50_060):
        ws.cell(r, 1, f"X{r}")
        ws.cell(r, 9, r)  # and a stray cell beside each
    wb.save(path)
    hasil = collect.import_forms([path])
    mine = [p for p in hasil.peringatan if p.sheet == cc.P1]
    assert len(mine) == 2, [p.alasan for p in mine]
    assert any("50.000 baris tambahan diabaikan" in p.alasan for p in mine)
    assert any("50.000 baris" in p.alasan and "di luar kolom" in p.alasan for p in mine)
    assert hasil.ok


def test_encrypted_xlsx_and_ods_get_their_own_messages(tmp_path):
    enc = tmp_path / "terkunci.xlsx"  # an OLE2 container with an EncryptionInfo stream (Excel's layout)
    enc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptionInfo".encode("utf-16-le")
                    + b"\0" * 600)
    ods = tmp_path / "formulir.xlsx"
    with zipfile.ZipFile(ods, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<x/>")
    hasil = collect.import_forms([enc, ods])
    text = {p.berkas: p.alasan for p in hasil.galat}
    assert "kata sandi" in text["terkunci.xlsx"] and ".xls)" not in text["terkunci.xlsx"]
    assert "Simpan Sebagai" in text["formulir.xlsx"] and "rusak" not in text["formulir.xlsx"]


# --------------------------------------------------------------------------------------------- compliance
@pytest.fixture
def cli():
    a = typer.Typer()
    cli_compliance.register(a)
    r = CliRunner(env={"COLUMNS": "200"})
    return lambda *args: r.invoke(a, ["kepatuhan", *map(str, args)])


def test_kepatuhan_nilai_with_a_blank_and_a_complete_unit(tmp_path, cli):
    demo = cd.generate_contoh("14.10", ce.cp.DEFAULT_SKEMA)
    one = demo[demo["unit"] == demo["unit"].iloc[0]]
    path = ce.write_formulir(tmp_path / "f.xlsx", "14.10", 2024, units=["Unit Kosong"], penilaian=one)
    res = cli("nilai", path, "--keluar", tmp_path / "n.csv")
    assert res.exit_code == 0, res.output
    out = pd.read_csv(tmp_path / "n.csv")
    assert set(out["unit"]) == {one["unit"].iloc[0], "Unit Kosong"}
    assert out.set_index("unit")["nilai"].isna().tolist().count(True) == 1


def test_merged_cells_in_the_checklist_are_errors(tmp_path):
    path = ce.write_formulir(tmp_path / "f.xlsx", "14.10", 2024, units=["RSUD", "Dinsos"])
    wb = openpyxl.load_workbook(path)
    ws = wb[ce.SHEET]
    ws["G8"] = 3
    ws.merge_cells("G8:H8")
    wb.save(path)
    with pytest.raises(SPMDataError) as exc:
        ce.read_formulirs([path])
    assert any("sel digabung" in p.alasan and p.baris == 8 for p in exc.value.problems)


def test_unit_names_in_the_console_are_not_rich_markup(tmp_path, cli):
    demo = cd.generate_contoh("14.10", ce.cp.DEFAULT_SKEMA)
    demo = demo.assign(unit=demo["unit"].where(demo["unit"] != demo["unit"].iloc[0], "[bold]RSUD[/bold]"))
    path = ce.write_formulir(tmp_path / "f.xlsx", "14.10", 2024, penilaian=demo)
    res = cli("nilai", path, "--keluar", tmp_path / "n.csv")
    assert res.exit_code == 0, res.output
    assert "[bold]RSUD[/bold]" in res.output


def test_save_error_message_does_not_just_say_add_timpa(tmp_path, base):
    hasil = collect.import_forms([base[cc.MAIN]])
    collect.save(hasil, tmp_path)
    t = hasil.tables["sasaran"]
    changed = collect.HasilImpor(hasil.kode_wilayah, hasil.tahun,
                                 {**hasil.tables, "sasaran": t.assign(jumlah_sasaran=t["jumlah_sasaran"] + 1)},
                                 hasil.konflik, [], hasil.berkas, hasil.jenis)
    with pytest.raises(SPMError) as exc:
        collect.save(changed, tmp_path)
    assert "Periksa mana yang benar" in str(exc.value) and "baris OPD dan jenis lain tetap" in str(exc.value)


def test_by_name_ods_and_encrypted_files_say_how_to_fix(tmp_path):
    ods = tmp_path / "bumil.ods"
    with zipfile.ZipFile(ods, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    enc = tmp_path / "bumil.xlsx"
    enc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptionInfo".encode("utf-16-le"))
    with pytest.raises(SPMDataError) as exc:
        byname.import_byname([ods, enc], JENIS, kode_wilayah="32.75", tahun=2025)
    text = {p.berkas: p.alasan for p in exc.value.problems}
    assert "Simpan Sebagai" in text["bumil.ods"] and "kata sandi" in text["bumil.xlsx"]
