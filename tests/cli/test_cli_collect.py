"""``spm formulir``, ``spm impor`` and ``spm impor-byname`` through typer's CliRunner."""
from __future__ import annotations

import hashlib

import corpus_collect as cc
import pandas as pd
import pytest
import typer
from openpyxl import load_workbook
from typer.testing import CliRunner

from spm_helpers.cli import collect
from spm_helpers.inputs import datastore

runner = CliRunner()


@pytest.fixture(scope="module")
def app():
    """Only this module's commands: the test does not depend on other areas' CLI modules."""
    a = typer.Typer()
    collect.register(a)
    return a


def _run(app, *args):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "250"})  # wide: no wrapped cells


def test_spm_cli_has_the_commands():
    from spm_helpers.cli.app import app as spm

    names = {c.name for c in spm.registered_commands}
    assert {"formulir", "impor", "impor-byname"} <= names


def test_formulir_all_opds_then_refuses_to_overwrite(app, tmp_path):
    res = _run(app, "formulir", "--wilayah", "Kota Bekasi", "--tahun", 2025, "--ke", tmp_path)
    assert res.exit_code == 0, res.output
    assert "8 formulir ditulis" in res.output
    assert len(list(tmp_path.glob("formulir_spm_32.75_2025_*.xlsx"))) == 8
    res = _run(app, "formulir", "--wilayah", "32.75", "--tahun", 2025, "--opd", "dinkes", "--ke", tmp_path)
    assert res.exit_code == 2 and "tidak akan ditimpa" in res.output
    res = _run(app, "formulir", "--wilayah", "32", "--tahun", 2025, "--opd", "damkar", "--ke", tmp_path)
    assert res.exit_code == 2 and "tidak mengampu" in res.output


def test_impor_clean_forms_writes_a_loadable_data_folder(app, tmp_path):
    paths = cc.filled_forms(tmp_path / "isi", cc.KAB, ["disdik", "damkar"])
    res = _run(app, "impor", *paths.values(), "--ke", tmp_path / "data")
    assert res.exit_code == 0, res.output
    assert "0 galat" in res.output
    tables = datastore.load(tmp_path / "data", cc.KAB, cc.TAHUN)
    assert sorted(tables["sasaran"]["kode_jenis"]) == ["PDD-KK-01", "PDD-KK-02", "PDD-KK-03", "TRB-KK-05"]
    assert "sumber_berkas" in pd.read_csv(tmp_path / "data" / "sasaran.csv").columns


def test_impor_with_errors_writes_nothing_but_a_marked_copy(app, tmp_path):
    [path] = cc.filled_forms(tmp_path / "isi", cc.KAB, ["disdik"]).values()
    wb = load_workbook(path)
    wb["PDD-KK-02"]["C7"] = "banyak"
    wb["PDD-KK-03"]["F12"] = -3
    wb.save(path)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    res = _run(app, "impor", path, "--ke", tmp_path / "data", "--tandai")
    assert res.exit_code == 2
    assert "PDD-KK-02" in res.output and "bukan angka" in res.output and "tidak boleh negatif" in res.output
    assert "Tabel tidak disimpan" in res.output
    assert not (tmp_path / "data" / "sasaran.csv").exists()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before  # the officer's file is untouched
    copy = tmp_path / "data" / "bertanda" / f"{path.stem}_bertanda.xlsx"
    marked = load_workbook(copy)
    assert "bukan angka" in marked["PDD-KK-02"]["C7"].comment.text
    assert "tidak boleh negatif" in marked["PDD-KK-03"]["F12"].comment.text
    assert marked["PDD-KK-02"]["C7"].fill.fgColor.rgb.endswith("FFC7CE")
    # a second run never replaces a marked copy the officer may already be correcting
    _run(app, "impor", path, "--ke", tmp_path / "data", "--tandai")
    assert (copy.parent / f"{path.stem}_bertanda_2.xlsx").exists()


def test_impor_not_an_excel_file(app, tmp_path):
    bad = tmp_path / "laporan.xlsx"
    bad.write_text("bukan excel")
    res = _run(app, "impor", bad, "--ke", tmp_path / "data", "--tandai")
    assert res.exit_code == 2 and "bukan berkas Excel" in res.output
    assert "salinan bertanda tidak dibuat" in res.output


ROWS = "nik,nama,alamat,terlayani,tanggal_layanan\n" + "\n".join([
    "3275015101900001,Siti Aminah,Jl. Kenanga 1,ya,2025-01-10",
    "3275015202910002,Dewi,Jl. Mawar 2,tidak,",
    "3275015101900001,Siti Aminah,Jl. Kenanga 1,ya,2025-02-10",
    "3275013202900005,Rina,Jl. Anggrek 3,ya,2025-03-10",
]) + "\n"


def test_impor_byname_refuses_then_accepts_partial_and_never_shows_personal_data(app, tmp_path):
    src = tmp_path / "ibu_hamil.csv"
    src.write_text(ROWS)
    args = ("impor-byname", src, "--jenis", "KES-KK-01", "--wilayah", "32.75", "--tahun", 2025, "--ke", tmp_path / "d")
    res = _run(app, *args)
    assert res.exit_code == 2 and "Hitungan tidak disimpan" in res.output
    assert "3275********0005" in res.output
    res2 = _run(app, *args, "--terima-sebagian")
    assert res2.exit_code == 0, res2.output
    s = datastore.read_table(tmp_path / "d" / "sasaran.csv")
    # valid people: 0001 (twice, once counted) and 0002 → 2; served: 0001 → 1; 0005 has 32 February
    assert s[["kode_jenis", "jumlah_sasaran", "jumlah_terlayani"]].values.tolist() == [["KES-KK-01", 2, 1]]
    written = "".join(p.read_text() for p in (tmp_path / "d").glob("*.csv"))
    for text in (res.output, res2.output, written):
        assert "Siti" not in text and "Kenanga" not in text and "3275015101900001" not in text


def test_impor_byname_keeps_other_rows_and_protects_different_numbers(app, tmp_path):
    data = tmp_path / "d"
    data.mkdir()
    pd.DataFrame({"kode_wilayah": ["32.75", "32.75"], "tahun": [2025, 2025], "kode_jenis": ["KES-KK-01", "PDD-KK-01"],
                  "jumlah_sasaran": [10, 20], "jumlah_terlayani": [5, 6]}).to_csv(data / "sasaran.csv", index=False)
    src = tmp_path / "a.csv"
    src.write_text(ROWS.replace("3275013202900005", "3275014202900005"))
    args = ("impor-byname", src, "--jenis", "KES-KK-01", "--wilayah", "32.75", "--tahun", 2025, "--ke", data)
    res = _run(app, *args)
    assert res.exit_code == 2 and "tidak ditimpa" in res.output  # 10/5 on file, 3/2 counted now
    res = _run(app, *args, "--timpa")
    assert res.exit_code == 0, res.output
    s = datastore.read_table(data / "sasaran.csv").set_index("kode_jenis")
    assert s.at["PDD-KK-01", "jumlah_sasaran"] == 20  # the other jenis is kept
    assert (s.at["KES-KK-01", "jumlah_sasaran"], s.at["KES-KK-01", "jumlah_terlayani"]) == (3, 2)
