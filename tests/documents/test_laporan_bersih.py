"""Exported pages as a reader gets them from ``spm laporan`` / ``spm rencana-aksi`` on real (non-demo) data with
a row where terlayani > sasaran (DECISIONS D3): the command succeeds, the row is flagged and capped, and no page
carries a stray Python value (``None``, ``nan``, ``NaT``, ``<NA>``) — the four stray ``None`` outputs came from
sections whose demo-data banner is None for real data."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from spm_helpers.cli.app import app
from spm_helpers.inputs import datastore
from spm_helpers.paths import contoh_dir

STRAY = re.compile(r"(?<![\w-])(None|nan|NaN|NaT|<NA>|&lt;NA&gt;)(?![\w-])")


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """17.01's rows 2021–2025 as the region's own data, with KES-KK-02 2025 served above its sasaran."""
    out = tmp_path_factory.mktemp("data_1701")
    t = datastore.load(contoh_dir(), "17.01", list(range(2021, 2026)))
    s = t["sasaran"]
    s["sumber_data"] = "Dinkes, Dapodik"
    row = (s["tahun"] == 2025) & (s["kode_jenis"] == "KES-KK-02")
    s.loc[row, "jumlah_terlayani"] = s.loc[row, "jumlah_sasaran"] + 25
    datastore.save(t, out)
    return out


def _visible_text(html: str) -> str:
    """The page without scripts, styles and embedded images (base64 may contain any letters)."""
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.DOTALL | re.IGNORECASE)
    html = re.sub(r"data:image/[a-z+]+;base64,[A-Za-z0-9+/=]+", " ", html)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.fixture(scope="module", params=["laporan", "rencana-aksi"])
def exported(request, folder, tmp_path_factory) -> tuple[str, Path]:
    dokumen = request.param
    out = tmp_path_factory.mktemp(dokumen)
    res = CliRunner().invoke(app, [dokumen, "--wilayah", "17.01", "--tahun", "2025", "--format", "html",
                                   "--data", str(folder), "--ke", str(out)])
    assert res.exit_code == 0, res.output  # the over-served row does not stop the report (D3)
    return dokumen, out


def test_exported_page_has_no_stray_values_and_served_above_target_is_a_warning(exported):
    dokumen, out = exported
    html = next(out.glob("*.html")).read_text(encoding="utf-8")
    text = _visible_text(html)
    stray = [text[max(0, m.start() - 60):m.end() + 20] for m in STRAY.finditer(text)]
    assert stray == [], stray
    assert "bawaan_2026" in text  # every report names the category scheme
    assert "Tingkat keterisian data" in text and "dari 29 jenis" in text  # D8 beside the IP-SPM
    assert "data contoh" not in text.lower()  # real data: no demo banner, and no None in its place
    if dokumen == "laporan":
        ringkasan = json.loads((out / "ringkasan.json").read_text(encoding="utf-8"))
        assert ringkasan["jumlah_jenis_wajib"] == 29 and ringkasan["skema_kategori"] == "bawaan_2026"
        bendera = (out / "bendera.csv").read_text(encoding="utf-8")
        assert "terlayani_melebihi_sasaran" in bendera and "peringatan" in bendera
        assert "menerapkan 29 jenis" in text


class _Links(HTMLParser):
    """Ids of the page, and the links of its daftar isi (the <nav class="daftar-isi">) with their text."""

    def __init__(self):
        super().__init__()
        self.ids, self.links, self.nav, self.link = set(), [], 0, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "nav" and "daftar-isi" in (a.get("class") or ""):
            self.nav += 1
        elif tag == "a" and self.nav:
            self.link = [a.get("href", ""), ""]
            self.links.append(self.link)

    def handle_endtag(self, tag):
        if tag == "nav" and self.nav:
            self.nav -= 1
        elif tag == "a":
            self.link = None

    def handle_data(self, data):
        if self.link is not None:
            self.link[1] += data


def test_daftar_isi_links_every_chapter_to_an_anchor_that_exists(exported):
    dokumen, out = exported
    html = next(out.glob("*.html")).read_text(encoding="utf-8")
    page = _Links()
    page.feed(html)
    targets = [href[1:] for href, _ in page.links]
    assert page.links and all(href.startswith("#") for href, _ in page.links)
    assert set(targets) <= page.ids and len(set(targets)) == len(targets)  # every link lands, none twice
    titles = [text for _, text in page.links]
    chapters = [t for t in titles if t.startswith("Bab ")]
    if dokumen == "laporan":
        assert titles[:3] == ["Kata Pengantar", "Ringkasan", "Bab I Pendahuluan"]
        assert chapters == ["Bab I Pendahuluan", "Bab II Penerapan dan Pencapaian SPM",
                            "Bab III Permasalahan dan Solusi",
                            "Bab IV Penutup"]
        assert "1.5 Data dan Metode" in titles and titles[-1] == "Lampiran: Rincian Mutu Data"
    else:
        assert [c.split()[1] for c in chapters] == ["I", "II", "III", "IV", "V", "VI"]
    # after the cover, before the first chapter; hidden in print (the PDF has its own, with page numbers)
    assert html.index('class="sampul"') < html.index('class="daftar-isi"') < html.index(f'id="{targets[0]}"')
    assert re.search(r"@media print \{[^}]*\.daftar-isi \{ display: none; \}", html)
