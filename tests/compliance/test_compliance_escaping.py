"""Issue 18: user text (unit names) in notebook 05's compliance views is shown literally, never run."""
from __future__ import annotations

import pandas as pd

from spm_helpers.compliance import assessments as cd
from spm_helpers.compliance import charts as grafik
from spm_helpers.compliance import scoring as cp

XSS = ['"><img src=x onerror=alert(2)>', "<script>alert(1)</script>", "<style>table{display:none}</style>"]


def test_unit_names_are_escaped_in_the_score_table():
    demo = cd.generate_contoh("14.10", cp.DEFAULT_SKEMA)
    units = list(dict.fromkeys(demo["unit"]))[: len(XSS)]
    demo = demo.assign(unit=demo["unit"].replace(dict(zip(units, XSS))))
    scores = cp.score_units(demo, cp.DEFAULT_SKEMA)
    html = grafik.tabel_nilai(scores, ["unit", "nilai", "kategori", "zona"]).to_html()
    for text in XSS:
        assert text not in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html and "&lt;script&gt;" in html
    assert "background-color" in html  # zone tints still applied
    # the numbers are still formatted the Indonesian way (comma decimals)
    first = scores["nilai"].dropna().iloc[0]
    assert cp.format_nilai(first) in html and pd.notna(first)
