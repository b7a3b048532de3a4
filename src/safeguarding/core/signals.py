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
