"""Signals core sends so apps can hook in without core importing them."""

from django.dispatch import Signal

# Sent by `safeguarding worker` each time it looks at the timetable (about once a
# minute): apps connect their housekeeping to it in their AppConfig.ready().
worker_tick = Signal()

# Sent by an app when data it loaded in bulk (an import of a return, an extract or DfE's
# tables) has changed what some partnerships' figures are computed from. Arguments:
# ``partnerships`` (the Partnership rows whose figures it can change), ``reason`` (words
# for the dashboard) and ``dataset_import_id`` (the import, if any). measures connects to
# it to queue a recompute of the figures it caches; the sender knows nothing of measures.
data_loaded = Signal()

# Sent by reports when a partnership's yearly report is published. Arguments:
# ``partnership``, ``year`` (like "2020-21"), ``number`` (the published version), ``actor``
# and ``focus``: a list of (section key, section title, [commitment lines]) from the
# report's "focus for next year" blocks. The app keeping commitments (governance) makes
# them; reports knows nothing of it.
report_published = Signal()
