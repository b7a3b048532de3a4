"""Cross-agency record linkage: the same child in police, health, school and LA data.

* ``deterministic`` - NHS number, else UPN, else LA + LA child ID
* ``probabilistic`` - Splink 5 on DuckDB for records with no shared identifier
* ``pipeline`` - both, on plain frames (what the benchmark measures)
* ``services`` - ``link_records`` for importers; review-queue decisions
* ``selectors`` - the review queue, read through core.access
* ``sharing`` - pseudonymous keys and degraded rows for sharing
* ``config`` / ``data/linkage.yaml`` - thresholds, blocking rules, priors
"""
