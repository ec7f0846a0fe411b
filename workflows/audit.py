"""Hash chaining of audit entries and its verification.

Each entry's hash is an HMAC-SHA256, keyed with settings.AUDIT_HMAC_KEY (kept outside the
database), over its own fields and the previous entry's hash of the same subject; the subject
keeps the number and hash of its latest entry. Changing, inserting or deleting an entry, or
changing the subject's state, the times it keeps of its transitions or a value a transition
recorded, breaks something that `verify_chain` reports. Without the key a forged entry
cannot be given a valid hash.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC
from itertools import groupby
from operator import attrgetter

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def entry_hash(*, subject_id, seq, actor_id, at, transition, source, target, comment, data,
               prev_hash) -> str:
    """The keyed hash (hex) of one entry's content and its predecessor's hash."""
    payload = json.dumps(
        [subject_id, seq, actor_id, at.astimezone(UTC).isoformat(), transition, source, target,
         comment, data, prev_hash],
        ensure_ascii=False, separators=(",", ":"), sort_keys=True, default=str,
    )
    return hmac.new(_key(), payload.encode(), hashlib.sha256).hexdigest()


def _key() -> bytes:
    if not settings.AUDIT_HMAC_KEY:  # never an entry chained with an empty key
        raise ImproperlyConfigured("Set the AUDIT_HMAC_KEY environment variable.")
    return settings.AUDIT_HMAC_KEY.encode()


def hash_of(entry) -> str:
    """Recompute the hash of a stored entry from its fields."""
    return entry_hash(
        subject_id=entry.subject_id, seq=entry.seq, actor_id=entry.actor_id, at=entry.at,
        transition=entry.transition, source=entry.source, target=entry.target,
        comment=entry.comment, data=entry.data, prev_hash=entry.prev_hash,
    )


@dataclass(frozen=True)
class BrokenLink:
    """The first place where a subject's chain does not hold."""

    subject_id: int
    seq: int | None
    problem: str

    def __str__(self):
        where = f"entry #{self.seq}" if self.seq is not None else "head"
        return f"application {self.subject_id}, {where}: {self.problem}"


def verify_chain(subject, entries) -> BrokenLink | None:
    """Check one subject's entries (ordered by seq) against each other and the subject.

    The subject's head must name the last entry, its state must be that entry's target and
    its state_changed_at that entry's time, every field of `transition_times` must hold the
    time of the latest entry of its transition (empty when there is none), and every value a
    transition recorded (entry.data) must still be the subject's latest value.
    """
    prev_hash, expected_seq, last, recorded = "", 1, None, {}
    stamps = {field: None for field in getattr(subject, "transition_times", {}).values()}
    for entry in entries:
        if entry.seq < expected_seq:
            return BrokenLink(subject.pk, entry.seq,
                              f"unexpected entry (#{expected_seq} was expected next)")
        if entry.seq != expected_seq:
            return BrokenLink(subject.pk, expected_seq, f"entry missing (found #{entry.seq} next)")
        if entry.prev_hash != prev_hash:
            return BrokenLink(subject.pk, entry.seq, "does not link to the previous entry")
        if hash_of(entry) != entry.hash:
            return BrokenLink(subject.pk, entry.seq, "content does not match its hash")
        prev_hash, expected_seq, last = entry.hash, expected_seq + 1, entry
        recorded.update(entry.data)
        if entry.transition in getattr(subject, "transition_times", {}):
            stamps[subject.transition_times[entry.transition]] = entry.at
    if subject.audit_seq != expected_seq - 1 or subject.audit_head != prev_hash:
        return BrokenLink(subject.pk, None,
                          f"expects {subject.audit_seq} entries ending in "
                          f"{subject.audit_head[:12] or '-'}, found {expected_seq - 1}")
    if last is not None and subject.state != last.target:
        return BrokenLink(subject.pk, None,
                          f"state is {subject.state!r} but the last entry moved it to "
                          f"{last.target!r}")
    if last is not None and getattr(subject, "state_changed_at", last.at) != last.at:
        return BrokenLink(subject.pk, None,
                          f"state_changed_at is {subject.state_changed_at} but the last entry "
                          f"is from {last.at}")
    for name, moment in stamps.items():
        if getattr(subject, name) != moment:
            return BrokenLink(subject.pk, None,
                              f"{name} is {getattr(subject, name)} but the audit log has "
                              f"{moment}")
    for name, value in recorded.items():
        if str(getattr(subject, name, None)) != value:
            return BrokenLink(subject.pk, None,
                              f"{name} is {getattr(subject, name, None)} but the audit log "
                              f"recorded {value}")
    return None


def verify_all(chunk_size: int = 2000):
    """Yield every broken link, one per broken subject, in subject id order.

    Streams subjects and entries side by side (two queries), so it scales to any log size.
    """
    from .models import AuditEntry

    subject_model = apps.get_model(settings.WORKFLOWS_SUBJECT_MODEL)
    subjects = subject_model._base_manager.order_by("pk")
    entries = AuditEntry.objects.order_by("subject_id", "seq").iterator(chunk_size=chunk_size)
    grouped = groupby(entries, key=attrgetter("subject_id"))
    pending = next(grouped, None)
    for subject in subjects.iterator(chunk_size=chunk_size):
        own = []
        while pending is not None and pending[0] <= subject.pk:
            if pending[0] == subject.pk:
                own = list(pending[1])
            pending = next(grouped, None)
        broken = verify_chain(subject, own)
        if broken:
            yield broken
