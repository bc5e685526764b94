"""Executing exercise notebooks: masters pass their own checks, released notebooks run but fail every
check until filled, and `spm latihan nilai` scores 30 synthetic submissions as expected (correct,
partial, empty, infinite loop, syntax error, deleted check cell, no name, broken file, zips)."""
from __future__ import annotations

import copy
import zipfile

import nbformat
import pandas as pd
import pytest
from typer.testing import CliRunner

from spm_helpers.cli.app import app
from spm_helpers.paths import exercises_dir
from spm_helpers.training import class_report, grade
from spm_helpers.training import exercise_files as nbk
from spm_helpers.training.feedback import BELUM, BENAR, SALAH
from spm_helpers.training.registry import daftar_modul
from spm_helpers.training.release import release_notebook

pytestmark = pytest.mark.notebook
runner = CliRunner(env={"COLUMNS": "200"})
MASTER = {m.nomor: nbk.read(exercises_dir() / m.berkas) for m in daftar_modul()}
TD, CD = grade.TIDAK_DIJALANKAN, grade.CEK_DIHAPUS


def sign(nb, nama="", opd=""):
    nb = copy.deepcopy(nb)
    cell = next(c for c in nb.cells if 'nama_peserta = ""' in c.source)
    cell.source = cell.source.replace('nama_peserta = ""', f'nama_peserta = "{nama}"').replace(
        'opd = ""', f'opd = "{opd}"')
    return nb


def answer(nb, variabel, kode):
    """Replace the solution cell that assigns ``variabel`` (what a participant typed instead)."""
    cell = next(c for c in nb.cells if nbk.BEGIN_SOLUTION in c.source and f"\n{variabel} =" in c.source)
    cell.source = kode
    return nb


def drop_check(nb, sid):
    nb.cells = [c for c in nb.cells if sid not in nbk.soal_dipanggil(c.source)]
    return nb


def test_masters_pass_and_released_notebooks_run_but_fail_until_filled(tmp_path):
    for nomor, nb in MASTER.items():
        nbformat.write(sign(nb, "Master", "Dinkes"), tmp_path / f"master_{nomor}.ipynb")
        nbformat.write(sign(release_notebook(nb), "Peserta", "Dinkes"), tmp_path / f"rilis_{nomor}.ipynb")
    hasil = {h.berkas: h for h in grade.grade(tmp_path, batas_waktu=60, paralel=2)}
    for nomor in MASTER:
        master, released = hasil[f"master_{nomor}.ipynb"], hasil[f"rilis_{nomor}.ipynb"]
        assert set(master.soal.values()) == {BENAR} and not master.catatan, master
        assert set(released.soal.values()) == {BELUM}, released
        assert not released.catatan, released  # Run All never stops on an unanswered task
        assert (released.nama_peserta, released.opd) == ("Peserta", "Dinkes")


def _kiriman(folder):
    """30 submissions; returns {berkas: (nama, opd, modul, statuses, nilai)} expected."""
    m0, m1, m2 = MASTER[0], MASTER[1], MASTER[2]
    r0 = release_notebook(m0)
    exp = {}
    semua0 = {f"m0.t{i}": BENAR for i in range(1, 6)}

    def put(name, nb, nama, opd, modul, statuses):
        nbformat.write(nb, folder / name)
        exp[name] = (nama, opd, modul, statuses)

    for i, opd in enumerate(["Dinkes", "Disdik", "Dinsos", "PUPR", "Perkim", "Satpol PP", "BPBD", "Damkar"]):
        put(f"benar_{i} (final).ipynb", sign(m0, f"Peserta {i}", opd), f"Peserta {i}", opd, 0, semua0)
    for i in range(6):  # partial: counted all jenis, and wrote a fraction instead of a percent
        nb = answer(sign(m0, f"Sebagian {i}", "Dinkes" if i % 2 else "Disdik"), "jumlah_jenis_kabkota",
                    "jumlah_jenis_kabkota = len(catalog.jenis())")
        nb = answer(nb, "capaian_ibu_hamil", "b = sasaran[(sasaran['tahun'] == 2025) & (sasaran['kode_jenis'] == "
                                             "'KES-KK-01')].iloc[0]\ncapaian_ibu_hamil = b['jumlah_terlayani'] / b['jumlah_sasaran']")
        put(f"sebagian_{i}.ipynb", nb, f"Sebagian {i}", "Dinkes" if i % 2 else "Disdik", 0,
            {**semua0, "m0.t1": SALAH, "m0.t4": SALAH})
    for i in range(4):
        put(f"Kosong{i}.ipynb", sign(r0, f"Kosong {i}", "Dinsos"), f"Kosong {i}", "Dinsos", 0,
            {k: BELUM for k in semua0})
    put("loop.ipynb", answer(sign(m0, "Lupa Berhenti", "PUPR"), "kode_kota_bengkulu", "while True:\n    pass"),
        "Lupa Berhenti", "PUPR", 0, {**semua0, "m0.t2": TD})
    put("sintaks.ipynb", answer(sign(m0, "Salah Ketik", "PUPR"), "sasaran_ibu_hamil", "sasaran_ibu_hamil = (4090"),
        "Salah Ketik", "PUPR", 0, {**semua0, "m0.t3": TD})
    put("hapus.ipynb", drop_check(sign(m0, "Penghapus", "Perkim"), "m0.t5"), "Penghapus", "Perkim", 0,
        {**semua0, "m0.t5": CD})
    put("tanpa_nama.ipynb", sign(m0), "(tanpa nama)", "(tanpa OPD)", 0, semua0)
    semua1 = {f"m1.t{i}": BENAR for i in range(1, 8)}
    put("m1_a.ipynb", sign(m1, "Modul Satu", "Dinas Sosial"), "Modul Satu", "Dinas Sosial", 1, semua1)
    nb = answer(sign(m1, "Modul Satu B", "Dinkes"), "jenis_melebihi",
                "jenis_melebihi = s2025.loc[s2025['jumlah_terlayani'] >= s2025['jumlah_sasaran'], 'kode_jenis'].tolist()")
    put("m1_b.ipynb", nb, "Modul Satu B", "Dinkes", 1, {**semua1, "m1.t2": SALAH})
    semua2 = {f"m2.t{i}": BENAR for i in range(1, 7)}
    put("m2_a.ipynb", sign(m2, "Modul Dua", "Dinkes"), "Modul Dua", "Dinkes", 2, semua2)
    put("m2_b.ipynb", sign(m2, "Modul Dua B", "Dinas Pendidikan"), "Modul Dua B", "Dinas Pendidikan", 2, semua2)
    nb = answer(sign(m2, "Modul Dua C", "Dinkes"), "total_biaya",
                "sasaran_jenis = s[(s['tahun'] == 2025) & (s['kode_jenis'] == kode_jenis)]\n"
                "t = compute_kebutuhan(sasaran_jenis, data.ketersediaan, data.harga_satuan)\n"
                "total_biaya = ((t['kebutuhan'] - t['tersedia']) * t['harga_satuan']).sum()")
    put("m2_c.ipynb", nb, "Modul Dua C", "Dinkes", 2, {**semua2, "m2.t4": SALAH})
    put("m2_kosong.ipynb", sign(release_notebook(m2), "Modul Dua D", "Dinkes"), "Modul Dua D", "Dinkes", 2,
        {k: BELUM for k in semua2})
    # packaging: submissions moved into a zip and a zip inside it, a broken file and a foreign notebook
    with zipfile.ZipFile(folder / "dalam.zip", "w") as z:
        z.write(folder / "m2_kosong.ipynb", "m2_kosong.ipynb")
    (folder / "m2_kosong.ipynb").unlink()
    exp["kelompok 3.zip/dalam.zip/m2_kosong.ipynb"] = exp.pop("m2_kosong.ipynb")
    with zipfile.ZipFile(folder / "kelompok 3.zip", "w") as z:
        for name in ("benar_6 (final).ipynb", "Kosong3.ipynb"):
            z.write(folder / name, f"kelompok/{name}")
            (folder / name).unlink()
            exp[f"kelompok 3.zip/kelompok/{name}"] = exp.pop(name)
        z.write(folder / "dalam.zip", "dalam.zip")
    (folder / "dalam.zip").unlink()
    (folder / "rusak.ipynb").write_text('{"cells": [')
    exp["rusak.ipynb"] = ("(tanpa nama)", "(tanpa OPD)", None, {})
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")]), folder / "lain.ipynb")
    exp["lain.ipynb"] = ("(tanpa nama)", "(tanpa OPD)", None, {})
    return exp


@pytest.mark.slow
def test_grading_30_submissions_gives_the_expected_table(tmp_path):
    kiriman, out = tmp_path / "kiriman", tmp_path / "hasil"
    kiriman.mkdir()
    exp = _kiriman(kiriman)
    assert len(exp) == 30
    r = runner.invoke(app, ["latihan", "nilai", str(kiriman), "--ke", str(out), "--batas-waktu", "8",
                            "--paralel", "2"])
    assert r.exit_code == 0, r.output
    p = class_report.read_csv(out / "nilai_peserta.csv", dtype={"modul": "Int64", "catatan": str, "opd_ditulis": str})
    p = p.fillna({"catatan": "", "opd_ditulis": ""})
    assert sorted(p["berkas"]) == sorted(exp)
    for row in p.to_dict("records"):
        nama, opd, modul, statuses = exp[row["berkas"]]
        assert (row["nama_peserta"], row["opd_ditulis"] or class_report.TANPA_OPD) == (nama, opd), row
        assert row["opd"] == class_report.opd_baku(row["opd_ditulis"]), row  # 'Dinkes' counted as 'Dinas Kesehatan'
        assert (None if pd.isna(row["modul"]) else int(row["modul"])) == modul, row
        assert {k: row[k] for k in statuses} == statuses, row
        n = len(statuses)
        if n:
            assert row["nilai"] == round(100 * list(statuses.values()).count(BENAR) / n, 1), row
        else:
            assert pd.isna(row["nilai"]), row
    catatan = p.set_index("berkas")["catatan"]
    assert "waktu habis di sel" in catatan["loop.ipynb"]
    assert "galat di sel" in catatan["sintaks.ipynb"] and "SyntaxError" in catatan["sintaks.ipynb"]
    assert "rusak" in catatan["rusak.ipynb"] and "modul tidak diketahui" in catatan["lain.ipynb"]
    terlewat = class_report.read_csv(out / "soal_terlewat.csv")
    # m1.t2 and m2.t4 were missed by 1 of 2 and 1 of 3; m0.t1/m0.t4 by 10 of 22 (6 partial + 4 empty)
    assert terlewat.iloc[0]["soal"] == "m1.t2" and terlewat.iloc[0]["persen_benar"] == 50.0
    html = (out / "ringkasan_kelas.html").read_text()
    assert "Peserta 3" not in html and "Lupa Berhenti" not in html and "loop.ipynb" not in html  # anonymous
    assert "Dinas Kesehatan" in html and "Dinkes" not in html
