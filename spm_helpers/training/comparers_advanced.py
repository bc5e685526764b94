"""Comparers for modules 3–6, in the style of :mod:`.banding`: an ordered list (targets per year, a
category per value) and a report paragraph that must state some facts.

Like every comparer they never raise on a participant's answer, and their generic hints say *where*
an answer is off (which positions, which fact is missing) without saying what the key is.
"""
from __future__ import annotations

import numbers
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from spm_helpers.training.comparers import Angka, Banding, Tolak, is_blank, normalize_text, type_name


def _urutan(posisi: list[int]) -> str:
    return ", ".join(f"ke-{i + 1}" for i in posisi)


@dataclass(frozen=True)
class Deret(Banding):
    """An ordered list of numbers (``teks=False``) or of texts such as category names (``teks=True``).

    Order matters, length matters; numbers match with ``toleransi`` (absolute). ``isi`` names one
    element in messages ("target", "kategori")."""

    isi: str = "nilai"
    teks: bool = False
    toleransi: float = 1e-6

    def prepare(self, jawaban: Any) -> tuple:
        x = jawaban
        if x is None:
            raise Tolak("Jawaban Anda bernilai None (kosong). Apakah hasilnya lupa disimpan ke variabel?")
        if isinstance(x, pd.DataFrame):
            if x.shape[1] != 1:
                raise Tolak(f"Jawaban harus daftar {self.isi} berurutan, bukan tabel. Ambil satu kolom, misalnya "
                            "tabel[\"target_persen\"].tolist().")
            x = x.iloc[:, 0]
        if isinstance(x, (set, frozenset, dict)):
            raise Tolak(f"Jawaban harus daftar berurutan (list), bukan {type_name(x)}: urutan {self.isi} penting.")
        if isinstance(x, (str, numbers.Number, np.number)) or not hasattr(x, "__iter__"):
            raise Tolak(f"Jawaban harus daftar {self.isi} berurutan di dalam kurung siku, misalnya [a, b, c], "
                        f"bukan satu {type_name(x)}.")
        items = list(x)
        if self.teks:
            if any(not isinstance(i, str) and not is_blank(i) for i in items):
                raise Tolak(f"Setiap {self.isi} harus berupa teks di dalam tanda kutip.")
            return tuple("" if is_blank(i) else normalize_text(i) for i in items)
        angka = Angka()
        out = []
        for i in items:
            try:
                out.append(angka.prepare(i))
            except Tolak:
                raise Tolak(f"Setiap {self.isi} harus berupa angka (tanpa tanda kutip, tanpa NA).") from None
        return tuple(out)

    def matches(self, a: tuple, k: tuple) -> bool:
        return len(a) == len(k) and not self._beda(a, k)

    def _beda(self, a: tuple, k: tuple) -> list[int]:
        if self.teks:
            return [i for i, (x, y) in enumerate(zip(a, k)) if x != y]
        return [i for i, (x, y) in enumerate(zip(a, k)) if abs(x - y) > self.toleransi]

    def petunjuk_umum(self, a: tuple, k: tuple) -> str | None:
        if len(a) != len(k):
            return f"Daftar Anda berisi {len(a)} {self.isi}; seharusnya {len(k)}, satu untuk setiap isian soal."
        if len(a) > 1 and self.matches(tuple(reversed(a)), k):
            return "Isinya sudah tepat, tetapi urutannya terbalik."
        beda = self._beda(a, k)
        if not self.teks and beda and all(y != 0 and abs(a[i] * 100 - y) <= self.toleransi for i, y in enumerate(k)):
            return "Periksa satuan: persen ditulis 0–100 (mis. 85,5), bukan pecahan 0–1."
        return f"{len(beda)} dari {len(k)} {self.isi} belum tepat: urutan {_urutan(beda)}."


@dataclass(frozen=True)
class Paragraf(Banding):
    """A paragraph of a report, right when it states every fact of the key.

    The key maps a description of each fact to the text that must appear, e.g.
    ``{"nilai IP-SPM (dua desimal)": "66,29", "kategori": "Tuntas Muda"}``; case and spacing do not
    matter. The hint names the missing facts by their description only."""

    def prepare(self, jawaban: Any) -> str:
        if jawaban is None:
            raise Tolak("Jawaban Anda bernilai None (kosong). Simpan paragraf (teks) ke variabel.")
        if not isinstance(jawaban, str):
            raise Tolak(f"Jawaban harus berupa teks (paragraf), bukan {type_name(jawaban)}.")
        teks = normalize_text(jawaban)
        if len(teks.split()) < 5:
            raise Tolak("Paragraf terlalu pendek: tulislah beberapa kalimat utuh untuk laporan.")
        return teks

    def prepare_key(self, kunci: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
        return tuple((label, normalize_text(isi)) for label, isi in kunci.items())

    def matches(self, a: Any, k: tuple[tuple[str, str], ...]) -> bool:
        if isinstance(a, tuple):  # a hint rule's facts against the key's
            return a == k
        return all(isi in a for _, isi in k)

    def petunjuk_umum(self, a: str, k: tuple[tuple[str, str], ...]) -> str | None:
        hilang = [(label, isi) for label, isi in k if isi not in a]
        if any("," in isi and isi.replace(".", "").replace(",", ".") in a for _, isi in hilang):
            return ("Tulis angka seperti di laporan resmi: koma desimal dan titik ribuan (mis. 1.234,56). "
                    "fmt.angka(x, 2) melakukannya.")
        return "Paragraf belum memuat: " + "; ".join(label for label, _ in hilang) + "."
