"""The transition service: the only way an application's state changes.

One call: find the transition in the subject's lifecycle for its current state → (if it has
guards, lock and re-read the row) → check the actor's permission and the guards → let the
django-fsm method move the state → UPDATE the row only if nobody moved it since it was read
(on PostgreSQL the UPDATE also holds the row lock until commit; SQLite transactions are
BEGIN IMMEDIATE) → INSERT the hash-chained audit entry → after commit, send
`transitions_committed` (notifications hang off it).

Lock order is always the application row(s) first, then whatever a guard locks (the
programme, for budget checks), in single and bulk calls alike, so they cannot deadlock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import sql
from .audit import entry_hash
from .exceptions import (
    ConcurrentUpdate,
    GuardFailed,
    TransitionForbidden,
    TransitionNotAvailable,
    TransitionRefused,
)
from .i18n import lazy_format
from .lifecycle import TransitionSpec
from .models import AuditEntry
from .registry import GUARDS, PERMISSIONS
from .signals import transitions_committed
from .stages import TRANSITION_LABELS, State


@dataclass
class TransitionContext:
    """What guards see besides the subject: who acts, with what input, and a shared cache.

    In a bulk call one context serves every subject, so a guard can keep running totals
    (e.g. budget left) in `cache`.
    """

    actor: Any
    comment: str = ""
    params: dict = field(default_factory=dict)
    cache: dict = field(default_factory=dict)
    #: True when only asking whether a transition could be taken (no transaction, no locks).
    checking_only: bool = False


@dataclass
class BulkResult:
    """Outcome of a bulk transition: entries written and refusals by subject id."""

    entries: list[AuditEntry]
    refused: dict[int, TransitionRefused]


def find_spec(subject, name: str) -> TransitionSpec:
    """The lifecycle's transition `name` from the subject's state, or TransitionNotAvailable."""
    spec = subject.lifecycle_definition.find(name, subject.state)
    if spec is None:
        if name in TRANSITION_LABELS:
            why = lazy_format(_("当前状态“%(state)s”下不能执行“%(action)s”。"), {
                "state": State(subject.state).label, "action": TRANSITION_LABELS[name]})
        else:
            why = lazy_format(_("没有名为“%(name)s”的操作。"), {"name": name})
        raise TransitionNotAvailable(why, transition=name, state=subject.state)
    return spec


def check(subject, spec: TransitionSpec, context: TransitionContext) -> None:
    """Raise TransitionForbidden or GuardFailed unless the actor may take `spec` now."""
    allowed, reason = PERMISSIONS[spec.permission](context.actor, subject)
    if not allowed:
        raise TransitionForbidden(reason, transition=spec.name, state=subject.state)
    unknown = set(context.params) - set(spec.params)
    if unknown:
        why = lazy_format(_("此操作不接受参数：%(names)s"), {"names": ", ".join(sorted(unknown))})
        raise TransitionRefused(why, transition=spec.name, state=subject.state)
    if spec.comment_required and not context.comment:
        why = lazy_format(_("“%(action)s”必须填写意见。"), {"action": TRANSITION_LABELS[spec.name]})
        raise GuardFailed(why, transition=spec.name, state=subject.state)
    for name in spec.guards:
        ok, reason = GUARDS[name](subject, context)
        if not ok:
            raise GuardFailed(reason, transition=spec.name, state=subject.state)


def available_transitions(subject, actor) -> list[dict]:
    """Transitions out of the current state that `actor` is permitted to take.

    Each item: spec, and whether its guards pass now (with the reason when not).
    """
    out = []
    for spec in subject.lifecycle_definition.outgoing(subject.state):
        allowed, _reason = PERMISSIONS[spec.permission](actor, subject)
        if not allowed:
            continue
        ready, why = True, ""
        context = TransitionContext(actor=actor, checking_only=True)
        for name in spec.guards:
            ok, reason = GUARDS[name](subject, context)
            if not ok:
                ready, why = False, reason
                break
        out.append({"spec": spec, "ready": ready, "reason": why})
    return out


def perform(subject, name: str, actor, *, comment: str = "", **params) -> AuditEntry:
    """Take transition `name` on `subject` as `actor`; returns the audit entry written.

    One transaction. When the transition has guards, the row is first locked and re-read
    (SELECT … FOR UPDATE) so the guards judge current data; otherwise the conditional UPDATE
    is the lock. Either way, if the subject moved since the caller read it: ConcurrentUpdate
    (409). Raises a TransitionRefused subclass with a readable reason when the transition
    does not exist here (409), the actor may not take it (403) or a guard fails (422). The
    subject in memory is left as it was on refusal.
    """
    spec = find_spec(subject, name)
    context = TransitionContext(actor=actor, comment=(comment or "").strip(), params=params)
    model = type(subject)
    snapshot = _snapshot(subject)
    seen_seq = subject.audit_seq
    try:
        with transaction.atomic():
            if spec.guards:
                _reload_locked(subject)
                if subject.audit_seq != seen_seq:
                    raise ConcurrentUpdate(_("该申报已被他人处理，状态已变化，请刷新后再试。"),
                                           transition=name, state=snapshot["state"])
            check(subject, spec, context)
            entry, changes = _advance(subject, spec, context)
            if sql.update_if_unchanged(subject, entry.seq - 1, changes) != 1:
                raise ConcurrentUpdate(
                    _("该申报已被他人处理，状态已变化，请刷新后再试。"),
                    transition=name, state=entry.source)
            sql.insert_rows([entry])
            # robust: a failing notification must not undo or misreport a committed change
            transaction.on_commit(_announce(model, [entry]), robust=True)
    except BaseException:
        _restore(subject, snapshot)
        raise
    return entry


def perform_bulk(queryset, name: str, actor, *, comment: str = "", **params) -> BulkResult:
    """Take transition `name` on every subject of `queryset` in one transaction.

    Rows are locked (SELECT … FOR UPDATE, in id order so two bulk calls cannot deadlock) and
    checked one by one; those that may not move are reported in `refused` and the rest move
    together with one bulk UPDATE and one bulk INSERT of audit entries.
    """
    context = TransitionContext(actor=actor, comment=(comment or "").strip(), params=params)
    model = queryset.model
    with transaction.atomic():
        subjects = list(queryset.select_for_update().order_by("pk"))
        moved, entries, refused, fields = [], [], {}, set()
        for subject in subjects:
            snapshot = _snapshot(subject)
            try:
                spec = find_spec(subject, name)
                check(subject, spec, context)
                entry, changes = _advance(subject, spec, context)
            except TransitionRefused as refusal:
                _restore(subject, snapshot)
                refused[subject.pk] = refusal
                continue
            moved.append(subject)
            entries.append(entry)
            fields.update(changes)
        if moved:
            # rows are locked and were read in this transaction, so they cannot have moved;
            # the audit_seq condition still guards the update
            rows = [(s.pk, e.seq - 1, {n: getattr(s, n) for n in sorted(fields)})
                    for s, e in zip(moved, entries, strict=True)]
            if sql.update_rows(model, rows) != len(rows):
                raise ConcurrentUpdate(_("该申报已被他人处理，状态已变化，请刷新后再试。"),
                                       transition=name)
            sql.insert_rows(entries)
            transaction.on_commit(_announce(model, entries), robust=True)
    return BulkResult(entries=entries, refused=refused)


def _advance(subject, spec: TransitionSpec, context: TransitionContext):
    """Move `subject` in memory and build its audit entry; returns (entry, changed fields)."""
    source = subject.state
    effects = subject.transition_effects(spec, context)
    getattr(subject, spec.name)(spec)  # the django-fsm transition: sets subject.state
    target = subject.state
    if target == State.RETURNED:
        returned_from = source
    elif source == State.RETURNED:
        returned_from = ""
    else:
        returned_from = subject.returned_from
    seq = subject.audit_seq + 1
    at = timezone.now()
    actor_id = getattr(context.actor, "pk", None)
    data = {key: str(value) for key, value in effects.items()}
    digest = entry_hash(subject_id=subject.pk, seq=seq, actor_id=actor_id, at=at,
                        transition=spec.name, source=source, target=target,
                        comment=context.comment, data=data, prev_hash=subject.audit_head)
    entry = AuditEntry(subject_id=subject.pk, seq=seq, actor_id=actor_id, at=at,
                       transition=spec.name, source=source, target=target,
                       comment=context.comment, data=data, prev_hash=subject.audit_head,
                       hash=digest)
    changes = {"state": target, "returned_from": returned_from, "audit_seq": seq,
               "audit_head": digest, "state_changed_at": at}
    # when it entered this state, and when it last took this transition if the model keeps
    # that: the entry's own time, in the same UPDATE
    times = {"state_changed_at": at}
    if spec.name in subject.transition_times:
        times[subject.transition_times[spec.name]] = at
    for key, value in (*times.items(), *effects.items()):
        setattr(subject, key, value)
        changes[key] = value
    subject.returned_from = returned_from
    subject.audit_seq = seq
    subject.audit_head = digest
    return entry, changes


def _announce(model, entries):
    """The after-commit callback that sends `transitions_committed` for `entries`."""

    def announce_committed_transitions():
        transitions_committed.send(sender=model, entries=entries)

    return announce_committed_transitions


def _reload_locked(subject) -> None:
    """Lock the subject's row and load its current values into the instance.

    (Not `refresh_from_db`: django-fsm makes that toggle the protected flag on the shared
    field object, which races between threads.)
    """
    model = type(subject)
    fields = model._meta.concrete_fields
    row = (model._base_manager.select_for_update().filter(pk=subject.pk)
           .values(*(f.attname for f in fields)).get())
    for f in fields:
        if f.is_relation and f.is_cached(subject) and subject.__dict__.get(f.attname) != row[
                f.attname]:
            f.delete_cached_value(subject)
    subject.__dict__.update(row)


def _snapshot(subject) -> dict:
    """The subject's attributes, so a refused or failed transition leaves it as it was."""
    return dict(subject.__dict__)


def _restore(subject, snapshot: dict) -> None:
    subject.__dict__.clear()
    subject.__dict__.update(snapshot)
