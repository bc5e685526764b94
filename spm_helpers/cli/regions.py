"""``spm wilayah``: look up region codes and names."""
from __future__ import annotations

import typer
from rich.table import Table

from spm_helpers import fmt
from spm_helpers.cli.common import console, handle_errors
from spm_helpers.reference import regions


def register(app: typer.Typer) -> None:
    @app.command("wilayah", help="Cari kode dan nama wilayah (provinsi atau kabupaten/kota).")
    @handle_errors
    def wilayah(
        cari: list[str] = typer.Argument(..., help="Kode (mis. 32.75) atau nama (mis. 'Kota Bekasi'), "
                                                    "atau pilihan batch: all, prov:32"),
    ) -> None:
        table = Table(title="Wilayah")
        for col in ("kode", "nama", "tingkat", "provinsi", "penduduk"):
            table.add_column(col)
        query = " ".join(cari)
        codes = regions.select(query) if ("," in query or ":" in query or query in ("all", "semua")) \
            else [regions.get(query).kode_wilayah]
        for kode in codes:
            r = regions.get(kode)
            table.add_row(r.kode_wilayah, r.nama, r.tingkat, r.nama_provinsi, fmt.angka(r.penduduk))
        console.print(table)
