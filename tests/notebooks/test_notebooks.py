"""The stage notebooks, the regional report and the Rencana Aksi, executed with papermill.

Fast checks (no marker): no notebook (notebooks/ and exercises/) is committed with outputs or without a ``parameters``
cell. Execution (marker ``notebook``): every notebook runs once for a kabupaten (17.01) and once for a
province (19) on one warm kernel reset between runs (the batch's own machinery), and what each wrote into
output_dir is compared with the engine's numbers for the same region, computed here directly.
"""
from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from spm_helpers import DEMO_LABEL
from spm_helpers.engine import achievement, needs, plan, quality
from spm_helpers.inputs import datastore
from spm_helpers.paths import contoh_dir, exercises_dir, notebooks_dir
from spm_helpers.reference import catalog, regions
from spm_helpers.region.data import annual_rows

NOTEBOOKS = ["01_pengumpulan_data.ipynb", "02_penghitungan_kebutuhan.ipynb", "03_rencana_pemenuhan.ipynb",
             "04_capaian_dan_evaluasi.ipynb", "laporan_wilayah.ipynb", "rencana_aksi.ipynb"]
REGIONS = ["17.01", "19"]
TAHUN = 2025
YEARS = list(range(TAHUN - 4, TAHUN + 1))

def _committed(folders=None):
    """Committed notebooks. Every one must be saved without outputs; the parameterised notebooks of
    notebooks/ (run by papermill) must also start with a ``parameters`` cell. Exercises are opened by
    participants, not by papermill, so they have none."""
    cases = []
    for folder in folders or (notebooks_dir(), exercises_dir()):
        for path in sorted(folder.glob("*.ipynb")):
            cases.append(pytest.param(path, id=f"{folder.name}/{path.name}"))
    return cases


def test_both_folders_are_checked():
    ids = [c.id for c in _committed()]
    assert any(i.startswith("notebooks/") for i in ids) and any(i.startswith("exercises/") for i in ids)


@pytest.mark.parametrize("path", _committed())
def test_committed_without_outputs(path: Path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    dirty = [i for i, c in enumerate(code) if c.outputs or c.execution_count is not None]
    assert not dirty, f"{path.name}: sel kode {dirty} masih berisi keluaran; bersihkan sebelum commit"


@pytest.mark.parametrize("path", _committed([notebooks_dir()]))
def test_first_code_cell_is_the_parameters_cell(path: Path):
    code = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
    assert code and "parameters" in code[0].metadata.get("tags", []), \
        f"{path.name}: sel kode pertama harus bertanda 'parameters' (papermill)"


def test_stage_notebooks_hide_all_code_and_have_demo_defaults():
    for name in NOTEBOOKS:
        nb = nbformat.read(notebooks_dir() / name, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        params = code[0].source
        for line in ('kode_wilayah = "32.75"', "tahun = 2025", "data_dir = None", 'output_dir = "hasil"',
                     'aturan = "permenkes_6_2024"'):
            assert line in params, f"{name}: {line}"
        for c in code[1:]:
            tags = set(c.metadata.get("tags", []))
            assert tags & {"remove-input", "remove-cell"}, f"{name}: kode tampil di laporan: {c.source[:40]}"


# ----------------------------------------------------------------------------- execution
@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Execute every notebook once per region on one warm kernel (reset before each run). 17.01's report
    reads a copy of its data relabelled as an OPD's own data (not demo); everything else the bundled demo."""
    from papermill.exceptions import PapermillExecutionError
    from papermill.execute import raise_for_execution_errors
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    from spm_helpers.batch.worker import WarmKernel

    base = tmp_path_factory.mktemp("notebooks")
    nyata = base / "data_nyata"
    t = datastore.load(contoh_dir(), "17.01", YEARS)
    t["sasaran"]["sumber_data"] = "Dinkes; Dapodik"
    datastore.save(t, nyata)
    kernel = WarmKernel(notebooks_dir())
    kernel.start()
    results = {}
    try:
        for kode in REGIONS:
            for name in NOTEBOOKS:
                out = base / kode / Path(name).stem
                params = {"kode_wilayah": kode, "tahun": TAHUN, "output_dir": str(out)}
                if kode == "17.01" and name == "laporan_wilayah.ipynb":
                    params["data_dir"] = str(nyata)
                nb = parameterize_notebook(load_notebook_node(str(notebooks_dir() / name)), params,
                                           kernel_name="python3", language="python")
                kernel.reset()
                nb = kernel.execute(nb, "python3", 600)
                try:
                    raise_for_execution_errors(nb, None)
                    results[(name, kode)] = (nb, out, None)
                except PapermillExecutionError as err:
                    results[(name, kode)] = (nb, out, err)
    finally:
        kernel.shutdown()
    return results


def _run(runs, name, kode):
    nb, out, err = runs[(name, kode)]
    if err is not None:
        raise err
    return nb, out


def _json(out: Path, name: str) -> dict:
    return json.loads((out / name).read_text(encoding="utf-8"))


def _data(kode: str, folder=None) -> dict[str, pd.DataFrame]:
    """The region's tables as the engine is handed them: annual rows (the bundled sasaran and ketersediaan
    also hold per-quarter rows, which only the quarterly report reads)."""
    return {k: annual_rows(v) for k, v in datastore.load(folder or contoh_dir(), kode, YEARS).items()}


def _stage(runs, name: str, kode: str, summary: str) -> tuple[Path, dict, dict[str, pd.DataFrame]]:
    """Output folder, JSON summary and the region's demo tables for one executed notebook."""
    _, out = _run(runs, name, kode)
    return out, _json(out, summary), _data(kode)


def _year(df: pd.DataFrame, tahun: int = TAHUN) -> pd.DataFrame:
    return df[df["tahun"] == tahun].reset_index(drop=True)


@pytest.mark.notebook
@pytest.mark.parametrize("name", NOTEBOOKS)
@pytest.mark.parametrize("kode", REGIONS)
def test_notebook_runs_clean(runs, name, kode):
    nb, _ = _run(runs, name, kode)
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            assert o.output_type != "error"
            assert not (o.output_type == "stream" and o.name == "stderr"), o.text[:300]
    shown = " ".join(str(o.get("data", {}).get("text/html", "")) + str(o.get("data", {}).get("text/markdown", ""))
                     for c in nb.cells for o in c.get("outputs", []))
    assert regions.get(kode).nama in shown


@pytest.mark.notebook
@pytest.mark.parametrize("kode", REGIONS)
def test_laporan_ringkasan_equals_the_engine(runs, kode):
    nb, out = _run(runs, "laporan_wilayah.ipynb", kode)
    r = _json(out, "ringkasan.json")
    folder = out.parent.parent / "data_nyata" if kode == "17.01" else None
    t = _data(kode, folder)
    ip = achievement.compute_ip_spm(t["sasaran"], t["ketersediaan"])
    row = _year(ip.wilayah).iloc[0]
    w = regions.get(kode)
    assert (r["kode_wilayah"], r["nama"], r["tingkat"], r["kode_provinsi"], r["nama_provinsi"], r["tahun"]) == \
        (w.kode_wilayah, w.nama, w.tingkat, w.kode_provinsi, w.nama_provinsi, TAHUN)
    assert r["indeks"] == pytest.approx(row["indeks"], abs=1e-9) and r["kategori"] == row["kategori"]
    # D8 beside the index, counted against the catalogue of the region's level (29 kab/kota, 14 provinsi)
    assert r["jumlah_jenis_wajib"] == len(catalog.jenis_for_region(kode)) == row["jumlah_jenis_wajib"]
    assert r["keterisian"] == pytest.approx(row["keterisian"]) and r["skema_kategori"] == "bawaan_2026"
    assert r["ip_spm_data_kosong_nol"] == pytest.approx(row["ip_spm_data_kosong_nol"], abs=1e-9)
    bidang = _year(ip.bidang).set_index("bidang")["indeks"]
    assert list(r["indeks_bidang"]) == catalog.bidang()["nama_bidang"].tolist()
    for nama, value in r["indeks_bidang"].items():
        expected = bidang.get(nama)
        assert (value is None) == (expected is None or pd.isna(expected))
        if value is not None:
            assert value == pytest.approx(expected, abs=1e-9)
    keb = needs.compute_kebutuhan(_year(t["sasaran"]), _year(t["ketersediaan"]), _year(t["harga_satuan"]))
    assert r["biaya_total"] == int(keb["biaya"].sum())
    per_jenis = needs.summarize_kebutuhan(keb, "jenis").sort_values("biaya", ascending=False)
    per_jenis = per_jenis[per_jenis["biaya"] > 0].head(5)
    assert [x["kode_jenis"] for x in r["kekurangan_terbesar"]] == per_jenis["kode_jenis"].tolist()
    assert [x["biaya"] for x in r["kekurangan_terbesar"]] == per_jenis["biaya"].astype(int).tolist()
    s2 = t["sasaran"][t["sasaran"]["tahun"] >= TAHUN - 1]
    flags = quality.check_quality(s2, _year(t["ketersediaan"]), _year(t["harga_satuan"]))
    flags = flags[(flags["tahun"] == TAHUN) & flags["tingkat"].isin(["galat", "peringatan"])]
    assert r["jumlah_bendera"] == len(flags)
    assert r["aturan"] == "permenkes_6_2024"
    assert r["data_label"] == ("" if kode == "17.01" else DEMO_LABEL)
    cap = pd.read_csv(out / "capaian.csv", dtype={"kode_wilayah": str})
    assert len(cap) == len(catalog.jenis_for_region(kode))
    engine = _year(ip.jenis).set_index("kode_jenis")["indeks"].dropna()
    assert cap.set_index("kode_jenis")["indeks"].dropna().sort_index().to_dict() == \
        pytest.approx(engine.sort_index().to_dict())
    assert pd.read_csv(out / "kebutuhan.csv")["biaya"].sum() == r["biaya_total"]
    text = " ".join(str(o.get("data", {})) for c in nb.cells for o in c.get("outputs", []))
    assert (DEMO_LABEL.upper() in text) == (kode != "17.01")  # the demo banner only on demo data
    assert "Tingkat keterisian data" in text and "'None'" not in text


@pytest.mark.notebook
@pytest.mark.parametrize("kode", REGIONS)
def test_pengumpulan_saves_a_data_folder_the_next_stages_can_read(runs, kode):
    out, s, t = _stage(runs, "01_pengumpulan_data.ipynb", kode, "pengumpulan.json")
    tables = datastore.TABLES + datastore.QUARTER_TABLES
    saved = datastore.load(out / "data_terkumpul", kode, YEARS, tables=tables)
    given = datastore.load(contoh_dir(), kode, YEARS, tables=tables)
    for table in tables:  # every row of the region, the quarterly ones included: nothing is lost on the way
        key = [c for c in given[table].columns if c not in ("sumber_data", "keterangan")]
        pd.testing.assert_frame_equal(saved[table].sort_values(key).reset_index(drop=True),
                                      given[table].sort_values(key).reset_index(drop=True), check_dtype=False)
        assert len(saved[table]) == len(given[table]) > 0
    assert s["jenis_dilaporkan"] == _year(t["sasaran"])["kode_jenis"].nunique()
    assert s["jumlah_jenis"] == len(catalog.jenis_for_region(kode))
    flags = pd.read_csv(out / "bendera_data.csv")
    assert s["jumlah_bendera"] == int(flags["tingkat"].isin(["galat", "peringatan"]).sum())


@pytest.mark.notebook
@pytest.mark.parametrize("kode", REGIONS)
def test_kebutuhan_totals_equal_the_engine(runs, kode):
    out, s, t = _stage(runs, "02_penghitungan_kebutuhan.ipynb", kode, "kebutuhan.json")
    keb = needs.compute_kebutuhan(_year(t["sasaran"]), _year(t["ketersediaan"]), _year(t["harga_satuan"]))
    assert s["biaya_total"] == int(keb["biaya"].sum())
    assert sum(v for v in s["biaya_per_bidang"].values() if v) == s["biaya_total"]
    assert sum(v for v in s["biaya_per_opd"].values() if v) == s["biaya_total"]
    assert s["jumlah_butir"] == len(keb) and s["jumlah_butir_kurang"] == int((keb["kekurangan"] > 0).sum())
    assert pd.read_csv(out / "kebutuhan_jenis.csv")["biaya"].sum() == s["biaya_total"]


@pytest.mark.notebook
@pytest.mark.parametrize("kode", REGIONS)
def test_rencana_equals_the_engine(runs, kode):
    out, s, t = _stage(runs, "03_rencana_pemenuhan.ipynb", kode, "rencana.json")
    r = plan.build_rencana(t["sasaran"], t["harga_satuan"], ketersediaan=t["ketersediaan"], tahun_dasar=TAHUN)
    assert s["biaya_per_tahun"] == {str(x.tahun_rencana): int(x.biaya) for x in r.anggaran.itertuples()}
    assert (s["tahun_dasar"], s["tahun_akhir"], s["metode"]) == (TAHUN, TAHUN + 5, "merata")
    rkpd = pd.read_csv(out / f"rencana_rkpd_{TAHUN + 1}.csv")
    assert len(rkpd) == r.rencana["kode_jenis"].nunique() == s["jenis_direncanakan"]
    assert rkpd["biaya"].sum() == s["biaya_per_tahun"][str(TAHUN + 1)]


@pytest.mark.notebook
@pytest.mark.parametrize("kode", REGIONS)
def test_evaluasi_equals_the_engine(runs, kode):
    out, s, t = _stage(runs, "04_capaian_dan_evaluasi.ipynb", kode, "evaluasi.json")
    ip = achievement.compute_ip_spm(t["sasaran"], t["ketersediaan"])
    assert s["indeks_per_tahun"] == pytest.approx({str(int(x.tahun)): x.indeks for x in ip.wilayah.itertuples()})
    # peers: the other regions of the same type in the demo folder (4 kabupaten/kota or 4 provinces)
    every = {k: annual_rows(v) for k, v in datastore.load(contoh_dir(), None, TAHUN).items()}
    same = every["sasaran"][every["sasaran"]["kode_wilayah"].str.len() == len(kode)]
    all_ip = achievement.compute_ip_spm(same, every["ketersediaan"]).wilayah
    peers = achievement.perbandingan_sejawat(all_ip, kode, tahun=TAHUN)
    assert s["jumlah_sejawat"] == len(peers)
    assert s["peringkat_sejawat"] == int(peers.loc[peers["wilayah_ini"], "peringkat_sejawat"].iloc[0])
    tvr = pd.read_csv(out / "target_vs_realisasi.csv")
    assert set(tvr["tahun"]) == set(range(TAHUN - 3, TAHUN + 2))  # plan from 2021: 2022–2026
    first = {k: df[df["tahun"] == YEARS[0]] for k, df in t.items()}  # the plan made in the first year read
    r2021 = plan.build_rencana(first["sasaran"], first["harga_satuan"], tahun_dasar=YEARS[0])
    engine = achievement.target_vs_realisasi(r2021.rencana, ip.jenis)["status"].value_counts()
    assert (s["target_tercapai"], s["target_tidak_tercapai"]) == (engine.get("tercapai", 0),
                                                                  engine.get("tidak tercapai", 0))


@pytest.mark.notebook
@pytest.mark.parametrize("kode", REGIONS)
def test_rencana_aksi_budget_equals_the_plan(runs, kode):
    out, s, t = _stage(runs, "rencana_aksi.ipynb", kode, "rencana_aksi.json")
    r = plan.build_rencana(t["sasaran"], t["harga_satuan"], ketersediaan=t["ketersediaan"], tahun_dasar=TAHUN)
    assert s["anggaran_total"] == int(r.anggaran["biaya"].sum())
    # D4 revised: the final year's additional cost is the stage-2 gap of the base year (same sasaran)
    keb = needs.compute_kebutuhan(_year(t["sasaran"]), _year(t["ketersediaan"]), _year(t["harga_satuan"]))
    assert int(r.anggaran["biaya"].iloc[-1]) == int(keb["biaya"].sum())
    assert s["periode"] == [TAHUN + 1, TAHUN + 5]
    ra = pd.read_csv(out / "rencana_aksi.csv")
    assert ra["anggaran"].sum() == s["anggaran_total"]
    assert set(ra["tahun_rencana"]) == set(range(TAHUN + 1, TAHUN + 6))
    head = "Peraturan Gubernur" if regions.get(kode).tingkat == "provinsi" else "Peraturan Bupati"
    assert s["perkada"] == head
