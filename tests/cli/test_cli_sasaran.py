"""``spm sasaran`` through typer's CliRunner: estimates for a region, side by side with a data folder, adopting
estimates only where nothing was reported, and bad options (exit ≠ 0, Indonesian message, no traceback)."""
from __future__ import annotations

import pandas as pd
import pytest
import typer
from openpyxl import Workbook
from typer.testing import CliRunner

from spm_helpers.cli import sasaran
from spm_helpers.engine import sasaran_estimate as se
from spm_helpers.inputs import datastore, demo, population

runner = CliRunner()


@pytest.fixture(scope="module")
def app():
    a = typer.Typer()
    sasaran.register(a)

    @a.command("lain")  # a second command, so typer keeps 'sasaran' as a sub-command name
    def _lain() -> None:
        pass

    return a


def _run(app, *args):
    return runner.invoke(app, ["sasaran", *[str(a) for a in args]], env={"COLUMNS": "250"})


@pytest.fixture
def folder(tmp_path):
    """Demo data of 17.01 for 2026 with two jenis not reported and balita reported three times too high."""
    data = demo.generate(["17.01"], [2026])
    s = data.sasaran
    s = s[~s["kode_jenis"].isin(["PDD-KK-01", "KES-KK-11"])].copy()
    s.loc[s["kode_jenis"] == "KES-KK-04", "jumlah_sasaran"] *= 3
    demo.write(demo.DemoData(s, data.ketersediaan, data.harga_satuan), tmp_path / "data")
    return tmp_path / "data"


def test_spm_cli_has_the_command():
    from spm_helpers.cli.app import app as spm

    assert "sasaran" in {c.name for c in spm.registered_commands}


def test_estimates_and_side_by_side(app, folder, tmp_path):
    res = _run(app, "--wilayah", "17.01", "--tahun", 2026, "--data", folder, "--ke", tmp_path / "hasil")
    assert res.exit_code == 0, res.output
    assert "Perkiraan sasaran dari penduduk — Kabupaten Bengkulu Selatan, 2026" in res.output
    assert "selisih besar" in res.output and "data contoh (sintetis)" in res.output
    est = pd.read_csv(tmp_path / "hasil" / "perkiraan_sasaran.csv", dtype={"kode_wilayah": str})
    assert len(est) == 29 and est["sumber_penduduk"].str.contains("data contoh").all()
    # the engine's own numbers: projected demo table 2024 → 2026
    table, _ = population.untuk_tahun(population.contoh_penduduk(["17.01"], 2024), 2026, 0.011)
    want = se.perkirakan_sasaran(table).set_index("kode_jenis")["perkiraan"]
    assert est.set_index("kode_jenis")["perkiraan"].astype("Int64").equals(want.astype("Int64"))
    b = pd.read_csv(tmp_path / "hasil" / "perbandingan_sasaran.csv").set_index("kode_jenis")
    assert b.loc["KES-KK-04", "jauh"] and b.loc["PDD-KK-01", "keadaan"] == "tidak dilaporkan"
    assert not (tmp_path / "hasil" / "sasaran.csv").exists()  # nothing adopted without --pakai-perkiraan


def test_adopting_estimates_writes_a_new_folder_and_keeps_reported_numbers(app, folder, tmp_path):
    before = (folder / "sasaran.csv").read_bytes()
    out = tmp_path / "hasil"
    res = _run(app, "--wilayah", "17.01", "--tahun", 2026, "--data", folder, "--pakai-perkiraan", "--ke", out)
    assert res.exit_code == 0, res.output
    assert "PERKIRAAN DARI PENDUDUK" in res.output
    assert (folder / "sasaran.csv").read_bytes() == before  # the user's data is untouched
    new = datastore.load(out)["sasaran"].set_index("kode_jenis")
    old = datastore.load(folder)["sasaran"].set_index("kode_jenis")
    assert new.loc["KES-KK-04", "jumlah_sasaran"] == old.loc["KES-KK-04", "jumlah_sasaran"]  # reported: kept
    assert new.loc["PDD-KK-01", "sumber_data"] == "perkiraan dari penduduk (metode pemecahan kelompok umur)"
    assert new.loc["KES-KK-11", "sumber_data"] == "perkiraan dari penduduk (metode prevalensi)"
    assert len(new) == len(old) + 2
    again = _run(app, "--wilayah", "17.01", "--tahun", 2026, "--data", folder, "--pakai-perkiraan", "--ke", out)
    assert again.exit_code != 0 and "tidak akan ditimpa" in again.output


def test_population_file(app, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["Kelompok Umur", "Laki-laki", "Perempuan", "Jumlah"])
    for g in population.KELOMPOK_UMUR:
        ws.append([g, "1.000", "1.000", "2.000"])
    ws.append(["Jumlah", "16.000", "16.000", "32.000"])
    wb.save(tmp_path / "umur.xlsx")
    res = _run(app, "--wilayah", "17.01", "--tahun", 2026, "--penduduk", tmp_path / "umur.xlsx",
               "--tahun-penduduk", 2026)
    assert res.exit_code == 0, res.output
    assert "jumlah 32.000 jiwa" in res.output and "umur.xlsx" in res.output
    # balita 0–4 = 2.000; ibu hamil 1,1 × 0,017 × 32.000 = 598,4 → 598
    assert "2.000" in res.output and "598" in res.output


@pytest.mark.parametrize("args, pesan", [
    (["--wilayah", "99.99", "--tahun", 2026], "tidak ditemukan"),
    (["--wilayah", "17.01", "--tahun", 1850], "tidak masuk akal"),
    (["--wilayah", "17.01", "--tahun", 2026, "--pakai-perkiraan"], "memerlukan --data"),
    (["--wilayah", "17.01", "--tahun", 2026, "--penduduk", "tidak_ada.xlsx"], "tidak ditemukan"),
    (["--wilayah", "17.01", "--tahun", 2026, "--data", "folder_tidak_ada"], "tidak ditemukan"),
])
def test_bad_options(app, tmp_path, args, pesan):
    res = _run(app, *args)
    assert res.exit_code != 0
    assert pesan in res.output and "Traceback" not in res.output


def test_same_output_and_data_folder_is_refused(app, folder):
    res = _run(app, "--wilayah", "17.01", "--tahun", 2026, "--data", folder, "--pakai-perkiraan", "--ke", folder)
    assert res.exit_code != 0 and "tidak tertimpa" in res.output


def test_bad_population_table_is_located(app, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Umur"
    ws.append(["Kelompok Umur", "Laki-laki", "Perempuan"])
    for g in population.KELOMPOK_UMUR[:-1]:
        ws.append([g, 10, "sepuluh" if g == "5-9" else 10])
    wb.save(tmp_path / "umur.xlsx")
    res = _run(app, "--wilayah", "17.01", "--tahun", 2026, "--penduduk", tmp_path / "umur.xlsx")
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert "sepuluh" in res.output and "Umur" in res.output and "75+" in res.output
