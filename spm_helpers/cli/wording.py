"""The ``spm`` command speaks Indonesian, including what typer and click print on their own.

typer's help panels take their titles from module constants of ``typer.rich_utils``; click's usage
errors ("Invalid value for '--tahun'…", "Missing option…") are English sentences built inside click.
This module is the one place that sets those constants and translates those sentences; every reach
into typer/click text lives here, and ``tests/cli/test_bad_options.py`` fails loudly when an upgrade
renames a constant or rewords a message we translate.
"""
from __future__ import annotations

import re

import typer
import typer.rich_utils as rich_utils

try:  # typer 0.2x ships its own copy of click: its exceptions are not click's
    from typer._click.core import Command
    from typer._click.exceptions import ClickException, UsageError
except ImportError:  # pragma: no cover - a typer that uses the click package again
    from click.core import Command
    from click.exceptions import ClickException, UsageError

Abort = typer.Abort
__all__ = ["ClickException", "UsageError", "Abort", "install", "usage_message"]

PANEL_TITLES = {
    "OPTIONS_PANEL_TITLE": "Opsi",
    "ARGUMENTS_PANEL_TITLE": "Argumen",
    "COMMANDS_PANEL_TITLE": "Perintah",
    "ERRORS_PANEL_TITLE": "Galat",
}
ABORTED = "Dibatalkan."
HELP_OPTION = "Tampilkan bantuan ini lalu keluar."  # click's "Show this message and exit." beside --help

# click's (and typer's) English usage errors → Indonesian (pattern, template); the first match wins.
_OPT = r"'?([^'\s:/]+)'?(?: / '[^']+')?"  # "'--tahun' / '-t'" → --tahun
_USAGE = [
    (rf"Invalid value for {_OPT}: Input should be a valid integer.*", "Nilai untuk {0} harus bilangan bulat (mis. 2025)."),
    (rf"Invalid value for {_OPT}: Input should be a valid (?:number|float).*", "Nilai untuk {0} harus angka."),
    (rf"Invalid value for {_OPT}: '?(.*?)'? is not a valid integer.*", "Nilai '{1}' untuk {0} bukan bilangan bulat."),
    (rf"Invalid value for {_OPT}: (?:File|Directory|Path) '(.*)' does not exist\.?", "{0}: '{1}' tidak ditemukan."),
    (rf"Invalid value for {_OPT}: (?:File|Path) '(.*)' is a directory\.?", "{0}: '{1}' adalah folder, bukan berkas."),
    (rf"Invalid value for {_OPT}: (?:Directory|Path) '(.*)' is a file\.?", "{0}: '{1}' adalah berkas, bukan folder."),
    (rf"Invalid value for {_OPT}: (?:File|Directory|Path) '(.*)' is not readable\.?", "{0}: '{1}' tidak dapat dibaca."),
    (rf"Invalid value for {_OPT}: '?(.*?)'? is not one of (.*?)\.?", "Nilai '{1}' untuk {0} tidak dikenal; pilihan: {2}."),
    (rf"Invalid value for {_OPT}: (.*)", "Nilai tidak sah untuk {0}: {1}"),
    (rf"Missing (?:option|parameter):? {_OPT}\.?.*", "Opsi {0} wajib diisi."),
    (rf"Missing argument {_OPT}\.?", "Argumen {0} wajib diisi."),
    (r"No such option: (\S+?)\.? \(Possible options: (.*)\)", "Opsi {0} tidak dikenal (yang mirip: {1})."),
    (r"No such option: (\S+?)\.? Did you mean (\S+?)\?", "Opsi {0} tidak dikenal. Maksud Anda {1}?"),
    (r"No such option: (\S+?)\.?", "Opsi {0} tidak dikenal."),
    (r"No such command '([^']+)'\. Did you mean (.*)\?", "Perintah '{0}' tidak ada. Maksud Anda {1}?"),
    (r"No such command '([^']+)'\.?", "Perintah '{0}' tidak ada."),
    (r"Got unexpected extra arguments? \((.*)\)", "Argumen berlebih: {0}"),
    (rf"Option {_OPT} requires an argument\.?", "Opsi {0} memerlukan nilai."),
    (r"Missing command\.?", "Perintah belum diberikan."),
]


def install() -> None:
    """Indonesian titles for typer's help and error panels."""
    for name, title in PANEL_TITLES.items():
        if not hasattr(rich_utils, name):
            raise RuntimeError(f"typer.rich_utils.{name} tidak ada lagi: perbarui spm_helpers/cli/wording.py")
        setattr(rich_utils, name, title)
    rich_utils.ABORTED_TEXT = ABORTED
    _indonesian_help_option()


def _indonesian_help_option() -> None:
    """click builds the --help option itself, with an English help text and no setting for it: give the
    option it returns the Indonesian text (once per command; the option object is cached by click)."""
    original = Command.get_help_option
    if getattr(original, "_spm", False):
        return

    def get_help_option(self, ctx):
        option = original(self, ctx)
        if option is not None:
            option.help = HELP_OPTION
        return option

    get_help_option._spm = True  # type: ignore[attr-defined]
    Command.get_help_option = get_help_option  # type: ignore[method-assign]


def usage_message(exc: UsageError) -> str:
    """click's usage error in Indonesian (unknown sentences are kept, prefixed, rather than lost)."""
    text = exc.format_message().strip()
    for pattern, template in _USAGE:
        m = re.fullmatch(pattern, text, flags=re.S)
        if m:
            return template.format(*[(g or "").strip() for g in m.groups()])
    return f"Perintah tidak dapat dijalankan ({text})."
