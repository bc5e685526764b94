"""Training kit: comparers, check verdicts and hints, answer keys vs the case data, release, notebooks,
class summary, collection of submissions, CLI. No kernel is started here (see test_training_*.py)."""
from __future__ import annotations

import io
import json
import math
import re
import zipfile

import nbformat
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from spm_helpers.cli.app import app
from spm_helpers.errors import SPMError
from spm_helpers.inputs import opd_form
from spm_helpers.paths import exercises_dir
from spm_helpers.reference import catalog
from spm_helpers.training import cases, class_report, feedback, grade, release
from spm_helpers.training import exercise_files as nbk
from spm_helpers.training.comparers import Angka, Himpunan, Tabel, Teks, hash_answer
from spm_helpers.training.feedback import BELUM, BENAR, GALAT, SALAH, judge
from spm_helpers.training.registry import Konteks, daftar_modul, normalize_id, semua_soal
from spm_helpers.training.widgets import isian_angka, parse_angka, pilihan_ganda

runner = CliRunner(env={"COLUMNS": "200"})
MASTERS = {m.nomor: exercises_dir() / m.berkas for m in daftar_modul()}


def kunci(sid: str, **ctx):
    s = semua_soal()[sid]
    return s.kunci(Konteks(ctx))


def s25(masalah: bool = False) -> pd.DataFrame:
    s = cases.data_kasus(masalah=masalah).sasaran
    return s[s["tahun"] == 2025]


# ------------------------------------------------------------------------------------------ comparers
def test_angka_tolerates_float_rounding_and_one_row_selections():
    a = Angka(toleransi=0.01)
    assert a.matches(a.prepare(87.066), 87.06601466992664)
    assert a.matches(a.prepare(pd.Series([0.1 + 0.2])), 0.3)
    assert not a.matches(a.prepare(87.1), 87.066)


def test_angka_unit_hints():
    a = Angka(bulat=True)
    assert "persen" in a.petunjuk_umum(0.8707, 87.07)
    assert "ribu/juta" in a.petunjuk_umum(96.192, 96_192_000)
    assert "terbalik" in a.petunjuk_umum(-501, 501)
    assert "pembulatan" in a.petunjuk_umum(4089.6, 4090)


def test_tabel_ignores_column_order_row_order_dtype_and_index_keys():
    t = Tabel(kunci=("kode_item",), nilai=("kekurangan", "biaya"))
    key = t.prepare_key(pd.DataFrame({"kode_item": ["A", "B"], "kekurangan": [1, 0], "biaya": [10, 0],
                                       "lain": [9, 9]}))
    jawab = pd.DataFrame({"biaya": [0.0, 10.0], "kode_item": ["B", "A"], "kekurangan": pd.array([0, 1], "Int64")})
    assert t.matches(t.prepare(jawab), key)
    assert t.matches(t.prepare(jawab.set_index("kode_item")), key)
    salah = t.prepare(jawab.assign(biaya=[0.0, 11.0]))
    assert not t.matches(salah, key) and "kolom biaya" in t.petunjuk_umum(salah, key)
    kurang = t.prepare(jawab.iloc[:1])
    assert "1 baris belum ada" in t.petunjuk_umum(kurang, key)


def test_tabel_na_stays_na():
    t = Tabel(kunci=("k",), nilai=("v",))
    key = t.prepare_key(pd.DataFrame({"k": ["a"], "v": pd.array([None], "Int64")}))
    assert t.matches(t.prepare(pd.DataFrame({"k": ["a"], "v": [float("nan")]})), key)
    assert not t.matches(t.prepare(pd.DataFrame({"k": ["a"], "v": [0]})), key)  # unknown is not zero


def test_himpunan_accepts_any_iterable_and_counts_without_naming():
    h = Himpunan("kode jenis")
    k = h.prepare_key(["A", "B"])
    assert h.matches(h.prepare(pd.Series(["b", "A", "A"])), k)
    assert h.matches(h.prepare({"a", "b"}), k)
    msg = h.petunjuk_umum(h.prepare("A"), k)
    assert "1 kode jenis yang terlewat" in msg and "B" not in msg


def test_teks_hash_key_matches_only_the_normalised_answer():
    t = Teks(soal_id="m0.t6")
    key = hash_answer("m0.t6", "Tidak diketahui: datanya belum ada")
    assert t.matches(t.prepare("  tidak DIKETAHUI:   datanya belum ada "), key)
    assert not t.matches(t.prepare("Nol: tidak ada yang dilayani"), key)
    assert hash_answer("m0.t7", "x") != hash_answer("m0.t6", "x")  # salted per task


ANEH = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=5),
                 st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
                 st.just(pd.DataFrame({"x": [1]})), st.just(pd.DataFrame()), st.just(pd.Series([1, 2])),
                 st.just(pd.NA), st.just(object()))


@settings(max_examples=60, deadline=None)
@given(jawaban=ANEH, sid=st.sampled_from(sorted(semua_soal())))
def test_periksa_never_raises_and_never_says_right_to_junk(jawaban, sid):
    put = judge(sid, jawaban, {})
    assert put.status in (BENAR, SALAH, GALAT)
    assert put.pesan


# ------------------------------------------------------------------------------------------ check
def test_cek_returns_bool_prints_text_and_records_when_grading(tmp_path, monkeypatch, capsys):
    side = tmp_path / "hasil.jsonl"
    monkeypatch.setenv(feedback.ENV_HASIL, str(side))
    assert feedback.check("m0.t1", 29) is True  # 29 kab/kota jenis in PP 2/2018
    assert feedback.check("modul0.soal1", 43) is False  # alias form of the id
    assert feedback.check("m0.t1") is False
    out = capsys.readouterr().out
    assert "Benar" in out and "provinsi dan kab/kota" in out and "Belum dijawab" in out
    recs = [json.loads(x) for x in side.read_text().splitlines()]
    assert [(r["soal"], r["status"]) for r in recs] == [("m0.t1", BENAR), ("m0.t1", SALAH), ("m0.t1", BELUM)]


def test_cek_reads_opd_variant_from_the_caller_globals():
    ns = {"check": feedback.check, "opd": "Dinas Sosial"}
    s = s25()
    ns["jawaban"] = int(s.loc[s["kode_jenis"] == "SOS-KK-01", "jumlah_sasaran"].iloc[0])
    exec("hasil = check('m1.t1', jawaban)", ns)  # noqa: S102 - a stand-in for a notebook cell
    assert ns["hasil"] is True
    ns["kode_jenis"] = "SOS-KK-03"  # participant switched jenis: the key follows
    exec("hasil = check('m1.t1', jawaban)", ns)  # noqa: S102
    assert ns["hasil"] is False


def test_unknown_task_and_broken_key_are_messages_not_crashes():
    assert judge("m9.t9", 1).status == GALAT
    put = judge("m2.t1", 1, {"kode_jenis": "BUKAN-JENIS"})
    assert put.status == GALAT and "kode_jenis" in put.pesan


def test_html_box_is_coloured_and_escaped():
    html = feedback.Putusan("m0.t1", SALAH, "<script>x</script>", "Judul").html()
    assert "spm-cek-salah" in html and "<script>" not in html and "#b3261e" in html


# Module 2, dinkes: jenis KES-KK-01 (ibu hamil), item KES-KK-01.11 (the one with a regional SSH price).
def _m2_angka():
    d = cases.data_kasus()
    s = s25()
    n = int(s.loc[s["kode_jenis"] == "KES-KK-01", "jumlah_sasaran"].iloc[0])
    jps = float(catalog.mutu(kode_jenis="KES-KK-01").set_index("kode_item").at["KES-KK-01.11", "jumlah_per_sasaran"])
    k = d.ketersediaan
    ters = int(k.loc[(k["tahun"] == 2025) & (k["kode_item"] == "KES-KK-01.11"), "jumlah_tersedia"].iloc[0])
    h = d.harga_satuan
    ssh = int(h.loc[(h["tahun"] == 2025) & (h["kode_item"] == "KES-KK-01.11"), "harga_satuan"].iloc[0])
    acuan = int(catalog.mutu().set_index("kode_item").at["KES-KK-01.11", "harga_satuan_acuan"])
    return n, jps, ters, ssh, acuan


def test_module2_worked_example_by_hand():
    n, jps, ters, ssh, acuan = _m2_angka()
    assert cases.butir_latihan("KES-KK-01") == "KES-KK-01.11"
    # pinned demo numbers: 4090 pregnancies × 1 = 4090 needed; 3589 in stock → 501 short; SSH Rp 192.000
    assert (n, jps, ters, ssh) == (4090, 1.0, 3589, 192_000)
    assert kunci("m2.t1", opd="dinkes") == math.ceil(4090 * 1.0) == 4090
    assert kunci("m2.t2", opd="dinkes") == max(0, 4090 - 3589) == 501
    assert kunci("m2.t3", opd="dinkes") == 501 * 192_000 == 96_192_000
    assert ssh != acuan


def test_module2_total_excludes_the_grant_surplus():
    t = kunci("m2.t5", opd="dinkes")
    assert (t["surplus"] > 0).sum() == 1  # the hibah item
    assert kunci("m2.t4", opd="dinkes") == int(t["biaya"].sum())
    salah = int(((t["kebutuhan"] - t["tersedia"]) * t["harga_satuan"]).sum())
    assert salah < kunci("m2.t4", opd="dinkes")


def _hint(sid, jawaban, **ctx):
    put = judge(sid, jawaban, ctx)
    assert put.status == SALAH, (sid, jawaban)
    return put.pesan


def test_each_deliberate_wrong_answer_gets_its_hint_and_not_the_key():
    n, jps, ters, ssh, acuan = _m2_angka()
    t = kunci("m2.t5", opd="dinkes")
    wrong = [
        ("m0.t1", 43, "semua jenis"), ("m0.t1", 14, "tingkat provinsi"),
        ("m0.t2", "17", "kode provinsi"), ("m0.t2", 17.71, "tanda kutip"), ("m0.t2", "17.01", "Bengkulu Selatan"),
        ("m0.t4", 0.8706601, "persen"), ("m0.t5", "PRM-KK-02", "terkecil"),
        ("m2.t2", 4090, "kebutuhan"), ("m2.t2", 3589, "tersedia"), ("m2.t2", -501, "terbalik"),
        ("m2.t3", 4090 * ssh, "kekurangan, bukan"), ("m2.t3", 501 * acuan, "SSH"),
        ("m2.t3", 96_192, "ribu/juta"), ("m2.t3", "96.192.000", "teks"),
        ("m2.t4", int(((t["kebutuhan"] - t["tersedia"]) * t["harga_satuan"]).sum()), "surplus"),
        ("m2.t4", None, "None"), ("m2.t4", t, "bukan tabel"),
        ("m2.t5", t.drop(columns="biaya"), "biaya"), ("m2.t5", t["biaya"].tolist(), "DataFrame"),
        ("m2.t6", str(t.set_index("kode_item")["kekurangan"].astype(float).idxmax()), "kekurangan terbanyak"),
    ]
    for sid, jawaban, expected in wrong:
        msg = _hint(sid, jawaban, opd="dinkes")
        assert expected in msg, (sid, msg)
        key = kunci(sid, opd="dinkes")
        if not isinstance(key, (pd.DataFrame, set)):
            assert str(key) not in msg, (sid, msg)


# ------------------------------------------------------------------------------------------ case data
def test_module1_keys_find_exactly_the_injected_problems():
    m = cases.data_kasus(masalah=True).masalah.set_index("masalah")["kode_jenis"]
    assert kunci("m1.t2") == {m["terlayani_melebihi_sasaran"]}
    assert kunci("m1.t3") == {m["terlayani_kosong"]}
    assert kunci("m1.t4") == {m["jenis_hilang"]}
    assert kunci("m1.t5") == {m["lonjakan_sasaran"]}


def test_module1_hints_for_ge_zero_and_unreported():
    s = s25(masalah=True)
    ge = s.loc[s["jumlah_terlayani"] >= s["jumlah_sasaran"], "kode_jenis"].tolist()
    assert "bukan >=" in _hint("m1.t2", ge)
    nol = s.loc[(s["jumlah_terlayani"] == 0) | s["jumlah_terlayani"].isna(), "kode_jenis"].tolist()
    assert "Nol tidak sama dengan kosong" in _hint("m1.t3", nol)
    assert "sasaran 0 tetap dilaporkan" in _hint("m1.t4", s.loc[s["jumlah_sasaran"] == 0, "kode_jenis"].tolist())
    assert "tahun lalu" in _hint("m1.t5", sorted(kunci("m1.t5") | {"PRM-KK-01", "SOS-KK-05"}))
    assert "masih sama dengan data awal" in _hint("m1.t6", s)


def test_module1_fix_with_confirmations_gives_the_clean_table():
    s = s25(masalah=True)
    k = cases.konfirmasi_opd()
    fixed = pd.concat([s[~s["kode_jenis"].isin(k["kode_jenis"])], k])
    assert judge("m1.t6", fixed).status == BENAR
    assert len(fixed) == len(catalog.jenis("kabkota")) == 29


def test_case_form_is_the_participants_opd_and_reads_back(tmp_path):
    path = cases.formulir_kasus("Dinas Kesehatan Kab. Bengkulu Selatan", tmp_path)
    assert path.name == "formulir_spm_17.01_2025_dinkes.xlsx"
    before = path.read_bytes()
    assert cases.formulir_kasus("dinkes", tmp_path).read_bytes() == before  # kept, not rewritten
    f = opd_form.read_form(path)
    got = f.tables["sasaran"].set_index("kode_jenis")["jumlah_sasaran"]
    assert int(got["KES-KK-01"]) == kunci("m1.t1", opd="dinkes")
    assert any("lebih besar dari jumlah sasaran" in p.alasan for p in f.problems)  # KES-KK-02's injected error


@pytest.mark.parametrize("opd", list(opd_form.OPD))
def test_jenis_latihan_belongs_to_the_opd_and_has_no_problem(opd):
    j = cases.jenis_latihan(opd)
    assert catalog.get_jenis(j)["opd_pengampu"] == opd_form.OPD[opd]
    assert j not in set(cases.data_kasus(masalah=True).masalah["kode_jenis"].dropna())


def test_case_data_are_copies():
    d = cases.data_kasus()
    d.sasaran["jumlah_sasaran"] = 0
    assert cases.data_kasus().sasaran["jumlah_sasaran"].sum() > 0


# ------------------------------------------------------------------------------------------ notebooks
def test_masters_committed_without_outputs_and_checks_match_registry():
    for nomor, path in MASTERS.items():
        nb = nbk.read(path)
        assert nbk.modul_notebook(nb) == nomor
        assert all(not c.get("outputs") and c.get("execution_count") is None for c in nb.cells if c.cell_type == "code")
        m = {s.id for s in daftar_modul()[nomor].soal_dinilai}
        calls = [i for c in nb.cells if c.cell_type == "code" for i in nbk.soal_dipanggil(c.source)]
        assert sorted(calls) == sorted(m), nomor  # one check cell per graded task, none unknown
        assert f"{daftar_modul()[nomor].menit} menit" in nb.cells[0].source
        assert 3 <= len(daftar_modul()[nomor].soal) <= 7  # module 1: six data tasks + the population estimate (issue 17)


def test_identity_from_source_even_with_a_syntax_error():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('nama_peserta = "Siti"\nopd = "Dinkes"\nx = (')])
    assert nbk.identitas(nb) == {"nama_peserta": "Siti", "opd": "Dinkes"}


def test_id_normalisation():
    assert normalize_id("modul2.soal3") == normalize_id(" M2-T3 ") == "m2.t3"
    assert normalize_id("2.3") is None and normalize_id(None) is None


# ------------------------------------------------------------------------------------------ release
def _released(nomor):
    return release.release_notebook(nbk.read(MASTERS[nomor]))


def test_release_removes_solutions_keeps_checks_and_stubs_run():
    for nomor in MASTERS:
        master, nb = nbk.read(MASTERS[nomor]), _released(nomor)
        text = "\n".join(c.source for c in nb.cells)
        assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text
        sol = [c for c in master.cells if nbk.BEGIN_SOLUTION in c.source]
        for c in sol:  # every solution line is gone from the participant version
            for line in c.source.splitlines()[1:-1]:
                assert line not in text or line.strip().endswith("= ..."), line
        stubs = [c for c in nb.cells if c.cell_type == "code" and release.PROMPT in c.source]
        assert len(stubs) == len(sol)
        for c in stubs:
            compile(c.source, "stub", "exec")
            assert re.search(r"^\w+ = \.\.\.$", c.source, re.M)
        checks = [c.source for c in nb.cells if nbk.soal_dipanggil(c.source)]
        assert checks == [c.source for c in master.cells if nbk.soal_dipanggil(c.source)]


def test_stub_names_only_the_answer_used_later():
    nb = _released(2)
    stub = next(c.source for c in nb.cells if "total_biaya = ..." in c.source)
    assert "sasaran_jenis" not in stub


def test_release_markdown_solutions_hidden_tests_and_facilitator_cells():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("Jelaskan:\n### BEGIN SOLUTION\nKarena X.\n### END SOLUTION"),
        nbformat.v4.new_code_cell("def f(x):\n    ### BEGIN SOLUTION\n    y = x + 1\n    return y\n    ### END SOLUTION\n"
                                  "### BEGIN HIDDEN TESTS\nassert f(1) == 2\n### END HIDDEN TESTS"),
        nbformat.v4.new_code_cell("print('kunci')", metadata={"tags": ["fasilitator"]}),
    ])
    out = release.release_notebook(nb)
    assert len(out.cells) == 2 and "Karena X" not in out.cells[0].source and "TULIS JAWABAN" in out.cells[0].source
    assert out.cells[1].source == "def f(x):\n    # TULIS JAWABAN ANDA DI SINI\n    y = ..."
    with pytest.raises(SPMError, match="sel 1"):
        release.release_notebook(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("### BEGIN SOLUTION\nx=1")]))


def test_cli_rilis_writes_and_refuses_to_overwrite(tmp_path):
    r = runner.invoke(app, ["latihan", "rilis", "--ke", str(tmp_path), "--modul", "0", "--modul", "2"])
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["BACA_DULU.md", "modul_0_pengenalan.ipynb",
                                                          "modul_2_penghitungan_kebutuhan.ipynb"]
    (tmp_path / "modul_0_pengenalan.ipynb").write_text("isian peserta")
    r = runner.invoke(app, ["latihan", "rilis", "--ke", str(tmp_path)])
    assert r.exit_code == 2 and "tidak akan ditimpa" in r.output
    assert (tmp_path / "modul_0_pengenalan.ipynb").read_text() == "isian peserta"
    assert not (tmp_path / "modul_1_pengumpulan_data.ipynb").exists()  # all or nothing
    r = runner.invoke(app, ["latihan", "rilis", "--ke", str(tmp_path), "--timpa"])
    assert r.exit_code == 0 and nbk.modul_notebook(nbk.read(tmp_path / "modul_0_pengenalan.ipynb")) == 0
    r = runner.invoke(app, ["latihan", "rilis", "--ke", str(tmp_path / "x"), "--modul", "9"])
    assert r.exit_code == 2 and "belum tersedia" in r.output


def test_cli_daftar_lists_every_module_as_ready():
    r = runner.invoke(app, ["latihan", "daftar"])
    assert r.exit_code == 0 and "direncanakan" not in r.output
    for m in daftar_modul():  # modules 0–6, each with its notebook
        assert m.judul in r.output
    assert [m.nomor for m in daftar_modul()] == list(range(7))
    assert r.output.count("siap") == 7


# ------------------------------------------------------------------------------------------ collect
def _nb_bytes(nama="A", opd="Dinkes", modul=0) -> bytes:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(f'nama_peserta = "{nama}"\nopd = "{opd}"')])
    nb.metadata["spm_latihan"] = {"modul": modul}
    return nbformat.writes(nb).encode()


def test_kumpulkan_walks_folders_and_zips(tmp_path):
    (tmp_path / "Budi Santoso - latihan (1).ipynb").write_bytes(_nb_bytes("Budi"))
    (tmp_path / "sub" / ".ipynb_checkpoints").mkdir(parents=True)
    (tmp_path / "sub" / ".ipynb_checkpoints" / "x-checkpoint.ipynb").write_bytes(_nb_bytes("lama"))
    (tmp_path / "sub" / "rusak.ipynb").write_text("{tidak json")
    (tmp_path / "catatan.txt").write_text("bukan notebook")
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        z.writestr("dalam/modul.ipynb", _nb_bytes("Dewi"))
    with zipfile.ZipFile(tmp_path / "kelompok.zip", "w") as z:
        z.writestr("Ani/modul_0.ipynb", _nb_bytes("Ani"))
        z.writestr("__MACOSX/Ani/._modul_0.ipynb", b"junk")
        z.writestr("lagi.zip", inner.getvalue())
    (tmp_path / "kosong.zip").write_bytes(b"PK bukan zip")
    got = {k.berkas: (nbk.identitas(k.nb).get("nama_peserta") if k.nb else k.galat) for k in grade.collect(tmp_path)}
    assert got == {
        "Budi Santoso - latihan (1).ipynb": "Budi",
        "kelompok.zip/Ani/modul_0.ipynb": "Ani",
        "kelompok.zip/lagi.zip/dalam/modul.ipynb": "Dewi",
        "kosong.zip": "berkas zip rusak",
        "sub/rusak.ipynb": "berkas notebook rusak atau tidak dapat dibaca",
    }


def test_kumpulkan_skips_the_output_folder(tmp_path):
    (tmp_path / "a.ipynb").write_bytes(_nb_bytes())
    (tmp_path / "hasil").mkdir()
    (tmp_path / "hasil" / "b.ipynb").write_bytes(_nb_bytes())
    assert [k.berkas for k in grade.collect(tmp_path, kecuali=tmp_path / "hasil")] == ["a.ipynb"]


def test_cli_nilai_checks_before_executing(tmp_path):
    r = runner.invoke(app, ["latihan", "nilai", str(tmp_path / "tidak-ada")])
    assert r.exit_code == 2 and "tidak ditemukan" in r.output
    (tmp_path / "kiriman").mkdir()
    r = runner.invoke(app, ["latihan", "nilai", str(tmp_path / "kiriman")])
    assert r.exit_code == 2 and "Tidak ada berkas .ipynb" in r.output
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "nilai_peserta.csv").write_text("lama")
    r = runner.invoke(app, ["latihan", "nilai", str(tmp_path / "kiriman"), "--ke", str(tmp_path / "out")])
    assert r.exit_code == 2 and "tidak akan ditimpa" in r.output
    assert (tmp_path / "out" / "nilai_peserta.csv").read_text() == "lama"


# ------------------------------------------------------------------------------------------ summary
def _hasil():
    H = grade.HasilKiriman
    return [
        H("a.ipynb", "Ani", "Dinkes", 0, {"m0.t1": BENAR, "m0.t2": BENAR, "m0.t3": SALAH}),
        H("a2.ipynb", "ani ", "dinkes", 0, {"m0.t1": BENAR, "m0.t2": SALAH, "m0.t3": SALAH}),  # resubmission
        H("b.ipynb", "Budi", "Dinkes", 0, {"m0.t1": BENAR, "m0.t2": grade.CEK_DIHAPUS, "m0.t3": BELUM}),
        H("c.ipynb", "Citra", "Disdik", 0, {"m0.t1": SALAH, "m0.t2": BENAR, "m0.t3": grade.TIDAK_DIJALANKAN},
          ["waktu habis di sel 9 (> 5 detik)"]),
        H("rusak.ipynb", catatan=["berkas notebook rusak atau tidak dapat dibaca"]),
    ]


def test_summary_tables():
    hasil = _hasil()
    p = class_report.tabel_peserta(hasil)
    assert p["nilai"].tolist()[:4] == [66.7, 33.3, 33.3, 33.3]  # 2/3, 1/3, 1/3, 1/3
    assert p.loc[4, "nama_peserta"] == class_report.TANPA_NAMA and pd.isna(p.loc[4, "nilai"])
    assert p["opd"].tolist()[:4] == ["Dinas Kesehatan"] * 3 + ["Dinas Pendidikan"]  # catalogue names
    assert p["opd_ditulis"].tolist()[:4] == ["Dinkes", "dinkes", "Dinkes", "Disdik"]
    o = class_report.tabel_opd(p).set_index("opd")
    # Dinkes: Ani's best (66.7) and Budi (33.3) → mean 50.0; Ani's resubmission is not a third participant
    assert o.loc["Dinas Kesehatan", "jumlah_peserta"] == 2 and o.loc["Dinas Kesehatan", "rata_rata_nilai"] == 50.0
    t = class_report.tabel_terlewat(class_report.tabel_soal(hasil)).set_index("soal")
    # three people (Ani once: her best file a.ipynb): t3 0/3 right; t2 Ani ✔ Budi deleted Citra ✔ → 2/3;
    # t1 Ani ✔ Budi ✔ Citra ✘ → 2/3 (a tie, kept in task order)
    assert t.index.tolist() == ["m0.t3", "m0.t1", "m0.t2"]
    assert t["jumlah_peserta"].tolist() == [3, 3, 3] and t["persen_benar"].tolist() == [0.0, 66.7, 66.7]
    # t3: Ani ✘ (wrong), Budi – (not answered), Citra stopped by a time-out: the three reasons apart
    assert t.loc["m0.t3", ["salah", "belum_dijawab", "tidak_dijalankan"]].tolist() == [1, 1, 1]
    assert t.loc["m0.t2", "cek_dihapus"] == 1


def test_one_account_counts_once_however_many_copies_and_whatever_name_it_claims(tmp_path):
    """Issue 18: the class page counts people by the account the file came from (``akun``), not per copy and
    not by the name typed in the notebook. Account andi hands in three copies (one claims to be Budi); budi
    hands in one: two participants per task, andi's best copy (2 of 3 right) counts, budi's own score stays."""
    H = grade.HasilKiriman
    hasil = [H("andi/modul_0.ipynb", "Andi", "Dinkes", 0, {"m0.t1": BENAR, "m0.t2": SALAH, "m0.t3": SALAH},
               akun="andi"),
             H("andi/modul_0 (1).ipynb", "Andi", "Dinkes", 0, {"m0.t1": BENAR, "m0.t2": BENAR, "m0.t3": SALAH},
               akun="andi"),
             H("andi/salinan.ipynb", "Budi", "Dinkes", 0, {"m0.t1": SALAH, "m0.t2": SALAH, "m0.t3": SALAH},
               akun="andi"),  # a copy that claims a classmate's name
             H("budi/modul_0.ipynb", "Budi", "Dinkes", 0, {"m0.t1": BENAR, "m0.t2": BENAR, "m0.t3": BENAR},
               akun="budi")]
    t = class_report.tabel_terlewat(class_report.tabel_soal(hasil)).set_index("soal")
    # per task: andi's best copy (t1 ✔ t2 ✔ t3 ✘) and budi (✔ ✔ ✔): 2 people, t3 1 of 2 right
    assert t["jumlah_peserta"].tolist() == [2, 2, 2]
    assert t.loc["m0.t3", ["benar", "salah"]].tolist() == [1, 1] and t.loc["m0.t1", "benar"] == 2
    assert t.loc["m0.t2", "benar"] == 2  # not 3 (andi's copies) and not 1 (the forged 'Budi' copy)
    o = class_report.tabel_opd(class_report.tabel_peserta(hasil)).set_index("opd")
    # Dinkes: andi's best 66,7 and budi 100,0 → 2 participants (not 4 submissions)
    assert o.loc["Dinas Kesehatan", "jumlah_peserta"] == 2 and o.loc["Dinas Kesehatan", "nilai_tertinggi"] == 100.0
    assert o.loc["Dinas Kesehatan", "nilai_terendah"] == 66.7
    class_report.write(hasil, tmp_path)
    html = (tmp_path / "ringkasan_kelas.html").read_text()
    assert "2 peserta · 4 kiriman dinilai" in html
    assert not re.search(r"\b(andi|budi)\b", html, re.IGNORECASE)  # no account or name on the projector
    assert class_report.read_csv(tmp_path / "nilai_peserta.csv")["akun"].tolist() == ["andi"] * 3 + ["budi"]


def test_files_without_an_account_folder_are_told_apart_by_name_and_opd():
    """USB copies in one folder and a zip of the class carry no account: copies of one person (same name and
    OPD) count once, thirty people in one zip count as thirty."""
    H = grade.HasilKiriman
    semua = {"m0.t1": BENAR, "m0.t2": BENAR, "m0.t3": BENAR}
    hasil = [H("Budi.ipynb", "Budi", "Dinkes", 0, semua, akun=grade.akun_dari("Budi.ipynb")),
             H("Budi (2).ipynb", "budi ", "Dinas Kesehatan", 0, semua, akun=grade.akun_dari("Budi (2).ipynb")),
             *[H(f"kelas.zip/peserta_{i}.ipynb", f"Peserta {i}", "Dinsos", 0, semua,
                 akun=grade.akun_dari(f"kelas.zip/peserta_{i}.ipynb")) for i in range(3)],
             *[H(f"kelas.zip/{n}/modul_0.ipynb", n, "Disdik", 0, semua,
                 akun=grade.akun_dari(f"kelas.zip/{n}/modul_0.ipynb")) for n in ("Citra", "Dewi")]]
    assert class_report.tabel_terlewat(class_report.tabel_soal(hasil))["jumlah_peserta"].tolist() == [6, 6, 6]
    o = class_report.tabel_opd(class_report.tabel_peserta(hasil)).set_index("opd")["jumlah_peserta"]
    assert o.to_dict() == {"Dinas Kesehatan": 1, "Dinas Sosial": 3, "Dinas Pendidikan": 2}


def test_opd_names_follow_the_catalogue_and_keep_unknown_ones():
    assert class_report.opd_baku("Dinkes") == class_report.opd_baku("DINAS KESEHATAN  Kab. Bengkulu Selatan") == "Dinas Kesehatan"
    assert class_report.opd_baku("Puskesmas Manna") == "Dinas Kesehatan"
    assert class_report.opd_baku("dinas pupr") == "Dinas PUPR" and class_report.opd_baku("Satpol PP") == "Satuan Polisi Pamong Praja"
    assert class_report.opd_baku("  Bappeda ") == "Bappeda" and class_report.opd_baku("") == class_report.TANPA_OPD


def test_class_page_is_anonymous_by_default_self_contained_and_indonesian(tmp_path):
    paths = class_report.write(_hasil(), tmp_path)
    html = (tmp_path / "ringkasan_kelas.html").read_text()
    assert len(paths) == 6 and "Dinas Kesehatan" in html and "Dinas Pendidikan" in html and "Dinkes" not in html
    assert not any(n in html for n in ("Ani", "Budi", "Citra"))  # nobody is named on the projector
    assert "66,7" in html and "66.7" not in html  # Indonesian decimals
    assert "Persen benar" in html and "Belum tepat" in html and "Tidak jalan" in html and "persen_benar" not in html
    assert "3 peserta · 5 kiriman dinilai" not in html and "3 peserta · 4 kiriman dinilai" in html
    assert not re.search(r"""(src|href)\s*=\s*["']?https?:""", html) and "@import" not in html
    assert "a2.ipynb" not in html and "di sel 9" not in html  # file names and notes stay in the files
    with pytest.raises(SPMError, match="tidak akan ditimpa"):
        class_report.write(_hasil(), tmp_path)
    class_report.write(_hasil(), tmp_path, timpa=True, dengan_nama=True)
    html = (tmp_path / "ringkasan_kelas.html").read_text()
    assert "Citra" in html and "a2.ipynb" not in html


def test_csv_files_open_in_indonesian_excel_and_the_workbook_has_labels(tmp_path):
    import openpyxl

    class_report.write(_hasil(), tmp_path)
    raw = (tmp_path / "nilai_peserta.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark: Excel reads it as UTF-8
    header, first = raw.decode("utf-8-sig").splitlines()[:2]
    assert header.startswith("nama_peserta;opd;opd_ditulis;modul;berkas;akun;m0.t1")
    assert first.split(";")[-3] == "66,7"  # nilai with a decimal comma; no comma separates columns
    p = class_report.read_csv(tmp_path / "nilai_peserta.csv")
    assert p["nilai"].tolist()[:4] == [66.7, 33.3, 33.3, 33.3]
    wb = openpyxl.load_workbook(tmp_path / "ringkasan_kelas.xlsx")
    assert wb.sheetnames == ["Peserta", "Soal terlewat", "Per OPD", "Per soal"]
    ws = wb["Soal terlewat"]
    assert [c.value for c in ws[1]][:5] == ["Modul", "Soal", "Judul soal", "Jumlah peserta", "Benar"]
    assert ws["F2"].value == 0.0 and ws["F3"].value == 66.7


# ------------------------------------------------------------------------------------------ widgets
def test_widget_answers_are_checked_on_press(tmp_path, monkeypatch):
    monkeypatch.setenv(feedback.ENV_HASIL, str(tmp_path / "h.jsonl"))
    box = pilihan_ganda("m0.t6", "Arti NA?", ["Nol: tidak ada yang dilayani", "Tidak diketahui: datanya belum ada"])
    radio = box.children[1]
    radio.value = "Nol: tidak ada yang dilayani"
    box.check()
    radio.value = "Tidak diketahui: datanya belum ada"
    box.check()
    rec = [json.loads(x) for x in (tmp_path / "h.jsonl").read_text().splitlines()]
    assert [r["status"] for r in rec] == [SALAH, BENAR] and all(r["widget"] for r in rec)
    box = isian_angka("m0.t1", "Berapa?")
    box.children[1].value = "29"
    box.check()
    assert json.loads((tmp_path / "h.jsonl").read_text().splitlines()[-1])["status"] == BENAR


def test_parse_angka_reads_indonesian_formats():
    assert parse_angka("1.234.567") == 1234567 and parse_angka("12,5") == 12.5 and parse_angka("Rp 96.192.000") == 96192000
    assert parse_angka("12.5") == 12.5 and parse_angka("sembilan") == "sembilan"


def test_every_module_has_a_protected_parameters_cell_papermill_can_fill():
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    for path in sorted(exercises_dir().glob("modul_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        tagged = [i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1, path.name
        cell = nb.cells[tagged[0]]
        assert cell.metadata["deletable"] is False and 'nama_peserta = ""' in cell.source and 'opd = ""' in cell.source
        assert "start(" in nb.cells[tagged[0] + 1].source  # start() runs after papermill's injected cell
        filled = parameterize_notebook(load_notebook_node(str(path)), {"nama_peserta": "Ani", "opd": "dinkes"})
        injected = filled.cells[tagged[0] + 1]
        assert "injected-parameters" in injected.metadata["tags"] and 'opd = "dinkes"' in injected.source
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
