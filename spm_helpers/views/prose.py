"""Report prose and page markup from Jinja2 templates in ``spm_helpers/templates/``.

Two kinds of template, two escaping rules:
- ``*.html.j2`` (page shell, cover, signature block): autoescape on, so a data folder name or a
  sumber_data cell such as ``"><img src=x onerror=alert(2)>`` is shown as text, never run.
- ``*.md.j2`` (the product's own prose, Markdown): every value put into the text is escaped for HTML and
  for Markdown (``*``, ``_``, ``[`` …), so user text can neither add markup nor bold a word. Values the
  product formats itself and wants as Markdown are passed through ``Markup``.
Templates are package data, read with importlib.resources, so a wheel install finds them.
"""
from __future__ import annotations

import re
from functools import lru_cache
from html import escape
from importlib import resources

from markupsafe import Markup

from spm_helpers import fmt

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]#|~!])")


def md_escape(value) -> str:
    """``value`` as literal text inside Markdown that mistune renders with raw HTML allowed."""
    if isinstance(value, Markup):
        return str(value)
    if value is None:
        return ""
    return _MD_SPECIAL.sub(r"\\\1", escape(str(value), quote=False))


def _loader():
    from jinja2 import FunctionLoader

    root = resources.files("spm_helpers") / "templates"

    def load(name: str):
        path = root.joinpath(*name.split("/"))
        if not path.is_file():
            return None
        return path.read_text(encoding="utf-8"), None, lambda: True

    return FunctionLoader(load)


def _filters(env) -> None:
    env.filters.update(angka=lambda v, d=0: fmt.angka(v, d), persen=lambda v, d=1: fmt.persen(v, d),
                       rupiah=fmt.rupiah)


@lru_cache(maxsize=1)
def _html_env():
    from jinja2 import Environment, StrictUndefined

    env = Environment(loader=_loader(), autoescape=True, undefined=StrictUndefined, trim_blocks=True,
                      lstrip_blocks=True)
    _filters(env)
    return env


@lru_cache(maxsize=1)
def _md_env():
    from jinja2 import Environment, StrictUndefined

    env = Environment(loader=_loader(), autoescape=False, finalize=md_escape, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False)
    _filters(env)
    return env


def html(name: str, **context) -> str:
    """An HTML template rendered with autoescape."""
    return _html_env().get_template(name).render(**context)


def markdown(name: str, **context) -> str:
    """A Markdown prose template; paragraphs are separated by blank lines, single newlines joined."""
    text = _md_env().get_template(name).render(**context).strip()
    paragraphs = re.split(r"\n\s*\n", text)
    return "\n\n".join(p if _is_list(p) else " ".join(line.strip() for line in p.splitlines())
                       for p in paragraphs)


def _is_list(paragraph: str) -> bool:
    return bool(re.match(r"\s*(?:\d+\.|-)\s", paragraph))


def stylesheet() -> str:
    """The one stylesheet of every page the product writes (report, rencana aksi, batch index, training)."""
    return (resources.files("spm_helpers") / "templates" / "spm.css").read_text(encoding="utf-8")


def page(title: str, body: str, *, kertas: str = "A4", lang: str = "id", extra_css: str = "",
         body_class: str = "", daftar_isi: bool = False) -> str:
    """The one HTML page shell: self-contained (no external URL), one stylesheet, body inside <main>; with
    ``daftar_isi`` a table of contents of the body's chapters (``with_contents``)."""
    if daftar_isi:
        body = with_contents(body)
    return html("halaman.html.j2", title=title, body=Markup(body), css=Markup(stylesheet() + extra_css),
                kertas=kertas, lang=lang, body_class=body_class)


# A chapter (h2) or section (h3) heading with an id: nbconvert gives every Markdown heading one, from its text.
_HEADING = re.compile(r'<h([23])\b[^>]*?\bid="([^"]+)"[^>]*>(.*?)</h\1\s*>', re.S | re.I)
_ANCHOR_LINK = re.compile(r'<a\b[^>]*class="anchor-link"[^>]*>.*?</a>', re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
# the notebook cell that holds a heading: the table of contents goes before it, not inside its Markdown
_CELL = re.compile(r'<div\b[^>]*\bclass="(?:[^"]*\s)?(?:cell|jp-Cell)(?:\s[^"]*)?"', re.I)


def headings(body: str) -> list[tuple[int, str, str]]:
    """``(level, id, text)`` of every h2/h3 with an id, in page order: the chapters the reader can jump to.
    The report's chapters are its Markdown headings, so chapters added to a document appear by themselves."""
    from html import unescape

    out = []
    for m in _HEADING.finditer(body):
        text = " ".join(unescape(_TAG.sub("", _ANCHOR_LINK.sub("", m.group(3)))).split())
        if text:
            out.append((int(m.group(1)), unescape(m.group(2)), text))
    return out


def with_contents(body: str, *, minimum: int = 2) -> str:
    """``body`` with a "Daftar Isi" (links to its chapter anchors) before the cell of its first chapter, i.e.
    after the cover. On screen only: a printed page cannot follow a link, and the PDF has its own daftar
    isi with page numbers. A body with fewer than ``minimum`` chapters is returned unchanged."""
    items = headings(body)
    if sum(1 for level, _, _ in items if level == 2) < minimum:
        return body
    chapters: list[dict] = []
    for level, anchor, text in items:
        if level == 2 or not chapters:
            chapters.append({"id": anchor, "teks": text, "bagian": []})
        else:
            chapters[-1]["bagian"].append({"id": anchor, "teks": text})
    nav = html("blok/daftar_isi.html.j2", bab=chapters)
    first = next(m.start() for m in _HEADING.finditer(body) if m.group(1) == "2")
    cells = [m.start() for m in _CELL.finditer(body, 0, first)]
    at = cells[-1] if cells else first
    return body[:at] + nav + "\n" + body[at:]
