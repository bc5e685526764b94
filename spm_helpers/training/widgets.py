"""Interactive questions for beginners: pick an option or type a number, press *Periksa*.

Widget answers live only in the browser, so these questions are practice (``Soal.dinilai=False``):
re-executing a notebook cannot replay a click. Graded answers are always written in code cells.
"""
from __future__ import annotations

import re
import sys
from typing import Any, Sequence

from spm_helpers.training import registry as registry
from spm_helpers.training.feedback import BELUM, Putusan, context_from, judge, record

_RIBUAN = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")


def parse_angka(text: str) -> float | str:
    """'1.234.567' / '12,5' / '12.5' → a number; anything else stays text (the comparer explains)."""
    t = str(text).strip().replace(" ", "").removeprefix("Rp").removesuffix("%")
    if _RIBUAN.match(t):
        t = t.replace(".", "").replace(",", ".")
    elif "," in t and "." not in t:
        t = t.replace(",", ".")
    try:
        return float(t)
    except ValueError:
        return str(text)


def _kotak(soal_id: str, pertanyaan: str, masukan, ambil, ruang, kosong: str) -> Any:
    import ipywidgets as w
    from IPython.display import HTML, display

    tombol = w.Button(description="Periksa", button_style="primary", icon="check")
    hasil = w.Output()
    s = registry.find(soal_id)

    def klik(_=None) -> None:
        jawaban = ambil()
        if jawaban is ...:  # nothing chosen or typed: say what to do with the widget, not with "..."
            put = Putusan(s.id if s else str(soal_id), BELUM, kosong, s.judul if s else "", False)
        else:
            put = judge(soal_id, jawaban, context_from(s, ruang))
        record({"soal": put.soal, "status": put.status, "benar": put.benar, "widget": True})
        hasil.clear_output()
        with hasil:
            display(HTML(put.html()))

    tombol.on_click(klik)
    box = w.VBox([w.HTML(f"<b>{pertanyaan}</b>"), masukan, tombol, hasil])
    box.check = klik  # lets tests press the button without a browser
    return box


def pilihan_ganda(soal_id: str, pertanyaan: str, pilihan: Sequence[str]) -> Any:
    """Radio buttons + *Periksa*; the chosen option text is the answer."""
    import ipywidgets as w

    radio = w.RadioButtons(options=list(pilihan), value=None, layout=w.Layout(width="max-content"))
    return _kotak(soal_id, pertanyaan, radio, lambda: ... if radio.value is None else radio.value,
                  sys._getframe(1).f_globals, "Belum ada jawaban yang dipilih. Klik salah satu pilihan di atas, "
                  "lalu tekan Periksa.")


def isian_angka(soal_id: str, pertanyaan: str) -> Any:
    """A text box that accepts Indonesian number formats (1.234.567 or 12,5) + *Periksa*."""
    import ipywidgets as w

    teks = w.Text(placeholder="ketik angka, mis. 1.250.000")
    return _kotak(soal_id, pertanyaan, teks, lambda: parse_angka(teks.value) if teks.value.strip() else ...,
                  sys._getframe(1).f_globals, "Kotak jawaban masih kosong. Ketik angkanya (mis. 1.250.000 atau "
                  "12,5), lalu tekan Periksa.")
