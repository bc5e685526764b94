import pytest

from spm_helpers.errors import UnknownJenisError
from spm_helpers.reference import catalog


def test_43_jenis_14_provinsi_29_kabkota_in_6_bidang():
    j = catalog.jenis()
    assert len(j) == 43
    assert len(catalog.jenis("provinsi")) == 14
    assert len(catalog.jenis("kabkota")) == 29
    assert set(j["kode_bidang"]) == {"PDD", "KES", "PU", "PRM", "TRB", "SOS"}
    counts = j.groupby(["tingkat", "kode_bidang"]).size().to_dict()
    # spm-reference.md §2.7
    assert counts[("provinsi", "SOS")] == 5 and counts[("kabkota", "KES")] == 12
    assert counts[("kabkota", "TRB")] == 5 and counts[("provinsi", "TRB")] == 1


def test_every_jenis_has_opd_legal_basis_and_status():
    j = catalog.jenis()
    assert j["opd_pengampu"].notna().all() and j["dasar_hukum"].str.contains("PP 2/2018").all()
    assert set(j["status"]) <= {"terkonfirmasi", "perlu_verifikasi"}
    assert catalog.get_jenis("KES-KK-01")["nama"] == "Pelayanan kesehatan ibu hamil"


@pytest.mark.parametrize("aturan", ["permenkes_6_2024", "permenkes_4_2019"])
def test_every_jenis_has_mutu_items_with_valid_units_and_prices(aturan):
    m = catalog.mutu(aturan)
    assert set(catalog.jenis()["kode_jenis"]) == set(m["kode_jenis"])
    assert (m["jumlah_per_sasaran"] > 0).all()
    assert (m["harga_satuan_acuan"] > 0).all()
    assert m["satuan"].str.len().gt(0).all()
    assert set(m["kategori"]) <= {"barang", "jasa", "sdm"}
    assert m["kode_item"].is_unique
    assert all(i.startswith(j + ".") for i, j in zip(m["kode_item"], m["kode_jenis"]))


def test_rule_sets_differ_for_ibu_hamil():
    new = set(catalog.mutu("permenkes_6_2024", "KES-KK-01")["kode_item"])
    old = set(catalog.mutu("permenkes_4_2019", "KES-KK-01")["kode_item"])
    assert new != old and new & old


def test_unknown_aturan_and_jenis():
    with pytest.raises(ValueError, match="tidak dikenal"):
        catalog.mutu("permenkes_1_2000")
    with pytest.raises(UnknownJenisError, match="KES-KK-01"):
        catalog.get_jenis("KES-KK-1")


def test_rule_tables_are_data():
    assert catalog.bobot() == {"penerima": 0.8, "mutu": 0.2}
    k = catalog.kategori_capaian()
    assert list(k["kategori"]) == ["Belum Tuntas", "Tuntas Pratama", "Tuntas Muda", "Tuntas Madya",
                                   "Tuntas Utama", "Tuntas Paripurna"]  # D3 revised: rank convention
    assert (k["status"] == "perlu_verifikasi").all()


def test_jenis_for_region_follows_level():
    assert len(catalog.jenis_for_region("32.75")) == 29
    assert len(catalog.jenis_for_region("32")) == 14
