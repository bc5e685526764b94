"""Live class progress: check() events in the class store, the facilitator's page (anonymous unless asked),
stuck-now per task and OPD, served over HTTP and refreshing by itself."""
from __future__ import annotations

import json
import threading
import urllib.request
from datetime import datetime, timedelta

import pytest

from spm_helpers.training import feedback, progress
from spm_helpers.training.feedback import BENAR, SALAH


@pytest.fixture()
def toko(tmp_path, monkeypatch):
    monkeypatch.setenv(progress.ENV_TOKO, str(tmp_path / "toko"))
    monkeypatch.delenv(feedback.ENV_NBGRADER, raising=False)
    monkeypatch.delenv(feedback.ENV_HASIL, raising=False)
    yield tmp_path / "toko"
    progress._FILE.clear()
    progress._IDENTITAS.clear()


def _kernel(nama, opd):
    """A new participant kernel: a fresh file and identity."""
    progress._FILE.clear()
    progress._IDENTITAS.clear()
    feedback.start(nama, opd, modul=0)


def test_three_participants_wrong_then_right_show_up_per_task_and_opd(toko, capsys):
    _kernel("Ani", "Dinkes")
    feedback.check("m0.t1", 43)  # all jenis: wrong, with a hint
    feedback.check("m0.t1", 29)
    _kernel("Budi", "Dinas Kesehatan")
    feedback.check("m0.t1", 43)
    _kernel("Citra", "Disdik")
    feedback.check("m0.t1", 43)
    feedback.check("m0.t1", 29)
    feedback.check("m0.t2", "17")
    assert len(list(toko.glob("*.jsonl"))) == 3  # one file per kernel: nobody writes into another's file
    ev = progress.read(toko)
    assert sorted(zip(ev["peserta"], ev["soal"], ev["petunjuk"])) == [
        ("Ani", "m0.t1", False), ("Ani", "m0.t1", True), ("Budi", "m0.t1", True),
        ("Citra", "m0.t1", False), ("Citra", "m0.t1", True), ("Citra", "m0.t2", True)]  # hint shown when wrong
    assert "jawaban" not in json.loads((next(toko.glob("*.jsonl"))).read_text().splitlines()[0])  # no answers
    now = progress.status_now(ev).set_index(["peserta", "soal"])
    assert now.loc[("Ani", "m0.t1"), "status"] == BENAR and now.loc[("Ani", "m0.t1"), "percobaan"] == 2
    assert now.loc[("Budi", "m0.t1"), "status"] == SALAH and bool(now.loc[("Budi", "m0.t1"), "macet"])
    t = progress.per_task(progress.status_now(ev)).set_index(["soal", "opd"])
    # Dinkes and Dinas Kesehatan are one OPD: Ani right, Budi stuck; Disdik: Citra right on t1, stuck on t2
    assert t.loc[("m0.t1", "Dinas Kesehatan"), ["benar", "salah", "macet"]].tolist() == [1, 1, 1]
    assert t.loc[("m0.t1", "Dinas Pendidikan"), ["benar", "salah", "macet"]].tolist() == [1, 0, 0]
    assert t.loc[("m0.t2", "Dinas Pendidikan"), "macet"] == 1
    feedback.check("m0.t3")  # Citra has not reached task 3 yet ('...'): not stuck
    now = progress.status_now(progress.read(toko)).set_index(["peserta", "soal"])
    assert now.loc[("Citra", "m0.t3"), "status"] == feedback.BELUM and not now.loc[("Citra", "m0.t3"), "macet"]
    later = datetime.now() + timedelta(minutes=progress.MACET_MENIT + 1)
    assert not progress.status_now(ev, later)["macet"].any()  # stuck means *now*


def test_page_is_anonymous_by_default_refreshes_and_is_offline(toko, capsys):
    _kernel("Ani Rahmawati", "Dinkes")
    feedback.check("m0.t1", 43)
    ev = progress.read(toko)
    html = progress.halaman(ev)
    assert "Ani Rahmawati" not in html and 'http-equiv="refresh"' in html and "Dinas Kesehatan" in html
    assert "http://" not in html and "https://" not in html
    assert "Ani Rahmawati" in progress.halaman(ev, dengan_nama=True)


def test_a_line_cut_off_mid_write_is_skipped(toko):
    toko.mkdir(parents=True)
    (toko / "x.jsonl").write_text('{"peserta": "A", "opd": "Dinkes", "soal": "m0.t1", "status": "benar", '
                                  '"waktu": "2026-01-01T10:00:00"}\n{"peserta": "A", "so')
    assert len(progress.read(toko)) == 1


def test_no_store_no_file(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv(progress.ENV_TOKO, raising=False)
    monkeypatch.chdir(tmp_path)
    feedback.check("m0.t1", 29)
    assert not list(tmp_path.rglob("*.jsonl"))


def test_served_page_with_and_without_names(toko, capsys):
    _kernel("Budi Santoso", "Disdik")
    feedback.check("m0.t1", 43)
    server = progress.serve(toko, port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        anon = urllib.request.urlopen(base + "/", timeout=10).read().decode()
        named = urllib.request.urlopen(base + "/?nama=1", timeout=10).read().decode()
        assert "Budi Santoso" not in anon and "Dinas Pendidikan" in anon and "Budi Santoso" in named
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(base + "/toko/x.jsonl", timeout=10)  # the store itself is not served
    finally:
        server.shutdown()
        server.server_close()


def test_cli_pantau_serves_the_page(tmp_path):
    import subprocess
    import sys
    import time

    toko = tmp_path / "toko"
    toko.mkdir()
    (toko / "a.jsonl").write_text(json.dumps({"peserta": "Dewi", "opd": "Dinsos", "soal": "m0.t3", "status": "salah",
                                              "waktu": datetime.now().isoformat()}) + "\n")
    proc = subprocess.Popen([sys.executable, "-m", "spm_helpers.cli", "kelas", "pantau", "--toko", str(toko),
                             "--port", "0"], stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        port = int(line.split("http://127.0.0.1:")[1].split("/")[0])
        for _ in range(50):
            try:
                html = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read().decode()
                break
            except OSError:
                time.sleep(0.1)
        assert "Dinas Sosial" in html and "Dewi" not in html and "m0.t3" in html
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_records_in_a_participants_folder_count_under_their_sign_in(tmp_path, monkeypatch, capsys):
    toko = tmp_path / "toko"
    progress.note_sign_in(toko, "ani-dinas-kesehatan", "Ani Rahmawati", "Dinkes")
    assert oct((toko / progress.MASUK).stat().st_mode & 0o777) == "0o700"  # the facilitator's alone
    monkeypatch.setenv(progress.ENV_TOKO, str(toko / "ani-dinas-kesehatan"))  # what the hub gives Ani's kernel
    monkeypatch.delenv(feedback.ENV_NBGRADER, raising=False)
    try:
        _kernel("Budi Santoso", "Disdik")  # Ani's notebook claims to be Budi
        feedback.check("m0.t1", 43)
    finally:
        progress._FILE.clear()
        progress._IDENTITAS.clear()
    (toko / "citra-dinas-sosial").mkdir()  # no sign-in noted (an older store): the record's own name counts
    (toko / "citra-dinas-sosial" / "a.jsonl").write_text(json.dumps({
        "peserta": "Citra", "opd": "Dinsos", "soal": "m0.t2", "status": "benar", "waktu": "2026-01-01T10:00:00"}) + "\n")
    (toko / "citra-dinas-sosial" / "tautan.jsonl").symlink_to(next((toko / "ani-dinas-kesehatan").glob("*.jsonl")))
    ev = progress.read(toko)
    assert sorted(zip(ev["peserta"], ev["opd"], ev["soal"])) == [
        ("Ani Rahmawati", "Dinas Kesehatan", "m0.t1"), ("Citra", "Dinas Sosial", "m0.t2")]  # the link is not read
    assert progress.signed_in(toko, "ani-dinas-kesehatan") == {"peserta": "Ani Rahmawati", "opd": "Dinkes"}
    assert progress.signed_in(toko, "tidak-ada") == {}


def test_page_with_a_key_opens_only_with_it_then_by_cookie(toko, capsys):
    _kernel("Budi Santoso", "Disdik")
    feedback.check("m0.t1", 43)
    server = progress.serve(toko, port=0, kunci="rahasia123")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        for url in (base + "/", base + "/?nama=1", base + "/?kunci=salah"):
            with pytest.raises(urllib.error.HTTPError) as e:
                urllib.request.urlopen(url, timeout=10)
            assert e.value.code == 403 and "hanya untuk fasilitator" in e.value.read().decode()
        r = urllib.request.urlopen(base + "/?kunci=rahasia123", timeout=10)
        cookie = r.headers["Set-Cookie"].split(";")[0]
        assert "Dinas Pendidikan" in r.read().decode() and "HttpOnly" in r.headers["Set-Cookie"]
        named = urllib.request.urlopen(urllib.request.Request(base + "/?nama=1", headers={"Cookie": cookie}),
                                       timeout=10).read().decode()  # the toggle link works with the cookie
        assert "Budi Santoso" in named
    finally:
        server.shutdown()
        server.server_close()
