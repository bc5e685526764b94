"""Sub-commands of the ``spm`` CLI, one module per domain step (registered in ``spm_helpers.cli``)."""
