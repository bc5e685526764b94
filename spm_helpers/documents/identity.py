"""Who signs and what the region's own planning documents say: the identity file of one region.

A report handed to the Bupati and to Kemendagri needs a kop surat (lambang, office name and address), a
signature block with name, NIP and jabatan, the region's own kebijakan umum (RPJMD) and arah kebijakan
(KUA) wording, and the paper the office prints on (A4 or F4). None of that is in the SPM data, so it is
read from a small YAML file the office keeps next to its data (``identitas.yaml``, example below).
Without a file every field is a visible placeholder ("[Nama Kepala Daerah]") that the office fills in
Word before signing; no explanatory note to the drafter ever reaches a printed page.

For many regions at once (a province's kab/kota, a national batch) the identities live in a *folder*,
one file per region named by its code (``32.75.yaml``); ``spm identitas`` writes the blank files
(``identity_template``). A region without its file gets the placeholders, never another region's
signatory: a file names its region (``kode_wilayah``), and one file may serve many regions only when it
says nothing but the paper size.

    kepala_daerah:
      nama: Dr. H. Tri Adhianto, S.T., M.M.
    sekda:
      nama: Drs. H. Junaedi, M.Si.
      nip: "19680312 199003 1 007"
    kantor:
      nama: Badan Perencanaan Pembangunan, Riset, dan Inovasi Daerah
      alamat: Jl. Ir. H. Juanda No. 100, Bekasi 17112
    lambang: lambang_bekasi.png     # relative to this file
    tempat: Bekasi                  # place named above the signature
    kebijakan_umum: |
      ...
    arah_kebijakan: |
      ...
    kertas: F4                      # A4 (default) or F4
    kode_wilayah: "32.75"           # optional: the file is refused for another region
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from spm_helpers.errors import SPMDataError, SPMError
from spm_helpers.reference import regions

KERTAS = {"A4": (210, 297), "F4": (215, 330)}  # millimetres (F4/folio as used by Indonesian offices)

PLACEHOLDER_NAMA_KEPALA = "[Nama Kepala Daerah]"
PLACEHOLDER_NAMA_SEKDA = "[Nama Sekretaris Daerah]"
PLACEHOLDER_NIP = "[NIP Sekretaris Daerah]"
PLACEHOLDER_KANTOR = "[Nama Perangkat Daerah Penyusun]"
PLACEHOLDER_ALAMAT = "[Alamat Kantor]"
PLACEHOLDER_TANGGAL = "[tanggal]"
PLACEHOLDER_TEMPAT = "[Tempat]"

_KEYS = {"kepala_daerah": {"nama", "jabatan"}, "sekda": {"nama", "nip", "jabatan"},
         "kantor": {"nama", "alamat", "telepon", "surel"}, "lambang": None, "tempat": None,
         "kebijakan_umum": None, "arah_kebijakan": None, "kertas": None, "kode_wilayah": None}
SUFFIXES = (".yaml", ".yml")
SHARED_KEYS = {"kertas"}  # the only key one file may give to many regions


@dataclass(frozen=True)
class Identitas:
    """The region's identity and narrative; empty strings mean "not given" (placeholders are shown)."""

    nama_kepala_daerah: str = ""
    jabatan_kepala_daerah: str = ""  # empty: derived from the region ("Wali Kota Bekasi")
    nama_sekda: str = ""
    nip_sekda: str = ""
    jabatan_sekda: str = "Sekretaris Daerah"
    nama_kantor: str = ""
    alamat_kantor: str = ""
    telepon_kantor: str = ""
    surel_kantor: str = ""
    lambang: Path | None = None
    tempat: str = ""
    kebijakan_umum: str = ""
    arah_kebijakan: str = ""
    kertas: str = "A4"
    kode_wilayah: str = ""  # the region the file belongs to ("" = not said)
    sumber: str = ""  # the file it was read from (for messages)

    @property
    def ukuran_kertas(self) -> tuple[int, int]:
        return KERTAS[self.kertas]

    def kepala(self) -> str:
        return self.nama_kepala_daerah or PLACEHOLDER_NAMA_KEPALA

    def sekda(self) -> str:
        return self.nama_sekda or PLACEHOLDER_NAMA_SEKDA

    def nip(self) -> str:
        return self.nip_sekda or PLACEHOLDER_NIP

    def kantor(self) -> str:
        return self.nama_kantor or PLACEHOLDER_KANTOR

    def alamat(self) -> str:
        parts = [self.alamat_kantor or PLACEHOLDER_ALAMAT]
        if self.telepon_kantor:
            parts.append(f"Telepon {self.telepon_kantor}")
        if self.surel_kantor:
            parts.append(f"Surel {self.surel_kantor}")
        return " · ".join(parts)

    def isian_kosong(self) -> list[str]:
        """What still prints as a placeholder (the signing date is always left for the day of signing)."""
        fields = (("nama kepala daerah", self.nama_kepala_daerah), ("nama sekretaris daerah", self.nama_sekda),
                  ("NIP sekretaris daerah", self.nip_sekda), ("nama perangkat daerah", self.nama_kantor),
                  ("alamat kantor", self.alamat_kantor))
        return [label for label, value in fields if not value]

    def with_narrative(self, kebijakan_umum: str = "", arah_kebijakan: str = "") -> Identitas:
        """The identity with narrative text given directly (notebook parameters win over the file)."""
        return replace(self, kebijakan_umum=kebijakan_umum.strip() or self.kebijakan_umum,
                       arah_kebijakan=arah_kebijakan.strip() or self.arah_kebijakan)


KOSONG = Identitas()


def load(path: str | Path | None, kode_wilayah: str | None = None) -> Identitas:
    """The identity of one region: ``path`` is its file or a folder of ``<kode>.yaml`` files (then
    ``kode_wilayah`` picks the file; a region without one gets the placeholders). ``None`` or "" gives the
    placeholders. A file that names another region is refused. Errors name the file and the key."""
    if path is None or str(path).strip() == "":
        return KOSONG
    p = Path(path)
    if p.is_dir():
        if not kode_wilayah:
            raise SPMDataError(f"Folder identitas '{p}': sebutkan kode wilayah untuk memilih berkasnya.")
        found = region_file(p, kode_wilayah)
        return KOSONG if found is None else load(found, kode_wilayah)
    idt = read(p)
    if kode_wilayah and idt.kode_wilayah and idt.kode_wilayah != kode_wilayah:
        raise SPMDataError(f"Berkas identitas '{p.name}' milik wilayah {idt.kode_wilayah}, bukan {kode_wilayah}: "
                           f"periksa nama berkas atau isi 'kode_wilayah'-nya.")
    return idt


def region_file(folder: Path, kode_wilayah: str) -> Path | None:
    """``<folder>/<kode>.yaml`` (or ``.yml``) when it exists."""
    return next((folder / f"{kode_wilayah}{s}" for s in SUFFIXES if (folder / f"{kode_wilayah}{s}").is_file()), None)


def keys_given(path: Path) -> set[str]:
    """The keys a file fills in (an empty value is not given)."""
    import yaml

    def given(v) -> bool:
        return any(given(x) for x in v.values()) if isinstance(v, dict) else _text(v) != ""

    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {k for k, v in raw.items() if given(v)} if isinstance(raw, dict) else set()


def check_for_regions(path: str | Path, codes: list[str]) -> dict[str, Path]:
    """Check the identity ``path`` before a run for ``codes`` and say which region reads which file.

    A folder: every ``*.yaml`` in it must be named by a region code and readable (a typo such as
    ``bekasi.yaml`` would otherwise leave that region silently on placeholders). A single file for more
    than one region may only give ``kertas``: names, NIP, lambang and RPJMD wording belong to one region."""
    p = Path(path)
    if not p.exists():
        raise SPMDataError(f"Berkas atau folder identitas '{p}' tidak ditemukan.")
    if p.is_file():
        idt = read(p)
        if len(codes) > 1:
            extra = sorted(keys_given(p) - SHARED_KEYS)
            if extra:
                raise SPMDataError(
                    f"Berkas identitas '{p.name}' berisi {', '.join(extra)} untuk satu wilayah, tetapi batch ini "
                    f"mencakup {len(codes)} wilayah: nama penanda tangan dan kop surat akan tercetak di laporan "
                    "wilayah lain. Berikan folder berisi satu berkas per wilayah (mis. 32.75.yaml; buat dengan "
                    "'spm identitas --wilayah ... --ke FOLDER'), atau berkas yang hanya berisi 'kertas'.")
        elif codes and idt.kode_wilayah and idt.kode_wilayah != codes[0]:
            load(p, codes[0])  # raises: the file is another region's
        return {k: p for k in codes}
    files = sorted(f for f in p.iterdir() if f.suffix.lower() in SUFFIXES and f.is_file())
    strangers = [f.name for f in files if not _known(f.stem)]
    if strangers:
        raise SPMDataError(f"Folder identitas '{p}': nama berkas {', '.join(strangers)} bukan kode wilayah. Beri "
                           "nama berkas dengan kode wilayah Kemendagri, mis. 32.75.yaml atau 32.yaml.")
    for f in files:
        load(f, f.stem)  # readable, and not another region's
    return {k: found for k in codes if (found := region_file(p, k)) is not None}


def _known(kode: str) -> bool:
    """Exactly a Kemendagri code as the region list writes it (not a name that happens to match)."""
    try:
        return regions.get(kode).kode_wilayah == kode
    except SPMError:
        return False


def read(p: Path) -> Identitas:
    """One identity file, checked key by key."""
    import yaml

    if not p.is_file():
        raise SPMDataError(f"Berkas identitas '{p}' tidak ditemukan.")
    try:
        raw = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise SPMDataError(f"Berkas identitas '{p.name}' tidak dapat dibaca sebagai YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise SPMDataError(f"Berkas identitas '{p.name}' harus berisi pasangan kunci: nilai (mis. 'kertas: A4').")
    unknown = sorted(set(raw) - set(_KEYS))
    if unknown:
        raise SPMDataError(f"Berkas identitas '{p.name}': kunci tidak dikenal {', '.join(unknown)}. Kunci yang "
                           f"dikenal: {', '.join(_KEYS)}.")

    def group(key: str) -> dict[str, str]:
        value = raw.get(key) or {}
        if not isinstance(value, dict):
            raise SPMDataError(f"Berkas identitas '{p.name}', kunci '{key}': harus berisi sub-kunci "
                               f"{', '.join(sorted(_KEYS[key]))}.")
        bad = sorted(set(value) - _KEYS[key])
        if bad:
            raise SPMDataError(f"Berkas identitas '{p.name}', kunci '{key}': sub-kunci tidak dikenal "
                               f"{', '.join(bad)} (dikenal: {', '.join(sorted(_KEYS[key]))}).")
        return {k: _text(v) for k, v in value.items()}

    kepala, sekda, kantor = group("kepala_daerah"), group("sekda"), group("kantor")
    kertas = _text(raw.get("kertas") or "A4").upper()
    if kertas not in KERTAS:
        raise SPMDataError(f"Berkas identitas '{p.name}', kunci 'kertas': '{kertas}' tidak dikenal; pilih A4 atau F4.")
    lambang = None
    if raw.get("lambang"):
        lambang = (p.parent / _text(raw["lambang"])).resolve()
        if not lambang.is_file():
            raise SPMDataError(f"Berkas identitas '{p.name}', kunci 'lambang': gambar '{lambang}' tidak ditemukan.")
        if lambang.suffix.lower() not in {".png", ".jpg", ".jpeg"}:
            raise SPMDataError(f"Berkas identitas '{p.name}', kunci 'lambang': gunakan gambar PNG atau JPEG "
                               f"(bukan {lambang.suffix}).")
    return Identitas(
        nama_kepala_daerah=kepala.get("nama", ""), jabatan_kepala_daerah=kepala.get("jabatan", ""),
        nama_sekda=sekda.get("nama", ""), nip_sekda=sekda.get("nip", ""),
        jabatan_sekda=sekda.get("jabatan", "") or "Sekretaris Daerah",
        nama_kantor=kantor.get("nama", ""), alamat_kantor=kantor.get("alamat", ""),
        telepon_kantor=kantor.get("telepon", ""), surel_kantor=kantor.get("surel", ""),
        lambang=lambang, tempat=_text(raw.get("tempat") or ""),
        kebijakan_umum=_text(raw.get("kebijakan_umum") or ""), arah_kebijakan=_text(raw.get("arah_kebijakan") or ""),
        kertas=kertas, kode_wilayah=_code(p, raw.get("kode_wilayah")), sumber=str(p))


def _code(p: Path, value) -> str:
    """``kode_wilayah`` as the region list writes it; an unquoted 32.10 is read by YAML as 32.1."""
    if value in (None, ""):
        return ""
    kode = regions.normalize_code(value)
    if kode is None or not _known(kode):
        raise SPMDataError(f"Berkas identitas '{p.name}', kunci 'kode_wilayah': '{value}' bukan kode wilayah "
                           "Kemendagri (mis. \"32.75\").")
    return kode


def _text(value) -> str:
    """YAML scalars as text (a NIP written without quotes is read as a number)."""
    return "" if value is None else str(value).strip()
