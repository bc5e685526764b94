"""Issue 18: one corpus of hostile strings put into every place a user types text, pushed through every HTML
output and looked at in headless Debian Chromium (Playwright). Entry points: sumber_data, the data folder's
name, kebijakan_umum / arah_kebijakan (identitas), the free text of the quarterly tables (permasalahan, solusi,
nomor_dokumen of tahapan, keterangan of anggaran), compliance unit names, participant names and OPDs in the
class report, error text reaching the batch pages. Outputs: the
regional report, the rencana aksi, the quarter pack HTML (``spm laporan / rencana-aksi / triwulan``), the
compliance notebook's page, the batch index, the quarterly batch index and the class page.

In Chromium: no dialog fires, no element or link the corpus would create exists, each string is shown
literally (textContent), and every table is still visible."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

CHROMIUM = "/usr/bin/chromium"
pytestmark = [pytest.mark.browser, pytest.mark.notebook,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="perlu chromium Debian di /usr/bin/chromium")]

CORPUS = ['"><img src=x onerror=alert(1)>', "<script>alert(2)</script>", "<style>table{display:none}</style>",
          "javascript:alert(3)", "[klik](javascript:alert(4))", "![gambar](x onerror=alert(5))", "{{7*7}}",
          '=HYPERLINK("http://x","klik")', '<a href="javascript:alert(6)">tautan</a>', "*miring* **tebal** `kode`"]
FOLDER = 'data"><img src=x onerror=alert(7)>{{7*7}}'  # a folder name cannot hold '/'


def payload(tag: str) -> str:
    """The whole corpus behind a tag, so each output can be asked where the text went."""
    return tag + " " + " ".join(CORPUS)


# what must show, literally, on each page (tag → the text put there)
SHOWN = {
    "laporan": {t: payload(t) for t in ("SUMBERDATA", "MASALAH", "SOLUSI", "KEBIJAKANUMUM", "ARAHKEBIJAKAN")}
    | {"FOLDER": FOLDER},
    "rencana_aksi": {},  # builds on reference data and numbers only: checked for script and hidden tables
    "triwulan": {t: payload(t) for t in ("SUMBERDATA", "MASALAH", "SOLUSI", "NOMORDOK")} | {"FOLDER": FOLDER},
}


def check_page(html: Path, must_show: dict[str, str]) -> None:
    """Open ``html`` in Chromium: no dialog, nothing the corpus would create, the text literal, tables visible."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--headless", "--disable-gpu"])
        try:
            page = browser.new_page()
            dialogs: list[str] = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(html.as_uri())
            page.wait_for_timeout(300)  # an onerror handler runs after the image fails to load
            for link in page.query_selector_all("a"):
                if (link.get_attribute("href") or "").strip().lower().startswith("javascript"):
                    link.click()  # a user would: a javascript: link must not exist, and clicking it must not run
            page.wait_for_timeout(100)
            text = page.evaluate("document.body.textContent")
            found = page.evaluate("""() => ({
                injected_img: [...document.images].filter(i => i.getAttribute('src') === 'x').length,
                scripts: [...document.scripts].filter(s => s.textContent.includes('alert(')).length,
                styles: [...document.querySelectorAll('style')].filter(s => s.textContent.includes('display:none')
                                                                      && s.textContent.length < 60).length,
                js_links: [...document.querySelectorAll('a')].filter(a => /^\\s*javascript:/i.test(a.getAttribute('href')
                                                                      || '')).length,
                tables: [...document.querySelectorAll('table')].map(t => t.getBoundingClientRect().height > 0
                                                                  && getComputedStyle(t).display !== 'none'),
            })""")
        finally:
            browser.close()
    assert dialogs == [], dialogs
    assert found["injected_img"] == found["scripts"] == found["styles"] == found["js_links"] == 0, found
    assert found["tables"] and all(found["tables"]), found["tables"]
    for tag, value in must_show.items():
        assert value in text, (html.name, tag, value)


# --------------------------------------------------------------------------------------------- documents
@pytest.fixture(scope="module")
def documents(tmp_path_factory) -> dict[str, Path]:
    """``spm laporan``, ``spm rencana-aksi`` and ``spm triwulan`` on the hand-worked quarterly case with every
    user text replaced by the corpus, read from a folder with a hostile name, with a hostile identitas."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "helpers"))
    import quarter_case

    from spm_helpers.cli.app import app
    from spm_helpers.inputs import datastore

    root = tmp_path_factory.mktemp("xss")
    data = root / FOLDER
    data.mkdir()
    t = quarter_case.tables()
    t["sasaran"]["sumber_data"] = payload("SUMBERDATA")
    t["permasalahan"].loc[0, ["permasalahan", "solusi"]] = [payload("MASALAH"), payload("SOLUSI")]
    t["anggaran"]["keterangan"] = payload("KETERANGAN")  # free text of the budget rows (only in the Excel pack)
    t["tahapan"]["nomor_dokumen"] = t["tahapan"]["nomor_dokumen"].astype(object)
    t["tahapan"].loc[0, "nomor_dokumen"] = payload("NOMORDOK")
    datastore.save(t, data)
    ident = root / "identitas.yaml"
    ident.write_text(yaml.safe_dump({"kebijakan_umum": payload("KEBIJAKANUMUM"),
                                     "arah_kebijakan": payload("ARAHKEBIJAKAN"), "tempat": "Bekasi"},
                                    allow_unicode=True), encoding="utf-8")
    runner, out = CliRunner(), {}
    for name, args in (("laporan", ["laporan", "--identitas", str(ident)]),
                       ("rencana_aksi", ["rencana-aksi", "--identitas", str(ident)]),
                       ("triwulan", ["triwulan", "--triwulan", "2"])):
        ke = root / f"keluaran_{name}"
        res = runner.invoke(app, [*args, "--wilayah", "32.75", "--tahun", "2025", "--format", "html",
                                  "--data", str(data), "--ke", str(ke)])
        assert res.exit_code == 0, res.output
        [out[name]] = [p for p in ke.glob("*.html")]
    return out


@pytest.mark.parametrize("name", sorted(SHOWN))
def test_documents_show_the_corpus_literally(documents, name):
    check_page(documents[name], SHOWN[name])


# --------------------------------------------------------------------------------------------- compliance
def test_compliance_page_shows_unit_names_literally(tmp_path):
    """Notebook 05 on a filled checklist whose unit names are the corpus, exported like a report."""
    import nbformat

    from spm_helpers.compliance import assessments as cd
    from spm_helpers.compliance import workbook as ce
    from spm_helpers.documents import publish
    from spm_helpers.paths import notebooks_dir

    skema = "ombudsman_2022_2024"
    demo = cd.generate_contoh("14.10", skema)
    units = list(dict.fromkeys(demo["unit"]))[: len(CORPUS)]
    names = dict(zip(units, CORPUS))
    demo = demo[demo["unit"].isin(units)].assign(unit=lambda d: d["unit"].map(names))
    data = tmp_path / "data"
    data.mkdir()
    ce.write_formulir(data / ce.form_filename("14.10", 2024, skema), "14.10", 2024, skema, penilaian=demo)
    nb = publish.run_notebook(notebooks_dir() / "05_kepatuhan_standar_pelayanan.ipynb", tmp_path / "05.ipynb",
                              {"kode_wilayah": "14.10", "tahun": 2024, "skema": skema, "data_dir": str(data),
                               "output_dir": str(tmp_path / "keluaran")}, cwd=tmp_path)
    html = tmp_path / "kepatuhan.html"
    html.write_text(publish.notebook_to_html(nbformat.from_dict(nb), "Kepatuhan"), encoding="utf-8")
    check_page(html, {f"unit {i}": c for i, c in enumerate(CORPUS)})


# --------------------------------------------------------------------------------------------- batch pages
def _batch(tmp_path, monkeypatch, triwulan: int | None):
    """A batch whose stand-in pool fails one region with corpus text and succeeds another whose summary
    carries corpus text (what a notebook could write), then the index page of that run."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "helpers"))
    from batch_support import RINGKASAN_NB, write_demo

    from spm_helpers.batch import runner as batch_runner

    class Pool:
        def imap(self, tasks):
            for i, task in enumerate(tasks):
                if i == 0:
                    yield {"kode_wilayah": task.kode_wilayah, "status": "gagal", "detik": 0.0, "keluaran": [],
                           "notebook": None, "galat": "ValueError: " + payload("GALAT"),
                           "sel_gagal": {"indeks": 3, "eksekusi": 4, "sumber": payload("SEL")}, "pekerja": "uji"}
                    continue
                out = task.out_dir
                out.mkdir(parents=True, exist_ok=True)
                (out / "laporan.html").write_text("ok")
                if triwulan:
                    (out / "ringkasan_triwulan.json").write_text(json.dumps({
                        "keterisian": 0.5, "ip_spm": 70.0, "kategori": payload("KATEGORI"),
                        "blok_kosong": [payload("BLOK")], "keterisian_blok": {}, "jumlah_kekurangan": 3,
                        "data": "data daerah"}), encoding="utf-8")
                yield {"kode_wilayah": task.kode_wilayah, "status": "berhasil", "detik": 0.0,
                       "keluaran": [f"{task.kode_wilayah}/laporan.html"], "notebook": None, "galat": None,
                       "sel_gagal": None, "pekerja": "uji"}

    data = write_demo(tmp_path / FOLDER, ["11.01", "32.75"])
    monkeypatch.setattr(batch_runner, "_pool", lambda *a, **k: Pool())
    out = batch_runner.run_batch(["11.01", "32.75"], 2025, tmp_path / "run", notebook=RINGKASAN_NB, data_dir=data,
                                 summary=not triwulan, triwulan=triwulan)
    if triwulan:
        from spm_helpers.batch import quarter_summary
        return quarter_summary.write_quarter_summary(out.manifest)
    assert out.index is not None
    return out.index


def test_batch_index_shows_error_text_literally(tmp_path, monkeypatch):
    check_page(_batch(tmp_path, monkeypatch, None), {"galat": payload("GALAT")})


def test_quarter_index_shows_notebook_text_literally(tmp_path, monkeypatch):
    check_page(_batch(tmp_path, monkeypatch, 2), {"galat": payload("GALAT"), "blok": payload("BLOK"),
                                                  "kategori": payload("KATEGORI")})


# --------------------------------------------------------------------------------------------- class page
def test_class_page_shows_participant_text_literally(tmp_path):
    from spm_helpers.training import class_report
    from spm_helpers.training.grade import HasilKiriman

    hasil = [HasilKiriman(f"peserta{i}.ipynb", nama_peserta=c, opd=CORPUS[-1 - i], modul=1,
                          soal={"m1.t1": "benar", "m1.t2": "salah"}, akun=f"peserta{i}")
             for i, c in enumerate(CORPUS)]
    for dengan_nama in (False, True):
        ke = tmp_path / f"kelas_{dengan_nama}"
        ke.mkdir()
        class_report.write(hasil, ke, dengan_nama=dengan_nama)
        shown = {f"nama {i}": c for i, c in enumerate(CORPUS)} if dengan_nama else {}
        check_page(ke / "ringkasan_kelas.html", shown)
        from openpyxl import load_workbook

        for ws in load_workbook(ke / "ringkasan_kelas.xlsx").worksheets:  # no text became a formula
            assert not [c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "f"], ws.title
        raw = (ke / "nilai_peserta.csv").read_text(encoding="utf-8-sig")
        assert ";=HYPERLINK" not in raw and "\n=HYPERLINK" not in raw  # neutralised for Excel



@pytest.mark.parametrize("raw", [CORPUS[0], CORPUS[1], CORPUS[2], CORPUS[8], "<p>{{7*7}}</p>".replace("{{7*7}}", "49")])
def test_the_check_fails_on_a_page_that_did_not_escape(tmp_path, raw):
    """The checker itself: a page with the raw corpus text fails it (script ran, table hidden, link made, or
    the text not shown as typed)."""
    html = tmp_path / "mentah.html"
    html.write_text(f"<html><body><table><tr><td>angka</td></tr></table><p>{raw}</p></body></html>", encoding="utf-8")
    with pytest.raises(AssertionError):
        check_page(html, {"teks": "{{7*7}}"} if "49" in raw else {})
