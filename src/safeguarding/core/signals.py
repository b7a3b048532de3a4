"""Signals core sends so apps can hook in without core importing them."""

from django.dispatch import Signal

# Sent by `safeguarding worker` each time it looks at the timetable (about once a
# minute): apps connect their housekeeping to it in their AppConfig.ready().
worker_tick = Signal()
