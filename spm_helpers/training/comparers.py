"""Comparers: how a participant's answer is matched against a key, and what to say when it is not.

Each comparer turns an answer into a canonical form (or explains, in Indonesian, why its *type* is
wrong: text instead of a number, a table instead of one value), compares it with tolerance, and
offers generic hints that never reveal the key (wrong unit, percent vs fraction, rounding, items
missing from a list). Task-specific hints ("forgot the surplus") live with the task, in ``keys/``.

A comparer never raises on a participant's answer: whatever comes in, it returns a verdict.
"""
from __future__ import annotations

import hashlib
import numbers
import re
from dataclasses import dataclass
from typing import Any, Iterable

import numpy as np
import pandas as pd

HASH_PREFIX = "sha256:"


class Tolak(Exception):
    """The answer has the wrong shape or type; the message is the hint shown to the participant."""


def type_name(x: Any) -> str:
    if isinstance(x, pd.DataFrame):
        return "tabel (DataFrame)"
    if isinstance(x, pd.Series):
        return "kolom (Series)"
    if isinstance(x, (list, tuple, set, np.ndarray, pd.Index)):
        return "daftar"
    if isinstance(x, dict):
        return "kamus (dict)"
    if isinstance(x, str):
        return "teks"
    return type(x).__name__


def is_blank(x: Any) -> bool:
    """None, NA or NaN (a scalar); containers are never 'kosong' here."""
    return x is None or (pd.api.types.is_scalar(x) and bool(pd.isna(x)))


def decimal_comma(x: Any) -> str | None:
    """The hint for ``87,5`` or ``1,250,000`` typed as a number: Python reads the comma as "two values"
    and makes a tuple. None when ``x`` is not such a tuple."""
    if not (isinstance(x, tuple) and len(x) >= 2
            and all(isinstance(i, (int, np.integer)) and not isinstance(i, bool) for i in x)):
        return None
    if len(x) == 2:
        ditulis = f"{x[0]},{x[1]}"
        return (f"Python membaca {ditulis} sebagai dua angka ({x[0]} dan {x[1]}), bukan satu: di Python koma "
                f"memisahkan nilai. Tanda desimal di Python adalah titik: tulis {x[0]}.{x[1]}, bukan {ditulis}.")
    ditulis = ",".join([str(x[0])] + [f"{int(i):03d}" for i in x[1:]])
    return (f"Python membaca {ditulis} sebagai {len(x)} angka terpisah, bukan satu: di Python koma memisahkan "
            f"nilai. Tulis angka tanpa pemisah ribuan: {ditulis.replace(',', '')}.")


def thousands_dot(a: float, k: float) -> bool:
    """``4.090`` meant as 4090: at most three decimals, and a thousand times the answer is the key."""
    return k != 0 and 0 < abs(a) < 1000 and abs(round(a * 1000) - a * 1000) < 1e-6 and _dekat(a * 1000 / k, 1)


def _dekat(ratio: float, faktor: float) -> bool:
    return abs(ratio / faktor - 1) < 1e-3


def normalize_text(x: Any) -> str:
    """Case, surrounding space and repeated inner space do not matter."""
    return re.sub(r"\s+", " ", str(x)).strip().casefold()


def hash_answer(soal_id: str, jawaban: Any) -> str:
    """Key form for answers that cannot be computed from the data (salted per task)."""
    digest = hashlib.sha256(f"spm-latihan|{soal_id}|{normalize_text(jawaban)}".encode()).hexdigest()
    return HASH_PREFIX + digest


@dataclass(frozen=True)
class Banding:
    """Base comparer. Subclasses override ``prepare`` (answer → canonical) and ``sama``."""

    def prepare(self, jawaban: Any) -> Any:
        return jawaban

    def prepare_key(self, kunci: Any) -> Any:
        return self.prepare(kunci)

    def matches(self, a: Any, k: Any) -> bool:
        return a == k

    def petunjuk_umum(self, a: Any, k: Any) -> str | None:
        return None


# ------------------------------------------------------------------------------------------ numbers
@dataclass(frozen=True)
class Angka(Banding):
    """One number. ``toleransi`` is absolute, ``relatif`` a share of the key (float rounding)."""

    toleransi: float = 1e-6
    relatif: float = 1e-9
    bulat: bool = False  # the key is a count or rupiah: off-by-rounding gets its own hint

    def prepare(self, jawaban: Any) -> float:
        x = jawaban
        if isinstance(x, (pd.Series, pd.Index, np.ndarray, list, tuple)) and len(x) == 1:
            x = list(x)[0]  # a one-row selection is a common, harmless beginner form
        elif isinstance(x, pd.DataFrame) and x.shape == (1, 1):
            x = x.iloc[0, 0]
        if x is None:
            raise Tolak("Jawaban Anda bernilai None (kosong). Apakah hasilnya lupa disimpan ke variabel, "
                        "atau fungsi Anda lupa `return`?")
        if isinstance(x, (bool, np.bool_)):
            raise Tolak("Jawaban harus berupa angka, bukan True/False.")
        if isinstance(x, str):
            raise Tolak("Jawaban Anda berupa teks (di dalam tanda kutip). Tulis angka tanpa tanda kutip "
                        "dan tanpa titik pemisah ribuan, misalnya 1250000.")
        koma = decimal_comma(x)
        if koma:
            raise Tolak(koma)
        if isinstance(x, (pd.DataFrame, pd.Series, list, tuple, set, dict, np.ndarray, pd.Index)):
            raise Tolak(f"Jawaban harus satu angka, bukan {type_name(x)} berisi {len(x)} nilai. "
                        "Ambil satu nilai, misalnya dengan `.sum()` atau `.iloc[0]`.")
        if is_blank(x):
            raise Tolak("Jawaban Anda NA/kosong. Biasanya ini terjadi bila baris yang dicari tidak "
                        "ditemukan atau ada data yang kosong dalam perhitungan.")
        if not isinstance(x, (numbers.Number, np.number)):
            raise Tolak(f"Jawaban harus berupa angka, bukan {type_name(x)}.")
        try:
            return float(x)
        except (TypeError, ValueError, OverflowError):
            raise Tolak("Jawaban tidak dapat dibaca sebagai angka.") from None

    def matches(self, a: float, k: float) -> bool:
        return abs(a - k) <= max(self.toleransi, self.relatif * abs(k))

    def petunjuk_umum(self, a: float, k: float) -> str | None:
        if k != 0 and self.matches(-a, k):
            return "Tandanya terbalik: periksa urutan pengurangan."
        if thousands_dot(a, k):
            desimal = f"{a:.3f}".rstrip("0").replace(".", ",")
            return (f"Di Python titik adalah tanda desimal, jadi {a:.3f} dibaca {desimal}, bukan "
                    f"{round(a * 1000)}. Tulis angka tanpa titik pemisah ribuan: {round(a * 1000)}.")
        if k != 0 and a != 0:
            ratio = a / k
            if any(_dekat(ratio, f) for f in (100, 0.01)):
                return "Periksa satuan: persen ditulis 0–100 (mis. 85,5), bukan pecahan 0–1."
            if any(_dekat(ratio, f) for f in (1e3, 1e6, 1e-3, 1e-6)):
                return ("Periksa satuan: jawaban Anda tampaknya dalam satuan lain (ribu/juta). "
                        "Tulis angka lengkapnya dalam satuan soal (orang, paket, rupiah penuh).")
        if self.bulat and abs(a - k) < 1:
            return "Hampir benar: periksa pembulatan (kebutuhan dibulatkan ke atas, rupiah tanpa desimal)."
        return None


# ------------------------------------------------------------------------------------------ text
@dataclass(frozen=True)
class Teks(Banding):
    """One piece of text (a code or a name). The key may be plain or ``hash_answer`` form."""

    soal_id: str = ""  # needed only for hashed keys

    def prepare(self, jawaban: Any) -> str:
        x = jawaban
        if isinstance(x, (pd.Series, pd.Index, list, tuple, np.ndarray)) and len(x) == 1:
            x = list(x)[0]
        if x is None:
            raise Tolak("Jawaban Anda bernilai None (kosong). Tulis jawaban sebagai teks di dalam tanda kutip.")
        if isinstance(x, (numbers.Number, np.number)) and not isinstance(x, bool):
            raise Tolak("Jawaban harus berupa teks di dalam tanda kutip, misalnya \"32.75\". "
                        "Angka kehilangan nol di belakang koma dan tidak sama dengan kode.")
        if not isinstance(x, str):
            raise Tolak(f"Jawaban harus berupa satu teks, bukan {type_name(x)}.")
        return normalize_text(x)

    def prepare_key(self, kunci: Any) -> str:
        return kunci if str(kunci).startswith(HASH_PREFIX) else normalize_text(kunci)

    def matches(self, a: str, k: str) -> bool:
        if k.startswith(HASH_PREFIX):
            return hash_answer(self.soal_id, a) == k
        return a == k


# ------------------------------------------------------------------------------------------ sets
@dataclass(frozen=True)
class Himpunan(Banding):
    """A set of codes (order and duplicates do not matter; one code alone is a set of one)."""

    nama_isi: str = "kode"

    def prepare(self, jawaban: Any) -> frozenset[str]:
        x = jawaban
        if x is None:
            raise Tolak("Jawaban Anda bernilai None (kosong). Tulis daftar kode, misalnya [\"A\", \"B\"].")
        if isinstance(x, pd.DataFrame):
            raise Tolak(f"Jawaban harus daftar {self.nama_isi}, bukan tabel. Ambil satu kolom lalu ubah "
                        "menjadi daftar, misalnya `[\"kode_jenis\"].tolist()` di belakang nama tabelnya.")
        if isinstance(x, str):
            x = [x]
        if isinstance(x, dict) or not isinstance(x, Iterable):
            raise Tolak(f"Jawaban harus daftar {self.nama_isi} (list), bukan {type_name(x)}.")
        items = list(x)
        if any(not isinstance(i, str) for i in items):
            raise Tolak(f"Setiap {self.nama_isi} harus berupa teks di dalam tanda kutip.")
        return frozenset(normalize_text(i) for i in items)

    def petunjuk_umum(self, a: frozenset, k: frozenset) -> str | None:
        kurang, lebih = len(k - a), len(a - k)
        if not a:
            return f"Daftar Anda masih kosong: belum ada {self.nama_isi} yang ditemukan."
        if kurang and not lebih:
            return f"Yang Anda temukan sudah benar, tetapi masih ada {kurang} {self.nama_isi} yang terlewat."
        if lebih and not kurang:
            return f"Semua sudah ditemukan, tetapi ada {lebih} {self.nama_isi} yang seharusnya tidak termasuk."
        return f"Ada {self.nama_isi} yang terlewat dan ada yang seharusnya tidak termasuk."


# ------------------------------------------------------------------------------------------ tables
@dataclass(frozen=True)
class Tabel(Banding):
    """A table compared by key columns: column order, row order, extra columns and dtypes do not
    matter; numbers match with tolerance; NA must stay NA (unknown is not zero)."""

    kunci: tuple[str, ...] = ()
    nilai: tuple[str, ...] = ()
    toleransi: float = 1e-6

    def prepare(self, jawaban: Any) -> pd.DataFrame:
        x = jawaban
        if x is None:
            raise Tolak("Jawaban Anda bernilai None (kosong). Apakah hasilnya lupa disimpan ke variabel?")
        if isinstance(x, pd.Series):
            x = x.reset_index() if x.name in self.nilai else None
            if x is None:
                raise Tolak("Jawaban harus berupa tabel (DataFrame), bukan satu kolom (Series).")
        if not isinstance(x, pd.DataFrame):
            raise Tolak(f"Jawaban harus berupa tabel (DataFrame), bukan {type_name(x)}.")
        names = [n for n in x.index.names if n in self.kunci and n not in x.columns]
        if names:  # a groupby result keeps its keys in the index
            x = x.reset_index(level=names)
        hilang = [c for c in (*self.kunci, *self.nilai) if c not in x.columns]
        if hilang:
            raise Tolak("Kolom berikut belum ada di tabel Anda: " + ", ".join(hilang) + ".")
        out = x[list(self.kunci + self.nilai)].copy()
        for c in self.kunci:
            out[c] = out[c].map(lambda v: normalize_text(v) if not is_blank(v) else "")
        if out.duplicated(list(self.kunci)).any():
            raise Tolak("Ada baris ganda (kunci " + ", ".join(self.kunci) + " muncul lebih dari sekali).")
        return out.set_index(list(self.kunci)).sort_index()

    def _selisih(self, a: pd.DataFrame, k: pd.DataFrame) -> dict[str, int]:
        """Per value column, how many rows (present in both) differ."""
        common = a.index.intersection(k.index)
        out = {}
        for c in self.nilai:
            x = pd.to_numeric(a.loc[common, c], errors="coerce").astype("float64").to_numpy()
            y = pd.to_numeric(k.loc[common, c], errors="coerce").astype("float64").to_numpy()
            both_na = np.isnan(x) & np.isnan(y)
            close = np.isclose(x, y, rtol=1e-9, atol=self.toleransi)
            out[c] = int((~(both_na | close)).sum())
        return out

    def matches(self, a: pd.DataFrame, k: pd.DataFrame) -> bool:
        return a.index.equals(k.index) and not any(self._selisih(a, k).values())

    def petunjuk_umum(self, a: pd.DataFrame, k: pd.DataFrame) -> str | None:
        kurang, lebih = len(k.index.difference(a.index)), len(a.index.difference(k.index))
        parts = []
        if kurang:
            parts.append(f"{kurang} baris belum ada")
        if lebih:
            parts.append(f"{lebih} baris seharusnya tidak ada")
        beda = {c: n for c, n in self._selisih(a, k).items() if n}
        parts += [f"{n} baris nilainya belum tepat di kolom {c}" for c, n in beda.items()]
        return ("Tabel belum tepat: " + "; ".join(parts) + ".") if parts else None
