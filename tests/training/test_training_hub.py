"""``spm kelas mulai``: the classroom JupyterHub. Unit tests of the class-code sign-in and the workspace
seeding, and (slow) a real hub on localhost: three participants sign in at once, each gets a seeded
workspace of their own, cannot open another's, and a restarted server keeps their notebook."""
from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

pytest.importorskip("jupyterhub")
requests = pytest.importorskip("requests")

from spm_helpers.errors import SPMError  # noqa: E402
from spm_helpers.training import hub  # noqa: E402


def test_name_and_opd_make_one_stable_workspace_name():
    assert hub.nama_pengguna("Ani Rahmawati", "Dinkes") == "ani-rahmawati-dinas-kesehatan"
    assert hub.nama_pengguna("  ANI  rahmawati ", "Dinas Kesehatan") == "ani-rahmawati-dinas-kesehatan"  # same person
    assert hub.nama_pengguna("Siti Nur'aini", "Bappeda") == "siti-nur-aini-bappeda"
    assert hub.nama_pengguna("Ani Rahmawati", "Disdik") != hub.nama_pengguna("Ani Rahmawati", "Dinkes")


def test_class_code_sign_in():
    auth = hub.KodeKelasAuthenticator(kode_kelas="SPM2025")
    masuk = lambda **d: asyncio.run(auth.authenticate(None, d))  # noqa: E731
    assert masuk(username="Ani", opd="Dinkes", password="spm2025") == {"name": "ani-dinas-kesehatan", "auth_state": None}
    assert masuk(username="Ani", opd="Dinkes", password="SPM2024") is None
    assert masuk(username="Ani", opd="", password="SPM2025") is None  # the OPD is needed for the class page
    assert masuk(username="", opd="Dinkes", password="SPM2025") is None
    assert asyncio.run(hub.KodeKelasAuthenticator().authenticate(None, {"username": "A", "opd": "B", "password": ""})) is None


def test_seed_never_replaces_a_participants_notebook(tmp_path):
    modul, ruang = tmp_path / "modul", tmp_path / "ruang"
    modul.mkdir()
    (modul / "modul_0.ipynb").write_text("baru")
    (modul / "modul_1.ipynb").write_text("baru")
    ruang.mkdir()
    (ruang / "modul_0.ipynb").write_text("dikerjakan")
    assert [p.name for p in hub.seed(modul, ruang)] == ["modul_1.ipynb"]
    assert (ruang / "modul_0.ipynb").read_text() == "dikerjakan"


def test_configuration_and_bad_code(tmp_path):
    with pytest.raises(SPMError, match="Kode kelas"):
        hub.buat_konfigurasi(tmp_path, "ab")
    path = hub.buat_konfigurasi(tmp_path / "kelas", "SPM2025", ip="127.0.0.1", port=18100)
    assert oct(path.stat().st_mode & 0o777) == "0o600"  # the config holds the class code
    assert (tmp_path / "kelas" / "modul" / "modul_0_pengenalan.ipynb").exists()
    from traitlets.config import Config

    c = Config()
    hub.configure(c, folder=tmp_path / "kelas", kode="SPM2025", port=18100)
    assert c.KodeKelasAuthenticator.allow_all is True and c.JupyterHub.port == 18100
    assert [s["name"] for s in c.JupyterHub.services] == ["pemangkas-diam", "kemajuan"]
    assert all("url" not in s for s in c.JupyterHub.services)  # the progress page is never proxied
    assert "--ServerApp.terminals_enabled=False" in c.Spawner.args


def _port_bebas() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _masuk(base, nama, opd, kode):
    s = requests.Session()
    r = s.get(base + "/hub/login", timeout=30)
    xsrf = re.search(r'name="_xsrf" value="([^"]+)"', r.text).group(1)
    r = s.post(base + "/hub/login", data={"_xsrf": xsrf, "username": nama, "opd": opd, "password": kode}, timeout=60)
    return s, r


def _xsrf(s, user):
    return next((c.value for c in s.cookies if c.name == "_xsrf" and c.path.startswith(f"/user/{user}")), "")


def _tunggu_isi(s, base, user, batas=240):
    """Open the participant's JupyterLab (finishing the hub's OAuth sign-in), then list the workspace."""
    t0 = time.time()
    r = None
    while time.time() - t0 < batas:
        r = s.get(f"{base}/user/{user}/lab", timeout=30)
        if r.status_code == 200 and "/user/" in r.url and "spawn-pending" not in r.url:
            r = s.get(f"{base}/user/{user}/api/contents", headers={"X-XSRFToken": _xsrf(s, user)}, timeout=30)
            if r.status_code == 200:
                return sorted(c["name"] for c in r.json()["content"]), time.time() - t0
        time.sleep(1)
    raise AssertionError(f"server {user} tidak siap dalam {batas} detik: {r.status_code if r else '-'} {r.url if r else ''}")


def _jalankan_di_kernel(s, base, user, kode: str, batas: int = 120) -> str:
    """Run code in a kernel of the participant's own server, as a notebook cell would (REST + websocket)."""
    import uuid

    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    h = {"X-XSRFToken": _xsrf(s, user)}
    kid = s.post(f"{base}/user/{user}/api/kernels", json={"name": "python3"}, headers=h, timeout=60).json()["id"]
    cookie = "; ".join(f"{c.name}={c.value}" for c in s.cookies if c.path in ("/", f"/user/{user}/"))
    url = f"{base.replace('http', 'ws')}/user/{user}/api/kernels/{kid}/channels"

    async def run() -> str:
        ws = await websocket_connect(HTTPRequest(url, headers={"Cookie": cookie, **h}))
        msg_id = uuid.uuid4().hex
        ws.write_message(json.dumps({
            "header": {"msg_id": msg_id, "username": user, "session": uuid.uuid4().hex, "msg_type": "execute_request",
                       "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": {}, "channel": "shell",
            "content": {"code": kode, "silent": False, "store_history": True, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True}}))
        out = []
        t0 = time.time()
        while time.time() - t0 < batas:
            m = json.loads(await asyncio.wait_for(ws.read_message(), batas))
            if m.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if m["msg_type"] == "error":
                out.append(m["content"]["ename"])
            out.append(str(m["content"].get("data", {}).get("text/plain", "")) + m["content"].get("text", ""))
            if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                break
        ws.close()
        return "".join(out)

    return asyncio.run(run())


@pytest.mark.slow
def test_a_real_hub_three_participants_at_once(tmp_path):
    port = _port_bebas()
    while any(_bad(p) for p in (port + 1, port + 2)):
        port = _port_bebas()
    pantau = _port_bebas()
    folder = tmp_path / "kelas"
    path = hub.buat_konfigurasi(folder, "SPM2025", ip="127.0.0.1", port=port, port_pantau=pantau)
    log = open(tmp_path / "hub.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(path)], cwd=folder, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if requests.get(base + "/hub/api", timeout=5).status_code == 200:
                    break
            except requests.ConnectionError:
                time.sleep(1)
        page = requests.get(base + "/hub/login", timeout=30).text
        assert 'name="opd"' in page and "Kode kelas" in page and "Masuk ke kelas SPM" in page
        assert not re.findall(r"""(?:src|href)=["']https?://""", page)  # nothing from a CDN on the sign-in page
        _, r = _masuk(base, "Ani Rahmawati", "Dinkes", "SALAH")
        assert r.status_code == 403

        orang = [("Ani Rahmawati", "Dinkes"), ("Budi Santoso", "Disdik"), ("Citra Lestari", "Dinsos")]
        hasil: dict[str, tuple] = {}

        def satu(nama, opd):
            s, r = _masuk(base, nama, opd, "spm2025")
            user = hub.nama_pengguna(nama, opd)
            hasil[user] = (s, *_tunggu_isi(s, base, user))

        t0 = time.time()
        threads = [threading.Thread(target=satu, args=o) for o in orang]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=400)
        siap = time.time() - t0
        assert len(hasil) == 3, (tmp_path / "hub.log").read_text()[-3000:]
        for user, (s, isi, detik) in hasil.items():
            assert "modul_0_pengenalan.ipynb" in isi and "BACA_DULU.md" in isi, isi
            assert (folder / "peserta" / user / "modul_6_kepatuhan_standar_pelayanan.ipynb").exists()
        print(f"\n3 peserta masuk bersamaan, server siap dalam {siap:.1f} detik")
        # each solves Modul 0 task 1 wrong, then right, in a kernel of their own server
        t1 = time.time()
        for (nama, opd) in orang:
            user = hub.nama_pengguna(nama, opd)
            out = _jalankan_di_kernel(hasil[user][0], base, user,
                                      f"from spm_helpers.training import check, start\nstart({nama!r}, {opd!r}, modul=0)\n"
                                      "check('m0.t1', 43)\ncheck('m0.t1', 29)")
            assert "Belum tepat" in out and "Benar" in out and "Error" not in out, out
        page = ""
        for _ in range(30):
            try:
                page = urllib.request.urlopen(f"http://127.0.0.1:{pantau}/", timeout=5).read().decode()
                if page.count("m0.t1") >= 3:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        print(f"kemajuan 3 peserta tampil {time.time() - t1:.1f} detik setelah sel pertama dijalankan")
        for opd in ("Dinas Kesehatan", "Dinas Pendidikan", "Dinas Sosial"):
            assert re.search(rf"m0\.t1</td><td>[^<]*</td><td>{opd}</td><td class=\"num\">1</td>", page), (opd, page)
        assert "Ani Rahmawati" not in page  # the projector view names nobody
        assert len(list((folder / "toko").glob("*.jsonl"))) == 3

        (ani, s_ani), (budi, _) = [(u, v[0]) for u, v in hasil.items()][:2]
        r = s_ani.get(f"{base}/user/{budi}/api/contents", headers={"X-XSRFToken": _xsrf(s_ani, ani)}, timeout=30)
        assert r.status_code in (403, 404) or "application/json" not in r.headers.get("content-type", "")
        r = s_ani.get(f"{base}/user/{budi}/lab", timeout=30)
        assert r.status_code == 403 or f"/user/{budi}/lab" not in r.url, (r.status_code, r.url)  # not Budi's lab

        # a participant's notebook survives a server restart (files live on disk; seeding never replaces)
        nb = folder / "peserta" / ani / "modul_0_pengenalan.ipynb"
        nb.write_text(nb.read_text().replace('nama_peserta = \\"\\"', 'nama_peserta = \\"Ani\\"'))
        before = nb.read_text()
        assert 'nama_peserta = \\"Ani\\"' in before
        h = {"X-XSRFToken": s_ani.cookies.get("_xsrf", path="/hub/") or s_ani.cookies.get("_xsrf", "")}
        r = s_ani.delete(f"{base}/hub/api/users/{ani}/server", headers=h, timeout=60)
        assert r.status_code in (202, 204), r.text
        for _ in range(60):
            if s_ani.get(f"{base}/hub/api/users/{ani}", headers=h, timeout=30).json().get("servers") == {}:
                break
            time.sleep(1)
        r = s_ani.get(f"{base}/hub/spawn/{ani}", timeout=60)  # "Start My Server" (no spawn options)
        assert r.status_code == 200, r.status_code
        _tunggu_isi(s_ani, base, ani)
        assert nb.read_text() == before

        # the facilitator's page: on loopback, served by the hub as a service, not through the proxy
        page = ""
        for _ in range(30):
            try:
                page = urllib.request.urlopen(f"http://127.0.0.1:{pantau}/", timeout=5).read().decode()
                break
            except OSError:
                time.sleep(1)
        assert "Kemajuan kelas" in page
        assert requests.get(base + "/services/kemajuan/", timeout=30).status_code == 404
        env = json.loads(s_ani.get(f"{base}/hub/api/users/{ani}", headers=h, timeout=30).text)
        assert env["name"] == ani
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # the hub started here and its children (servers, services)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


def _bad(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_spawner_gives_each_kernel_the_class_store(tmp_path):
    from unittest import mock

    sp = hub.RuangPeserta(user=mock.Mock(name="u"), toko_dir=str(tmp_path / "toko"),
                          home_dir=str(tmp_path / "ani"), hub=mock.Mock(), authenticator=mock.Mock())
    with mock.patch("jupyterhub.spawner.LocalProcessSpawner.user_env", lambda self, env: env):
        env = sp.user_env({})
    assert env["SPM_KELAS_TOKO"] == str(tmp_path / "toko")


def test_collect_names_each_file_by_participant_and_skips_untouched(tmp_path):
    import shutil as sh

    from typer.testing import CliRunner

    from spm_helpers.cli.app import app
    from spm_helpers.paths import exercises_dir
    from spm_helpers.training.release import release

    folder = tmp_path / "kelas"
    release(folder / "modul", [0])
    for user in ("ani-dinas-kesehatan", "budi-dinas-pendidikan", "citra-dinas-sosial"):
        hub.seed(folder / "modul", folder / "peserta" / user)
    nb = folder / "peserta" / "ani-dinas-kesehatan" / "modul_0_pengenalan.ipynb"
    sh.copy(exercises_dir() / "modul_0_pengenalan.ipynb", nb)  # Ani solved everything (the master)
    nb.write_text(nb.read_text().replace('nama_peserta = \\"\\"', 'nama_peserta = \\"Ani\\"')
                  .replace('opd = \\"\\"', 'opd = \\"Dinkes\\"'))
    nb2 = folder / "peserta" / "budi-dinas-pendidikan" / "modul_0_pengenalan.ipynb"
    nb2.write_text(nb2.read_text().replace('nama_peserta = \\"\\"', 'nama_peserta = \\"Budi\\"')
                   .replace('opd = \\"\\"', 'opd = \\"Disdik\\"'))  # Budi signed in, answered nothing
    # Citra answered task 1 but left her name empty; the hub kept what she typed at sign-in
    nb3 = folder / "peserta" / "citra-dinas-sosial" / "modul_0_pengenalan.ipynb"
    nb3.write_text(nb3.read_text().replace("jumlah_jenis_kabkota = ...", "jumlah_jenis_kabkota = 29"))
    auth = hub.KodeKelasAuthenticator(kode_kelas="SPM2025", folder_peserta=str(folder / "peserta"))
    assert asyncio.run(auth.authenticate(None, {"username": "Citra", "opd": "Dinsos", "password": "SPM2025"}))
    paths = hub.kumpulkan(folder, tmp_path / "kiriman", [0])
    assert sorted(p.relative_to(tmp_path / "kiriman").as_posix() for p in paths) == [
        "ani-dinas-kesehatan/modul_0_pengenalan.ipynb", "budi-dinas-pendidikan/modul_0_pengenalan.ipynb",
        "citra-dinas-sosial/modul_0_pengenalan.ipynb"]
    from spm_helpers.training import exercise_files as nbk

    assert nbk.identitas(nbk.read(tmp_path / "kiriman" / "citra-dinas-sosial" / "modul_0_pengenalan.ipynb")) == \
        {"nama_peserta": "Citra", "opd": "Dinsos"}
    assert nbk.identitas(nbk.read(tmp_path / "kiriman" / "budi-dinas-pendidikan" / "modul_0_pengenalan.ipynb")) == \
        {"nama_peserta": "Budi", "opd": "Disdik"}  # what the participant wrote wins
    with pytest.raises(SPMError, match="tidak akan ditimpa"):
        hub.kumpulkan(folder, tmp_path / "kiriman", [0])
    assert hub.kumpulkan(folder, tmp_path / "lain", [3]) == []
    r = CliRunner().invoke(app, ["kelas", "nilai", "--folder", str(tmp_path / "tidak_ada")])
    assert r.exit_code != 0 and "bukan folder kelas" in r.output


@pytest.mark.slow
@pytest.mark.notebook
def test_kelas_nilai_collects_and_grades_in_one_command(tmp_path):
    import shutil as sh

    from typer.testing import CliRunner

    from spm_helpers.cli.app import app
    from spm_helpers.paths import exercises_dir
    from spm_helpers.training import class_report
    from spm_helpers.training.release import release

    folder = tmp_path / "kelas"
    release(folder / "modul", [0])
    for user, nama, opd, src in (("ani-dinas-kesehatan", "Ani", "Dinkes", exercises_dir() / "modul_0_pengenalan.ipynb"),
                                 ("budi-dinas-pendidikan", "Budi", "Disdik", folder / "modul" / "modul_0_pengenalan.ipynb")):
        (folder / "peserta" / user).mkdir(parents=True)
        nb = folder / "peserta" / user / "modul_0_pengenalan.ipynb"
        sh.copy(src, nb)
        nb.write_text(nb.read_text().replace('nama_peserta = \\"\\"', f'nama_peserta = \\"{nama}\\"')
                      .replace('opd = \\"\\"', f'opd = \\"{opd}\\"'))
    r = CliRunner(env={"COLUMNS": "200"}).invoke(app, ["kelas", "nilai", "--folder", str(folder), "--ke",
                                                       str(tmp_path / "kiriman"), "--batas-waktu", "30"])
    assert r.exit_code == 0, r.output
    p = class_report.read_csv(tmp_path / "kiriman_nilai" / "nilai_peserta.csv").set_index("nama_peserta")
    # Ani: the master, 5 of 5 graded tasks right → 100; Budi: released stubs, 0 of 5 → 0
    assert p.loc["Ani", "nilai"] == 100.0 and p.loc["Budi", "nilai"] == 0.0
    assert p.loc["Ani", "opd"] == "Dinas Kesehatan" and p.loc["Budi", "berkas"] == "budi-dinas-pendidikan/modul_0_pengenalan.ipynb"
