"""The broken-workbook corpus (tests/corpus_collect.py): each case's Indonesian problems at their exact
place, no other error, every valid row kept, and the officer's files byte-for-byte unchanged."""
from __future__ import annotations

import hashlib

import corpus_collect as cc
import pandas as pd
import pytest
from corpus_collect import assert_tables, base  # noqa: F401 - base: module-scoped fixture

from spm_helpers.inputs import collect

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning:openpyxl")


def _apply_expectations(case: cc.Case, want: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    out = {}
    for table, df in want.items():
        gone = set(case.drop.get(table, []))  # jenis codes (all their rows) or item codes
        code = df["kode_jenis"] if table == "sasaran" else df["kode_item"]
        out[table] = df[~(code.isin(gone) | code.str.rsplit(".", n=1).str[0].isin(gone))]
    if case.name == "sheet_belum_diisi":  # a blank sheet is data: NA, never zero
        s, k = out["sasaran"].copy(), out["ketersediaan"].copy()
        s.loc[s["kode_jenis"] == cc.P2, ["jumlah_sasaran", "jumlah_terlayani", "sumber_data"]] = pd.NA
        k.loc[k["kode_jenis"] == cc.P2, "jumlah_tersedia"] = pd.NA
        out["sasaran"], out["ketersediaan"] = s, k
    return out


def _matches(p, e: cc.Expect) -> bool:
    return ((p.berkas, p.sheet, p.baris, p.kolom, p.tingkat) == (e.berkas, e.sheet, e.baris, e.kolom, e.tingkat)
            and e.alasan in p.alasan)


def test_corpus_is_large_enough():
    assert len(cc.CASES) >= 30
    assert len({c.name for c in cc.CASES}) == len(cc.CASES)


@pytest.mark.parametrize("case", cc.CASES, ids=[c.name for c in cc.CASES])
def test_corpus_case(case: cc.Case, base, tmp_path):
    files = case.build(tmp_path, base)
    before = {f: hashlib.sha256(f.read_bytes()).hexdigest() for f in files}
    hasil = collect.import_forms(files)
    for e in case.expect:  # each expected problem, at its exact place, in Indonesian
        assert any(_matches(p, e) for p in hasil.problems), (e, hasil.problems)
    for p in hasil.galat:  # and no error that the case did not ask for
        assert any(_matches(p, e) for e in case.expect), p
    # nothing valid is lost: everything but the rows named in the case comes through unchanged
    want = _apply_expectations(case, cc.expected_tables(cc.KAB, [cc.MAIN, cc.OTHER]))
    want = case.ubah(want) if case.ubah else want
    assert_tables(hasil.tables, want)
    assert {f: hashlib.sha256(f.read_bytes()).hexdigest() for f in files} == before  # user files untouched


