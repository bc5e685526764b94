"""Figures the stage notebooks need beyond :mod:`spm_helpers.views.charts` (same style: Indonesian labels,
colour-blind palette, values written on the bars so the figure reads in black-and-white print)."""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib.ticker import FuncFormatter, MaxNLocator

from spm_helpers import fmt
from spm_helpers.views.blocks import MIN_PRINT_PT, PRINT_WIDTH_IN
from spm_helpers.views.charts import (
    PALETTE,
    TITLE_LINE_IN,
    RupiahTicks,
    fixed_margins,
    label_width,
    money_unit,
    style,
    title_lines,
)


def tick_labels(ax, axis: str = "y") -> list[str]:
    """The tick labels matplotlib draws on ``axis`` (for tests and checks)."""
    ax.figure.canvas.draw()
    a = ax.yaxis if axis == "y" else ax.xaxis
    lo, hi = a.get_view_interval()
    return [t.get_text() for t, loc in zip(a.get_ticklabels(), a.get_ticklocs()) if lo - 1e-9 <= loc <= hi + 1e-9]


def _rupiah_y(ax, top: float, label: str = "Biaya") -> float:
    """A money y axis in one unit; the axis label names it ('Biaya (Rp miliar)'). Returns the unit."""
    unit, word = money_unit(top)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]))
    ax.yaxis.set_major_formatter(RupiahTicks(unit))
    ax.set_ylabel(f"{label} (Rp {word})" if word else f"{label} (Rp)")
    return unit


def anggaran_rencana(anggaran: pd.DataFrame, judul: str | None = None) -> plt.Figure:
    """Plan cost per year (``plan.Rencana.anggaran``: tahun_rencana, biaya, pagu, kekurangan_anggaran): the funded
    cost, what a pagu leaves unfunded stacked on top (hatched), and the yearly ceiling as a dashed line."""
    df = anggaran.sort_values("tahun_rencana")
    years = df["tahun_rencana"].astype(int).astype(str).tolist()
    biaya = df["biaya"].astype("float64").fillna(0.0)
    with style():
        fig, ax = plt.subplots(figsize=(8, 4.2))
        bars = ax.bar(years, biaya, color=sns.color_palette(PALETTE)[0], zorder=2, label="Biaya rencana")
        top = float(biaya.max() or 1.0)
        if "kekurangan_anggaran" in df.columns and (df["kekurangan_anggaran"].fillna(0) > 0).any():
            kurang = df["kekurangan_anggaran"].astype("float64").fillna(0.0)
            ax.bar(years, kurang, bottom=biaya, color="#d9d9d9", hatch="//", edgecolor="#999999", zorder=2,
                   label="Belum didanai")
            top = max(top, float((biaya + kurang).max()))
            ax.legend(loc="lower right", fontsize=8)
        if "pagu" in df.columns and df["pagu"].notna().any():
            pagu = df["pagu"].astype("float64")
            ax.plot(years, pagu, color="black", linestyle="--", marker="_", markersize=18, zorder=3,
                    label="Pagu per tahun")
            top = max(top, float(pagu.max()))
            ax.legend(loc="lower right", fontsize=8)
        ax.set_ylim(0, top * 1.2)
        unit = _rupiah_y(ax, top)
        ax.bar_label(bars, labels=["" if pd.isna(v) else fmt.angka(v / unit, 2) for v in df["biaya"]], fontsize=8,
                     padding=1)
        ax.set_xlabel("Tahun rencana")
        ax.set_title(judul or "Biaya rencana pemenuhan per tahun")
        fig.tight_layout()
    return fig


def realisasi_terhadap_target(tvr: pd.DataFrame, judul: str | None = None) -> plt.Figure:
    """Per year: how many jenis met their plan target and how many did not (stacked bars, hatched so the two
    stay apart in grey print)."""
    t = tvr[tvr["status"].isin(["tercapai", "tidak tercapai"])]
    counts = t.groupby(["tahun", "status"]).size().unstack("status", fill_value=0)
    for c in ("tercapai", "tidak tercapai"):
        if c not in counts.columns:
            counts[c] = 0
    years = counts.index.astype(int).astype(str).tolist()
    pal = sns.color_palette(PALETTE)
    with style():
        fig, ax = plt.subplots(figsize=(8, 4))
        b1 = ax.bar(years, counts["tercapai"], color=pal[2], label="Target tercapai", zorder=2)
        b2 = ax.bar(years, counts["tidak tercapai"], bottom=counts["tercapai"], color=pal[3], hatch="//",
                    edgecolor="white", label="Target tidak tercapai", zorder=2)
        ax.bar_label(b1, label_type="center", fontsize=8)
        ax.bar_label(b2, label_type="center", fontsize=8)
        ax.set_xlabel("Tahun")
        ax.set_ylabel("Jumlah jenis pelayanan dasar")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8)
        ax.set_title(judul or "Realisasi terhadap target rencana")
        fig.tight_layout()
    return fig


_MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
_LINES = ["-", "--", "-.", ":"]


def tren_wilayah_bidang(tren: pd.DataFrame, judul: str | None = None) -> plt.Figure:
    """IP-SPM over the years: the region (thick black line) and each bidang (colour *and* marker *and* line
    style differ, so the lines stay apart for colour-blind readers and in grey print), over the category
    bands. ``tren``: tahun, nama, indeks; the row 'Indeks wilayah' is the region."""
    from spm_helpers.views.charts import category_bands

    pal = sns.color_palette(PALETTE)
    with style():
        fig, ax = plt.subplots(figsize=(9, 5.2))
        category_bands(ax, "horizontal")
        names = list(dict.fromkeys(tren["nama"]))
        for i, nama in enumerate(names):
            d = tren[tren["nama"] == nama].sort_values("tahun")
            if nama == "Indeks wilayah":
                ax.plot(d["tahun"], d["indeks"], color="black", lw=2.8, marker="o", ms=6, label=nama, zorder=4)
            else:
                ax.plot(d["tahun"], d["indeks"], color=pal[i % len(pal)], lw=1.4, ls=_LINES[i % len(_LINES)],
                        marker=_MARKERS[i % len(_MARKERS)], ms=5, label=nama, zorder=3)
        ax.set_ylim(0, 102)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt.persen(v, 0)))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel("Tahun")
        ax.set_ylabel("Indeks Pencapaian SPM")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=4, fontsize=8, frameon=False)
        ax.set_title(judul or "Perkembangan Indeks Pencapaian SPM", pad=10)
        # fixed margins (room for the band names on the right and the legend below): tight_layout would
        # measure every text and cost more than the rest of the figure (benchmarks/laporan.py)
        fig.subplots_adjust(left=0.1, right=0.85, top=0.92, bottom=0.27)
    return fig


def penyerapan_anggaran_bidang(bidang: pd.DataFrame, judul: str | None = None) -> plt.Figure:
    """Budget absorption per bidang (``region.annual.TahunTriwulan.anggaran_bidang``: bidang, alokasi, realisasi,
    persen_realisasi), bidang in the order given, top to bottom. Each bar is realisasi as a percentage of the
    allocation, drawn over a light 100% bar (the allocation); the percentage is written at the bar's end and
    the amounts beside the bidang name, so the figure reads in grey print. A bidang without budget rows says
    'belum dilaporkan' (no bar), never 0%."""
    df = bidang.iloc[::-1].reset_index(drop=True)  # barh draws from the bottom
    pct = pd.to_numeric(df["persen_realisasi"]).astype("float64")
    reported = df["sumber"].fillna("").astype(str).str.len() > 0 if "sumber" in df.columns else df["alokasi"].notna()
    known = reported & df["alokasi"].notna() & df["realisasi"].notna()
    names = [f"{r.bidang}\n{fmt.rupiah_ringkas(r.realisasi)} dari {fmt.rupiah_ringkas(r.alokasi)}" if k else str(r.bidang)
             for r, k in zip(df.itertuples(), known)]
    notes = [" " + fmt.persen(p) if k else " data belum lengkap" if rep else " belum dilaporkan"
             for p, k, rep in zip(pct, known, reported)]
    pal = sns.color_palette(PALETTE)
    top = max(100.0, float(pct[known].max()) if known.any() else 100.0)
    with style():
        fig, ax = plt.subplots(figsize=(8, 0.62 * max(len(df), 2) + 1.5))
        y = list(range(len(df)))
        ax.barh(y, [100.0 if k else 0.0 for k in known], color="#e6e6e6", edgecolor="#b0b0b0",
                height=0.62, zorder=1, label="Alokasi (100%)")
        bars = ax.barh(y, pct.where(known, 0.0).fillna(0.0), color=pal[0], height=0.62, zorder=2, label="Realisasi")
        ax.bar_label(bars, labels=notes, fontsize=8, padding=2)
        ax.set_yticks(y, names)
        ax.set_xlim(0, top * 1.22)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10]))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt.persen(v, 0)))
        ax.set_xlabel("Realisasi terhadap alokasi anggaran")
        ax.grid(axis="y", visible=False)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, fontsize=8, frameon=False)
        # the tick labels as ``blocks.legible_in_print`` will set them (8 pt printed in a 6,5-inch column)
        size = max(float(plt.rcParams["ytick.labelsize"]), MIN_PRINT_PT * fig.get_figwidth() / PRINT_WIDTH_IN)
        left = label_width(names, size) + 0.35
        title = title_lines(judul or "Penyerapan anggaran SPM per bidang", width=8, left=left, right=0.2)
        ax.set_title("\n".join(title), pad=10)
        fixed_margins(fig, left=left, right=0.2, top=0.5 + TITLE_LINE_IN * (len(title) - 1), bottom=1.05)
    return fig
