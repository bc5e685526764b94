import pandas as pd
import pytest

from spm_helpers.errors import SPMDataError
from spm_helpers.reference import schemas


def _sasaran(**over):
    row = {"kode_wilayah": "32.75", "tahun": 2024, "kode_jenis": "KES-KK-01", "jumlah_sasaran": 500,
           "jumlah_terlayani": 425, "sumber_data": "Dinkes"}
    row.update(over)
    return pd.DataFrame([row])


def _problems(df, table="sasaran"):
    with pytest.raises(SPMDataError) as exc:
        schemas.validate(df, table, berkas="form.xlsx", sheet="KES-KK-01")
    return exc.value.table


def test_valid_row_passes_with_proper_dtypes():
    out = schemas.validate(_sasaran(jumlah_terlayani=None), "sasaran")
    assert str(out["jumlah_sasaran"].dtype) == "Int64"
    assert out["jumlah_terlayani"].isna().all()  # missing stays missing, never zero


@pytest.mark.parametrize("over,kolom,alasan", [
    ({"jumlah_sasaran": -1, "jumlah_terlayani": None}, "jumlah_sasaran", "tidak boleh negatif"),
    ({"jumlah_sasaran": "seratus"}, "jumlah_sasaran", "harus bilangan bulat"),
    ({"jumlah_sasaran": 12.5}, "jumlah_sasaran", "harus bilangan bulat"),
    ({"kode_wilayah": "3275"}, "kode_wilayah", "kode wilayah harus berformat"),
    ({"kode_jenis": "KESKK01"}, "kode_jenis", "kode jenis pelayanan tidak dikenal"),
    ({"tahun": 1990}, "tahun", "tahun harus antara 2000 dan 2100"),
    ({"tahun": None}, "tahun", "tidak boleh kosong"),
    ({"triwulan": 5}, "triwulan", "triwulan harus 1, 2, 3 atau 4"),
])
def test_each_bad_value_gets_a_located_indonesian_message(over, kolom, alasan):
    t = _problems(_sasaran(**over))
    assert len(t) == 1
    p = t.iloc[0]
    assert p["kolom"] == kolom and alasan in p["alasan"]
    assert p["berkas"] == "form.xlsx" and p["sheet"] == "KES-KK-01" and p["baris"] == 2


def test_served_above_target_is_a_located_warning_not_an_error():
    # D3: the row is kept (capaian is capped later), the problem names file, sheet, row and column as a warning
    out, found = schemas.validate(_sasaran(jumlah_terlayani=600), "sasaran", berkas="form.xlsx", sheet="KES-KK-01",
                                  raise_errors=False)
    assert len(out) == 1 and len(found) == 1
    p = found[0]
    assert (p.tingkat, p.kolom, p.baris, p.berkas) == ("peringatan", "jumlah_terlayani", 2, "form.xlsx")
    assert "lebih besar dari jumlah sasaran" in p.alasan
    assert len(schemas.validate(_sasaran(jumlah_terlayani=600), "sasaran")) == 1  # does not raise


def test_duplicate_keys_reported_on_both_rows():
    t = _problems(pd.concat([_sasaran(), _sasaran()], ignore_index=True))
    assert sorted(t["baris"]) == [2, 3] and t["alasan"].str.startswith("baris ganda").all()


def test_missing_column_named():
    t = _problems(_sasaran().drop(columns=["jumlah_sasaran"]))
    assert t.iloc[0]["kolom"] == "jumlah_sasaran" and "tidak ditemukan" in t.iloc[0]["alasan"]


def test_all_problems_at_once_and_source_rows_respected():
    df = pd.concat([_sasaran(jumlah_sasaran=-1, jumlah_terlayani=None),
                    _sasaran(kode_jenis="KES-KK-02", jumlah_terlayani="x")],
                   ignore_index=True)
    df["_baris"] = [7, 9]
    t = _problems(df)
    assert list(t["baris"]) == [7, 9]


def test_ketersediaan_item_must_belong_to_jenis():
    df = pd.DataFrame([{"kode_wilayah": "32.75", "tahun": 2024, "kode_jenis": "KES-KK-01",
                        "kode_item": "KES-KK-02.01", "jumlah_tersedia": 3}])
    t = _problems(df, "ketersediaan")
    assert t.iloc[0]["kolom"] == "kode_item" and "bukan milik jenis" in t.iloc[0]["alasan"]


def test_harga_negative_rejected_zero_allowed():
    ok = pd.DataFrame([{"kode_wilayah": "32.75", "tahun": 2024, "kode_item": "KES-KK-01.01", "harga_satuan": 0}])
    schemas.validate(ok, "harga_satuan")  # zero is a data-quality flag, not a schema error
    t = _problems(ok.assign(harga_satuan=-5), "harga_satuan")
    assert "tidak boleh negatif" in t.iloc[0]["alasan"]


def test_kebutuhan_formula_checked():
    df = pd.DataFrame([{"kode_wilayah": "32.75", "tahun": 2024, "kode_jenis": "KES-KK-01",
                        "kode_item": "KES-KK-01.01", "kebutuhan": 1000, "tersedia": 700, "kekurangan": 200,
                        "surplus": 0, "harga_satuan": 150000, "biaya": 30000000}])
    t = _problems(df, "kebutuhan")
    assert t.iloc[0]["kolom"] == "kekurangan"


def test_error_message_summarises_count():
    with pytest.raises(SPMDataError, match=r"dan 1 masalah lain"):
        schemas.validate(pd.concat([_sasaran(jumlah_sasaran=-1, jumlah_terlayani=None),
                                   _sasaran(kode_jenis="KES-KK-09", tahun=1)]),
                         "sasaran")
