"""Browser test against a real ``spm kelas`` hub on localhost: three participants in three browser
contexts sign in with name, OPD and class code, open Modul 0 in their own JupyterLab, answer task 1 wrong
and then right; the facilitator's page shows the three per OPD; no request leaves 127.0.0.1. Run as
root, the hub is isolated (each participant's JupyterLab runs as their own system user)."""
from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

pytest.importorskip("jupyterhub")
sync_api = pytest.importorskip("playwright.sync_api")

from spm_helpers.training import hub  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
pytestmark = [pytest.mark.browser, pytest.mark.slow,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="perlu chromium Debian di /usr/bin/chromium")]

ORANG = [("Ani Rahmawati", "Dinkes"), ("Budi Santoso", "Disdik"), ("Citra Lestari", "Dinsos")]
JAWAB = """(src) => {
  const nb = window.jupyterapp.shell.currentWidget.content;
  const cell = nb.widgets.find(c => c.model.sharedModel.getSource().includes('jumlah_jenis_kabkota = '));
  cell.model.sharedModel.setSource(src);
  return true;
}"""


def test_three_participants_in_the_browser(tmp_path):
    from tests.helpers.class_hub import class_hub

    luar: list[str] = []
    # expose_app_in_browser lets the test drive JupyterLab's commands (window.jupyterapp)
    with class_hub(tmp_path, extra_config='c.Spawner.args.append("--LabApp.expose_app_in_browser=True")\n') as (
            folder, base, pantau, isolasi):
        t_masuk = time.time()
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            pages = []
            for nama, opd in ORANG:
                ctx = browser.new_context(viewport={"width": 1300, "height": 900})
                ctx.on("request", lambda r: None if r.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:",
                                                                      "blob:")) else luar.append(r.url))
                page = ctx.new_page()
                page.goto(base + "/hub/login")
                page.fill("#username_input", nama)
                page.fill("#opd_input", opd)
                page.fill("#password_input", "spm2025")
                page.click("#login_submit")
                pages.append((page, hub.nama_pengguna(nama, opd)))
            for page, user in pages:  # the three servers start at once; open Modul 0 in each
                page.wait_for_url(re.compile(rf".*/user/{user}/lab.*"), timeout=240_000, wait_until="commit")
            print(f"\n3 peserta masuk (isolasi={isolasi}): JupyterLab ketiganya terbuka {time.time() - t_masuk:.1f} "
                  "detik sejak peramban dibuka")
            for page, user in pages:
                page.goto(f"{base}/user/{user}/lab/tree/modul_0_pengenalan.ipynb")
            for (page, user), (nama, opd) in zip(pages, ORANG):
                page.wait_for_function("window.jupyterapp && window.jupyterapp.shell.currentWidget"
                                       " && window.jupyterapp.shell.currentWidget.sessionContext"
                                       " && window.jupyterapp.shell.currentWidget.sessionContext.session",
                                       timeout=180_000)
                nb_js = "window.jupyterapp.shell.currentWidget.content"
                page.evaluate(f"""() => {{ const nb = {nb_js};
                    const c = nb.widgets.find(c => c.model.sharedModel.getSource().startsWith('# Isi nama'));
                    c.model.sharedModel.setSource(c.model.sharedModel.getSource()
                        .replace('nama_peserta = ""', 'nama_peserta = "{nama}"').replace('opd = ""', 'opd = "{opd}"')); }}""")
                page.evaluate(JAWAB, "jumlah_jenis_kabkota = len(catalog.jenis())")  # all 43: wrong
                page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
                page.locator(".spm-cek-salah").filter(has_text="kab/kota").first.wait_for(timeout=180_000)
                page.evaluate(JAWAB, 'jumlah_jenis_kabkota = len(catalog.jenis("kabkota"))')  # the hint's code
                page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
                page.locator(".spm-cek-benar").filter(has_text="Menghitung jenis").first.wait_for(timeout=180_000)
            pages[0][0].screenshot(path=str(tmp_path / "peserta.png"))
            t0 = time.time()
            fasilitator = browser.new_page()
            fasilitator.goto(pantau)
            html = fasilitator.content()
            fasilitator.screenshot(path=str(tmp_path / "kemajuan.png"), full_page=True)
            browser.close()
        print(f"halaman kemajuan dibaca {time.time() - t0:.1f} detik setelah jawaban terakhir")
        assert "Ani Rahmawati" not in html
        for opd in ("Dinas Kesehatan", "Dinas Pendidikan", "Dinas Sosial"):
            # one right (after one wrong) per OPD on m0.t1
            assert re.search(rf"m0\.t1</td><td>[^<]*</td><td>{opd}</td><td class=\"num\">1</td><td class=\"num\">0</td>",
                             html), (opd, html)
        assert luar == [], luar  # nothing from the internet: no CDN, no news, no update check
        if isolasi:  # three JupyterLabs, three system users, none of them root
            uids = {(folder / "peserta" / user).stat().st_uid for _, user in pages}
            assert len(uids) == 3 and 0 not in uids, uids
        if os.environ.get("SPM_TANGKAPAN_LAYAR"):
            import shutil

            for n in ("peserta.png", "kemajuan.png"):
                shutil.copy(tmp_path / n, Path(os.environ["SPM_TANGKAPAN_LAYAR"]) / n)
