"""The ``spm`` command (typer + rich): one module per command group, registered in :mod:`.app`."""
from spm_helpers.cli.app import app

__all__ = ["app"]
