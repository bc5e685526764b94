"""The class summary after grading: CSV tables for the facilitator and one self-contained HTML page
for the projector (inline style, no external URL: the workshop room is often offline).

The page shows only name, OPD and scores. File names and error notes stay in the CSV files.
"""
from __future__ import annotations

from html import escape
from pathlib import Path

import pandas as pd

from spm_helpers import DEMO_LABEL
from spm_helpers.errors import SPMError
from spm_helpers.files import write_text
from spm_helpers.inputs.datastore import write_table
from spm_helpers.training.comparers import normalize_text
from spm_helpers.training.feedback import BELUM, BENAR, SALAH
from spm_helpers.training.grade import CEK_DIHAPUS, TIDAK_DIJALANKAN, HasilKiriman
from spm_helpers.training.registry import semua_soal
from spm_helpers.views import prose

BERKAS = ("nilai_peserta.csv", "nilai_soal.csv", "nilai_opd.csv", "soal_terlewat.csv", "ringkasan_kelas.html")
TANPA_NAMA = "(tanpa nama)"
TANPA_OPD = "(tanpa OPD)"
_SIMBOL = {BENAR: "✔", SALAH: "✘", BELUM: "–", CEK_DIHAPUS: "cek dihapus", TIDAK_DIJALANKAN: "tidak jalan"}


def tabel_soal(hasil: list[HasilKiriman]) -> pd.DataFrame:
    """Long form: one row per submission and graded task."""
    rows = [{"nama_peserta": h.nama_peserta or TANPA_NAMA, "opd": h.opd or TANPA_OPD, "modul": h.modul,
             "berkas": h.berkas, "soal": sid, "status": st, "benar": st == BENAR}
            for h in hasil for sid, st in h.soal.items()]
    return pd.DataFrame(rows, columns=["nama_peserta", "opd", "modul", "berkas", "soal", "status", "benar"])


def tabel_peserta(hasil: list[HasilKiriman]) -> pd.DataFrame:
    """One row per submission: status of each task, score, notes. Unreadable files stay as rows."""
    ids = sorted({s for h in hasil for s in h.soal}, key=lambda i: (int(i[1:i.index(".")]), int(i[i.index("t") + 1:])))
    rows = []
    for h in hasil:
        row = {"nama_peserta": h.nama_peserta or TANPA_NAMA, "opd": h.opd or TANPA_OPD,
               "modul": h.modul, "berkas": h.berkas}
        row.update({i: h.soal.get(i, "") for i in ids})
        n = len(h.soal)
        row.update({"benar": h.benar, "jumlah_soal": n, "nilai": round(100 * h.benar / n, 1) if n else None,
                    "catatan": "; ".join(h.catatan), "detik": round(h.detik, 1)})
        rows.append(row)
    df = pd.DataFrame(rows, columns=["nama_peserta", "opd", "modul", "berkas", *ids, "benar", "jumlah_soal",
                                     "nilai", "catatan", "detik"])
    df["modul"] = df["modul"].astype("Int64")
    return df


def _terbaik(peserta: pd.DataFrame) -> pd.DataFrame:
    """One row per participant and module (the best of repeated submissions)."""
    p = peserta.dropna(subset=["nilai"]).copy()
    p["_kunci"] = p["nama_peserta"].map(normalize_text) + "|" + p["opd"].map(normalize_text)
    return p.sort_values("nilai", ascending=False).drop_duplicates(["_kunci", "modul"]).drop(columns="_kunci")


def tabel_opd(peserta: pd.DataFrame) -> pd.DataFrame:
    p = _terbaik(peserta)
    if p.empty:
        return pd.DataFrame(columns=["opd", "modul", "jumlah_peserta", "rata_rata_nilai", "nilai_terendah",
                                     "nilai_tertinggi"])
    g = p.groupby(["opd", "modul"], sort=True)["nilai"]
    out = pd.DataFrame({"jumlah_peserta": g.size(), "rata_rata_nilai": g.mean().round(1),
                        "nilai_terendah": g.min(), "nilai_tertinggi": g.max()}).reset_index()
    return out


def tabel_terlewat(soal: pd.DataFrame) -> pd.DataFrame:
    """Per task: how many got it right; the least-solved first (what to explain again)."""
    cols = ["modul", "soal", "judul", "jumlah_kiriman", "benar", "persen_benar", "salah", "belum_dijawab",
            "cek_dihapus", "tidak_dijalankan"]
    if soal.empty:
        return pd.DataFrame(columns=cols)
    judul = {k: s.judul for k, s in semua_soal().items()}
    g = soal.groupby(["modul", "soal"], sort=True)["status"]
    out = pd.DataFrame({"jumlah_kiriman": g.size(), "benar": g.apply(lambda s: int((s == BENAR).sum()))})
    for col, st in (("salah", SALAH), ("belum_dijawab", BELUM), ("cek_dihapus", CEK_DIHAPUS),
                    ("tidak_dijalankan", TIDAK_DIJALANKAN)):
        out[col] = g.apply(lambda s, st=st: int((s == st).sum()))
    out = out.reset_index()
    out["judul"] = out["soal"].map(judul)
    out["persen_benar"] = (100 * out["benar"] / out["jumlah_kiriman"]).round(1)
    return out.sort_values(["persen_benar", "modul", "soal"], kind="stable")[cols].reset_index(drop=True)




def _html_tabel(df: pd.DataFrame, kelas: dict[str, str] | None = None) -> str:
    head = "".join(f"<th>{escape(str(c))}</th>" for c in df.columns)
    body = []
    for row in df.itertuples(index=False):
        cells = []
        for c, v in zip(df.columns, row):
            text = "" if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA else str(v)
            cls = (kelas or {}).get(text) or ("num" if isinstance(v, (int, float)) else "")
            cells.append(f'<td class="{cls}">{escape(text)}</td>' if cls else f"<td>{escape(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def halaman(peserta: pd.DataFrame, opd: pd.DataFrame, terlewat: pd.DataFrame, judul: str = "Ringkasan kelas") -> str:
    """The projector page: most-missed tasks, scores per OPD, scores per participant (no file names)."""
    p = peserta.dropna(subset=["modul"]).copy()
    ids = [c for c in p.columns if isinstance(c, str) and c[:1] == "m" and ".t" in c]
    for c in ids:
        p[c] = p[c].map(lambda s: _SIMBOL.get(s, s))
    parts = [f"<h1>{escape(judul)}</h1>",
             f'<p class="catatan">{len(p)} kiriman dinilai · {p["opd"].nunique()} OPD · kasus: {escape(DEMO_LABEL)}. '
             "✔ benar · ✘ belum tepat · – belum dijawab.</p>",
             "<h2>Soal yang paling banyak terlewat</h2>",
             _html_tabel(terlewat[["modul", "soal", "judul", "benar", "jumlah_kiriman", "persen_benar"]].head(8)),
             "<h2>Nilai per OPD</h2>", _html_tabel(opd)]
    for nomor, grup in p.groupby("modul", sort=True):
        cols = [c for c in ids if grup[c].astype(str).str.len().gt(0).any()]
        tampil = grup.sort_values(["opd", "nama_peserta"])[["nama_peserta", "opd", *cols, "nilai"]]
        parts += [f"<h2>Modul {int(nomor)}: nilai per peserta</h2>",
                  _html_tabel(tampil, {"✔": "ok", "✘": "no"})]
    body = "\n".join(parts)
    return prose.page(judul, body, body_class="proyektor") + "\n"


def write(hasil: list[HasilKiriman], ke: str | Path, *, timpa: bool = False) -> list[Path]:
    """Write the five result files into ``ke``; refuses to replace earlier results unless ``timpa``."""
    ke = Path(ke)
    ada = [str(ke / b) for b in BERKAS if (ke / b).exists()]
    if ada and not timpa:
        raise SPMError("Hasil penilaian sebelumnya sudah ada dan tidak akan ditimpa: " + ", ".join(ada)
                       + ". Pilih folder lain dengan --ke atau tambahkan --timpa.")
    peserta, soal = tabel_peserta(hasil), tabel_soal(hasil)
    opd, terlewat = tabel_opd(peserta), tabel_terlewat(soal)
    out = [write_table(peserta, ke / BERKAS[0]), write_table(soal, ke / BERKAS[1]),
           write_table(opd, ke / BERKAS[2]), write_table(terlewat, ke / BERKAS[3]),
           write_text(ke / BERKAS[4], halaman(peserta, opd, terlewat))]
    return out
