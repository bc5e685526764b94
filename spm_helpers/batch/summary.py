"""The summary of a batch run: national and per-province tables, charts and ``index.html``.

Numbers come only from what each region's notebook wrote into its folder (``ringkasan.json``),
never from parsing report HTML. Expected keys (all optional; a missing one shows as "–"):
kode_wilayah, nama, tingkat, kode_provinsi, tahun, indeks (IP-SPM 0–100), kategori, keterisian,
ip_spm_data_kosong_nol, kategori_data_kosong_nol, jumlah_jenis_dinilai, jumlah_jenis_wajib (D8),
skema_kategori, indeks_bidang {bidang: indeks}, biaya_total (rupiah), kekurangan_terbesar
[{kode_jenis, nama, biaya}], data_label.
The page itself is rendered by ``batch_index`` (self-contained: offices are often offline).
"""
from __future__ import annotations

import base64
import io
import json
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from spm_helpers import fmt
from spm_helpers.batch.worker import BERHASIL, GAGAL
from spm_helpers.errors import SPMError
from spm_helpers.files import write_text
from spm_helpers.inputs.datastore import write_table
from spm_helpers.reference import catalog, regions

RINGKASAN = "ringkasan.json"
INDEX = "index.html"
TINGKAT_LABEL = {"provinsi": "Provinsi", "kabkota": "Kabupaten/Kota"}


# ---------------------------------------------------------------------------------------------- tables
def read_regions(manifest) -> pd.DataFrame:
    """One row per region of the run: manifest status plus the numbers of its ringkasan.json."""
    rows = []
    signing = signing_gaps(manifest)
    for kode, entry in manifest.entries.items():
        data: dict[str, Any] = {}
        path = manifest.run_dir / kode / RINGKASAN
        if entry["status"] == BERHASIL and path.exists():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except ValueError:
                data = {}
        rows.append({**_row(kode, entry, data if isinstance(data, dict) else {}),
                     **({"isian_identitas": signing[kode]} if signing else {})})
    return region_table(pd.DataFrame(rows))


SIGNED_NOTEBOOKS = ("laporan_wilayah.ipynb", "rencana_aksi.ipynb")  # the documents with kop surat and signatures


def signing_gaps(manifest) -> dict[str, str]:
    """Per region, the identity fields its documents still print as placeholders ("" = ready to sign); empty
    for a notebook without signatures. Only which fields are missing, never their values."""
    from spm_helpers.documents import identity

    path = (manifest.meta.get("parameter") or {}).get("identitas")
    if not path and Path(manifest.meta.get("notebook", "")).name not in SIGNED_NOTEBOOKS:
        return {}
    out = {}
    for kode in manifest.entries:
        try:
            out[kode] = ", ".join(identity.load(path, kode).isian_kosong())
        except SPMError as exc:  # the file changed or went away since the run began
            out[kode] = f"berkas identitas tidak terbaca: {exc}"
    return out


def _row(kode: str, entry: dict, data: dict) -> dict:
    try:
        reg = regions.get(kode)
        known = {"nama": reg.nama, "tingkat": reg.tingkat, "kode_provinsi": reg.kode_provinsi,
                 "nama_provinsi": reg.nama_provinsi}
    except Exception:  # noqa: BLE001 - a code outside the bundled list still gets a row
        known = {"nama": entry.get("nama"), "tingkat": None, "kode_provinsi": kode[:2], "nama_provinsi": None}
    gaps = data.get("kekurangan_terbesar") or []
    row = {
        "kode_wilayah": kode,
        "nama": data.get("nama") or known["nama"],
        "tingkat": data.get("tingkat") or known["tingkat"],
        "kode_provinsi": str(data.get("kode_provinsi") or known["kode_provinsi"]),
        "nama_provinsi": known["nama_provinsi"],
        "status": entry["status"],
        "indeks": _number(data.get("indeks")),
        "kategori": data.get("kategori"),
        "keterisian": _number(data.get("keterisian")),
        "ip_spm_data_kosong_nol": _number(data.get("ip_spm_data_kosong_nol")),
        "kategori_data_kosong_nol": data.get("kategori_data_kosong_nol"),
        "jumlah_jenis_dinilai": _number(data.get("jumlah_jenis_dinilai")),
        "jumlah_jenis_wajib": _number(data.get("jumlah_jenis_wajib")),
        "skema_kategori": data.get("skema_kategori"),
        "biaya_total": _number(data.get("biaya_total")),
        "kekurangan_terbesar": "; ".join(
            f"{g.get('nama') or g.get('kode_jenis')} ({fmt.rupiah_ringkas(_number(g.get('biaya')))})"
            for g in gaps if isinstance(g, dict)),
        "data_label": data.get("data_label"),
        "laporan": next((p for p in entry.get("keluaran", []) if p.endswith(".html")), None),
        "pdf": next((p for p in entry.get("keluaran", []) if p.endswith(".pdf")), None),
        "notebook": entry.get("notebook"),
        "galat": entry.get("galat"),
        "detik": entry.get("detik"),
        "_gaps": [g for g in gaps if isinstance(g, dict)],
    }
    codes = _bidang_codes()
    for bidang, value in (data.get("indeks_bidang") or {}).items():  # keyed by code or by name
        row[f"indeks_{codes.get(bidang, bidang)}"] = _number(value)
    return row


def _bidang_codes() -> dict[str, str]:
    b = catalog.bidang()
    return dict(zip(b["nama_bidang"], b["kode_bidang"]))


def _number(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return np.nan


def region_table(df: pd.DataFrame) -> pd.DataFrame:
    """Typed columns, a category where only the index was given, and ranks: ``peringkat`` among
    regions of the same tingkat nationally, ``peringkat_provinsi`` among kab/kota of one province
    (1 = highest IP-SPM; ties share the best rank; no index, no rank)."""
    from spm_helpers.engine.achievement import assign_kategori

    df = df.copy()
    df["indeks"] = df["indeks"].astype("Float64")
    for col in ("keterisian", "ip_spm_data_kosong_nol"):  # D8: completeness beside the index
        df[col] = (df[col] if col in df.columns else pd.Series(np.nan, index=df.index)).astype("Float64")
    for col in ("jumlah_jenis_dinilai", "jumlah_jenis_wajib"):
        df[col] = (df[col] if col in df.columns else pd.Series(np.nan, index=df.index)).round().astype("Int64")
    df["biaya_total"] = df["biaya_total"].round().astype("Int64")
    missing = df["kategori"].isna() & df["indeks"].notna()
    if missing.any():
        df.loc[missing, "kategori"] = [assign_kategori(v) for v in df.loc[missing, "indeks"]]
    df["peringkat"] = df.groupby("tingkat", dropna=False)["indeks"].rank(ascending=False, method="min") \
        .astype("Int64")
    kk = df["tingkat"] == "kabkota"
    df["peringkat_provinsi"] = pd.array([pd.NA] * len(df), dtype="Int64")
    df.loc[kk, "peringkat_provinsi"] = df[kk].groupby("kode_provinsi")["indeks"] \
        .rank(ascending=False, method="min").astype("Int64")
    # the same ranks by the index with missing jenis counted as 0 (D8), so the tables sort by either figure
    df["peringkat_data_kosong_nol"] = df.groupby("tingkat", dropna=False)["ip_spm_data_kosong_nol"] \
        .rank(ascending=False, method="min").astype("Int64")
    return df


def bidang_columns(df: pd.DataFrame) -> list[str]:
    """``indeks_<bidang>`` columns in the order of PP 2/2018."""
    order = {f"indeks_{k}": i for i, k in enumerate(catalog.bidang()["kode_bidang"])}
    return sorted([c for c in df.columns if c.startswith("indeks_")], key=lambda c: (order.get(c, 99), c))


def _stat(values: pd.Series, fn: str):
    """``values.<fn>()`` over the known values, NA when there are none."""
    known = values.dropna()
    return getattr(known, fn)() if len(known) else pd.NA


def _first(values: pd.Series, default=None):
    known = values.dropna()
    return known.iloc[0] if len(known) else default


def province_table(df: pd.DataFrame) -> pd.DataFrame:
    """Per province: its own IP-SPM, how its kab/kota do (count, mean, lowest, highest), and the
    cost to close the gap of the province and all its kab/kota together."""
    rows = []
    for kode, part in df.groupby("kode_provinsi", sort=True):
        prov = part[part["tingkat"] == "provinsi"]
        kk = part[part["tingkat"] == "kabkota"]
        rows.append({
            "kode_provinsi": kode,
            "nama_provinsi": _first(part["nama_provinsi"], kode),
            "indeks_provinsi": _first(prov["indeks"], pd.NA),
            "kategori_provinsi": _first(prov["kategori"]),
            "keterisian_provinsi": _first(prov["keterisian"], pd.NA),
            "indeks_provinsi_data_kosong_nol": _first(prov["ip_spm_data_kosong_nol"], pd.NA),
            "jumlah_kabkota": len(kk),
            "kabkota_berhasil": int((kk["status"] == BERHASIL).sum()),
            "rata_indeks_kabkota": _stat(kk["indeks"], "mean"),
            "indeks_kabkota_terendah": _stat(kk["indeks"], "min"),
            "indeks_kabkota_tertinggi": _stat(kk["indeks"], "max"),
            "rata_keterisian_kabkota": _stat(kk["keterisian"], "mean"),
            "rata_indeks_kabkota_data_kosong_nol": _stat(kk["ip_spm_data_kosong_nol"], "mean"),
            "biaya_total": part["biaya_total"].sum(min_count=1),
            "gagal": int((part["status"] == GAGAL).sum()),
        })
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    for col in out.columns[out.columns.str.contains("indeks|keterisian")]:
        out[col] = out[col].astype("Float64").round(2)
    out["biaya_total"] = out["biaya_total"].astype("Int64")
    return out


def national_table(df: pd.DataFrame) -> pd.DataFrame:
    """Per tingkat: regions run, with an index, mean and median IP-SPM, total cost, count per category."""
    rows = []
    for tingkat, part in df.groupby("tingkat", sort=False):
        row = {"tingkat": TINGKAT_LABEL.get(tingkat, tingkat), "jumlah_wilayah": len(part),
               "berhasil": int((part["status"] == BERHASIL).sum()),
               "dengan_indeks": int(part["indeks"].notna().sum()),
               "rata_indeks": _stat(part["indeks"], "mean"), "median_indeks": _stat(part["indeks"], "median"),
               "rata_keterisian": _stat(part["keterisian"], "mean"),
               "rata_indeks_data_kosong_nol": _stat(part["ip_spm_data_kosong_nol"], "mean"),
               "biaya_total": part["biaya_total"].sum(min_count=1)}
        row.update({k: int((part["kategori"] == k).sum()) for k in catalog.kategori_capaian()["kategori"]})
        rows.append(row)
    out = pd.DataFrame(rows)
    for col in ("rata_indeks", "median_indeks", "rata_keterisian", "rata_indeks_data_kosong_nol"):
        if col in out:
            out[col] = out[col].astype("Float64").round(2)
    return out


def gap_table(df: pd.DataFrame, top: int = 10) -> pd.DataFrame:
    """Jenis layanan that most often appear among the regions' biggest gaps, with the summed cost of
    those appearances (from each region's ``kekurangan_terbesar``; not the cost of every gap)."""
    rows = [{"kode_jenis": g.get("kode_jenis"), "nama": g.get("nama"), "biaya": _number(g.get("biaya"))}
            for gaps in df["_gaps"] for g in gaps]
    if not rows:
        return pd.DataFrame(columns=["kode_jenis", "nama", "jumlah_wilayah", "biaya"])
    g = pd.DataFrame(rows)
    out = g.groupby(["kode_jenis", "nama"], dropna=False).agg(jumlah_wilayah=("biaya", "size"),
                                                              biaya=("biaya", "sum")).reset_index()
    out["biaya"] = out["biaya"].round().astype("Int64")
    return out.sort_values(["jumlah_wilayah", "biaya"], ascending=False).head(top).reset_index(drop=True)


def export_columns(df: pd.DataFrame) -> pd.DataFrame:
    """The region table as written to CSV/Parquet (no internal columns)."""
    cols = ["kode_wilayah", "nama", "tingkat", "kode_provinsi", "nama_provinsi", "status", "indeks",
            "kategori", "peringkat", "peringkat_provinsi", "keterisian", "jumlah_jenis_dinilai",
            "jumlah_jenis_wajib", "ip_spm_data_kosong_nol", "kategori_data_kosong_nol", "peringkat_data_kosong_nol",
            "skema_kategori", "biaya_total", "kekurangan_terbesar",
            *bidang_columns(df), "data_label", "laporan", "pdf", "isian_identitas", "notebook", "galat", "detik"]
    out = df[[c for c in cols if c in df.columns]].copy()
    out["kategori"] = out["kategori"].astype("string")
    return out


# ---------------------------------------------------------------------------------------------- charts
# matplotlib's object API only: no pyplot state, no backend change in the caller's process, and no
# seaborn import (~1.5 s of the summary). Colours: seaborn's colour-blind palette, as in charts.py.
COLORS = ("#0173b2", "#de8f05", "#029e73", "#d55e00", "#cc78bc", "#ca9161")


def preload() -> None:
    """Import what the summary needs (~1 s), e.g. in a thread while the batch is still running."""
    import matplotlib.backends.backend_agg  # noqa: F401
    import matplotlib.figure  # noqa: F401
    import matplotlib.ticker  # noqa: F401

    from spm_helpers.engine import achievement  # noqa: F401


def _png(draw: Callable, width: float, height: float) -> str:
    """Draw on a fresh Figure → base64 PNG."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100)
    ax = fig.subplots()
    ax.grid(axis="both", color="#e5e5e5", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    draw(ax)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _grouped_bars(ax, table: pd.DataFrame, horizontal: bool = False) -> None:
    """One bar per cell of ``table`` (rows = positions, columns = groups), with a legend."""
    width = 0.8 / max(1, table.shape[1])
    pos = np.arange(len(table))
    for i, (group, values) in enumerate(table.items()):
        where = pos - 0.4 + width * (i + 0.5)
        bar = ax.barh if horizontal else ax.bar
        bar(where, values.to_numpy(float), width, label=str(group), color=COLORS[i % len(COLORS)])
    (ax.set_yticks if horizontal else ax.set_xticks)(pos, [str(x) for x in table.index])
    if horizontal:
        ax.invert_yaxis()
    ax.legend(frameon=False, fontsize=8)


def charts(df: pd.DataFrame, prov: pd.DataFrame) -> dict[str, str]:
    """Title → base64 PNG. Only charts with data to show."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    out: dict[str, str] = {}
    scored = df[df["indeks"].notna()].copy()
    if scored.empty:
        return out
    scored["indeks"] = scored["indeks"].astype(float)
    scored["Tingkat"] = scored["tingkat"].map(TINGKAT_LABEL).fillna("lainnya")
    order = catalog.kategori_capaian()["kategori"].tolist()
    counts = scored.groupby(["kategori", "Tingkat"]).size().unstack(fill_value=0).reindex(order, fill_value=0)

    def kategori_bars(ax):
        _grouped_bars(ax, counts)
        ax.set(ylabel="jumlah wilayah", title="Sebaran kategori IP-SPM")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # regions are counted: no 0.5 ticks
        ax.tick_params(axis="x", labelrotation=15)

    out["Sebaran kategori IP-SPM"] = _png(kategori_bars, 8, 3.4)
    kk = scored[scored["tingkat"] == "kabkota"]
    if kk["kode_provinsi"].nunique() > 1:
        groups = kk.groupby("nama_provinsi")["indeks"]
        names = groups.median().sort_values(ascending=False).index.tolist()

        def box(ax):
            data = [groups.get_group(n).to_numpy() for n in names]
            try:
                ax.boxplot(data, orientation="horizontal", tick_labels=names, flierprops={"markersize": 2})
            except TypeError:  # matplotlib < 3.10
                ax.boxplot(data, vert=False, labels=names, flierprops={"markersize": 2})
            ax.invert_yaxis()
            ax.set(xlabel="IP-SPM kabupaten/kota", title="IP-SPM kabupaten/kota per provinsi")

        out["IP-SPM kabupaten/kota per provinsi"] = _png(box, 8, 1.2 + 0.24 * len(names))
    if len(prov) > 1 and prov["biaya_total"].notna().any():
        p = prov.dropna(subset=["biaya_total"]).sort_values("biaya_total", ascending=False)

        def cost(ax):
            ax.barh(p["nama_provinsi"].astype(str), p["biaya_total"].astype(float), color=COLORS[0])
            ax.invert_yaxis()
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt.rupiah_ringkas(v)))
            ax.set(xlabel="biaya pemenuhan kekurangan (provinsi + kab/kota)",
                   title="Biaya menutup kekurangan per provinsi")

        out["Biaya menutup kekurangan per provinsi"] = _png(cost, 8, 1.2 + 0.24 * len(p))
    bidang = bidang_columns(scored)
    if bidang:
        names_b = dict(zip("indeks_" + catalog.bidang()["kode_bidang"], catalog.bidang()["nama_bidang"]))
        means = scored.groupby("Tingkat")[bidang].mean().T
        means.index = [names_b.get(c, c.removeprefix("indeks_"))[:28] for c in means.index]

        def per_bidang(ax):
            _grouped_bars(ax, means, horizontal=True)
            ax.set(xlabel="rata-rata indeks", title="Rata-rata indeks per bidang", xlim=(0, 100))

        out["Rata-rata indeks per bidang"] = _png(per_bidang, 8, 3.6)
    return out


def write_summary(manifest) -> Path:
    """Write ringkasan_wilayah/provinsi (.csv and .parquet) and index.html into the run folder."""
    run_dir = manifest.run_dir
    df = read_regions(manifest)
    prov, nat, gaps = province_table(df), national_table(df), gap_table(df)
    for name, table in (("ringkasan_wilayah", export_columns(df)), ("ringkasan_provinsi", prov)):
        write_table(table, run_dir / f"{name}.csv")
        write_table(table, run_dir / f"{name}.parquet")
    from spm_helpers.batch.index_page import render_html

    return write_text(run_dir / INDEX, render_html(manifest, df, prov, nat, gaps, charts(df, prov)))
