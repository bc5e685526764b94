"""Reference data, read-only: the SPM catalogue (bidang, jenis, mutu items, rule sets), the Kemendagri region list, and
the pandera schemas of every table."""
