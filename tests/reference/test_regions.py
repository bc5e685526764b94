import re

import pytest

from spm_helpers.errors import UnknownRegionError
from spm_helpers.reference import regions


def test_counts_38_provinsi_514_kabkota():
    t = regions.table()
    assert len(t) == 552
    assert (t["tingkat"] == "provinsi").sum() == 38
    assert (t["tingkat"] == "kabkota").sum() == 514
    assert (t["tipe"] == "kabupaten").sum() == 416
    assert (t["tipe"] == "kota").sum() == 98


def test_code_formats_and_uniqueness():
    t = regions.table()
    assert t["kode_wilayah"].is_unique
    prov = t[t["tingkat"] == "provinsi"]["kode_wilayah"]
    kk = t[t["tingkat"] == "kabkota"]
    assert all(re.fullmatch(r"\d{2}", k) for k in prov)
    assert all(re.fullmatch(r"\d{2}\.\d{2}", k) for k in kk["kode_wilayah"])
    # every kab/kota code starts with its province code, and kota are numbered 71-99
    assert (kk["kode_wilayah"].str[:2] == kk["kode_provinsi"]).all()
    assert (kk[kk["tipe"] == "kota"]["kode_wilayah"].str[3:].astype(int) >= 71).all()


def test_population_province_is_sum_of_children():
    t = regions.table().set_index("kode_wilayah")
    kids = regions.children("32")
    assert t.loc["32", "penduduk"] == t.loc[kids, "penduduk"].sum()
    assert regions.get("32.75").penduduk == 2_572_209
    assert regions.get("64.11").penduduk == 39_715
    assert t["penduduk"].sum() == 2 * 284_973_643  # national total counted once per level


@pytest.mark.parametrize("query,kode", [
    ("32.75", "32.75"), ("3275", "32.75"), ("32 75", "32.75"),
    ("Kota Bekasi", "32.75"), ("kota bekasi", "32.75"), ("KOTA BEKASI", "32.75"),
    ("Kab. Bengkulu Selatan", "17.01"), ("kabupaten bengkulu selatan", "17.01"), ("Kab Bengkulu Selatan", "17.01"),
    ("Kota Pangkalpinang", "19.71"), ("Pangkal Pinang", "19.71"), ("Mahakam Ulu", "64.11"),
    ("Kepulauan Meranti", "14.10"), ("14.1", "14.10"), ("Riau", "14"), ("Provinsi Jawa Barat", "32"),
    ("DKI Jakarta", "31"), ("Fakfak", "92.03"),
])
def test_lookup_by_code_and_name(query, kode):
    assert regions.get(query).kode_wilayah == kode


@pytest.mark.parametrize("query,kode", [
    ("Kota Bekasy", "32.75"), ("Kabupaten Mahakam Uluu", "64.11"), ("Kepulaun Meranti", "14.10"),
    ("Bengkulu Selatn", "17.01"), ("Kota Bandungg", "32.73"),
])
def test_lookup_forgives_small_typos(query, kode):
    assert regions.get(query).kode_wilayah == kode


def test_ambiguous_name_lists_both_in_indonesian():
    with pytest.raises(UnknownRegionError) as exc:
        regions.get("Bekasi")
    msg = str(exc.value)
    assert "Apakah maksud Anda" in msg
    assert "Kabupaten Bekasi (32.16)" in msg and "Kota Bekasi (32.75)" in msg


def test_unknown_name_suggests_near_regions():
    with pytest.raises(UnknownRegionError) as exc:
        regions.get("Kota Bekkasii Raya")
    assert "Kota Bekasi (32.75)" in str(exc.value)


def test_unknown_code():
    with pytest.raises(UnknownRegionError) as exc:
        regions.get("32.99")
    assert "tidak ditemukan" in str(exc.value)


def test_select_for_batches():
    assert len(regions.select("all")) == 552
    assert len(regions.select("provinsi")) == 38
    sel = regions.select("prov:19")
    assert sel[0] == "19" and "19.71" in sel and len(sel) == 8
    assert regions.select("19.71, Kota Bekasi, 19.71") == ["19.71", "32.75"]
