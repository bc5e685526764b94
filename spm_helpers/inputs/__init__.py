"""Getting data in: tables on disk (datastore), Excel machinery and the OPD form, importing and merging filled forms,
by-name (NIK) records, deterministic demo data."""
