from typer.testing import CliRunner

from spm_helpers.cli.app import app

runner = CliRunner(env={"COLUMNS": "200"})


def test_help_is_indonesian():
    r = runner.invoke(app, ["--help"])
    assert r.exit_code == 0 and "Standar Pelayanan Minimal" in r.output


def test_wilayah_lookup_and_suggestion():
    r = runner.invoke(app, ["wilayah", "Kota", "Bekasy"])
    assert r.exit_code == 0 and "32.75" in r.output
    r = runner.invoke(app, ["wilayah", "Bekasi"])
    assert r.exit_code == 2 and "Apakah maksud Anda" in r.output


def test_contoh_writes_labelled_data_and_refuses_to_overwrite(tmp_path):
    r = runner.invoke(app, ["contoh", "--ke", str(tmp_path), "--wilayah", "64.11", "--tahun", "2024-2025"])
    assert r.exit_code == 0, r.output
    text = (tmp_path / "sasaran.csv").read_text()
    assert text.count("64.11") == 58 and "data contoh (sintetis)" in text
    before = (tmp_path / "sasaran.csv").read_bytes()
    r = runner.invoke(app, ["contoh", "--ke", str(tmp_path), "--wilayah", "14.10"])
    assert r.exit_code == 2 and "tidak akan ditimpa" in r.output
    assert (tmp_path / "sasaran.csv").read_bytes() == before
