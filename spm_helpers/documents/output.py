"""Word and PDF files of a document, written where the notebook runs (it holds the document's blocks).

The report notebooks end with ``write_documents(laporan, output_dir, format_dokumen)``: the kernel that
built the sections walks the same outline once more into DOCX (python-docx) and PDF (Typst, in-process).
In a batch the kernel is warm and reused for many regions, so neither writer starts anything per
document. HTML still comes from the executed notebook (nbconvert), and ``publish.export_report`` falls
back to Chromium for PDF only when the ``typst`` package is missing.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from spm_helpers.errors import SPMError

KERNEL_FORMATS = ("docx", "pdf")


def requested(formats: str | list[str] | tuple[str, ...] | None) -> list[str]:
    """The formats of ``formats`` ('docx,pdf' or a list) that the notebook writes itself."""
    items = formats.split(",") if isinstance(formats, str) else list(formats or [])
    items = [f.strip().lower() for f in items if f and f.strip()]
    bad = sorted(set(items) - set(KERNEL_FORMATS))
    if bad:
        raise SPMError(f"Format dokumen tidak dikenal: {', '.join(bad)}. Pilihan: docx, pdf.")
    return items


def write_documents(dokumen: Any, output_dir: str | Path, formats: str | list[str] | None,
                    basename: str = "laporan") -> dict[str, Path]:
    """Write ``dokumen`` as ``<basename>.docx`` and/or ``.pdf`` into ``output_dir``. A stale file from an
    earlier run is removed first, so a file that exists afterwards was written now; PDF is left to the
    Chromium fallback of ``publish.export_report`` when Typst is not installed."""
    from spm_helpers.documents import docx_writer, pdf_writer

    wanted = requested(formats)
    out = Path(output_dir)
    paths: dict[str, Path] = {}
    if not wanted:
        return paths
    out.mkdir(parents=True, exist_ok=True)
    for f in wanted:
        (out / f"{basename}.{f}").unlink(missing_ok=True)
    blocks = docx_writer.walk(dokumen)
    if "docx" in wanted:
        paths["docx"] = docx_writer.write_docx_blocks(dokumen, blocks, out / f"{basename}.docx")
    if "pdf" in wanted and pdf_writer.available():
        paths["pdf"] = pdf_writer.write_pdf(dokumen, out / f"{basename}.pdf", blocks)
    return paths
