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
         body_class: str = "") -> str:
    """The one HTML page shell: self-contained (no external URL), one stylesheet, body inside <main>."""
    return html("halaman.html.j2", title=title, body=Markup(body), css=Markup(stylesheet() + extra_css),
                kertas=kertas, lang=lang, body_class=body_class)
