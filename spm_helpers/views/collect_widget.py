"""An ipywidgets form to enter or correct one jenis by hand (notebook 01, pengumpulan data).

The form edits two tidy tables, ``sasaran`` and ``ketersediaan``, with the same rules as the
Excel import: Indonesian numbers (``1.234``), blank kept apart from zero, ``schemas.validate``
for the table rules, and the same Indonesian problem box. Nothing is computed here that the
library does not already do; the widgets only collect values.

    form = FormIsian("32.75", 2025, sasaran=data["sasaran"], ketersediaan=data["ketersediaan"])
    form            # shows the form; after 'Simpan': form.sasaran, form.ketersediaan
"""
from __future__ import annotations

from html import escape

import ipywidgets as w
import pandas as pd

from spm_helpers.errors import Problem, SPMDataError, SPMError
from spm_helpers.inputs.collect import upsert
from spm_helpers.inputs.opd_form import JUDUL
from spm_helpers.inputs.workbook import parse_number
from spm_helpers.reference import catalog, regions, schemas

_STYLE = {"description_width": "170px"}
_LAYOUT = w.Layout(width="480px")


def _text(label: str, placeholder: str = "kosong = tidak ada data") -> w.Text:
    return w.Text(description=label, placeholder=placeholder, style=_STYLE, layout=_LAYOUT,
                  continuous_update=False)


def _shown(value) -> str:
    """Cell text for a stored value: '' for NA, digits otherwise."""
    return "" if value is None or pd.isna(value) else str(value)


class FormIsian:
    """Enter/correct sasaran, terlayani and ketersediaan per mutu item for one region, year and jenis."""

    def __init__(self, kode_wilayah: str = "32.75", tahun: int = 2025, *, sasaran: pd.DataFrame | None = None,
                 ketersediaan: pd.DataFrame | None = None, aturan: str = catalog.DEFAULT_ATURAN) -> None:
        self.aturan = aturan
        self.sasaran = schemas.empty("sasaran") if sasaran is None else sasaran.copy()
        self.ketersediaan = schemas.empty("ketersediaan") if ketersediaan is None else ketersediaan.copy()
        self.problems: list[Problem] = []
        self._busy = False
        self.wilayah = w.Text(value=str(kode_wilayah), description="Kode wilayah", style=_STYLE, layout=_LAYOUT,
                              continuous_update=False)
        self.tahun = w.BoundedIntText(value=int(tahun), min=2000, max=2100, description="Tahun", style=_STYLE,
                                      layout=_LAYOUT)
        self.jenis = w.Dropdown(description="Jenis pelayanan", style=_STYLE, layout=w.Layout(width="760px"))
        self.isian_sasaran = _text(JUDUL["jumlah_sasaran"])
        self.isian_terlayani = _text(JUDUL["jumlah_terlayani"])
        self.isian_sumber = _text(JUDUL["sumber_data"], "mis. Dukcapil, Dapodik")
        self.butir: dict[str, w.Text] = {}
        self.kotak_butir = w.VBox()
        self.tombol_simpan = w.Button(description="Simpan", button_style="primary", icon="check")
        self.pesan = w.HTML()
        self.widget = w.VBox([
            w.HTML("<b>Isian data SPM per jenis pelayanan</b> — kosongkan bila data tidak ada; isi 0 hanya bila "
                   "memang nol."),
            self.wilayah, self.tahun, self.jenis,
            w.HTML("<b>A. Sasaran dan penerima layanan</b>"), self.isian_sasaran, self.isian_terlayani,
            self.isian_sumber,
            w.HTML("<b>B. Ketersediaan mutu (jumlah tersedia per butir)</b>"), self.kotak_butir,
            self.tombol_simpan, self.pesan,
        ])
        self.wilayah.observe(self._on_wilayah, names="value")
        self.tahun.observe(self._on_jenis, names="value")
        self.jenis.observe(self._on_jenis, names="value")
        self.tombol_simpan.on_click(self.save)
        self._on_wilayah()

    # ----------------------------------------------------------------------------------------- events
    def _region(self) -> regions.Region | None:
        try:
            return regions.get(self.wilayah.value)
        except SPMError as exc:
            self._show([Problem(str(exc), kolom="Kode wilayah", nilai=self.wilayah.value)])
            return None

    def _on_wilayah(self, _change=None) -> None:
        region = self._region()
        if region is None:
            return
        jenis = catalog.jenis_for_region(region.kode_wilayah)
        options = [(f"{r.kode_jenis} — {r.nama}", r.kode_jenis) for r in jenis.itertuples(index=False)]
        keep = self.jenis.value if self.jenis.value in {v for _, v in options} else options[0][1]
        self._busy = True  # swapping options fires value events; refill once, below
        try:
            self.jenis.options = options
            self.jenis.value = keep
        finally:
            self._busy = False
        self._on_jenis()

    def _on_jenis(self, _change=None) -> None:
        """Rebuild the item boxes and fill every box from the current tables (to correct them)."""
        if self._busy:
            return
        region = self._region()
        if region is None or self.jenis.value is None:
            return
        items = catalog.mutu(self.aturan, kode_jenis=self.jenis.value)
        self.butir = {r.kode_item: _text(f"{r.kode_item}", f"{r.nama} ({r.satuan})")
                      for r in items.itertuples(index=False)}
        self.kotak_butir.children = [w.HBox([t, w.Label(n)]) for t, n in zip(self.butir.values(), items["nama"])]
        key = (region.kode_wilayah, int(self.tahun.value), self.jenis.value)
        row = _row(self.sasaran, key)
        self.isian_sasaran.value = _shown(row.get("jumlah_sasaran"))
        self.isian_terlayani.value = _shown(row.get("jumlah_terlayani"))
        self.isian_sumber.value = _shown(row.get("sumber_data"))
        for kode, box in self.butir.items():
            box.value = _shown(_row(self.ketersediaan, key + (kode,)).get("jumlah_tersedia"))
        self.pesan.value = ""

    # ----------------------------------------------------------------------------------------- saving
    def save(self, _button=None) -> bool:
        """Validate the boxes; on success replace this jenis' rows in ``sasaran``/``ketersediaan``."""
        region = self._region()
        if region is None:
            return False
        problems: list[Problem] = []

        def number(box: w.Text, label: str):
            value, alasan = parse_number(box.value, "bulat")
            if alasan:
                problems.append(Problem(alasan, kolom=label, nilai=box.value))
            return value

        base = {"kode_wilayah": region.kode_wilayah, "tahun": int(self.tahun.value), "kode_jenis": self.jenis.value}
        s_row = pd.DataFrame([{**base, "jumlah_sasaran": number(self.isian_sasaran, JUDUL["jumlah_sasaran"]),
                               "jumlah_terlayani": number(self.isian_terlayani, JUDUL["jumlah_terlayani"]),
                               "sumber_data": self.isian_sumber.value.strip() or None}])
        k_rows = pd.DataFrame([{**base, "kode_item": kode, "jumlah_tersedia": number(box, f"{JUDUL['jumlah_tersedia']} "
                                                                                          f"{kode}")}
                               for kode, box in self.butir.items()], columns=schemas.columns("ketersediaan")[:5])
        s_row, found_s = schemas.validate(s_row, "sasaran", raise_errors=False)
        k_rows, found_k = schemas.validate(k_rows, "ketersediaan", raise_errors=False)
        problems += [Problem(p.alasan, kolom=JUDUL.get(p.kolom, p.kolom), nilai=p.nilai, tingkat=p.tingkat)
                     for p in found_s + found_k]
        if problems:
            self._show(problems)
            return False
        self.sasaran = upsert(self.sasaran, s_row, "sasaran")
        self.ketersediaan = upsert(self.ketersediaan, k_rows, "ketersediaan")
        self.problems = []
        self.pesan.value = (f"<span style='color:#1b5e20'>Tersimpan: {escape(self.jenis.value)} "
                            f"{escape(region.nama)} tahun {int(self.tahun.value)}.</span>")
        return True

    def _show(self, problems: list[Problem]) -> None:
        self.problems = problems
        self.pesan.value = SPMDataError(problems)._repr_html_()

    def tables(self) -> dict[str, pd.DataFrame]:
        return {"sasaran": self.sasaran, "ketersediaan": self.ketersediaan}

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)


def _row(df: pd.DataFrame, key: tuple) -> dict:
    """The first row of ``df`` matching ``key`` on the leading key columns (annual rows only), or {}."""
    if df is None or df.empty:
        return {}
    cols = ["kode_wilayah", "tahun", "kode_jenis", "kode_item"][:len(key)]
    mask = pd.Series(True, index=df.index)
    for col, value in zip(cols, key):
        mask &= (pd.to_numeric(df[col]) == value) if col == "tahun" else (df[col] == value)
    if "triwulan" in df.columns:
        mask &= df["triwulan"].isna()
    hit = df[mask]
    return hit.iloc[0].to_dict() if len(hit) else {}
