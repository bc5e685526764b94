"""``spm formulir-triwulan`` and ``spm impor-triwulan`` through typer's CliRunner."""
from __future__ import annotations

import pytest
import quarter_filling as qf
import typer
from typer.testing import CliRunner

from spm_helpers.cli import quarter_forms
from spm_helpers.inputs import datastore

runner = CliRunner()


@pytest.fixture(scope="module")
def app():
    a = typer.Typer()
    quarter_forms.register(a)
    return a


def _run(app, *args):
    return runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "250"})


def test_spm_cli_has_the_commands():
    from spm_helpers.cli.app import app as spm

    assert {"formulir-triwulan", "impor-triwulan"} <= {c.name for c in spm.registered_commands}


def test_forms_for_every_opd_and_bappeda_then_no_overwrite(app, tmp_path):
    res = _run(app, "formulir-triwulan", "--wilayah", "Kota Bekasi", "--tahun", 2025, "--triwulan", 2, "--ke", tmp_path)
    assert res.exit_code == 0, res.output
    assert "9 formulir Triwulan II 2025 ditulis" in res.output
    assert sorted(p.name for p in tmp_path.iterdir())[0] == "formulir_triwulan_32.75_2025_TW2_bappeda.xlsx"
    res = _run(app, "formulir-triwulan", "--wilayah", "32.75", "--tahun", 2025, "--triwulan", 2, "--ke", tmp_path,
               "--opd", "Bappeda")
    assert res.exit_code != 0 and "sudah ada dan tidak akan ditimpa" in res.output


def test_import_saves_refuses_a_conflict_and_timpa_replaces(app, tmp_path):
    data = tmp_path / "data"
    first = qf.filled(tmp_path / "a", "damkar", {"Anggaran": {"D7": "Rp 5.000.000", "E7": "Rp 1.000.000"},
                                                 "Permasalahan": {"E7": "tidak ada permasalahan"}})
    res = _run(app, "impor-triwulan", first, "--ke", data)
    assert res.exit_code == 0, res.output
    assert "1 baris anggaran, 1 baris permasalahan, 0 baris tahapan; 0 galat" in res.output
    assert datastore.read_table(data / "anggaran.csv")["alokasi"].tolist() == [5_000_000]
    res = _run(app, "impor-triwulan", first, "--ke", data)
    assert res.exit_code == 0 and "tidak ada yang berubah" in res.output

    revised = qf.filled(tmp_path / "b", "damkar", {"Anggaran": {"D7": "Rp 5.000.000", "E7": "Rp 2.000.000"},
                                                   "Permasalahan": {"E7": "tidak ada permasalahan"}})
    res = _run(app, "impor-triwulan", revised, "--ke", data)
    assert res.exit_code == 2 and "--timpa" in res.output and "1 baris berubah (TRB-KK-05 APBD)" in res.output
    res = _run(app, "impor-triwulan", revised, "--ke", data, "--timpa")
    assert res.exit_code == 0, res.output
    assert datastore.read_table(data / "anggaran.csv")["realisasi"].tolist() == [2_000_000]


def test_bad_form_gives_a_located_table_and_a_marked_copy(app, tmp_path):
    bad = qf.filled(tmp_path / "c", "damkar", {"Anggaran": {"D7": -5, "A8": "TRB-KK-05", "C8": "Hibah", "D8": 1}})
    res = _run(app, "impor-triwulan", bad, "--ke", tmp_path / "data", "--tandai")
    assert res.exit_code == 2
    assert "alokasi tidak boleh negatif" in res.output and "sumber dana tidak dikenal" in res.output
    assert "Anggaran" in res.output and "Tabel tidak disimpan" in res.output
    assert not (tmp_path / "data" / "anggaran.csv").exists()
    assert (tmp_path / "data" / "bertanda" / f"{bad.stem}_bertanda.xlsx").exists()
