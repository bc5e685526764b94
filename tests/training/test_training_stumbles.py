"""Where participants stumble: hints whose code runs as written, check cells that survive a skipped cell
or a restarted kernel, the decimal comma and the thousands dot, widgets pressed with nothing chosen, no
stray True/False, and check cells that fail under a grader (nbgrader) but never in JupyterLab."""
from __future__ import annotations

import copy
import os
import re

import matplotlib
import nbformat
import pandas as pd
import pytest
from nbclient import NotebookClient

from spm_helpers.paths import exercises_dir
from spm_helpers.training import exercise_files as nbk
from spm_helpers.training import feedback
from spm_helpers.training.comparers import Angka, Himpunan, Tolak
from spm_helpers.training.feedback import BENAR, SALAH, code_snippets, judge
from spm_helpers.training.registry import daftar_modul
from spm_helpers.training.release import release_notebook
from spm_helpers.training.widgets import isian_angka, pilihan_ganda

matplotlib.use("Agg")
IDENTITAS = {"nama_peserta": "Ani", "opd": "Dinas Kesehatan"}


def _isi_identitas(source: str) -> str:
    return source.replace('nama_peserta = ""', 'nama_peserta = "Ani"').replace('opd = ""', 'opd = "Dinas Kesehatan"')


def _ruang_di_cek(nomor: int) -> dict[str, dict]:
    """Run a master notebook (solutions in) in this process; the namespace as each check cell sees it."""
    m = next(m for m in daftar_modul() if m.nomor == nomor)
    ns: dict = {"__name__": "__main__"}
    out = {}
    for cell in nbk.read(exercises_dir() / m.berkas).cells:
        if cell.cell_type != "code":
            continue
        for sid in nbk.soal_dipanggil(cell.source):
            out[sid] = dict(ns)
        exec(compile(_isi_identitas(cell.source), f"modul {nomor}", "exec"), ns)  # noqa: S102
    return out


@pytest.fixture(scope="module")
def ruang(tmp_path_factory):
    cwd = os.getcwd()
    os.chdir(tmp_path_factory.mktemp("kerja"))  # Modul 1 writes its Excel form into the working folder
    try:
        return {m.nomor: _ruang_di_cek(m.nomor) for m in daftar_modul()}
    finally:
        os.chdir(cwd)


# Code outside backticks: a call, a method or an index (``len(x)``, ``.isna()``, ``x["a"]``). Formulas with
# ×, ÷, − or Σ are arithmetic written for people, not code to type.
_KODE_TANPA_TANDA = re.compile(r"(?<![\w`])\.?[A-Za-z_][\w.]*[(\[]")


def test_every_hint_snippet_runs_where_the_hint_is_shown(ruang):
    """Every `code` in every task hint evaluates without error in the notebook at that task's check cell."""
    dicoba = 0
    for m in daftar_modul():
        for s in m.soal:
            for p in s.petunjuk:
                polos = re.sub(r"`[^`]*`", "", p.pesan)
                for hit in _KODE_TANPA_TANDA.finditer(polos):
                    tail = polos[hit.start():hit.start() + 60]
                    assert any(ch in tail.split(")")[0] for ch in "×÷−Σ"), \
                        f"{s.id}: kode tanpa tanda ` di petunjuk: {p.pesan!r}"
                for snip in code_snippets(p.pesan):
                    ns = dict(ruang[m.nomor][s.id])
                    try:
                        eval(compile(snip, s.id, "eval"), ns)  # the hint as a participant types it
                    except Exception as exc:  # pragma: no cover - the message is the point
                        pytest.fail(f"{s.id}: petunjuk `{snip}` gagal ({type(exc).__name__}: {exc})")
                    dicoba += 1
    assert dicoba >= 12  # the hints that name code: m0.t1, m0.t5 (2), m1.t2, m1.t3, m2.t1, m3.t2, m3.t4 ...


def test_modul0_task1_hint_is_the_projector_demo_and_gives_the_key(ruang):
    """The hint the guide demonstrates: a participant who counted every jenis (43) is told what to type,
    and what they type is the answer (29 kab/kota jenis in PP 2/2018)."""
    ns = dict(ruang[0]["m0.t1"])
    put = judge("m0.t1", len(ns["catalog"].jenis()))
    assert put.status == SALAH
    (snip,) = code_snippets(put.pesan)
    assert snip == 'len(catalog.jenis("kabkota"))' and "katalog." not in put.pesan
    assert judge("m0.t1", eval(snip, ns)).status == BENAR
    assert '<code style="background:#fff;padding:0 3px">len(catalog.jenis(&quot;kabkota&quot;))</code>' in put.html()


def test_generic_hint_methods_work_on_the_answer_that_triggers_them():
    a = Angka()
    seri = pd.Series([3, 4])
    with pytest.raises(Tolak) as exc:
        a.prepare(seri)
    methods = code_snippets(str(exc.value))
    assert methods == [".sum()", ".iloc[0]"]
    assert [eval("x" + m, {"x": seri}) for m in methods] == [7, 3]
    tabel = pd.DataFrame({"kode_jenis": ["A", "B"]})
    with pytest.raises(Tolak) as exc:
        Himpunan("kode jenis").prepare(tabel)
    (snip,) = code_snippets(str(exc.value))
    assert eval("tabel" + snip, {"tabel": tabel}) == ["A", "B"]


# ------------------------------------------------------------------------------------------ numbers
def test_decimal_comma_is_explained_not_sent_to_sum():
    # 87,5 typed in a code cell is the tuple (87, 5); the key of m0.t4 is a percentage
    put = judge("m0.t4", (87, 5))
    assert put.status == SALAH and "87.5" in put.pesan and "titik" in put.pesan and ".sum()" not in put.pesan
    put = judge("m0.t3", (1, 250, 0))  # 1,250,000 in the English style
    assert "1250000" in put.pesan and "1,250,000" in put.pesan


def test_thousands_dot_is_explained_for_a_head_count():
    key = 4090  # m0.t3: sasaran ibu hamil 2025 in the case data
    assert judge("m0.t3", key).status == BENAR
    put = judge("m0.t3", 4.090)  # what "4.090" means in Python: 4.09
    assert put.status == SALAH and "4090" in put.pesan and "4,09" in put.pesan and "rupiah" not in put.pesan
    assert "ribu/juta" in Angka().petunjuk_umum(4.0901, 4090)  # not three decimals: a unit slip, said neutrally


# ------------------------------------------------------------------------------------------ check cells
def test_check_cell_names_the_missing_variable_instead_of_a_traceback(capsys):
    ns: dict = {}
    cell = next(c.source for c in nbk.read(exercises_dir() / "modul_0_pengenalan.ipynb").cells
                if nbk.soal_dipanggil(c.source) == ["m0.t1"])
    exec(cell, ns)  # noqa: S102 - a fresh namespace: the check cell imports what it needs
    out = capsys.readouterr().out
    assert "Sel jawaban belum dijalankan" in out and "`jumlah_jenis_kabkota` belum ada" in out and "Jalankan dulu sel" in out
    ns["jumlah_jenis_kabkota"] = 29
    exec(cell, ns)  # noqa: S102
    assert "Benar" in capsys.readouterr().out


def test_every_check_cell_guards_its_variable():
    for m in daftar_modul():
        for cell in nbk.read(exercises_dir() / m.berkas).cells:
            if cell.cell_type == "code" and nbk.soal_dipanggil(cell.source):
                assert "from spm_helpers.training import check" in cell.source, (m.berkas, cell.source)
                assert re.search(r'check\("m\d\.t\d+", lambda: \w+\);', cell.source), (m.berkas, cell.source)


def _jalankan(nb):
    client = NotebookClient(nb, timeout=120, allow_errors=True, kernel_name="python3")
    client.execute(cwd=str(exercises_dir()))
    return nb


@pytest.mark.notebook
def test_restarted_kernel_and_first_cell_in_a_real_kernel():
    """A kernel that ran only the first two cells (as after a restart): start() prints no True/False and
    every check cell answers in Indonesian without an error output."""
    master = nbk.read(exercises_dir() / "modul_0_pengenalan.ipynb")
    awal = [c for c in master.cells if c.cell_type == "code"][:2]  # parameters + start()
    cek = [c for c in master.cells if c.cell_type == "code" and nbk.soal_dipanggil(c.source)]
    nb = nbformat.v4.new_notebook(cells=copy.deepcopy(awal + cek))
    nb.cells[0].source = _isi_identitas(nb.cells[0].source)
    _jalankan(nb)
    assert not [o for o in nb.cells[1].outputs if o.output_type == "execute_result"]  # no stray True/False
    for cell in nb.cells[2:]:
        assert not [o for o in cell.outputs if o.output_type in ("error", "execute_result")], cell.outputs
        teks = "".join(o.get("data", {}).get("text/plain", "") for o in cell.outputs)
        assert "belum ada" in teks and "Run All Above" in teks


# ------------------------------------------------------------------------------------------ widgets
def test_periksa_with_nothing_chosen_says_to_choose(monkeypatch):
    import IPython.display

    shown: list[str] = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, **kw: shown.append(getattr(obj, "data", str(obj))))
    pilihan_ganda("m0.t6", "Arti NA?", ["Nol", "Tidak diketahui"]).check()
    assert "Klik salah satu pilihan" in shown[-1] and "Ganti tanda" not in shown[-1]
    isian_angka("m0.t1", "Berapa?").check()
    assert "Kotak jawaban masih kosong" in shown[-1]


# ------------------------------------------------------------------------------------------ graders
def test_check_raises_only_under_a_grader(monkeypatch, capsys):
    monkeypatch.delenv(feedback.ENV_NBGRADER, raising=False)
    monkeypatch.delenv(feedback.ENV_GAGALKAN, raising=False)
    assert feedback.check("m0.t1", 43) is False  # JupyterLab: friendly, no exception
    monkeypatch.setenv(feedback.ENV_NBGRADER, "autograde")
    assert feedback.check("m0.t1", 29) is True
    for wrong in (43, ..., lambda: belum_ada):  # noqa: F821 - a name that does not exist
        with pytest.raises(feedback.JawabanBelumTepat):
            feedback.check("m0.t1", wrong)
    assert feedback.check("m0.t6", "Sama dengan tahun lalu") is False  # practice tasks never fail a cell
    monkeypatch.setenv(feedback.ENV_NBGRADER, "")
    monkeypatch.setenv(feedback.ENV_GAGALKAN, "1")
    with pytest.raises(feedback.JawabanBelumTepat):
        feedback.check("m0.t1", 43)
    assert "Belum tepat" in capsys.readouterr().out  # shown before it fails


@pytest.mark.notebook
def test_under_nbgrader_an_unanswered_notebook_fails_every_graded_cell_and_the_master_none(monkeypatch):
    """What nbgrader's autograde sees (it sets NBGRADER_EXECUTION=autograde for the kernel): the released
    notebook, every answer still '...', errors in all 5 graded check cells (0 points); the master none."""
    monkeypatch.setenv(feedback.ENV_NBGRADER, "autograde")
    master = nbk.read(exercises_dir() / "modul_0_pengenalan.ipynb")
    for nb, gagal in ((release_notebook(master), 5), (copy.deepcopy(master), 0)):
        nb.cells[next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))].source = \
            _isi_identitas('nama_peserta = ""\nopd = ""')
        _jalankan(nb)
        errors = [c.metadata["nbgrader"]["grade_id"] for c in nb.cells if c.cell_type == "code"
                  and c.metadata.get("nbgrader", {}).get("grade") and any(o.output_type == "error" for o in c.outputs)]
        assert len(errors) == gagal, errors
        assert not [c for c in nb.cells if c.cell_type == "code" and not c.metadata.get("nbgrader", {}).get("grade")
                    and any(o.output_type == "error" for o in c.outputs)]


# ------------------------------------------------------------------------------------------ cell numbers
def test_code_cell_numbers_as_jupyterlab_shows_them():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# judul"), nbformat.v4.new_code_cell("a = 1"),
        nbformat.v4.new_markdown_cell("teks"), nbformat.v4.new_markdown_cell("teks"),
        nbformat.v4.new_code_cell("b = 2"), nbformat.v4.new_code_cell("c = 3")])
    # cells 1, 4, 5 (0-based) are code cells 1, 2, 3; Run All shows them as [1], [2], [3]
    assert [nbk.nomor_sel_kode(nb, i) for i in range(6)] == [None, 1, None, None, 2, 3]


# ------------------------------------------------------------------------------------------ BACA_DULU
def test_baca_dulu_says_how_to_open_jupyterlab_and_how_to_hand_in(tmp_path):
    from spm_helpers.training.release import release

    release(tmp_path, [0])
    text = (tmp_path / "BACA_DULU.md").read_text(encoding="utf-8")
    for must in ("MULAI_WINDOWS.bat", "MULAI_MAC.command", "mulai_linux.sh", "py -m jupyterlab",
                 "python -m jupyterlab", "Run All Above", "87.5", "Rename"):
        assert must in text, must
    assert "exercises" not in text  # participants never go to the masters (they hold the solutions)


def test_a_missing_variable_is_counted_as_not_run_by_the_grader(tmp_path, monkeypatch):
    from spm_helpers.training import grade

    assert feedback.TIDAK_DIJALANKAN == grade.TIDAK_DIJALANKAN  # one status, two modules
    monkeypatch.setenv(feedback.ENV_HASIL, str(tmp_path / "h.jsonl"))
    monkeypatch.delenv(feedback.ENV_NBGRADER, raising=False)
    assert feedback.check("m0.t2", lambda: kode_yang_tidak_ada) is False  # noqa: F821
    assert '"status": "tidak dijalankan"' in (tmp_path / "h.jsonl").read_text()
