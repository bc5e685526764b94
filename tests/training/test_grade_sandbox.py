"""Issue 18: ``spm latihan nilai`` runs participants' code with none of the facilitator's rights.

Hostile submissions (read the facilitator's home and environment, delete files, modify the package,
leave a daemon, kill the grader, forge results, sabotage a classmate graded at the same time, a zip
bomb, a loop that ignores SIGINT, Ctrl-C on the grader) are graded next to an honest one; the tests
assert the facilitator's files and the honest participant's score are untouched."""
from __future__ import annotations

import copy
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import nbformat
import psutil
import pytest

from spm_helpers.paths import PACKAGE_DIR, exercises_dir
from spm_helpers.training import exercise_files as nbk
from spm_helpers.training import grade, sandbox_run
from spm_helpers.training.feedback import BELUM, BENAR
from spm_helpers.training.registry import modul
from spm_helpers.training.release import release_notebook

pytestmark = pytest.mark.notebook
M = modul(1)
MASTER = nbk.read(exercises_dir() / M.berkas)
RAHASIA = "rahasia-fasilitator-7f3a"
SANDBOX = grade.Sandbox.detect()
needs_bwrap = pytest.mark.skipif(SANDBOX != grade.Sandbox.BWRAP, reason="bubblewrap tidak tersedia")


def sign(nb, nama="Peserta", opd="Dinkes"):
    nb = copy.deepcopy(nb)
    cell = next(c for c in nb.cells if 'nama_peserta = ""' in c.source)
    cell.source = cell.source.replace('nama_peserta = ""', f'nama_peserta = "{nama}"').replace(
        'opd = ""', f'opd = "{opd}"')
    return nb


def hostile(code: str, nama: str = "Penyerang") -> nbformat.NotebookNode:
    """The released notebook, unanswered, with ``code`` as the participant's second cell."""
    nb = sign(release_notebook(MASTER), nama)
    nb.cells.insert(2, nbformat.v4.new_code_cell(code))
    return nb


def _run_one(code: str, tmp_path: Path, batas: int = 30) -> tuple[nbformat.NotebookNode, list[str]]:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(code)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    sandbox = grade.Sandbox(hide=(tmp_path,))
    return grade._jalankan(nb, batas, 120, sandbox, grade._Jalan())


def _text(nb) -> str:
    return json.dumps([c.get("outputs", []) for c in nb.cells])


@pytest.fixture
def facilitator(tmp_path, monkeypatch):
    """The facilitator's own files and a secret in the grader's environment."""
    home = tmp_path / "fasilitator"
    home.mkdir()
    (home / "kunci.txt").write_text(RAHASIA)
    monkeypatch.setenv("SPM_TOKEN_FASILITATOR", RAHASIA)
    return home


@needs_bwrap
def test_a_submission_sees_no_home_no_secret_and_cannot_write_the_package(tmp_path, facilitator):
    code = f"""
import os, glob
print("env", dict(os.environ))
for p in [{str(facilitator / 'kunci.txt')!r}, os.path.expanduser('~root/.bashrc'), '/etc/shadow']:
    try:
        print("baca", p, open(p).read()[:50])
    except Exception as e:
        print("tolak", p, type(e).__name__)
print("home", os.path.expanduser('~'), sorted(os.listdir(os.path.expanduser('~'))))
try:
    open({str(PACKAGE_DIR / '__init__.py')!r}, 'a').close(); print("PAKET-TERTULIS")
except OSError as e:
    print("paket hanya-baca", type(e).__name__)
import spm_helpers.training.keys.modul1
"""
    nb, _ = _run_one(code, tmp_path)
    out = _text(nb)
    printed = "".join(o.get("text", "") for c in nb.cells for o in c.outputs if o["output_type"] == "stream")
    assert RAHASIA not in out and "SPM_TOKEN" not in out
    assert "PAKET-TERTULIS" not in printed and "paket hanya-baca" in printed
    assert "home /home/peserta ['.ipython', 'kerja']" in out  # a HOME of its own: only what the kernel made
    assert "ModuleNotFoundError" in out  # the answer keys are not inside the sandbox
    assert (facilitator / "kunci.txt").read_text() == RAHASIA


@needs_bwrap
def test_a_daemon_left_behind_is_killed_with_its_submission(tmp_path):
    code = """
import subprocess, os
subprocess.Popen(["sleep", "317"], start_new_session=True)
if os.fork() == 0:
    os.setsid()
    import time
    time.sleep(318)
print("ditinggal")
"""
    nb, _ = _run_one(code, tmp_path)
    assert "ditinggal" in _text(nb)
    time.sleep(1)
    left = [p for p in psutil.process_iter(["cmdline"]) if p.info["cmdline"] and "317" in p.info["cmdline"]]
    assert left == []


def test_zip_bomb_is_refused_before_it_is_expanded(tmp_path, monkeypatch):
    monkeypatch.setattr(grade, "MAKS_NOTEBOOK", 2**20)
    with zipfile.ZipFile(tmp_path / "bom.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("modul_1.ipynb", b" " * (8 * 2**20))  # 8 MB of spaces, a few kB compressed
    assert (tmp_path / "bom.zip").stat().st_size < 100_000
    [k] = grade.collect(tmp_path)
    assert k.nb is None and "terlalu besar" in k.galat


def test_identity_comes_from_where_the_file_was_collected():
    assert grade.akun_dari("andi/modul_1.ipynb") == "andi"
    assert grade.akun_dari("budi.ipynb") == "budi"
    assert grade.akun_dari("kelas.zip/citra/modul_1.ipynb") == "kelas"


def test_a_modified_check_cell_is_not_scored(tmp_path):
    nb = sign(MASTER)
    cell = next(c for c in nb.cells if "m1.t1" in nbk.soal_dipanggil(c.source))
    cell.source += "\n# diubah"
    prepared, changed = grade._siapkan(nb, grade.released_checks(M), M)
    assert changed == {"m1.t1": grade.CEK_DIUBAH}
    harvested = {c.metadata.get("spm_panen") for c in prepared.cells}
    assert "m1.t1" not in harvested and "m1.t2" in harvested


@needs_bwrap
@pytest.mark.slow
def test_hostile_class_leaves_the_honest_score_and_the_facilitator_untouched(tmp_path, facilitator):
    kiriman = tmp_path / "kiriman"
    kiriman.mkdir()
    (kiriman / "jujur").mkdir()
    nbformat.write(sign(MASTER, "Jujur"), kiriman / "jujur" / "modul_1.ipynb")
    forged = json.dumps({"soal": "m1.t1", "jawaban": 1})
    attacks = {
        "hapus": f"import shutil\nshutil.rmtree({str(facilitator)!r}, ignore_errors=True)\n"
                 f"shutil.rmtree({str(kiriman)!r}, ignore_errors=True)",
        "bunuh": "import os, signal\nfor pid in (os.getppid(), 1, -1):\n    try: os.kill(pid, signal.SIGKILL)\n"
                 "    except Exception: pass",
        "palsu": "import os, json\np = os.environ.get('SPM_LATIHAN_HASIL')\n"
                 "import spm_helpers.training.feedback as f\n"
                 "f.judge = lambda *a, **k: (_ for _ in ()).throw(SystemExit)\n"
                 + "".join(f"print('SPM-PANEN ' + json.dumps({{'soal': '{s.id}', 'jawaban': 1}}))\n"
                           for s in M.soal_dinilai)
                 + f"print({forged!r})",
        "sabot": "import glob, os\nfor d in glob.glob('/tmp/*') + glob.glob('/proc/*/fd/*'):\n"
                 "    try: open(d, 'w').write('x')\n    except Exception: pass",
    }
    for name, code in attacks.items():
        (kiriman / name).mkdir()
        nbformat.write(hostile(code), kiriman / name / "modul_1.ipynb")
    # a submission that claims to be graded already: a forged harvest cell with a perfect output
    nb = sign(release_notebook(MASTER), "Pemalsu")
    fake = nbformat.v4.new_code_cell("pass")
    fake.metadata["spm_panen"] = "m1.t1"
    fake.outputs = [nbformat.v4.new_output("stream", name="stdout", text="SPM-PANEN " + forged + "\n")]
    nb.cells.append(fake)
    (kiriman / "metadata").mkdir()
    nbformat.write(nb, kiriman / "metadata" / "modul_1.ipynb")

    hasil = {h.akun: h for h in grade.grade(kiriman, batas_waktu=60, paralel=2)}
    assert set(hasil["jujur"].soal.values()) == {BENAR}, hasil["jujur"]
    assert hasil["jujur"].nama_peserta == "Jujur" and hasil["jujur"].sandbox == grade.Sandbox.BWRAP
    for name in ("hapus", "bunuh", "palsu", "sabot", "metadata"):
        assert BENAR not in hasil[name].soal.values(), (name, hasil[name])
        assert set(hasil[name].soal.values()) <= {BELUM, grade.TIDAK_DIJALANKAN}, (name, hasil[name])
    assert (facilitator / "kunci.txt").read_text() == RAHASIA
    assert (kiriman / "jujur" / "modul_1.ipynb").exists()


@pytest.mark.slow
def test_a_loop_ignoring_sigint_costs_one_cell_limit_and_the_others_are_scored(tmp_path):
    kiriman = tmp_path / "kiriman"
    kiriman.mkdir()
    loop = "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"
    nbformat.write(hostile(loop, "Macet"), kiriman / "macet.ipynb")
    nbformat.write(sign(MASTER, "Jujur"), kiriman / "jujur.ipynb")
    t0 = time.monotonic()
    hasil = {h.akun: h for h in grade.grade(kiriman, batas_waktu=5, paralel=2)}
    # one cell limit (5 s) + the interrupt's grace (TANGGAP) + start-up; the old way, 5 s x every cell + 90 s
    assert time.monotonic() - t0 < 90
    assert set(hasil["jujur"].soal.values()) == {BENAR}
    assert sandbox_run.TERSANGKUT in hasil["macet"].catatan, hasil["macet"]
    assert BENAR not in hasil["macet"].soal.values()  # the cells after the loop were not run: nothing scored


def test_ctrl_c_keeps_the_finished_results_and_marks_the_rest(tmp_path):
    kiriman = tmp_path / "kiriman"
    kiriman.mkdir()
    nbformat.write(hostile("import time\ntime.sleep(600)", "Lambat"), kiriman / "lambat.ipynb")
    nbformat.write(sign(MASTER, "Jujur"), kiriman / "jujur.ipynb")
    script = (f"import json, sys\nfrom spm_helpers.training import grade\n"
              f"h = grade.grade({str(kiriman)!r}, batas_waktu=900, paralel=2)\n"
              "print(json.dumps({x.akun: [x.soal, x.catatan] for x in h}))")
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 150
    while time.monotonic() < deadline and not any(
            "spm-nilai" in " ".join(p.cmdline()) or "sandbox_run" in " ".join(p.cmdline())
            for p in psutil.Process(proc.pid).children(recursive=True)):
        time.sleep(0.5)
    time.sleep(45)  # the honest one finishes in well under that; the slow one sleeps 10 minutes
    t0 = time.monotonic()
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=60)
    assert time.monotonic() - t0 < 30  # Ctrl-C is not ignored
    result = json.loads(out.strip().splitlines()[-1])
    assert set(result["jujur"][0].values()) == {BENAR}  # finished meanwhile: kept
    assert grade.DIHENTIKAN in result["lambat"][1]


@pytest.mark.parametrize("kind", [grade.Sandbox.UID, grade.Sandbox.PROSES])
def test_fallbacks_without_bubblewrap_still_scrub_home_env_and_limits(tmp_path, facilitator, kind):
    if kind == grade.Sandbox.UID and not (os.geteuid() == 0 and grade.Sandbox._nobody_can_run_python()):
        pytest.skip("needs root and a Python the unprivileged user can run")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        "import os, resource\nprint(os.environ.get('SPM_TOKEN_FASILITATOR'), os.path.expanduser('~'), os.getuid(),"
        " resource.getrlimit(resource.RLIMIT_AS)[0], os.getsid(0) == os.getpid() or os.getpgrp() != 0)")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    out, _ = grade._jalankan(nb, 30, 120, grade.Sandbox(kind), grade._Jalan())
    text = out.cells[0].outputs[0]["text"]
    assert text.startswith("None ") and "spm-nilai-" in text and str(grade.MEMORI) in text
    assert (" 65534 " in text) == (kind == grade.Sandbox.UID)


@pytest.mark.slow
def test_a_notebook_over_its_own_limit_is_stopped_while_the_others_are_scored(tmp_path):
    kiriman = tmp_path / "kiriman"
    kiriman.mkdir()
    slow = hostile("import time\ntime.sleep(4)", "Lambat")  # under the cell limit, but in 30 cells
    for _ in range(29):
        slow.cells.insert(2, nbformat.v4.new_code_cell("import time\ntime.sleep(4)"))
    nbformat.write(slow, kiriman / "lambat.ipynb")
    nbformat.write(sign(MASTER, "Jujur"), kiriman / "jujur.ipynb")
    t0 = time.monotonic()
    hasil = {h.akun: h for h in grade.grade(kiriman, batas_waktu=5, paralel=2, batas_notebook=45)}
    assert time.monotonic() - t0 < 90  # 30 x 4 s = 120 s without the notebook's own limit
    assert set(hasil["jujur"].soal.values()) == {BENAR}
    assert sandbox_run.HABIS in hasil["lambat"].catatan, hasil["lambat"]  # the runner stopped by itself
    assert BENAR not in hasil["lambat"].soal.values()
    assert [grade.batas_notebook_bawaan(s) for s in (5, 30, 60, 120)] == [120, 120, 240, 480]  # 4 cells, ≥ 2 min


@pytest.mark.slow
def test_a_loop_gives_its_slot_to_the_next_submission(tmp_path):
    """One slot (--paralel 1), the loop first: once the loop's cell is past LAMBAT (now at nice 19), the honest
    notebook starts and is scored while the loop still runs out its cell limit."""
    kiriman = tmp_path / "kiriman"
    kiriman.mkdir()
    nbformat.write(hostile("while True:\n    pass", "Macet"), kiriman / "a_macet.ipynb")
    nbformat.write(sign(MASTER, "Jujur"), kiriman / "b_jujur.ipynb")
    order = []
    hasil = {h.akun: h for h in grade.grade(kiriman, batas_waktu=40, paralel=1,
                                            kemajuan=lambda h, i, n: order.append(h.akun))}
    assert order == ["b_jujur", "a_macet"], order  # one at a time, the loop would have finished first
    assert set(hasil["b_jujur"].soal.values()) == {BENAR}
    assert hasil["a_macet"].detik >= 40 and any("waktu" in c or "batas" in c for c in hasil["a_macet"].catatan)
