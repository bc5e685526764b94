"""What-if for stage 3: a slider for the yearly budget ceiling (pagu) that redraws the fulfilment plan.

    penjelajah = PenjelajahPagu(data)   # shows the slider, the cost-per-year chart and the status table
    penjelajah.rencana                  # the plan for the pagu last chosen (plan.Rencana)

The slider is in billions of rupiah; its range runs from 0 to 1.5 × the average yearly cost of the even
('merata') plan. Every move re-runs ``plan.build_rencana(metode="pagu")`` — the widget computes nothing; for
each jenis short of 100% it shows the plan's own reason (``status.sebab``: the unfunded amount).
"""
from __future__ import annotations

import ipywidgets as w
from IPython.display import clear_output, display

from spm_helpers import fmt
from spm_helpers.region.data import RegionData
from spm_helpers.views import charts, stage_charts
from spm_helpers.views.blocks import figure, tabel
from spm_helpers.views.stage_pages import rencana_wilayah, status_bernama
from spm_helpers.views.tables import KOLOM, target_rencana_per_bidang

MILIAR = 1_000_000_000


def readout(miliar: float) -> str:
    """The slider value as the reader says it: 'Rp 1.234,5 miliar'."""
    return f"Rp {fmt.angka(miliar, 1)} miliar"


class PenjelajahPagu:
    """Slider for the yearly pagu; redraws cost per year, targets per bidang and which jenis reach 100%."""

    def __init__(self, data: RegionData, lama: int = 5, pagu_awal: int | None = None) -> None:
        self.data = data
        self.lama = lama
        merata = rencana_wilayah(data, lama=lama)
        self.biaya_rata_rata = int(merata.anggaran["biaya"].mean())
        top = max(self.biaya_rata_rata * 1.5 / MILIAR, 1.0)
        start = (pagu_awal if pagu_awal is not None else 0.75 * self.biaya_rata_rata) / MILIAR
        # the slider's own readout is formatted in the browser with English separators (1,234.5); it is
        # hidden and the value is shown beside it in Indonesian format (1.234,5)
        self.slider = w.FloatSlider(value=min(start, top), min=0.0, max=top, step=top / 100,
                                    description="Pagu per tahun (Rp miliar)", readout=False,
                                    continuous_update=False, style={"description_width": "190px"},
                                    layout=w.Layout(width="640px"))
        self.nilai = w.Label()
        self.keterangan = w.HTML()
        self.keluaran = w.Output()
        self.rencana = None
        self.slider.observe(self._gambar, names="value")
        self._gambar()

    @property
    def pagu(self) -> int:
        return int(round(self.slider.value * MILIAR))

    def _gambar(self, _change=None) -> None:
        self.nilai.value = readout(self.slider.value)
        self.rencana = rencana_wilayah(self.data, lama=self.lama, metode="pagu", pagu=self.pagu)
        st = status_bernama(self.rencana)
        n_tuntas = int(st["tahun_tuntas"].notna().sum())
        kurang = int(self.rencana.anggaran["kekurangan_anggaran"].sum(skipna=True))
        self.keterangan.value = (f"Pagu {fmt.rupiah(self.pagu)} per tahun "
                                 f"(biaya rata-rata rencana merata: {fmt.rupiah(self.biaya_rata_rata)}). "
                                 f"<b>{n_tuntas} dari {len(st)}</b> jenis mencapai 100% dalam periode; "
                                 f"belum didanai selama periode: <b>{fmt.rupiah(kurang)}</b>. Target tidak pernah "
                                 "turun di bawah capaian tahun dasar.")
        sebab = st[st["sebab"].fillna("") != ""]
        with self.keluaran:
            clear_output(wait=True)
            display(figure(stage_charts.anggaran_rencana(self.rencana.anggaran,
                                                           judul="Biaya rencana dan pagu per tahun")))
            display(figure(charts.lintasan_rencana(target_rencana_per_bidang(self.rencana.rencana), label="nama",
                                                   judul="Target rata-rata per bidang")))
            display(tabel(st, {**{k: KOLOM[k] for k in ("nama_jenis", "opd_pengampu", "tahun_tuntas", "keterangan")},
                               "kekurangan_anggaran": ("Belum didanai", "rupiah_ringkas")}))
            if len(sebab):
                display(tabel(sebab, {"nama_jenis": KOLOM["nama_jenis"],
                                      "sebab": ("Mengapa belum mencapai 100%", "teks")},
                              judul="Jenis yang belum tuntas dan sebabnya"))

    def _ipython_display_(self) -> None:
        display(w.VBox([w.HBox([self.slider, self.nilai]), self.keterangan, self.keluaran]))
