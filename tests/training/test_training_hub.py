"""``spm kelas mulai``: the classroom JupyterHub. Unit tests of the class-code sign-in and the workspace
seeding, and (slow) a real hub on localhost: three participants sign in at once, each gets a seeded
workspace of their own, cannot open another's, and a restarted server keeps their notebook. Run as root,
the hub is isolated (a system user per participant) and a participant's own Python cannot read another's
workspace, records or the class folder, nor record under another's name."""
from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import threading
import time
import urllib.request
from pathlib import Path

import pytest

pytest.importorskip("jupyterhub")
requests = pytest.importorskip("requests")

from spm_helpers.errors import SPMError  # noqa: E402
from spm_helpers.training import hub, hub_users  # noqa: E402


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
    # the hub seeds as root into a folder the participant owns: a link they left is never followed
    (modul / "modul_2.ipynb").write_text("baru")
    (ruang / "modul_2.ipynb").symlink_to(tmp_path / "di_luar.txt")  # dangling: exists() would say no
    assert hub.seed(modul, ruang) == [] and not (tmp_path / "di_luar.txt").exists()


def test_configuration_and_bad_code(tmp_path):
    with pytest.raises(SPMError, match="Kode kelas"):
        hub.buat_konfigurasi(tmp_path, "ab")
    with pytest.raises(SPMError, match="bentrok"):  # the proxy's API port would take the page's
        hub.buat_konfigurasi(tmp_path, "SPM2025", port=8000, port_pantau=8002, isolasi=False)
    path = hub.buat_konfigurasi(tmp_path / "kelas", "SPM2025", ip="127.0.0.1", port=18100, isolasi=False)
    assert oct(path.stat().st_mode & 0o777) == "0o600"  # the config holds the class code
    assert oct((tmp_path / "kelas" / "kunci_pantau").stat().st_mode & 0o777) == "0o600"  # and the page key
    assert len(hub.kunci_pantau(tmp_path / "kelas")) >= 16 and not hub.terisolasi(tmp_path / "kelas")
    assert (tmp_path / "kelas" / "modul" / "modul_0_pengenalan.ipynb").exists()
    from traitlets.config import Config

    c = Config()
    hub.configure(c, folder=tmp_path / "kelas", kode="SPM2025", port=18100)
    assert c.KodeKelasAuthenticator.allow_all is True and c.JupyterHub.port == 18100
    # the defaults do not collide: participants 8000, progress page 8001, proxy API 8002, hub 8003
    c2 = Config()
    hub.configure(c2, folder=tmp_path / "kelas", kode="SPM2025")
    ports = [c2.JupyterHub.port, 8001, int(c2.ConfigurableHTTPProxy.api_url.rsplit(":", 1)[1]), c2.JupyterHub.hub_port]
    assert len(set(ports)) == 4 and c2.JupyterHub.services[1]["command"][8] == "8001", ports
    assert [s["name"] for s in c.JupyterHub.services] == ["pemangkas-diam", "kemajuan"]
    assert all("url" not in s for s in c.JupyterHub.services)  # the progress page is never proxied
    assert "--ServerApp.terminals_enabled=False" in c.Spawner.args
    assert c.JupyterHub.services[1]["command"][-2:] == ["--berkas-kunci", str(tmp_path / "kelas" / "kunci_pantau")]


def test_isolation_needs_root_and_a_python_everyone_can_run(tmp_path, monkeypatch):
    monkeypatch.setattr(hub_users, "tersedia", lambda: False)
    with pytest.raises(SPMError, match="perlu Linux dan hak root"):
        hub.buat_konfigurasi(tmp_path / "a", "SPM2025", isolasi=True)
    monkeypatch.setattr(hub_users, "tersedia", lambda: True)
    (tmp_path / "tertutup").mkdir(mode=0o700)
    with pytest.raises(SPMError, match="Peserta tidak dapat membuka /"):  # they could not reach their workspace
        hub.buat_konfigurasi(tmp_path / "tertutup" / "kelas", "SPM2025", isolasi=None)
    assert not (tmp_path / "tertutup" / "kelas").exists()  # nothing half-made
    import tempfile

    root = Path(tempfile.mkdtemp())  # under /tmp, which everyone may enter
    try:
        os.chmod(root, 0o755)
        (root / "tertutup").mkdir(mode=0o700)
        (root / "buka").mkdir(mode=0o755)
        (root / "buka" / "rahasia.py").write_text("")
        os.chmod(root / "buka" / "rahasia.py", 0o600)
        assert hub_users.penghalang([], [root / "tertutup" / "kelas"]) == root / "tertutup"
        assert hub_users.penghalang([], [root / "buka" / "kelas"]) is None  # the class folder need not exist yet
        assert hub_users.penghalang([root / "buka"], []) is None
        assert hub_users.penghalang([root / "buka" / "rahasia.py"], []) == root / "buka" / "rahasia.py"
    finally:
        shutil.rmtree(root)


def test_system_user_names_fit_linux_and_stay_stable():
    panjang = hub.nama_pengguna("Siti Nurhaliza Binti Abdullah Rahman", "Dinas Pemberdayaan Perempuan dan "
                                                                         "Perlindungan Anak")
    nama = hub_users.nama_sistem(panjang, "/kelas/peserta/x")
    assert re.fullmatch(r"spm-[a-z0-9-]+-[0-9a-f]{6}", nama) and len(nama) <= 31, nama
    assert nama == hub_users.nama_sistem(panjang, "/kelas/peserta/x") != hub_users.nama_sistem(panjang + "x",
                                                                                              "/kelas/peserta/x")
    # the same participant in another class (another folder) is another system user
    assert nama != hub_users.nama_sistem(panjang, "/kelas_lain/peserta/x")


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


# Run in Ani's kernel on an isolated hub: what of the others' can a participant's Python reach?
INTIP = """
import json, os, pathlib, urllib.error, urllib.request
f = pathlib.Path({folder!r})
hasil = {{}}
def coba(nama, fn):
    try:
        fn()
        hasil[nama] = "bisa"
    except PermissionError:
        hasil[nama] = "ditolak"
    except urllib.error.HTTPError as e:
        hasil[nama] = e.code
    except Exception as e:
        hasil[nama] = type(e).__name__
coba("ruang_budi", lambda: os.listdir(f / "peserta" / {budi!r}))
coba("notebook_budi", lambda: open(f / "peserta" / {budi!r} / "modul_0_pengenalan.ipynb").read())
coba("toko_budi", lambda: os.listdir(f / "toko" / {budi!r}))
coba("tulis_toko_budi", lambda: open(f / "toko" / {budi!r} / "palsu.jsonl", "w").write("{{}}"))
coba("tulis_toko", lambda: open(f / "toko" / "palsu.jsonl", "w").write("{{}}"))
coba("daftar_masuk", lambda: os.listdir(f / "toko" / "_masuk"))
coba("daftar_peserta", lambda: os.listdir(f / "peserta"))
coba("daftar_kelas", lambda: os.listdir(f))
coba("kunci", lambda: open(f / "kunci_pantau").read())
coba("basis_data", lambda: open(f / "hub.sqlite", "rb").read(16))
coba("konfigurasi", lambda: open(f / "jupyterhub_config.py").read())
coba("ruang_sendiri", lambda: os.listdir(os.getcwd()))
coba("halaman_kemajuan", lambda: urllib.request.urlopen({halaman!r}, timeout=10).read())
print("HASIL" + json.dumps(hasil))
"""
DITOLAK = ["ruang_budi", "notebook_budi", "toko_budi", "tulis_toko_budi", "tulis_toko", "daftar_masuk",
           "daftar_peserta", "daftar_kelas", "kunci", "basis_data", "konfigurasi"]


@pytest.mark.slow
@pytest.mark.parametrize("pisah", [True, False], ids=["terpisah", "satu-pengguna"])
def test_a_real_hub_three_participants_at_once(tmp_path, pisah):
    from tests.helpers.class_hub import class_hub

    if pisah and not hub_users.tersedia():
        pytest.skip("pemisahan peserta perlu root di Linux")
    with class_hub(tmp_path, isolasi=pisah) as (folder, base, pantau, isolasi):
        if pisah and not isolasi:
            pytest.skip("tidak ada Python yang dapat dijalankan semua pengguna")
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
        print(f"\n3 peserta masuk bersamaan (isolasi={isolasi}), server siap dalam {siap:.1f} detik")
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
                page = urllib.request.urlopen(pantau, timeout=5).read().decode()
                if page.count("m0.t1") >= 3:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        print(f"kemajuan 3 peserta tampil {time.time() - t1:.1f} detik setelah sel pertama dijalankan")
        for opd in ("Dinas Kesehatan", "Dinas Pendidikan", "Dinas Sosial"):
            assert re.search(rf"m0\.t1</td><td>[^<]*</td><td>{opd}</td><td class=\"num\">1</td>", page), (opd, page)
        assert "Ani Rahmawati" not in page  # the projector view names nobody
        stores = sorted(p.parent.name for p in (folder / "toko").glob("*/*.jsonl"))
        assert stores == sorted(hasil), stores  # one kernel file each, in the participant's own folder

        ani, budi = hub.nama_pengguna("Ani Rahmawati", "Dinkes"), hub.nama_pengguna("Budi Santoso", "Disdik")
        s_ani = hasil[ani][0]
        r = s_ani.get(f"{base}/user/{budi}/api/contents", headers={"X-XSRFToken": _xsrf(s_ani, ani)}, timeout=30)
        assert r.status_code in (403, 404) or "application/json" not in r.headers.get("content-type", "")
        r = s_ani.get(f"{base}/user/{budi}/lab", timeout=30)
        assert r.status_code == 403 or f"/user/{budi}/lab" not in r.url, (r.status_code, r.url)  # not Budi's lab

        # Python in Ani's kernel: the progress page needs its key (a kernel can reach 127.0.0.1 too); on an
        # isolated hub nothing of Budi's, of the class folder or of the store is readable or writable
        out = _jalankan_di_kernel(s_ani, base, ani, INTIP.format(folder=str(folder), budi=budi,
                                                                 halaman=pantau.split("?")[0]))
        intip = json.loads(out[out.index("HASIL") + 5:].split("\n")[0])
        assert intip["halaman_kemajuan"] == 403 and intip["ruang_sendiri"] == "bisa", intip
        if isolasi:
            assert {k: intip[k] for k in DITOLAK} == dict.fromkeys(DITOLAK, "ditolak"), intip
            import pwd

            pw = pwd.getpwuid((folder / "peserta" / ani).stat().st_uid)
            assert pw.pw_name == hub_users.nama_sistem(ani, folder / "peserta" / ani) and pw.pw_uid != 0
            assert (folder / "peserta" / ani).stat().st_mode & 0o777 == 0o700
            assert (folder / "toko" / ani).stat().st_mode & 0o777 == 0o700
            # Ani's kernel claims to be Budi: the page still counts it under Ani's sign-in (Dinas Kesehatan)
            out = _jalankan_di_kernel(s_ani, base, ani, "from spm_helpers.training import check, start\n"
                                                        "start('Budi Santoso', 'Disdik', modul=0)\ncheck('m0.t2', 5)")
            assert "Belum tepat" in out, out
            for _ in range(20):
                page = urllib.request.urlopen(pantau, timeout=5).read().decode()
                if "m0.t2" in page:
                    break
                time.sleep(0.5)
            assert re.search(r"m0\.t2</td><td>[^<]*</td><td>Dinas Kesehatan</td><td class=\"num\">0</td>"
                             r"<td class=\"num\">1</td>", page), page
            assert not re.search(r"m0\.t2</td><td>[^<]*</td><td>Dinas Pendidikan</td>", page), page

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
        page = urllib.request.urlopen(pantau, timeout=5).read().decode()
        assert "Kemajuan kelas" in page
        assert requests.get(base + "/services/kemajuan/", timeout=30).status_code == 404
        env = json.loads(s_ani.get(f"{base}/hub/api/users/{ani}", headers=h, timeout=30).text)
        assert env["name"] == ani
    if isolasi:  # the class's system users are gone again
        import pwd

        assert not [p for p in pwd.getpwall() if p.pw_gecos.startswith(hub_users.PENANDA)
                    and str(folder) in p.pw_dir]


def test_spawner_gives_each_kernel_the_class_store(tmp_path):
    from unittest import mock

    user = mock.Mock()
    user.name = "ani-dinas-kesehatan"
    for isolasi in (False, True):
        sp = hub.RuangPeserta(user=user, toko_dir=str(tmp_path / "toko"), isolasi=isolasi,
                              home_dir=str(tmp_path / "ani"), hub=mock.Mock(), authenticator=mock.Mock())
        with mock.patch("jupyterhub.spawner.LocalProcessSpawner.user_env", lambda self, env: env):
            env = sp.user_env({})
        assert env["SPM_KELAS_TOKO"] == str(tmp_path / "toko" / "ani-dinas-kesehatan")  # the participant's own
        assert env["HOME"] == str(tmp_path / "ani")
        assert env["USER"] == (hub_users.nama_sistem(user.name, tmp_path / "ani") if isolasi else user.name)


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
    auth = hub.KodeKelasAuthenticator(kode_kelas="SPM2025", toko_dir=str(folder / "toko"))
    assert asyncio.run(auth.authenticate(None, {"username": "Citra", "opd": "Dinsos", "password": "SPM2025"}))
    (folder / "peserta" / "dewi-bappeda").mkdir()  # a link to a file outside the workspace is not collected
    (tmp_path / "rahasia.ipynb").write_text(nb.read_text())
    (folder / "peserta" / "dewi-bappeda" / "modul_0_pengenalan.ipynb").symlink_to(tmp_path / "rahasia.ipynb")
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
