"""An ipywidgets checklist for one service unit: tick each indicator, see the score and what to fix first.

It only collects values and shows what ``spm_helpers.compliance.scoring`` computes; no scoring lives here.
"""
from __future__ import annotations

from html import escape

import ipywidgets as W
import pandas as pd

from spm_helpers.compliance import scoring as cp

BELUM = "–"  # toggle label for "not assessed yet" (NA, never 0)
ZONE_COLOUR = {"hijau": "#2e7d32", "kuning": "#f9a825", "merah": "#c62828"}


class Checklist:
    """Checklist widget; ``penilaian()`` gives the tidy rows, ``hasil`` the live score panel."""

    def __init__(self, skema: str = cp.DEFAULT_SKEMA, kode_wilayah: str = "14.10", unit: str = "",
                 nilai: dict[str, int] | None = None, saran: int = 3) -> None:
        self.instrument = cp.instrument(skema)
        self.kode_wilayah = kode_wilayah
        self.saran = saran
        self._hold = False
        self.unit = W.Text(value=unit, description="Unit layanan", placeholder="mis. Dinas Sosial",
                           style={"description_width": "initial"})
        self.pilihan: dict[str, W.ToggleButtons] = {}
        sections = []
        skala = dict(zip(self.instrument.skala["nilai"].astype(int), self.instrument.skala["arti"]))
        for dim in self.instrument.dimensi.itertuples():
            rows = []
            for ind in self.instrument.indikator[self.instrument.indikator["dimensi"] == dim.dimensi].itertuples():
                options = [BELUM, *[str(v) for v in range(int(ind.nilai_maks) + 1)]]
                toggle = W.ToggleButtons(options=options, value=BELUM, style={"button_width": "34px"},
                                         tooltips=["belum dinilai", *[skala.get(v, str(v)) for v in
                                                                      range(int(ind.nilai_maks) + 1)]])
                toggle.observe(self._refresh, names="value")
                self.pilihan[ind.kode_indikator] = toggle
                label = W.HTML(f"<span title='{escape(ind.uraian, quote=True)}'><b>{ind.kode_indikator}</b> "
                               f"{escape(ind.indikator)}</span>", layout=W.Layout(width="420px"))
                rows.append(W.HBox([label, toggle]))
            sections.append(W.VBox(rows))
        self.bagian = W.Accordion(children=sections,
                                  titles=tuple(f"{d.nama_dimensi} (bobot {d.bobot:g})"
                                               for d in self.instrument.dimensi.itertuples()))
        self.hasil = W.HTML()
        self.unit.observe(self._refresh, names="value")
        self.widget = W.VBox([W.HTML(f"<i>{escape(cp.LABEL_SIMULASI)}</i>"), self.unit, self.bagian, self.hasil])
        if nilai:
            self.set_nilai(nilai)
        else:
            self._refresh()

    def set_nilai(self, nilai: dict[str, int | None]) -> None:
        """Set values by indicator code (None = not assessed); the panel is refreshed once at the end."""
        self._hold = True
        try:
            for code, value in nilai.items():
                self.pilihan[code].value = BELUM if value is None or pd.isna(value) else str(int(value))
        finally:
            self._hold = False
        self._refresh()

    def penilaian(self) -> pd.DataFrame:
        """The unit's assessment as tidy rows (kode_wilayah, unit, kode_indikator, nilai)."""
        unit = self.unit.value.strip() or "(unit belum diberi nama)"
        values = [pd.NA if t.value == BELUM else int(t.value) for t in self.pilihan.values()]
        return pd.DataFrame({"kode_wilayah": self.kode_wilayah, "unit": unit,
                             "kode_indikator": list(self.pilihan), "nilai": pd.array(values, dtype="Int64")})

    def _refresh(self, _change=None) -> None:
        if self._hold:
            return
        tidy = self.penilaian()
        score = cp.score_units(tidy, self.instrument).iloc[0]
        if pd.isna(score["nilai"]):
            self.hasil.value = (f"<p><b>Belum lengkap:</b> {score['indikator_kosong']} dari {len(tidy)} indikator "
                                "belum dinilai. Nilai muncul setelah semua indikator dinilai.</p>")
            return
        colour = ZONE_COLOUR.get(score["zona"], "#555")
        plan = cp.rencana_perbaikan(tidy, self.instrument).head(self.saran)
        items = "".join(f"<li>{escape(r.indikator)}: {escape(r.saran)} "
                        f"(<b>+{cp.format_nilai(r.kenaikan)}</b>)</li>" for r in plan.itertuples())
        self.hasil.value = (
            f"<p style='font-size:1.1em'>Nilai <b>{cp.format_nilai(score['nilai'])}</b> — kategori "
            f"{escape(str(score['kategori']))} ({escape(str(score['opini']))}), "
            f"<span style='background:{colour};color:white;padding:1px 6px;border-radius:4px'>"
            f"zona {escape(str(score['zona']))}</span></p>"
            + (f"<p>Perbaikan yang paling menaikkan nilai:</p><ol>{items}</ol>" if items else
               "<p>Semua indikator sudah bernilai maksimal.</p>")
            + f"<p><i>{escape(cp.LABEL_SIMULASI)}</i></p>")

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)
