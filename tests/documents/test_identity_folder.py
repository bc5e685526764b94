"""Identity files for many regions: a folder of ``<kode>.yaml``, blank templates from ``spm identitas``, and
the checks that keep one region's signatory off another region's report."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spm_helpers.cli.app import app
from spm_helpers.documents import identity, identity_template
from spm_helpers.errors import SPMDataError, SPMValueError

NAMA = "Dr. H. Contoh Wali, M.M."


def fill(path: Path, nama: str = NAMA, nip: str = "19700101 199503 1 001") -> Path:
    """The template as an office fills it in: the kepala daerah's name and the sekda's NIP."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(kepala_daerah:\n  nama:)[^\n]*", rf"\1 {nama}", text)
    text = text.replace('nip: ""', f'nip: "{nip}"')
    path.write_text(text, encoding="utf-8")
    return path


def test_template_reads_as_placeholders_and_names_its_region_and_defaults(tmp_path):
    written, kept = identity_template.write_templates(["32.75", "32.01"], tmp_path, "f4")
    assert [p.name for p in written] == ["32.75.yaml", "32.01.yaml"] and kept == []
    kota, kab = (p.read_text(encoding="utf-8") for p in written)
    assert 'kosong: "Wali Kota Bekasi"' in kota and 'kosong: "Bekasi"' in kota  # a kota signs in its own name
    assert 'kosong: "Bupati Bogor"' in kab and 'kosong: "[Tempat]"' in kab
    idt = identity.load(tmp_path, "32.75")
    # untouched: every printed field is its placeholder, the paper as chosen, the file names its region
    assert (idt.kepala(), idt.sekda(), idt.nip(), idt.kantor()) == (
        "[Nama Kepala Daerah]", "[Nama Sekretaris Daerah]", "[NIP Sekretaris Daerah]",
        "[Nama Perangkat Daerah Penyusun]")
    assert (idt.kertas, idt.kode_wilayah, idt.kebijakan_umum, idt.lambang) == ("F4", "32.75", "", None)


def test_filled_template_gives_the_name_and_the_nip_as_written(tmp_path):
    (path,), _ = identity_template.write_templates(["32.75"], tmp_path)
    fill(path, nip="19680312 199003 1 007")
    idt = identity.load(tmp_path, "32.75")
    assert idt.kepala() == NAMA and idt.nip() == "19680312 199003 1 007" and idt.kertas == "A4"


def test_templates_never_overwrite_what_the_office_typed(tmp_path):
    (path,), _ = identity_template.write_templates(["32.75"], tmp_path)
    fill(path)
    before = path.read_text(encoding="utf-8")
    written, kept = identity_template.write_templates(["32.75", "32"], tmp_path)
    assert [p.name for p in written] == ["32.yaml"] and kept == [path]
    assert path.read_text(encoding="utf-8") == before
    with pytest.raises(SPMValueError, match="'A3' tidak dikenal"):
        identity_template.write_templates(["32.16"], tmp_path, "A3")
    assert not (tmp_path / "32.16.yaml").exists()  # nothing written before the paper was checked


def test_folder_gives_each_region_its_own_file_and_placeholders_to_the_rest(tmp_path):
    identity_template.write_templates(["32.75"], tmp_path)
    fill(tmp_path / "32.75.yaml")
    assert identity.load(tmp_path, "32.75").kepala() == NAMA
    assert identity.load(tmp_path, "32.01") == identity.KOSONG  # no file: never another region's name
    assert identity.check_for_regions(tmp_path, ["32.75", "32.01"]) == {"32.75": tmp_path / "32.75.yaml"}
    with pytest.raises(SPMDataError, match="sebutkan kode wilayah"):
        identity.load(tmp_path)


def test_a_file_of_another_region_is_refused(tmp_path):
    identity_template.write_templates(["32.75"], tmp_path)
    (tmp_path / "32.75.yaml").rename(tmp_path / "32.01.yaml")  # copied under the wrong name
    with pytest.raises(SPMDataError, match="milik wilayah 32.75, bukan 32.01"):
        identity.load(tmp_path, "32.01")
    with pytest.raises(SPMDataError, match="milik wilayah 32.75, bukan 32.01"):
        identity.check_for_regions(tmp_path, ["32.75"])  # checked even when that region is not in the run
    with pytest.raises(SPMDataError, match="milik wilayah 32.75, bukan 32.01"):
        identity.check_for_regions(tmp_path / "32.01.yaml", ["32.01"])


@pytest.mark.parametrize("name", ["bekasi.yaml", "32.99.yaml", "3275.yml"])
def test_a_folder_file_not_named_by_a_region_code_is_refused(tmp_path, name):
    (tmp_path / name).write_text("kertas: A4\n", encoding="utf-8")
    (tmp_path / "catatan.txt").write_text("bukan yaml", encoding="utf-8")  # other files are left alone
    with pytest.raises(SPMDataError, match=f"nama berkas {re.escape(name)} bukan kode wilayah"):
        identity.check_for_regions(tmp_path, ["32.75"])


def test_one_file_for_many_regions_may_only_give_the_paper(tmp_path):
    named = tmp_path / "satu.yaml"
    named.write_text(f"kepala_daerah:\n  nama: {NAMA}\n", encoding="utf-8")
    with pytest.raises(SPMDataError, match=r"berisi kepala_daerah .* mencakup 2 wilayah"):
        identity.check_for_regions(named, ["32.75", "32.01"])
    assert identity.check_for_regions(named, ["32.75"]) == {"32.75": named}  # one region: its own file
    paper = tmp_path / "kertas.yaml"
    paper.write_text("kertas: F4\nkepala_daerah:\n  nama:\n", encoding="utf-8")  # an empty key is not given
    assert identity.check_for_regions(paper, ["32.75", "32.01"]) == {"32.75": paper, "32.01": paper}


def test_kode_wilayah_unquoted_is_read_as_the_code_and_a_wrong_one_is_refused(tmp_path):
    p = tmp_path / "32.10.yaml"
    p.write_text("kode_wilayah: 32.10\n", encoding="utf-8")  # YAML reads 32.1
    assert identity.load(tmp_path, "32.10").kode_wilayah == "32.10"
    p.write_text("kode_wilayah: Bekasi\n", encoding="utf-8")
    with pytest.raises(SPMDataError, match="'Bekasi' bukan kode wilayah"):
        identity.load(p)


def test_cli_writes_templates_once_and_says_what_it_kept(tmp_path):
    out = tmp_path / "identitas"
    res = CliRunner().invoke(app, ["identitas", "--wilayah", "prov:32", "--ke", str(out), "--kertas", "F4"])
    assert res.exit_code == 0, res.output
    files = sorted(p.name for p in out.iterdir())
    assert len(files) == 28 and "32.yaml" in files and "32.75.yaml" in files  # the province and its 27 kab/kota
    assert "28 berkas identitas dibuat" in res.output
    fill(out / "32.75.yaml")
    again = CliRunner().invoke(app, ["identitas", "--wilayah", "32.75,32.01", "--ke", str(out)])
    assert again.exit_code == 0 and "0 berkas identitas dibuat" in again.output
    assert "2 sudah ada dan tidak diubah" in again.output
    assert identity.load(out, "32.75").kepala() == NAMA


def test_batch_refuses_one_named_file_for_many_regions_before_any_kernel(tmp_path):
    named = tmp_path / "identitas.yaml"
    named.write_text(f"kepala_daerah:\n  nama: {NAMA}\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["batch", "--wilayah", "32.75,32.01", "--tahun", "2025", "--identitas",
                                   str(named), "--ke", str(tmp_path / "b")])
    assert res.exit_code != 0 and "satu berkas per wilayah" in res.output and "Traceback" not in res.output
    assert not (tmp_path / "b" / "manifest.json").exists()


@pytest.mark.notebook
def test_batch_with_an_identity_folder_signs_each_report_with_its_own_region(tmp_path):
    folder = tmp_path / "identitas"
    identity_template.write_templates(["32.75"], folder)
    fill(folder / "32.75.yaml")
    res = CliRunner().invoke(app, ["batch", "--wilayah", "32.75,32.01", "--tahun", "2025", "--format", "html",
                                   "--workers", "0", "--identitas", str(folder), "--ke", str(tmp_path / "b")])
    assert res.exit_code == 0, res.output
    assert "1 dari 2 wilayah punya berkas" in " ".join(res.output.split())
    bekasi = (tmp_path / "b" / "32.75" / "laporan.html").read_text(encoding="utf-8")
    bogor = (tmp_path / "b" / "32.01" / "laporan.html").read_text(encoding="utf-8")
    assert NAMA in bekasi and "[Nama Kepala Daerah]" not in bekasi
    assert NAMA not in bogor and "[Nama Kepala Daerah]" in bogor


def test_cli_says_a_wrong_region_file_in_one_sentence_before_the_kernel(tmp_path):
    identity_template.write_templates(["32.75"], tmp_path)
    (tmp_path / "32.75.yaml").rename(tmp_path / "32.01.yaml")
    res = CliRunner().invoke(app, ["laporan", "--wilayah", "32.01", "--tahun", "2025", "--identitas", str(tmp_path),
                                   "--ke", str(tmp_path / "out")])
    text = " ".join(res.output.split())
    assert res.exit_code == 2 and "Galat: Berkas identitas '32.01.yaml' milik wilayah 32.75, bukan 32.01" in text
    assert "┏" not in res.output and not (tmp_path / "out" / "laporan.ipynb").exists()  # no empty table, no run
