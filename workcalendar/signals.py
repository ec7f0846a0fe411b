"""Sent when a year's holiday schedule is saved, inside the saving transaction, so that what
was counted with the old schedule can be counted again. A receiver returns a list of notes
for the administrator who saved (what it changed, what someone must check)."""

from django.dispatch import Signal

#: Sent with `year` (the schedule's year).
schedule_changed = Signal()
