"""Live class progress: every ``check()`` in class records one event; the facilitator's page shows who
is stuck on which task *now*, per OPD, refreshing by itself, names hidden unless asked for.

The class store is a folder. Each kernel appends to its own JSON-lines file, named by a random id, so
participants never write to one file and a restart starts a new file without losing the old one. Events
hold participant name, OPD, module, task, status, whether a hint was shown, and the time; never the answer
itself. Reading merges all files; a line cut off by a crash is skipped.

On the hub each participant's kernels write into their own sub-folder (``SPM_KELAS_TOKO=<store>/<user>``)
and the hub notes at sign-in who that user is (``<store>/_masuk/<user>.json``, the facilitator's alone).
Events in a sub-folder are counted under that sign-in, whatever name the notebook's code wrote, so with
separate system users (``hub_users``) nobody can add records under someone else's name.
"""
from __future__ import annotations

import json
import os
import uuid
from datetime import datetime, timedelta
from html import escape
from pathlib import Path

import pandas as pd

from spm_helpers.files import write_text
from spm_helpers.training.participants import TANPA_NAMA, TANPA_OPD, kunci_orang, opd_baku
from spm_helpers.training.registry import semua_soal
from spm_helpers.training.verdicts import BELUM, BENAR, GALAT, SALAH, TIDAK_DIJALANKAN

ENV_TOKO = "SPM_KELAS_TOKO"
MACET_MENIT = 10  # "stuck": the last attempt at a task is not right and is at most this old
_FILE: dict[str, Path] = {}
_IDENTITAS: dict[str, str] = {}


def set_identity(nama: str, opd: str, modul: int) -> None:
    """Remember who this kernel belongs to (called by ``start``), for the events that follow."""
    _IDENTITAS.update({"peserta": nama, "opd": opd, "modul": str(modul)})


def record(soal: str, status: str, *, petunjuk: bool = False, toko: str | Path | None = None) -> None:
    """Append one event to this kernel's file in the class store; silent when there is no store."""
    folder = toko or os.environ.get(ENV_TOKO)
    if not folder:
        return
    try:
        path = _FILE.get(str(folder))
        if path is None:
            Path(folder).mkdir(parents=True, exist_ok=True)
            path = _FILE[str(folder)] = Path(folder) / f"{uuid.uuid4().hex}.jsonl"
        rec = {"peserta": _IDENTITAS.get("peserta", ""), "opd": _IDENTITAS.get("opd", ""), "soal": soal,
               "status": status, "petunjuk": bool(petunjuk), "waktu": datetime.now().isoformat(timespec="milliseconds")}
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    except OSError:
        pass  # the participant's feedback matters more than the facilitator's page


KOLOM = ["peserta", "opd", "soal", "status", "petunjuk", "waktu"]
MASUK = "_masuk"


def note_sign_in(toko: str | Path, user: str, nama: str, opd: str) -> Path:
    """Who signed in as hub user ``user`` (written by the hub, read by the facilitator's page)."""
    folder = Path(toko) / MASUK
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    return write_text(folder / f"{user}.json", json.dumps({"peserta": nama, "opd": opd}, ensure_ascii=False))


def signed_in(toko: str | Path, user: str) -> dict[str, str]:
    """The name and OPD typed when ``user`` signed in ({} when unknown)."""
    try:
        rec = json.loads((Path(toko) / MASUK / f"{user}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: str(rec.get(k) or "") for k in ("peserta", "opd")} if isinstance(rec, dict) else {}


def _lines(path: Path) -> list[str]:
    if path.is_symlink() or not path.is_file():  # a participant's link to another file is not their record
        return []
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []


def read(toko: str | Path) -> pd.DataFrame:
    """Every event in the store, oldest first; events in a participant's sub-folder carry their sign-in."""
    toko = Path(toko)
    rows = []
    files = [(p, None) for p in sorted(toko.glob("*.jsonl"))]
    for sub in sorted(p for p in toko.iterdir() if p.is_dir() and not p.is_symlink() and p.name != MASUK) \
            if toko.is_dir() else []:
        ident = signed_in(toko, sub.name) or None
        files += [(p, ident) for p in sorted(sub.glob("*.jsonl"))]
    for path, ident in files:
        for line in _lines(path):
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line cut off mid-write
            if isinstance(rec, dict) and rec.get("soal"):
                rows.append({**{k: rec.get(k) for k in KOLOM}, **(ident or {})})
    df = pd.DataFrame(rows, columns=KOLOM)
    df["waktu"] = pd.to_datetime(df["waktu"], errors="coerce")
    df["peserta"] = df["peserta"].fillna("").astype(str).str.strip().replace("", TANPA_NAMA)
    df["opd"] = df["opd"].map(opd_baku)
    return df.sort_values("waktu", kind="stable").reset_index(drop=True)


def status_now(events: pd.DataFrame, sekarang: datetime | None = None, macet_menit: int = MACET_MENIT) -> pd.DataFrame:
    """One row per participant and task: the latest status, attempts, and whether they are stuck now
    (latest attempt wrong or not checkable, within ``macet_menit``)."""
    cols = ["peserta", "opd", "soal", "status", "percobaan", "terakhir", "macet"]
    if events.empty:
        return pd.DataFrame(columns=cols)
    sekarang = sekarang or datetime.now()
    e = events.copy()
    e["_kunci"] = kunci_orang(e["peserta"], e["opd"], pd.Series("", index=e.index))
    g = e.groupby(["_kunci", "soal"], sort=False)
    out = g.tail(1).set_index(["_kunci", "soal"])[["peserta", "opd", "status", "waktu"]].rename(
        columns={"waktu": "terakhir"})
    out["percobaan"] = g.size()
    out = out.reset_index()
    batas = pd.Timestamp(sekarang - timedelta(minutes=macet_menit))
    # stuck = tried and wrong, recently; a task not reached yet ('...' still there) is not being struggled with
    out["macet"] = out["status"].isin([SALAH, GALAT]) & (out["terakhir"] >= batas)
    return out[cols]


def per_task(now: pd.DataFrame) -> pd.DataFrame:
    """Per task and OPD: how many are right, wrong, unanswered, stuck now."""
    cols = ["soal", "judul", "opd", "benar", "salah", "belum", "macet"]
    if now.empty:
        return pd.DataFrame(columns=cols)
    g = now.groupby(["soal", "opd"], sort=False)
    out = pd.DataFrame({
        "benar": g["status"].apply(lambda s: int((s == BENAR).sum())),
        "salah": g["status"].apply(lambda s: int((s == SALAH).sum())),
        "belum": g["status"].apply(lambda s: int(s.isin([BELUM, TIDAK_DIJALANKAN]).sum())),
        "macet": g["macet"].sum().astype(int)}).reset_index()
    judul = {k: s.judul for k, s in semua_soal().items()}
    out["judul"] = out["soal"].map(judul).fillna("")
    key = out["soal"].map(lambda i: (int(i[1:i.index(".")]), int(i[i.index("t") + 1:])) if ".t" in i else (99, 99))
    return out.assign(_k=key).sort_values(["_k", "opd"]).drop(columns="_k")[cols].reset_index(drop=True)


_CSS = """body{font-family:'DejaVu Sans',Arial,sans-serif;margin:24px;color:#222;font-size:20px}
h1{font-size:28px;margin:0 0 4px}h2{font-size:22px;margin-top:24px;border-bottom:2px solid #ccc}
table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #bbb;padding:4px 10px;text-align:left}
th{background:#eef2f7}td.num{text-align:right}td.macet{background:#fdecea;color:#b3261e;font-weight:bold}
.catatan{color:#666;font-size:16px}a{color:#1a5fb4}"""


def halaman(events: pd.DataFrame, *, dengan_nama: bool = False, sekarang: datetime | None = None,
            refresh: int = 5, judul: str = "Kemajuan kelas") -> str:
    """The facilitator's live page (self-contained, refreshes itself every ``refresh`` seconds)."""
    now = status_now(events, sekarang)
    tugas = per_task(now)
    n_orang = now[["peserta", "opd"]].drop_duplicates().shape[0] if len(now) else 0
    waktu = (sekarang or datetime.now()).strftime("%H.%M.%S")
    toggle = ('<a href="?nama=0">sembunyikan nama</a>' if dengan_nama else
              '<a href="?nama=1">tampilkan nama (jangan di proyektor)</a>')
    parts = [f"<h1>{escape(judul)}</h1>",
             f'<p class="catatan">{n_orang} peserta · diperbarui {waktu} · macet = jawaban terakhir belum tepat '
             f"dalam {MACET_MENIT} menit terakhir · {toggle}</p>",
             "<h2>Per soal dan OPD</h2>"]
    head = ["Soal", "Judul soal", "OPD", "Benar", "Belum tepat", "Belum dijawab", "Macet sekarang"]
    rows = []
    for r in tugas.itertuples(index=False):
        rows.append(f"<tr><td>{escape(r.soal)}</td><td>{escape(r.judul)}</td><td>{escape(r.opd)}</td>"
                    f'<td class="num">{r.benar}</td><td class="num">{r.salah}</td><td class="num">{r.belum}</td>'
                    f'<td class="num{" macet" if r.macet else ""}">{r.macet}</td></tr>')
    parts.append("<table><thead><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr></thead><tbody>"
                 + "".join(rows) + "</tbody></table>")
    if dengan_nama:
        m = now[now["macet"]].sort_values(["opd", "peserta", "soal"])
        parts.append("<h2>Siapa yang macet sekarang</h2>")
        if m.empty:
            parts.append('<p class="catatan">Tidak ada.</p>')
        else:
            parts.append("<table><thead><tr><th>Peserta</th><th>OPD</th><th>Soal</th><th>Percobaan</th>"
                         "<th>Terakhir</th></tr></thead><tbody>" + "".join(
                             f"<tr><td>{escape(r.peserta)}</td><td>{escape(r.opd)}</td><td>{escape(r.soal)}</td>"
                             f'<td class="num">{r.percobaan}</td><td>{r.terakhir:%H.%M}</td></tr>'
                             for r in m.itertuples(index=False)) + "</tbody></table>")
    body = "\n".join(parts)
    return (f'<!DOCTYPE html>\n<html lang="id"><head><meta charset="utf-8">'
            f'<meta http-equiv="refresh" content="{int(refresh)}"><title>{escape(judul)}</title>'
            f"<style>{_CSS}</style></head><body>\n{body}\n</body></html>\n")


KUKI = "spm_pantau"


def serve(toko: str | Path, host: str = "127.0.0.1", port: int = 8001, kunci: str | None = None):
    """An HTTP server for the facilitator's page (``/`` anonymous, ``/?nama=1`` with names); returns the
    server (call ``serve_forever``). It only reads the store. With ``kunci`` the page opens only for
    ``/?kunci=<kunci>`` (then a cookie): on one machine a participant's kernel can reach 127.0.0.1 too."""
    import hmac
    from http.cookies import SimpleCookie
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from urllib.parse import parse_qs, urlparse

    class Halaman(BaseHTTPRequestHandler):
        def _send(self, code: int, body: bytes, headers: dict[str, str] | None = None) -> None:
            self.send_response(code)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            url = urlparse(self.path)
            if url.path not in ("/", "/index.html"):
                self._send(404, b"<p>Halaman tidak ada.</p>")
                return
            q = parse_qs(url.query)
            headers = {}
            if kunci:
                diberi = q.get("kunci", [""])[0]
                kuki = SimpleCookie(self.headers.get("Cookie", "")).get(KUKI)
                if hmac.compare_digest(diberi, kunci):
                    headers["Set-Cookie"] = f"{KUKI}={kunci}; HttpOnly; SameSite=Strict; Path=/"
                elif not (kuki and hmac.compare_digest(kuki.value, kunci)):
                    self._send(403, "<p>Halaman kemajuan hanya untuk fasilitator: buka alamat lengkap (dengan "
                                    "?kunci=…) yang ditampilkan <code>spm kelas mulai</code>.</p>".encode())
                    return
            nama = q.get("nama", ["0"])[0] == "1"
            self._send(200, halaman(read(toko), dengan_nama=nama).encode("utf-8"), headers)

        def log_message(self, *args) -> None:  # quiet: the facilitator's terminal shows the address only
            return

    return ThreadingHTTPServer((host, port), Halaman)


__all__ = ["ENV_TOKO", "KUKI", "MASUK", "halaman", "note_sign_in", "per_task", "read", "record", "serve",
           "set_identity", "signed_in", "status_now", "TANPA_OPD"]
