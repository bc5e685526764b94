"""Every ``spm`` sub-command given wrong option values ends with an Indonesian message, exit ≠ 0, and no
Python traceback (error policy, STYLEGUIDE.md). Cases cover every leaf command of the CLI tree: an
unknown option, a bad region, a bad year, an unknown rule set or scheme, a missing file, a folder that is
a file, an unreadable folder."""
from __future__ import annotations

import re

import pytest
import typer
from typer.testing import CliRunner

from spm_helpers.cli import app, wording

runner = CliRunner()
ENGLISH = re.compile(r"Traceback|Error:|Invalid value|Missing option|Missing parameter|No such (option|command)|"
                     r"Usage:|Try '|is not a valid|does not exist|Aborted", re.I)


def _commands() -> list[tuple[list[str], object]]:
    """Every command and group of ``spm`` with its path (the root first)."""
    out = []

    def walk(c, path):
        out.append((path, c))
        for name, sub in getattr(c, "commands", {}).items():
            walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return out


def leaf_commands() -> list[str]:
    return [" ".join(path) for path, c in _commands() if not hasattr(c, "commands")]


MISSING = "/tidak/ada/berkas.xlsx"
W, T = ["--wilayah", "32.75"], ["--tahun", "2025"]


def cases(tmp) -> dict[str, list[list[str]]]:
    a_file = tmp / "berkas.txt"
    a_file.write_text("x", encoding="utf-8")
    locked = tmp / "terkunci"
    locked.mkdir()
    f, lk = str(a_file), str(locked)
    return {
        "wilayah": [["wilayah", "Kabupaten Tidak Ada Sama Sekali Zzz"]],
        "contoh": [["contoh", "--ke", str(tmp / "c1"), "--tahun", "abc"], ["contoh", "--ke", f],
                   ["contoh", "--ke", str(tmp / "c2"), "--wilayah", "99.99"]],
        "demo": [["demo", "--workers", "abc"], ["demo", "--format", "docx-salah"]],
        "formulir": [["formulir", "--wilayah", "99.99", *T], ["formulir", *W, "--tahun", "abc"],
                     ["formulir", *W, *T, "--aturan", "salah_ketik", "--ke", str(tmp / "f")],
                     ["formulir", *W, *T, "--opd", "dinas_salah", "--ke", str(tmp / "f2")]],
        "impor": [["impor", MISSING, "--ke", str(tmp / "i")], ["impor", f, "--ke", str(tmp / "i2")]],
        "formulir-triwulan": [["formulir-triwulan", "--wilayah", "99.99", *T, "--triwulan", "2"],
                              ["formulir-triwulan", *W, *T, "--triwulan", "5", "--ke", str(tmp / "ft")],
                              ["formulir-triwulan", *W, "--tahun", "abc", "--triwulan", "2"],
                              ["formulir-triwulan", *W, *T, "--triwulan", "2", "--opd", "dinas_salah",
                               "--ke", str(tmp / "ft2")],
                              ["formulir-triwulan", *W, *T, "--triwulan", "2", "--ke", f]],
        "impor-triwulan": [["impor-triwulan", MISSING, "--ke", str(tmp / "it")],
                           ["impor-triwulan", f, "--ke", str(tmp / "it2")],
                           ["impor-triwulan", f, "--ke", str(tmp / "it3"), "--triwulan", "5"],
                           ["impor-triwulan", f, "--ke", str(tmp / "it4"), "--wilayah", "99.99"]],
        "impor-byname": [["impor-byname", MISSING, "--jenis", "KES-KK-01", *W, *T],
                         ["impor-byname", f, "--jenis", "KES-XX-99", *W, *T]],
        "batch": [["batch", "--wilayah", "", "--ke", str(tmp / "b")], ["batch", "--wilayah", "99.99"],
                  ["batch", "--workers", "abc"], ["batch", "--data", MISSING, "--wilayah", "32.75"],
                  ["batch", "--wilayah", "32.75", "--tahun", "2025", "--triwulan", "5", "--ke", str(tmp / "b5")]],
        "laporan": [["laporan", "--wilayah", "99.99", *T], ["laporan", *W, "--tahun", "abc"],
                    ["laporan", *W, *T, "--aturan", "salah_ketik"], ["laporan", *W, *T, "--data", MISSING],
                    ["laporan", *W, *T, "--format", "gif"]],
        "identitas": [["identitas", "--wilayah", "99.99", "--ke", str(tmp / "id1")],
                      ["identitas", *W, "--kertas", "A3", "--ke", str(tmp / "id2")], ["identitas", *W, "--ke", f]],
        "rencana-aksi": [["rencana-aksi", "--wilayah", "99.99", *T], ["rencana-aksi", *W, *T, "--lama", "abc"],
                         ["rencana-aksi", *W, *T, "--aturan", "salah_ketik"]],
        "triwulan": [["triwulan", *W, *T, "--triwulan", "5"], ["triwulan", *W, *T, "--triwulan", "abc"],
                     ["triwulan", "--wilayah", "99.99", *T, "--triwulan", "2"],
                     ["triwulan", *W, *T, "--triwulan", "2", "--hari-ini", "31-02-2025"],
                     ["triwulan", *W, *T, "--triwulan", "2", "--data", MISSING]],
        "sasaran": [["sasaran", "--wilayah", "99.99", "--tahun", "2026"], ["sasaran", *W, "--tahun", "abc"],
                    ["sasaran", *W, "--tahun", "2026", "--penduduk", MISSING],
                    ["sasaran", *W, "--tahun", "2026", "--penduduk", f]],
        "kepatuhan formulir": [["kepatuhan", "formulir", "--wilayah", "99.99", *T],
                               ["kepatuhan", "formulir", *W, *T, "--skema", "tidak_ada", "--ke", str(tmp / "k")]],
        "kepatuhan nilai": [["kepatuhan", "nilai", MISSING], ["kepatuhan", "nilai", f]],
        "kepatuhan skema": [["kepatuhan", "skema", "tidak_ada"]],
        "latihan daftar": [["latihan", "daftar", "--opsi-salah"]],
        "latihan rilis": [["latihan", "rilis", "--ke", str(tmp / "r"), "--modul", "99"], ["latihan", "rilis", "--ke", f]],
        "kelas mulai": [["kelas", "mulai", "--kode", "X", "--port", "abc"], ["kelas", "mulai", "--kode", "X", "--folder", f]],
        "kelas bersihkan": [["kelas", "bersihkan", "--folder", MISSING]],
        "kelas nilai": [["kelas", "nilai", "--folder", MISSING], ["kelas", "nilai", "--folder", lk, "--paralel", "abc"]],
        "kelas pantau": [["kelas", "pantau", "--toko", f], ["kelas", "pantau", "--port", "abc"],
                         ["kelas", "pantau", "--toko", str(tmp / "tk"), "--berkas-kunci", MISSING]],
        "paket": [["paket", "--ke", str(tmp / "p"), "--sistem", "amiga"], ["paket", "--ke", f, "--python", "abc"]],
        "latihan nilai": [["latihan", "nilai", MISSING], ["latihan", "nilai", lk, "--batas-waktu", "abc"]],
    }


def test_every_leaf_command_has_bad_option_cases(tmp_path):
    assert set(leaf_commands()) == set(cases(tmp_path))


@pytest.mark.parametrize("command", sorted(leaf_commands()))
def test_wrong_options_give_an_indonesian_message_and_no_traceback(command, tmp_path):
    for argv in [[*command.split(), "--opsi-salah"], *cases(tmp_path)[command]]:
        result = runner.invoke(app, argv)
        text = result.output
        assert result.exit_code != 0, (argv, text)
        assert result.exception is None or isinstance(result.exception, SystemExit), (argv, repr(result.exception))
        assert not ENGLISH.search(text), (argv, text)
        assert re.search(r"Galat|tidak|bukan|wajib|harus|belum", text), (argv, text)


@pytest.mark.parametrize("message,expected", [
    ("Invalid value for '--tahun' / '-t': Input should be a valid integer, unable to parse string as an integer",
     "Nilai untuk --tahun harus bilangan bulat (mis. 2025)."),
    ("Missing option '--wilayah'.", "Opsi --wilayah wajib diisi."),
    ("No such option: --frmat (Possible options: --data, --format)",
     "Opsi --frmat tidak dikenal (yang mirip: --data, --format)."),
    ("No such command 'lapor'. Did you mean 'laporan', 'impor'?", "Perintah 'lapor' tidak ada. Maksud Anda 'laporan', 'impor'?"),
    ("Something new from a later typer", "Perintah tidak dapat dijalankan (Something new from a later typer)."),
])
def test_usage_errors_are_translated(message, expected):
    assert wording.usage_message(wording.UsageError(message)) == expected


def test_typer_still_has_the_panel_titles_we_translate():
    import typer.rich_utils as ru

    wording.install()
    assert ru.OPTIONS_PANEL_TITLE == "Opsi" and ru.COMMANDS_PANEL_TITLE == "Perintah"
    assert ru.ERRORS_PANEL_TITLE == "Galat"


def _plain(text: str) -> str:
    """Rendered help without the panel borders and line wrapping."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", text).split())


def test_every_help_page_is_indonesian_and_keeps_its_brackets():
    wording.install()
    for path, command in _commands():
        result = runner.invoke(app, [*path, "--help"], terminal_width=200)
        assert result.exit_code == 0, (path, result.output)
        text = _plain(result.output)
        assert "Show this message" not in text and wording.HELP_OPTION in text, (path, text)
        for param in command.params:  # a help text's [words] must not be eaten as rich markup
            for words in re.findall(r"(?<!\\)\[([^\]/]+)\]", param.help or ""):
                assert f"[{' '.join(words.split())}]" in text, (path, param.name, words)
    laporan = _plain(runner.invoke(app, ["laporan", "--help"], terminal_width=200).output)
    assert "isian [dalam kurung siku] untuk dilengkapi" in laporan
