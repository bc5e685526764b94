"""``python -m spm_helpers.cli`` runs the ``spm`` command."""
from spm_helpers.cli.app import app

app()
