"""The daftar isi of a page shell: built from the body's chapter headings, links that land, placed after the
cover and before the first chapter's cell, escaped like every other text of the shell."""
from __future__ import annotations

import re
from html import unescape

from hypothesis import given, settings
from hypothesis import strategies as st

from spm_helpers.views import prose


def _cell(inner: str, n: int) -> str:
    return f'<div id="cell-id=c{n}" class="cell border-box-sizing text_cell rendered"><div>{inner}</div></div>\n'


def _heading(level: int, anchor: str, text: str) -> str:
    return f'<h{level} id="{anchor}">{text}<a class="anchor-link" href="#{anchor}">&#182;</a></h{level}>'


BODY = (_cell('<div class="sampul"><h1>Laporan</h1></div>', 0) + _cell(_heading(2, "Bab-I", "Bab I Pendahuluan"), 1)
        + _cell(_heading(3, "1.1-Latar", "1.1 Latar Belakang") + "<p>teks</p>", 2)
        + _cell(_heading(2, "Bab-II", "Bab II <em>Capaian</em> &amp; Biaya"), 3) + _cell("<h3>tanpa id</h3>", 4))


def test_headings_are_the_h2_and_h3_with_an_id_without_the_pilcrow():
    assert prose.headings(BODY) == [(2, "Bab-I", "Bab I Pendahuluan"), (3, "1.1-Latar", "1.1 Latar Belakang"),
                                    (2, "Bab-II", "Bab II Capaian & Biaya")]


def test_contents_sit_between_the_cover_cell_and_the_first_chapter_cell():
    out = prose.with_contents(BODY)
    nav = out.index('<nav class="daftar-isi"')
    assert out.index('class="sampul"') < nav < out.index('<div id="cell-id=c1"')
    assert out[nav:].index("</nav>") < out[nav:].index('<div id="cell-id=c1"')  # a block of its own
    assert out.replace(out[nav:out.index("</nav>") + len("</nav>\n")], "") == BODY  # nothing else changed
    links = re.findall(r'<a href="#([^"]+)">([^<]*)</a>', out[nav:out.index("</nav>")])
    assert links == [("Bab-I", "Bab I Pendahuluan"), ("1.1-Latar", "1.1 Latar Belakang"),
                     ("Bab-II", "Bab II Capaian &amp; Biaya")]  # text escaped again, tags gone
    nested = out[nav:out.index("</nav>")]
    assert nested.index("Bab I Pendahuluan") < nested.index("<ul>\n<li><a href=\"#1.1-Latar\"")  # 1.1 under Bab I


def test_a_page_with_one_chapter_or_none_gets_no_contents():
    one = _cell(_heading(2, "Bab-I", "Bab I"), 1) + _cell(_heading(3, "x", "1.1 x"), 2)
    assert prose.with_contents(one) == one
    assert prose.with_contents("<p>ringkasan</p>") == "<p>ringkasan</p>"
    assert "<nav" not in prose.page("Ringkasan", one, daftar_isi=True)
    assert "<nav" not in prose.page("Indeks", BODY) and "<nav" in prose.page("L", BODY, daftar_isi=True)


def test_user_text_in_a_heading_cannot_add_markup_to_the_contents():
    evil = _cell(_heading(2, "a", "Bab &lt;img src=x onerror=alert(1)&gt;"), 1) + _cell(_heading(2, "b", "Bab II"), 2)
    nav = prose.with_contents(evil)
    nav = nav[nav.index("<nav"):nav.index("</nav>")]
    assert "<img" not in nav and "&lt;img src=x onerror=alert(1)&gt;" in nav


ANCHOR = st.text(st.characters(codec="utf-8", exclude_characters='"<>&', exclude_categories=("Cs", "Cc", "Zs")),
                 min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([2, 3]), ANCHOR), min_size=2, max_size=12, unique_by=lambda t: t[1]))
def test_every_link_of_the_contents_resolves_to_an_id_of_the_page(items):
    body = "".join(_cell(_heading(level, anchor, f"Judul {anchor}"), i) for i, (level, anchor) in enumerate(items))
    out = prose.with_contents(body)
    if sum(1 for level, _ in items if level == 2) < 2:
        assert out == body
        return
    nav = out[out.index("<nav"):out.index("</nav>")]
    hrefs = [unescape(h) for h in re.findall(r'href="#([^"]*)"', nav)]  # as the browser reads attributes
    ids = [unescape(i) for i in re.findall(r'id="([^"]*)"', out.replace(nav, ""))]
    assert hrefs == [a for _, a in items]  # every chapter and section, in page order
    assert set(hrefs) <= set(ids)


def test_rencana_aksi_prose_templates_say_what_the_f_strings_said_and_escape_catalogue_text():
    md = prose.markdown
    assert md("rencana_aksi/kondisi_awal.md.j2", nama="Kota Bekasi", tahun=2025, indeks=74.369,
              kategori="Tuntas Muda") == "IP-SPM Kota Bekasi tahun 2025: **74,37** (Tuntas Muda)."
    assert md("rencana_aksi/kondisi_awal.md.j2", nama="Kota Bekasi", tahun=2025, indeks=None,
              kategori=None) == "IP-SPM tahun 2025 belum dapat dihitung."
    assert md("rencana_aksi/tidak_direncanakan.md.j2", jenis=[("Rumah *layak*", "tidak ada sasaran"), ("B", "x")]) \
        == "Tidak direncanakan: Rumah \\*layak\\* (tidak ada sasaran); B (x)."
    assert md("rencana_aksi/anggaran.md.j2", periode="2026–2030", jumlah="Rp 1,29 miliar").startswith(
        "Jumlah anggaran pemenuhan pelayanan dasar tahun 2026–2030: **Rp 1,29 miliar**. Anggaran ini dimuat dalam "
        "RPJMD/Renstra dan setiap tahun")
    assert "\n" not in md("rencana_aksi/siklus.md.j2", periode="2026–2030")  # one paragraph, lines joined
