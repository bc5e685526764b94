"""Figures for notebooks and reports: one function per figure, Indonesian labels, rupiah/percent axes.

Charts read stage outputs and compute nothing of their own (at most a pivot or a sort). Colours come
from seaborn's colour-blind palette and sequential ``cividis``, and every bar carries its value as text,
so a figure still reads in black-and-white print.
"""
from __future__ import annotations

from contextlib import contextmanager

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib.ticker import FuncFormatter

from spm_helpers import fmt
from spm_helpers.reference import catalog

# Resolve the pyplot backend now, outside any rc_context: Jupyter's inline backend is chosen lazily, and
# if that happened inside ``style()`` leaving the context would restore the unresolved backend and turn
# interactive mode off, so this figure and every later one in the notebook would silently not show.
plt.switch_backend(matplotlib.get_backend())

PALETTE = "colorblind"
SEQUENTIAL = "cividis"
_BAND_SHADES = ["#f2f2f2", "#e4e4e4", "#d6d6d6", "#c8c8c8", "#bababa", "#acacac"]


# axes.titley fixed: matplotlib otherwise moves each title clear of top-axis tick labels, which our
# charts never have, by measuring every tick label at every draw (~40% of drawing a report's figures).
_RC = {"font.family": "DejaVu Sans", "figure.dpi": 110, "savefig.dpi": 150, "axes.titleweight": "bold",
       "axes.titlesize": 12, "axes.titley": 1.0}


@contextmanager
def style():
    """The SPM figure style, applied to the figures drawn inside the block (see the backend note above)."""
    with sns.axes_style("whitegrid"), sns.plotting_context("notebook", font_scale=0.95), plt.rc_context(_RC):
        yield


def label_width(labels, fontsize: float, weight: str = "normal") -> float:
    """Width in inches of the widest line of ``labels`` in the style's font, from the font's metrics.

    Lets a chart set its margins directly: ``tight_layout`` measures every text of the figure through a
    renderer and costs more than drawing the chart itself (benchmarks/laporan.py)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    prop = FontProperties(family=_RC["font.family"], size=fontsize, weight=weight)
    ttp = TextToPath()
    lines = [line for label in labels for line in str(label).split("\n")] or [""]
    return max(ttp.get_text_width_height_descent(line, prop, ismath=False)[0] for line in lines) / 72 * 1.03


TITLE_LINE_IN = _RC["axes.titlesize"] * 1.25 / 72  # the height one more title line takes, in inches


def title_lines(text: str, *, width: float, left: float, right: float) -> list[str]:
    """``text`` split at spaces into lines that stay inside a figure ``width`` inches wide when centred over
    axes with these margins (inches): a title is centred on the axes, so with wide labels on the left a
    region's long name ran past the right edge and was cut off in print."""
    centre = (left + width - right) / 2
    room = 2 * min(centre, width - centre) - 0.1
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and label_width([candidate], _RC["axes.titlesize"], "bold") > room:
            lines.append(word)
        else:
            lines[-1:] = [candidate]
    return lines or [""]


def fixed_margins(fig, *, left: float, right: float, top: float, bottom: float) -> None:
    """Margins in inches (room for tick labels, title, axis label), whatever the figure's size."""
    w, h = fig.get_size_inches()
    fig.subplots_adjust(left=left / w, right=1 - right / w, top=1 - top / h, bottom=bottom / h)


def _persen_axis(ax, axis: str = "x") -> None:
    f = FuncFormatter(lambda v, _: fmt.persen(v, 0))
    (ax.xaxis if axis == "x" else ax.yaxis).set_major_formatter(f)


UNITS = ((1e12, "triliun"), (1e9, "miliar"), (1e6, "juta"), (1.0, ""))
_SHORT = {"triliun": "T", "miliar": "M", "juta": "jt", "": ""}


def money_unit(top: float) -> tuple[float, str]:
    """The one unit of a money axis, chosen from its largest value: (1e12, 'triliun'), (1e9, 'miliar') …"""
    return next(((v, w) for v, w in UNITS if abs(top) >= v), UNITS[-1])


class RupiahTicks(matplotlib.ticker.Formatter):
    """Money tick labels in one unit, each with the decimals it needs to be exact, Indonesian style:
    0 / 2,5 / 5 / 7,5 — never 'Rp 2 T / Rp 5 T / Rp 8 T'. With ``unit`` the axis label names the unit;
    without, the unit is chosen from the largest tick and written on each label ('Rp 2,5 T')."""

    def __init__(self, unit: float | None = None):
        self.unit = unit
        self._auto = (1.0, "")

    def set_locs(self, locs) -> None:
        super().set_locs(locs)
        if self.unit is None and len(locs):
            self._auto = money_unit(max(abs(float(v)) for v in locs))

    def __call__(self, x, pos=None) -> str:
        unit, word = (self.unit, None) if self.unit is not None else self._auto
        if x == 0:
            return "0"
        v = x / unit
        d = next((d for d in range(4) if abs(round(v, d) - v) < 1e-9 * max(1.0, abs(v))), 3)
        text = fmt.angka(v, d)
        return text if word is None else f"Rp {text}{' ' + _SHORT[word] if word else ''}"


def _rupiah_axis(ax, axis: str = "x") -> None:
    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_locator(matplotlib.ticker.MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10]))
    target.set_major_formatter(RupiahTicks())


def _band_label(kategori: str) -> str:
    """'Tuntas Pratama' → 'Pratama' above a narrow band (the axis label says what the bands are)."""
    return kategori if kategori.startswith("Belum") else kategori.replace("Tuntas ", "")


def category_bands(ax, orientation: str = "vertical", kategori: pd.DataFrame | None = None) -> None:
    """Shade the achievement category bands behind the bars, with their names on the edge."""
    k = catalog.kategori_capaian() if kategori is None else kategori
    for i, row in enumerate(k.itertuples()):
        lo, hi = float(row.batas_bawah), float(row.batas_atas)
        if hi <= lo:
            continue
        shade = _BAND_SHADES[i % len(_BAND_SHADES)]
        if orientation == "vertical":
            ax.axvspan(lo, hi, color=shade, alpha=0.6, zorder=0, lw=0)
            # narrow bands side by side: labels alternate between two heights so they never overlap
            ax.text((lo + hi) / 2, 1.01 + 0.075 * (i % 2), _band_label(row.kategori),
                    transform=ax.get_xaxis_transform(), ha="center", va="bottom", fontsize=7, color="#444")
        else:
            ax.axhspan(lo, hi, color=shade, alpha=0.6, zorder=0, lw=0)
            ax.text(1.01, (lo + hi) / 2, row.kategori, transform=ax.get_yaxis_transform(), ha="left",
                    va="center", fontsize=7, color="#444")


def _label_bars(ax, bars, values, formatter) -> None:
    ax.bar_label(bars, labels=["" if pd.isna(v) else " " + formatter(v) for v in values], fontsize=8,
                 padding=1)


def capaian_per_bidang(bidang: pd.DataFrame, judul: str | None = None) -> plt.Figure:
    """Bar per bidang (columns ``bidang``, ``indeks``) over the category bands."""
    df = bidang.dropna(subset=["indeks"]).sort_values("indeks")
    with style():
        fig, ax = plt.subplots(figsize=(8, 0.55 * max(len(df), 2) + 1.4))
        category_bands(ax, "vertical")
        bars = ax.barh(df["bidang"], df["indeks"], color=sns.color_palette(PALETTE)[0], zorder=2)
        _label_bars(ax, bars, df["indeks"].tolist(), lambda v: fmt.angka(v, 2))
        ax.set_xlim(0, 112)
        _persen_axis(ax, "x")
        ax.set_xlabel("Indeks Pencapaian SPM")
        ax.set_ylabel("")
        ticks = matplotlib.rcParams["ytick.labelsize"]
        left = label_width(df["bidang"], ticks) + 0.3
        title = title_lines(judul or "Indeks Pencapaian SPM per bidang", width=8, left=left, right=0.2)
        ax.set_title("\n".join(title), pad=36)  # above two rows of band labels
        fixed_margins(fig, left=left, right=0.2, top=0.95 + TITLE_LINE_IN * (len(title) - 1), bottom=0.65)
    return fig


def heatmap_capaian(capaian: pd.DataFrame, nilai: str = "capaian_penerima", label: str = "nama",
                    judul: str | None = None) -> plt.Figure:
    """Jenis × tahun heatmap of an achievement column (percent), annotated; gaps stand out dark."""
    pivot = capaian.pivot_table(index=label, columns="tahun", values=nilai, aggfunc="first")
    with style():
        fig, ax = plt.subplots(figsize=(1.1 * max(pivot.shape[1], 3) + 5, 0.36 * max(len(pivot), 3) + 1.5))
        sns.heatmap(pivot, annot=True, fmt=".0f", cmap=SEQUENTIAL, vmin=0, vmax=100, linewidths=0.5,
                    cbar_kws={"label": "%"}, ax=ax)
        ax.set_xlabel("Tahun")
        ax.set_ylabel("")
        ax.set_title(judul or "Capaian penerima per jenis pelayanan (%)")
        fig.tight_layout()
    return fig


def biaya_per_kelompok(rekap: pd.DataFrame, kelompok: str = "opd_pengampu", biaya: str = "biaya",
                       judul: str | None = None) -> plt.Figure:
    """Cost of closing the gap per OPD / bidang / jenis, rupiah axis."""
    df = rekap[[kelompok, biaya]].dropna().sort_values(biaya)
    with style():
        fig, ax = plt.subplots(figsize=(8, 0.5 * max(len(df), 2) + 1.4))
        bars = ax.barh(df[kelompok].astype(str), df[biaya].astype(float), color=sns.color_palette(PALETTE)[1])
        _label_bars(ax, bars, df[biaya].tolist(), fmt.rupiah_ringkas)
        _rupiah_axis(ax, "x")
        ax.set_xlim(0, float(df[biaya].max() or 1) * 1.3)
        ax.set_xlabel("Biaya pemenuhan kekurangan")
        ax.set_ylabel("")
        ax.set_title(judul or "Biaya untuk menutup kekurangan")
        fig.tight_layout()
    return fig


def lintasan_rencana(rencana: pd.DataFrame, label: str = "nama", tahun: str = "tahun_rencana",
                     target: str = "target_persen", realisasi: pd.DataFrame | None = None,
                     judul: str | None = None) -> plt.Figure:
    """Target trajectory per jenis over the planning period; realisation as dots when given."""
    with style():
        fig, ax = plt.subplots(figsize=(9, 5))
        sns.lineplot(data=rencana, x=tahun, y=target, hue=label, marker="o", palette=PALETTE, ax=ax,
                     legend=len(rencana[label].unique()) <= 12)
        if realisasi is not None and len(realisasi):
            ax.scatter(realisasi["tahun"], realisasi["capaian_penerima"], color="black", marker="x",
                       zorder=5, label="Realisasi")
        ax.set_ylim(0, 105)
        _persen_axis(ax, "y")
        ax.set_xlabel("Tahun")
        ax.set_ylabel("Target capaian penerima")
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
        if ax.get_legend():
            sns.move_legend(ax, "upper left", bbox_to_anchor=(1.01, 1), title="Jenis", fontsize=7)
        ax.set_title(judul or "Lintasan target pemenuhan SPM")
        fig.tight_layout()
    return fig


def tren_indeks(indeks: pd.DataFrame, label: str = "nama", judul: str | None = None) -> plt.Figure:
    """Index over the years (one line per region or bidang) over the category bands."""
    with style():
        fig, ax = plt.subplots(figsize=(9, 4.8))
        category_bands(ax, "horizontal")
        sns.lineplot(data=indeks, x="tahun", y="indeks", hue=label, marker="o", palette=PALETTE, ax=ax)
        ax.set_ylim(0, 102)
        _persen_axis(ax, "y")
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
        ax.set_xlabel("Tahun")
        ax.set_ylabel("Indeks Pencapaian SPM")
        if ax.get_legend():
            sns.move_legend(ax, "lower left", title="", fontsize=8)
        ax.set_title(judul or "Perkembangan Indeks Pencapaian SPM", pad=10)
        fig.tight_layout()
    return fig


def peringkat(indeks: pd.DataFrame, sorot: str | None = None, label: str = "nama",
              judul: str | None = None) -> plt.Figure:
    """Ranking bars (e.g. peers or the kab/kota of a province) with one region highlighted."""
    df = indeks.dropna(subset=["indeks"]).sort_values("indeks")
    base, accent = sns.color_palette(PALETTE)[7], sns.color_palette(PALETTE)[3]
    colors = [accent if (sorot is not None and k == sorot) else base for k in df.get("kode_wilayah", df[label])]
    with style():
        fig, ax = plt.subplots(figsize=(8, 0.32 * max(len(df), 4) + 1.4))
        category_bands(ax, "vertical")
        bars = ax.barh(df[label], df["indeks"], color=colors, zorder=2)
        _label_bars(ax, bars, df["indeks"].tolist(), lambda v: fmt.angka(v, 1))
        ax.set_xlim(0, 112)
        _persen_axis(ax, "x")
        ax.set_xlabel("Indeks Pencapaian SPM")
        ax.set_title(judul or "Peringkat Indeks Pencapaian SPM", pad=36)  # above two rows of band labels
        fig.tight_layout()
    return fig


def close(fig: plt.Figure) -> None:
    """Free a figure after it was shown or saved (batch runs draw thousands)."""
    plt.close(fig)
