"""Figures for the compliance notebook: unit scores over the scheme's bands, and a dimension heatmap.

They draw what ``spm_helpers.compliance.scoring`` computed, in the house style of ``spm_helpers.views.charts``; each
title carries the *simulasi* label. Bars are coloured by zone (the zone's own name) and also say it in
text, so a black-and-white print still reads.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

from spm_helpers.compliance import scoring as cp
from spm_helpers.views import charts

ZONE_COLOUR = {"hijau": "#2e7d32", "kuning": "#f9a825", "merah": "#c62828"}
MISSING_COLOUR = "#9e9e9e"


def gambar_nilai_unit(nilai_unit: pd.DataFrame, skema: str = cp.DEFAULT_SKEMA,
                      judul: str | None = None) -> plt.Figure:
    """Horizontal bar per unit (``score_units`` output), coloured by zone, over the scheme's bands."""
    df = nilai_unit.assign(_n=nilai_unit["nilai"].fillna(0)).sort_values("_n")
    with charts.style():
        fig, ax = plt.subplots(figsize=(9, 0.45 * max(len(df), 2) + 1.6))
        charts.category_bands(ax, "vertical", kategori=cp.instrument(skema).kategori)
        bars = ax.barh(df["unit"], df["_n"], color=[ZONE_COLOUR.get(z, MISSING_COLOUR) for z in df["zona"]],
                       zorder=2)
        labels = [f"{cp.format_nilai(v)} ({k}, {z})" if pd.notna(v) else "belum lengkap"
                  for v, k, z in zip(df["nilai"], df["kategori"], df["zona"])]
        ax.bar_label(bars, labels=[" " + t for t in labels], fontsize=8, padding=1)
        ax.set_xlim(0, 125)
        ax.set_xlabel("Nilai (0–100)")
        ax.set_ylabel("")
        fig.suptitle(f"{judul or 'Nilai kepatuhan per unit layanan'}\n{cp.LABEL_SIMULASI}", fontsize=11)
        fig.tight_layout()
    return fig


def gambar_dimensi(nilai_dimensi: pd.DataFrame, judul: str | None = None) -> plt.Figure:
    """Heatmap unit × dimension (``score_dimensions`` output, 0–100): where each unit is weak."""
    wide = nilai_dimensi.pivot_table(index="unit", columns="nama_dimensi", values="nilai_dimensi")
    wide = wide.reindex(index=list(dict.fromkeys(nilai_dimensi["unit"])),
                        columns=list(dict.fromkeys(nilai_dimensi["nama_dimensi"])))
    with charts.style():
        fig, ax = plt.subplots(figsize=(3 + 1.5 * wide.shape[1], 0.42 * max(len(wide), 3) + 1.6))
        sns.heatmap(wide, vmin=0, vmax=100, cmap=charts.SEQUENTIAL, annot=wide.map(cp.format_nilai), fmt="",
                    linewidths=0.5, cbar_kws={"label": "Nilai dimensi (0–100)"}, ax=ax)
        ax.set_xlabel("")
        ax.set_ylabel("")
        fig.suptitle(f"{judul or 'Nilai per dimensi'}\n{cp.LABEL_SIMULASI}", fontsize=11)
        fig.tight_layout()
    return fig


def tabel_nilai(df: pd.DataFrame, kolom: list[str] | None = None):
    """A table for reading: scores with Indonesian decimals, zone cells tinted; the frame is not changed.

    Text cells are HTML-escaped: unit names are typed by users (a Styler, unlike ``DataFrame._repr_html_``,
    does not escape by default)."""
    view = df[kolom] if kolom else df
    numbers = [c for c in view.columns if pd.api.types.is_float_dtype(view[c])]
    texts = [c for c in view.columns if c not in numbers]
    styler = view.style.hide(axis="index").format({c: cp.format_nilai for c in numbers})
    if texts:
        styler = styler.format(escape="html", subset=texts)
    zones = [c for c in view.columns if c == "zona" or c.endswith("_zona")]
    if zones:
        styler = styler.map(lambda z: f"background-color:{ZONE_COLOUR[z]};color:white"
                            if z in ZONE_COLOUR else "", subset=zones)
    return styler
