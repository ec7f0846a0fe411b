"""Signals the engine sends. Receivers run after the transaction has committed."""

from django.dispatch import Signal

#: Sent once per committed call of the transition service, with ``entries``: the list of
#: AuditEntry rows written (one for a single transition, many for a bulk one).
transitions_committed = Signal()
