"""The exercise registry: modules, their tasks, and each task's key, comparer and hint rules.

A task's key is either a function of the case data (``kunci(konteks)`` calls the engine, so the
answer is never written anywhere) or a salted hash for answers that cannot be computed. Hints are
rules: a typical wrong value computed the wrong way (``Petunjuk(pesan, nilai=...)``). Modules register
themselves from ``training/keys/``.
"""
from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from typing import Any, Callable

from spm_helpers.errors import SPMValueError, UnknownItemError
from spm_helpers.training.comparers import Banding

KEY_MODULES = tuple(f"module{n}" for n in range(7))


class Konteks(dict):
    """Names a key function may read (``kode_jenis``, ``opd`` ...) taken from the notebook's globals."""

    def __getattr__(self, name: str) -> Any:
        return self.get(name)


@dataclass(frozen=True)
class Petunjuk:
    """A hint rule: ``nilai(konteks)`` is the value a typical mistake produces (the same computation
    done the wrong way); when the answer equals it, and it differs from the key, ``pesan`` is shown.
    Mistakes of form (unit, type, rounding) are the comparers' generic hints."""

    pesan: str
    nilai: Callable[[Konteks], Any]


@dataclass(frozen=True)
class Soal:
    id: str  # "m2.t3"
    judul: str
    kunci: Callable[[Konteks], Any] | str  # function of the case data, or a hash (banding.hash_answer)
    banding: Banding
    petunjuk: tuple[Petunjuk, ...] = ()
    konteks: tuple[str, ...] = ()  # notebook variables the key depends on (OPD variant)
    dinilai: bool = True  # interactive widget questions are practice only
    menit: int = 5


@dataclass(frozen=True)
class Modul:
    nomor: int
    judul: str
    berkas: str  # master notebook file name in exercises/
    ringkasan: str
    soal: tuple[Soal, ...] = ()
    menit_pengantar: int = 10
    varian_opd: bool = False

    @property
    def menit(self) -> int:
        return self.menit_pengantar + sum(s.menit for s in self.soal)

    @property
    def soal_dinilai(self) -> tuple[Soal, ...]:
        return tuple(s for s in self.soal if s.dinilai)


_MODUL: dict[int, Modul] = {}
_loaded = False


def register(modul: Modul) -> Modul:
    """Register a module (called by each ``keys/moduleN.py`` at import)."""
    for s in modul.soal:
        if not s.id.startswith(f"m{modul.nomor}.t"):
            raise SPMValueError(f"soal {s.id} tidak cocok dengan modul {modul.nomor}")
    _MODUL[modul.nomor] = modul
    return modul


def _muat() -> None:
    global _loaded
    if not _loaded:
        for name in KEY_MODULES:
            importlib.import_module(f"{__package__}.keys.{name}")
        _loaded = True


def daftar_modul() -> list[Modul]:
    _muat()
    return [_MODUL[k] for k in sorted(_MODUL)]


def modul(nomor: int) -> Modul:
    _muat()
    if nomor not in _MODUL:
        tersedia = ", ".join(str(k) for k in sorted(_MODUL))
        raise UnknownItemError(f"Modul {nomor} belum tersedia. Modul yang ada: {tersedia}.")
    return _MODUL[nomor]


_ID = re.compile(r"^\s*(?:m|modul)\s*(\d+)\s*[._\- ]\s*(?:t|soal)\s*(\d+)\s*$", re.I)


def normalize_id(soal_id: Any) -> str | None:
    """'m2.t3', 'M2-T3', 'modul2.soal3' → 'm2.t3'; anything else → None."""
    m = _ID.match(str(soal_id)) if isinstance(soal_id, str) else None
    return f"m{int(m.group(1))}.t{int(m.group(2))}" if m else None


def find(soal_id: Any) -> Soal | None:
    """The task with this id, or None when unknown."""
    sid = normalize_id(soal_id)
    if sid is None:
        return None
    _muat()
    nomor = int(sid[1:sid.index(".")])
    return next((s for s in getattr(_MODUL.get(nomor), "soal", ()) if s.id == sid), None)


def semua_soal() -> dict[str, Soal]:
    return {s.id: s for m in daftar_modul() for s in m.soal}


__all__ = ["Konteks", "Modul", "Petunjuk", "Soal", "daftar_modul", "find", "modul", "normalize_id",
           "register", "semua_soal"]
