"""The class summary after grading: tables for the facilitator (CSV that Excel opens with Indonesian
settings, and one .xlsx) and one self-contained HTML page for the projector (inline style, no external
URL: the workshop room is often offline).

The projector page is anonymous unless asked otherwise (the guide: never shame one participant): it
shows what the class missed, per task and per OPD. Names, file names and error notes stay in the
files for the facilitator. OPD names are normalised against the catalogue ("Dinkes" is "Dinas
Kesehatan"), and a participant who handed in several copies of one module counts once (the best one)
wherever people are counted.
"""
from __future__ import annotations

from html import escape
from pathlib import Path

import pandas as pd

from spm_helpers import DEMO_LABEL
from spm_helpers.errors import SPMError
from spm_helpers.files import atomic_path, write_text
from spm_helpers.fmt import angka
from spm_helpers.inputs.datastore import neutralize_formulas
from spm_helpers.inputs.workbook import as_text
from spm_helpers.training.feedback import BELUM, BENAR, SALAH
from spm_helpers.training.grade import CEK_DIHAPUS, TIDAK_DIJALANKAN, HasilKiriman
from spm_helpers.training.participants import TANPA_NAMA, TANPA_OPD, kunci_orang, opd_baku  # noqa: F401 - re-exported
from spm_helpers.training.registry import semua_soal
from spm_helpers.views import prose

BERKAS = ("nilai_peserta.csv", "nilai_soal.csv", "nilai_opd.csv", "soal_terlewat.csv", "ringkasan_kelas.html",
          "ringkasan_kelas.xlsx")
_SIMBOL = {BENAR: "✔", SALAH: "✘", BELUM: "–", CEK_DIHAPUS: "cek dihapus", TIDAK_DIJALANKAN: "tidak jalan"}

# Column → the label a reader sees (page and .xlsx). The CSV files keep the short names, which stay
# stable for anyone who reads them with a program.
LABEL = {
    "nama_peserta": "Nama peserta", "opd": "OPD", "opd_ditulis": "OPD (seperti ditulis)", "modul": "Modul",
    "berkas": "Berkas", "soal": "Soal", "judul": "Judul soal", "status": "Status", "benar": "Benar",
    "jumlah_soal": "Jumlah soal", "nilai": "Nilai", "catatan": "Catatan", "detik": "Lama dinilai (detik)",
    "jumlah_peserta": "Jumlah peserta", "rata_rata_nilai": "Rata-rata nilai", "nilai_terendah": "Nilai terendah",
    "nilai_tertinggi": "Nilai tertinggi", "jumlah_kiriman": "Jumlah kiriman", "persen_benar": "Persen benar",
    "salah": "Belum tepat", "belum_dijawab": "Belum dijawab", "tidak_dijalankan": "Tidak jalan (galat/waktu habis)",
    "cek_dihapus": "Sel cek dihapus", "peserta": "Peserta",
}
_DESIMAL = ("nilai", "rata_rata_nilai", "nilai_terendah", "nilai_tertinggi", "persen_benar", "detik")


def _urut_soal(i: str) -> tuple[int, int]:
    return int(i[1:i.index(".")]), int(i[i.index("t") + 1:])


def tabel_soal(hasil: list[HasilKiriman]) -> pd.DataFrame:
    """Long form: one row per submission and graded task."""
    rows = [{"nama_peserta": h.nama_peserta or TANPA_NAMA, "opd": opd_baku(h.opd), "modul": h.modul,
             "berkas": h.berkas, "akun": h.akun, "soal": sid, "status": st, "benar": st == BENAR}
            for h in hasil for sid, st in h.soal.items()]
    return pd.DataFrame(rows, columns=["nama_peserta", "opd", "modul", "berkas", "akun", "soal", "status", "benar"])


def tabel_peserta(hasil: list[HasilKiriman]) -> pd.DataFrame:
    """One row per submission: status of each task, score, notes. Unreadable files stay as rows."""
    ids = sorted({s for h in hasil for s in h.soal}, key=_urut_soal)
    rows = []
    for h in hasil:
        row = {"nama_peserta": h.nama_peserta or TANPA_NAMA, "opd": opd_baku(h.opd), "opd_ditulis": h.opd,
               "modul": h.modul, "berkas": h.berkas, "akun": h.akun}
        row.update({i: h.soal.get(i, "") for i in ids})
        n = len(h.soal)
        row.update({"benar": h.benar, "jumlah_soal": n, "nilai": round(100 * h.benar / n, 1) if n else None,
                    "catatan": "; ".join(h.catatan), "detik": round(h.detik, 1)})
        rows.append(row)
    df = pd.DataFrame(rows, columns=["nama_peserta", "opd", "opd_ditulis", "modul", "berkas", "akun", *ids, "benar",
                                     "jumlah_soal", "nilai", "catatan", "detik"])
    df["modul"] = df["modul"].astype("Int64")
    return df


def kunci_peserta(df: pd.DataFrame) -> pd.Series:
    """One key per participant. A file collected from a hub account folder ('andi/modul_0.ipynb') counts
    under that account, which the notebook cannot change: its copies count once, and a copy claiming a
    classmate's name is not merged with that classmate. Any other file (copied from USB sticks into one
    folder, or a zip of the class) is no account of its own: 'Budi.ipynb' and 'Budi (2).ipynb', or a zip
    holding thirty people's files, are told apart by name + OPD, as before accounts existed."""
    base = kunci_orang(df["nama_peserta"], df["opd"], df["berkas"])
    if "akun" not in df:
        return base
    akun = df["akun"].fillna("").astype(str).str.strip()
    berkas = df["berkas"].fillna("").astype(str)
    hub = berkas.str.contains("/", regex=False) & ~berkas.str.split("/").str[0].str.lower().str.endswith(".zip")
    return ("akun|" + akun).where(hub & (akun != ""), base)


def _terbaik(peserta: pd.DataFrame) -> pd.DataFrame:
    """One row per participant and module (the best of repeated submissions)."""
    p = peserta.dropna(subset=["nilai"]).copy()
    p["_kunci"] = kunci_peserta(p)
    return p.sort_values("nilai", ascending=False, kind="stable").drop_duplicates(["_kunci", "modul"]) \
        .drop(columns="_kunci")


def tabel_opd(peserta: pd.DataFrame) -> pd.DataFrame:
    p = _terbaik(peserta)
    if p.empty:
        return pd.DataFrame(columns=["opd", "modul", "jumlah_peserta", "rata_rata_nilai", "nilai_terendah",
                                     "nilai_tertinggi"])
    g = p.groupby(["opd", "modul"], sort=True)["nilai"]
    out = pd.DataFrame({"jumlah_peserta": g.size(), "rata_rata_nilai": g.mean().round(1),
                        "nilai_terendah": g.min(), "nilai_tertinggi": g.max()}).reset_index()
    return out


def _satu_per_orang(soal: pd.DataFrame) -> pd.DataFrame:
    """The task rows of each participant's best submission per module (most tasks right, first file)."""
    if soal.empty:
        return soal
    s = soal.copy()
    s["_kunci"] = kunci_peserta(s)
    skor = s.groupby(["_kunci", "modul", "berkas"], sort=False)["benar"].sum().reset_index()
    terbaik = skor.sort_values("benar", ascending=False, kind="stable").drop_duplicates(["_kunci", "modul"])
    return s[s["berkas"].isin(set(terbaik["berkas"]))].drop(columns="_kunci")


def tabel_terlewat(soal: pd.DataFrame) -> pd.DataFrame:
    """Per task, over participants (one submission each): right, wrong, not reached, stopped by an error;
    the least-solved first (what to explain again)."""
    cols = ["modul", "soal", "judul", "jumlah_peserta", "benar", "persen_benar", "salah", "belum_dijawab",
            "tidak_dijalankan", "cek_dihapus"]
    if soal.empty:
        return pd.DataFrame(columns=cols)
    judul = {k: s.judul for k, s in semua_soal().items()}
    g = _satu_per_orang(soal).groupby(["modul", "soal"], sort=True)["status"]
    out = pd.DataFrame({"jumlah_peserta": g.size(), "benar": g.apply(lambda s: int((s == BENAR).sum()))})
    for col, st in (("salah", SALAH), ("belum_dijawab", BELUM), ("cek_dihapus", CEK_DIHAPUS),
                    ("tidak_dijalankan", TIDAK_DIJALANKAN)):
        out[col] = g.apply(lambda s, st=st: int((s == st).sum()))
    out = out.reset_index()
    out["judul"] = out["soal"].map(judul)
    out["persen_benar"] = (100 * out["benar"] / out["jumlah_peserta"]).round(1)
    return out.sort_values(["persen_benar", "modul", "soal"], kind="stable")[cols].reset_index(drop=True)


# ------------------------------------------------------------------------------------------ page
# what the shared stylesheet does not have: verdict colours and the stacked bars of the projector page
_CSS = """td.ok{color:#1b7f3b;font-weight:bold}td.no{color:#b3261e}td.num{text-align:right}
td.bar{min-width:175px;white-space:nowrap}.bar span{display:inline-block;height:14px;margin-right:1px}"""
_WARNA = {"benar": "#1b7f3b", "salah": "#b3261e", "belum_dijawab": "#d0a000", "tidak_dijalankan": "#555",
          "cek_dihapus": "#999"}


def _teks(col: str, v) -> str:
    if v is None or v is pd.NA or (isinstance(v, float) and pd.isna(v)):
        return ""
    if col in _DESIMAL and isinstance(v, (int, float)):
        return angka(v, 1)  # 66,7 as an Indonesian reader writes it
    if col == "modul" and isinstance(v, (int, float)):
        return str(int(v))
    return str(v)


def _html_tabel(df: pd.DataFrame, kelas: dict[str, str] | None = None) -> str:
    head = "".join(f"<th>{escape(LABEL.get(str(c), str(c)))}</th>" for c in df.columns)
    body = []
    for row in df.itertuples(index=False):
        cells = []
        for c, v in zip(df.columns, row):
            text = _teks(str(c), v)
            cls = (kelas or {}).get(text) or ("num" if isinstance(v, (int, float)) and c != "modul" else "")
            cells.append(f'<td class="{cls}">{escape(text)}</td>' if cls else f"<td>{escape(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _batang(row) -> str:
    """A small stacked bar: right / wrong / not answered / stopped by an error / check deleted."""
    n = max(int(row["jumlah_peserta"]), 1)
    return "".join(f'<span style="width:{160 * int(row[c]) / n:.0f}px;background:{w}" title="{LABEL[c]}"></span>'
                   for c, w in _WARNA.items() if int(row[c]))


def halaman(peserta: pd.DataFrame, opd: pd.DataFrame, terlewat: pd.DataFrame, judul: str = "Ringkasan kelas",
            *, dengan_nama: bool = False) -> str:
    """The projector page: most-missed tasks (right / wrong / not reached / error), scores per OPD; the
    per-participant tables only with ``dengan_nama`` (never file names or error notes)."""
    p = peserta.dropna(subset=["modul"]).copy()
    ids = [c for c in p.columns if isinstance(c, str) and c[:1] == "m" and ".t" in c]
    t = _terbaik(p)
    n_orang = kunci_peserta(t).nunique() if len(t) else 0
    legenda = " · ".join(f'<span style="color:{w}">■</span> {LABEL[c]}' for c, w in _WARNA.items())
    t = terlewat.head(8).copy()
    baris = []
    for _, r in t.iterrows():
        cells = [_teks("modul", r["modul"]), r["soal"], r["judul"] or ""]
        nums = [r["jumlah_peserta"], r["benar"], r["salah"], r["belum_dijawab"], r["tidak_dijalankan"]]
        baris.append("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in cells)
                     + "".join(f'<td class="num">{int(v)}</td>' for v in nums)
                     + f'<td class="num">{escape(_teks("persen_benar", r["persen_benar"]))}</td>'
                     + f'<td class="bar">{_batang(r)}</td></tr>')
    kolom = ["modul", "soal", "judul", "jumlah_peserta", "benar", "salah", "belum_dijawab", "tidak_dijalankan",
             "persen_benar"]
    tabel_terlewat_html = ("<table><thead><tr>" + "".join(f"<th>{escape(LABEL[c])}</th>" for c in kolom)
                           + "<th></th></tr></thead><tbody>" + "".join(baris) + "</tbody></table>")
    parts = [f"<h1>{escape(judul)}</h1>",
             (f'<p class="catatan">{n_orang} peserta · {len(p)} kiriman dinilai · {opd["opd"].nunique()} OPD · '
              f"kasus: {escape(DEMO_LABEL)}. Peserta yang mengirim lebih dari sekali dihitung sekali "
              "(kiriman terbaiknya).</p>"),
             "<h2>Soal yang paling banyak terlewat</h2>", f'<p class="catatan">{legenda}</p>', tabel_terlewat_html,
             "<h2>Nilai per OPD</h2>", _html_tabel(opd)]
    if dengan_nama:
        for nomor, grup in p.groupby("modul", sort=True):
            cols = [c for c in ids if grup[c].astype(str).str.len().gt(0).any()]
            tampil = grup.sort_values(["opd", "nama_peserta"])[["nama_peserta", "opd", *cols, "nilai"]].copy()
            for c in cols:
                tampil[c] = tampil[c].map(lambda s: _SIMBOL.get(s, s))
            parts += [f"<h2>Modul {int(nomor)}: nilai per peserta</h2>",
                      '<p class="catatan">✔ benar · ✘ belum tepat · – belum dijawab.</p>',
                      _html_tabel(tampil, {"✔": "ok", "✘": "no"})]
    else:
        parts.append('<p class="catatan">Nama dan nilai tiap peserta tidak ditampilkan di layar; fasilitator '
                     "melihatnya di nilai_peserta.csv atau ringkasan_kelas.xlsx.</p>")
    body = "\n".join(parts)
    return prose.page(judul, body, body_class="proyektor", extra_css=_CSS) + "\n"


# ------------------------------------------------------------------------------------------ files
def write_csv_excel(df: pd.DataFrame, path: str | Path) -> Path:
    """A CSV that Excel with Indonesian regional settings opens in columns: semicolon separator, decimal
    comma, UTF-8 with a byte-order mark (so 'ü' and '–' survive), written atomically. Names and OPDs are typed
    by participants: text that a spreadsheet would run as a formula gets a leading apostrophe."""
    with atomic_path(path) as tmp:
        neutralize_formulas(df).to_csv(tmp, index=False, sep=";", decimal=",", encoding="utf-8-sig")
    return Path(path)


def _berlabel(df: pd.DataFrame) -> pd.DataFrame:
    return df.rename(columns={c: LABEL.get(c, c) for c in df.columns})


def write_xlsx(lembar: dict[str, pd.DataFrame], path: str | Path) -> Path:
    """One workbook, one sheet per table, Indonesian column labels, widths fitted to the text."""
    from openpyxl.utils import get_column_letter

    with atomic_path(path) as tmp:
        with pd.ExcelWriter(tmp, engine="openpyxl") as xw:
            for nama, df in lembar.items():
                _berlabel(df).to_excel(xw, sheet_name=nama, index=False)
                ws = xw.sheets[nama]
                ws.freeze_panes = "A2"
                for i, col in enumerate(_berlabel(df).columns, start=1):
                    lebar = max([len(str(col))] + [len(str(v)) for v in df.iloc[:, i - 1].head(200)])
                    ws.column_dimensions[get_column_letter(i)].width = min(60, lebar + 2)
                    for cell in ws[get_column_letter(i)][1:]:
                        if isinstance(cell.value, float):
                            cell.number_format = "0.0"
                        elif isinstance(cell.value, str):
                            as_text(cell, cell.value)  # a name typed as '=HYPERLINK(...)' stays text
    return Path(path)


def write(hasil: list[HasilKiriman], ke: str | Path, *, timpa: bool = False, dengan_nama: bool = False) -> list[Path]:
    """Write the result files into ``ke``; refuses to replace earlier results unless ``timpa``."""
    ke = Path(ke)
    ada = [str(ke / b) for b in BERKAS if (ke / b).exists()]
    if ada and not timpa:
        raise SPMError("Hasil penilaian sebelumnya sudah ada dan tidak akan ditimpa: " + ", ".join(ada)
                       + ". Pilih folder lain dengan --ke atau tambahkan --timpa.")
    peserta, soal = tabel_peserta(hasil), tabel_soal(hasil)
    opd, terlewat = tabel_opd(peserta), tabel_terlewat(soal)
    out = [write_csv_excel(peserta, ke / BERKAS[0]), write_csv_excel(soal, ke / BERKAS[1]),
           write_csv_excel(opd, ke / BERKAS[2]), write_csv_excel(terlewat, ke / BERKAS[3]),
           write_text(ke / BERKAS[4], halaman(peserta, opd, terlewat, dengan_nama=dengan_nama)),
           write_xlsx({"Peserta": peserta, "Soal terlewat": terlewat, "Per OPD": opd, "Per soal": soal},
                      ke / BERKAS[5])]
    return out


def read_csv(path: str | Path, **kw) -> pd.DataFrame:
    """Read back one of the CSV files written here (semicolon, decimal comma, BOM)."""
    return pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig", **kw)
