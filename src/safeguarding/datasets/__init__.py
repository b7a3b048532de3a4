"""Data in: returns and published tables, checked against their spec and loaded atomically.

    file ─► readers.<format> (streamed)
         ─► validation (specs/<format>/<year>.yaml: code lists and rules as data)
         ─► loader (one transaction; merged across years; the import record)
         ─► linking (census children into the child index, by LA + LAchildID, then UPN)

Kinds: ``cin-census`` (DfE Children in Need census XML, 2020/21 onwards) and
``dfe-benchmarks`` (DfE's published LA-level CSV tables). Entry points:
``services.import_file`` (the ``safeguarding import`` command),
``services.import_queue`` (the upload page, run by ``tasks.run_import``).

Settings, all optional: DATASETS_MAX_FILE_BYTES (2 GiB), DATASETS_MAX_ERRORS
(10,000: checking stops there), DATASETS_UPLOAD_DIR (var/imports).
"""
