"""Instant feedback in a participant notebook: ``check("m2.t3", jawaban)``.

The verdict is computed against a key that is a function of the case data (or a salted hash), so
nothing in the participant's files reveals the answer. A wrong answer gets the first matching hint
rule of the task, then a generic hint of its comparer; the key itself is never printed (otter-grader
#429). In JupyterLab ``check`` never raises: a wrong type, an unknown task or a bug in a key all become
a message. Check cells pass the answer as ``lambda: name`` so that a variable that does not exist yet
(a cell skipped, a restarted kernel) becomes "jalankan dulu sel ..." instead of a NameError traceback.

Under a grader that scores by failing cells (nbgrader's autograde/validate set ``NBGRADER_EXECUTION``;
any grader may set ``SPM_LATIHAN_GAGALKAN=1``) a verdict other than right raises ``JawabanBelumTepat``
after it is shown and recorded, so an all-wrong submission cannot score full marks.

When ``SPM_LATIHAN_HASIL`` names a file (set by ``spm latihan nilai`` for each kernel), every verdict
is appended to it as one JSON line; that file, not the notebook's outputs, is what gets scored.
"""
from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import asdict, dataclass
from datetime import datetime
from html import escape
from typing import Any, Mapping

from spm_helpers.training import registry as registry
from spm_helpers.training.comparers import Tolak
from spm_helpers.training.verdicts import BELUM, BENAR, GALAT, SALAH, TIDAK_DIJALANKAN

ENV_HASIL = "SPM_LATIHAN_HASIL"
ENV_GAGALKAN = "SPM_LATIHAN_GAGALKAN"  # "1": a wrong or missing answer fails its check cell
ENV_NBGRADER = "NBGRADER_EXECUTION"  # set by nbgrader while it executes a notebook
MIME = "application/vnd.spm-latihan.cek+json"

# The answer variable does not exist: its cell was not run, or stopped (an error, a time-out, a restarted
# kernel). The same words as grade.TIDAK_DIJALANKAN, so the grader's table counts it there.

_GAYA = {  # status → (border, background, heading)
    BENAR: ("#1b7f3b", "#e8f5e9", "✔ Benar"),
    SALAH: ("#b3261e", "#fdecea", "✘ Belum tepat"),
    BELUM: ("#8a6d00", "#fff8e1", "✎ Belum dijawab"),
    GALAT: ("#555555", "#eeeeee", "⚠ Tidak dapat diperiksa"),
    TIDAK_DIJALANKAN: ("#8a6d00", "#fff8e1", "✎ Sel jawaban belum dijalankan"),
}


class JawabanBelumTepat(AssertionError):
    """Raised by ``check`` under a grader only: the failing cell is what nbgrader scores as 0."""


def under_grader() -> bool:
    """True when a grader executes the notebook and expects wrong answers to fail their cell."""
    return (os.environ.get(ENV_NBGRADER, "").strip().lower() in ("autograde", "validate")
            or os.environ.get(ENV_GAGALKAN, "").strip() == "1")


_KODE = re.compile(r"`([^`]+)`")


def code_snippets(pesan: str) -> list[str]:
    """The code in a message: text between backticks (shown as code, and runnable as written)."""
    return _KODE.findall(pesan)


def _html_pesan(pesan: str) -> str:
    return _KODE.sub(lambda m: f'<code style="background:#fff;padding:0 3px">{m.group(1)}</code>', escape(pesan))


@dataclass
class Putusan:
    """The verdict on one answer, in the words shown to the participant."""

    soal: str
    status: str
    pesan: str
    judul: str = ""
    dinilai: bool = True

    @property
    def benar(self) -> bool:
        return self.status == BENAR

    def teks(self) -> str:
        head = _GAYA[self.status][2]
        title = f" — {self.judul}" if self.judul else ""
        return f"{head}{title} [{self.soal}]\n{self.pesan}"

    def html(self) -> str:
        border, bg, head = _GAYA[self.status]
        title = f" — {escape(self.judul)}" if self.judul else ""
        return (f'<div class="spm-cek spm-cek-{self.status.replace(" ", "-")}" style="border-left:6px solid '
                f'{border};background:{bg};padding:8px 12px;margin:4px 0;border-radius:4px;'
                f'font-family:sans-serif;color:#222"><b style="color:{border}">{head}</b>{title} '
                f'<span style="color:#777;font-size:85%">[{escape(self.soal)}]</span>'
                f'<div style="margin-top:4px">{_html_pesan(self.pesan)}</div></div>')


def _pesan_benar(s: registry.Soal) -> str:
    return ("Jawaban Anda sesuai dengan hasil perhitungan dari data kasus." if s.dinilai else
            "Jawaban Anda tepat. (Soal latihan interaktif, tidak masuk nilai.)")


def missing_variable(soal_id: str, nama: str | None) -> str:
    """What to do when the answer variable does not exist yet (cell not run, kernel restarted)."""
    var = f"`{nama}`" if nama else "jawaban"
    isi = f"`{nama} = ...`" if nama else "jawaban Anda"
    return (f"Variabel {var} belum ada. Jalankan dulu sel jawaban di atas sel ini (sel yang berisi "
            f"{isi}), lalu jalankan sel ini lagi. Bila kernel baru saja dimulai ulang, semua variabel "
            "hilang: jalankan dulu semua sel di atas (menu Run ▸ Run All Above Selected Cell).")


def resolve(soal_id: Any, jawaban: Any) -> tuple[Any, Putusan | None]:
    """Call a check cell's ``lambda: name``; a name that does not exist becomes a 'tidak dijalankan' verdict."""
    if not (callable(jawaban) and getattr(jawaban, "__name__", "") == "<lambda>"):
        return jawaban, None
    s = registry.find(soal_id)
    try:
        return jawaban(), None
    except NameError as exc:
        put = Putusan(s.id if s else str(soal_id), TIDAK_DIJALANKAN, missing_variable(str(soal_id), getattr(exc, "name", None)),
                      s.judul if s else "", s.dinilai if s else True)
        return ..., put
    except Exception as exc:  # an answer whose evaluation fails (e.g. a property of a broken object)
        return ..., Putusan(s.id if s else str(soal_id), SALAH,
                            f"Jawaban tidak dapat dibaca ({type(exc).__name__}). Jalankan ulang sel jawaban di atas.",
                            s.judul if s else "", s.dinilai if s else True)


def judge(soal_id: Any, jawaban: Any = ..., konteks: Mapping[str, Any] | None = None) -> Putusan:
    """The verdict, without displaying or recording it. Never raises."""
    s = registry.find(soal_id)
    if s is None:
        return Putusan(str(soal_id), GALAT, f"Kode soal '{soal_id}' tidak dikenal. Jangan mengubah sel "
                                            "pemeriksaan; bila perlu, minta salinan baru ke fasilitator.")
    put = Putusan(s.id, GALAT, "", s.judul, s.dinilai)
    if jawaban is ...:
        put.status, put.pesan = BELUM, "Ganti tanda ... dengan jawaban Anda, jalankan sel itu, lalu jalankan sel ini lagi."
        return put
    ctx = registry.Konteks(konteks or {})
    try:
        a = s.banding.prepare(jawaban)
    except Tolak as exc:
        put.status, put.pesan = SALAH, str(exc)
        return put
    except Exception:  # a participant object whose conversion fails in an unexpected way
        put.status, put.pesan = SALAH, "Jawaban tidak dapat dibaca. Periksa jenis datanya (angka, teks, daftar, tabel)."
        return put
    try:
        k = s.banding.prepare_key(s.kunci(ctx) if callable(s.kunci) else s.kunci)
    except Exception as exc:  # a bug in the kit or a changed variable such as kode_jenis
        put.pesan = (f"Kunci jawaban tidak dapat dihitung ({type(exc).__name__}: {exc}). Periksa variabel di "
                     "sel parameter (mis. kode_jenis), atau hubungi fasilitator.")
        return put
    try:
        if s.banding.matches(a, k):
            put.status, put.pesan = BENAR, _pesan_benar(s)
            return put
        put.status, put.pesan = SALAH, _petunjuk(s, a, k, ctx)
    except Exception:
        put.status, put.pesan = SALAH, "Jawaban belum tepat dan tidak dapat dibandingkan. Periksa bentuk jawaban Anda."
    return put


def _petunjuk(s: registry.Soal, a: Any, k: Any, ctx: registry.Konteks) -> str:
    """First matching task rule, then the comparer's generic hint, then a plain nudge."""
    for p in s.petunjuk:
        try:
            alt = s.banding.prepare_key(p.nilai(ctx))
            if not s.banding.matches(alt, k) and s.banding.matches(a, alt):
                return p.pesan
        except Exception:  # a hint rule that does not apply to this answer's shape
            continue
    return s.banding.petunjuk_umum(a, k) or "Periksa kembali langkah perhitungan Anda, lalu coba lagi."


def record(catatan: Mapping[str, Any]) -> None:
    """Append one JSON line to the grading side file, when grading."""
    path = os.environ.get(ENV_HASIL)
    if not path:
        return
    try:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({**catatan, "waktu": datetime.now().isoformat(timespec="seconds")},
                                ensure_ascii=False) + "\n")
    except OSError:
        pass  # feedback in the notebook matters more than the side file


def _kelas(soal: str, status: str, petunjuk: bool) -> None:
    """Live progress for the facilitator, when the class store is set (``kemajuan.ENV_TOKO``)."""
    if os.environ.get("SPM_KELAS_TOKO"):
        from spm_helpers.training.progress import record

        record(soal, status, petunjuk=petunjuk)


def in_notebook() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    ip = get_ipython()
    return ip is not None and getattr(ip, "kernel", None) is not None


def show(put: Putusan) -> None:
    """A coloured box in a notebook (plus a JSON MIME record), plain text elsewhere."""
    if in_notebook():
        from IPython.display import display

        display({"text/html": put.html(), "text/plain": put.teks(), MIME: asdict(put)}, raw=True)
    else:
        print(put.teks())


def context_from(s: registry.Soal | None, ruang: Mapping[str, Any], **given: Any) -> dict[str, Any]:
    """The task's context variables from a notebook namespace (explicit ones win)."""
    if s is None or not s.konteks:
        return given
    return {**{n: ruang[n] for n in s.konteks if n in ruang}, **given}


def check(soal_id: str, jawaban: Any = ..., **konteks: Any) -> bool:
    """Check an answer (a value, or ``lambda: name`` as check cells write it), show the verdict, record it
    when grading; True when right. Under a grader a verdict other than right raises ``JawabanBelumTepat``."""
    s = registry.find(soal_id)
    jawaban, put = resolve(soal_id, jawaban)
    if put is None:
        put = judge(soal_id, jawaban, context_from(s, sys._getframe(1).f_globals, **konteks))
    record({"soal": put.soal, "status": put.status, "benar": put.benar})
    _kelas(put.soal, put.status, petunjuk=put.status == SALAH)
    show(put)
    if not put.benar and under_grader() and (s is None or s.dinilai):
        raise JawabanBelumTepat(f"{put.soal}: {put.status}")
    return put.benar


def start(nama_peserta: Any, opd: Any, modul: int) -> None:
    """First cell of every exercise: greet the participant, or ask for the missing name/OPD.

    When grading, the identity is recorded with the results (the grader also reads the two
    variables from the notebook's source, so a broken first cell does not lose a submission)."""
    nama = str(nama_peserta or "").strip()
    unit = str(opd or "").strip()
    record({"peserta": nama, "opd": unit, "modul": modul})
    if os.environ.get("SPM_KELAS_TOKO"):
        from spm_helpers.training.progress import set_identity

        set_identity(nama, unit, modul)
    try:
        m = registry.modul(modul)
        judul = f"Modul {m.nomor}: {m.judul} (perkiraan {m.menit} menit)"
    except KeyError:
        judul = f"Modul {modul}"
    if nama and unit:
        put = Putusan("mulai", BENAR, f"Selamat datang, {nama} ({unit}). Jalankan sel satu per satu dengan "
                                      "Shift+Enter dan baca penjelasannya.", judul)
    else:
        put = Putusan("mulai", BELUM, "Isi nama_peserta dan opd di sel di atas (di antara tanda kutip), "
                                      "jalankan sel itu, lalu jalankan sel ini lagi.", judul)
    show(put)  # returns nothing: the last line of the first cell must not print True/False
