"""Payments: the finance bureau records each sum paid against an approved amount.

An application may be paid in several payments (instalments, or a later payment making up a
shortfall). The payments never add up to more than the approved amount; the one that makes
them equal takes the lifecycle's `confirm_payment` transition (已下达拨款通知 → 已拨付), in
the same transaction, so 已拨付 always means "paid in full".

部分拨付 (some paid, some left) is derived, not a lifecycle state: the application stays in
已下达拨款通知, where the finance bureau acts. A state of its own would need a transition
per instalment into the same state (an audit entry that moves nothing and restarts the
stage's waiting time, so the reminders would stop chasing the money still owed), and would
repeat in every lifecycle file who acts there and what the reports count as notified. As
derived display, the lifecycle, its validation, the reminders and the policy stay as they
are, and the payments are the one record of what was paid: Application.paid_amount is their
sum (kept on the row for the dashboard's index), paid_on and payment_reference the latest
one's.

Who may record payments, and in which state, is the `confirm_payment` transition's own
permission rule and source state in the application's lifecycle.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from workflows import services as engine
from workflows.exceptions import GuardFailed, TransitionForbidden, TransitionNotAvailable
from workflows.i18n import lazy_format
from workflows.lifecycle import lifecycles
from workflows.registry import PERMISSIONS
from workflows.stages import State

from .funding import FEN, to_money
from .models import Application, Payment
from .money import format_yuan

#: The transition the payment that completes the approved amount takes.
COMPLETING_TRANSITION = "confirm_payment"
#: What recording payments changes on the application's row.
SETTLED_FIELDS = ("state", "paid_amount", "paid_on", "payment_reference", "audit_seq",
                  "audit_head", "state_changed_at")


@dataclass(frozen=True)
class PaymentLine:
    """One payment to record: which application, when, how much, under which reference."""

    application: Application
    paid_on: date | None
    amount: Decimal | None
    reference: str = ""


class PaymentsRefused(GuardFailed):
    """Some lines of a batch could not be recorded (so none was): `errors` lists
    (line index, refusal) in the order given."""

    def __init__(self, errors: list[tuple[int, Exception]]):
        super().__init__(errors[0][1].reason, transition=COMPLETING_TRANSITION)
        self.errors = errors
        statuses = {refusal.status for _index, refusal in errors}
        if len(statuses) == 1:  # all refused alike (e.g. 403): answer with that
            self.status = statuses.pop()


def payable_states() -> frozenset:
    """The states payments are recorded in: where the completing transition starts
    (已下达拨款通知 in every lifecycle)."""
    return frozenset(spec.source for lifecycle in lifecycles().values()
                     for spec in lifecycle.transitions if spec.name == COMPLETING_TRANSITION)


def awaiting_payment(applications):
    """`applications` the finance bureau may pay now (part-paid ones too)."""
    return applications.filter(state__in=payable_states())


def paid_total(application) -> Decimal:
    """What the application's payments add up to (0 without any)."""
    total = Payment.objects.filter(application_id=application.pk).aggregate(
        total=Sum("amount"))["total"]
    return (total or Decimal(0)).quantize(FEN)  # SQLite sums NUMERIC as floats


def left_to_pay(application) -> Decimal | None:
    """The approved amount not paid yet (None before approval)."""
    if application.approved_amount is None:
        return None
    return application.approved_amount - (application.paid_amount or Decimal(0))


def partially_paid(application) -> bool:
    """部分拨付: some of the approved amount paid, the rest still awaited."""
    return application.state in payable_states() and bool(application.paid_amount)


def state_text(application) -> str:
    """The state as people read it, with 部分拨付 when some of the money is paid."""
    label = application.get_state_display()
    return gettext("%(state)s（部分拨付）") % {"state": label} if partially_paid(application) \
        else label


def may_record(user, application) -> bool:
    """Whether `user` may record a payment on `application` now."""
    spec = application.lifecycle_definition.find(COMPLETING_TRANSITION, application.state)
    return spec is not None and PERMISSIONS[spec.permission](user, application)[0]


def settled_effects(application) -> dict:
    """The fields the completing transition records (and the audit entry with them): the
    total paid and the latest payment's date and reference."""
    latest = (Payment.objects.filter(application_id=application.pk)
              .order_by("-paid_on", "-id").first())
    return {"paid_amount": paid_total(application),
            "paid_on": latest.paid_on if latest else None,
            "payment_reference": latest.reference if latest else ""}


def payment_problem(application, line: PaymentLine, paid_so_far: Decimal,
                    today: date | None = None):
    """Why `line` may not be recorded on `application` (locked, current) after `paid_so_far`
    was paid, or None."""
    amount, paid_on = to_money(line.amount), line.paid_on
    if amount is None or amount <= 0:
        return _("拨付金额必须是大于零的金额。")
    if paid_on is None or not line.reference.strip():
        return _("请填写拨付日期和拨付凭证号。")
    today = today or timezone.localdate()
    if paid_on > today:
        return lazy_format(_("拨付日期 %(date)s 晚于今天（%(today)s），不能登记尚未发生的拨付。"),
                           {"date": paid_on, "today": today})
    if application.notified_at is not None:
        notified_on = timezone.localdate(application.notified_at)
        if paid_on < notified_on:
            return lazy_format(_("拨付日期 %(date)s 早于拨款通知下达日期 %(notice)s。"),
                               {"date": paid_on, "notice": notified_on})
    approved = application.approved_amount or Decimal("0.00")
    left = approved - paid_so_far
    if amount > left:
        return lazy_format(_("拨付金额 %(amount)s 元超过尚未拨付的 %(left)s 元"
                             "（核定 %(approved)s 元，已拨付 %(paid)s 元）。"),
                           {"amount": format_yuan(amount), "left": format_yuan(left),
                            "approved": format_yuan(approved), "paid": format_yuan(paid_so_far)})
    return None


def _refusal(application, actor):
    """The refusal for recording any payment on `application` by `actor`, or None."""
    spec = application.lifecycle_definition.find(COMPLETING_TRANSITION, application.state)
    if spec is None:
        return TransitionNotAvailable(lazy_format(
            _("申报 %(number)s 当前状态为“%(state)s”，不能登记拨付。"),
            {"number": application.number, "state": State(application.state).label}),
            transition=COMPLETING_TRANSITION, state=application.state)
    allowed, reason = PERMISSIONS[spec.permission](actor, application)
    if not allowed:
        return TransitionForbidden(reason, transition=spec.name, state=application.state)
    return None


@dataclass(frozen=True)
class PlannedPayment:
    """A line that may be recorded, and what it leaves: `left` after it, `completes` when it
    makes the payments add up to the approved amount (the application becomes 已拨付)."""

    line: PaymentLine
    left: Decimal
    completes: bool


def plan_payments(actor, lines: list[PaymentLine], applications: dict | None = None,
                  today: date | None = None) -> list[PlannedPayment]:
    """What recording `lines` would do, line by line, or PaymentsRefused. `applications`
    ({id: application}) are the current rows to judge by (locked ones when recording); by
    default they are read now, so a confirmation page can say what will happen."""
    if applications is None:
        applications = Application.objects.in_bulk({line.application.pk for line in lines})
    paid = {pk: paid_total(app) for pk, app in applications.items()}
    errors, planned = [], []
    for index, line in enumerate(lines):
        app = applications[line.application.pk]
        refusal = _refusal(app, actor)
        problem = None if refusal else payment_problem(app, line, paid[app.pk], today)
        if problem:
            refusal = GuardFailed(problem, transition=COMPLETING_TRANSITION, state=app.state)
        if refusal:
            errors.append((index, refusal))
            continue
        paid[app.pk] += to_money(line.amount)
        left = (app.approved_amount or Decimal(0)) - paid[app.pk]
        planned.append(PlannedPayment(line, left, completes=not left))
    if errors:
        raise PaymentsRefused(errors)
    return planned


def record_payments(actor, lines: list[PaymentLine], today: date | None = None) -> list[Payment]:
    """Record every line or none (PaymentsRefused lists each line that may not be).

    One transaction: the applications' rows are locked first (SELECT … FOR UPDATE, in id
    order, as the transition service locks them), so two people paying the same application
    at once are serialised and the second one sees what the first paid. Applications whose
    payments now add up to the approved amount take `confirm_payment` (已拨付); the others
    keep the new total on their row.
    """
    ids = sorted({line.application.pk for line in lines})
    with transaction.atomic():
        locked = {app.pk: app for app in
                  Application.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
        planned = plan_payments(actor, lines, locked, today)
        payments = [Payment(application=locked[p.line.application.pk], paid_on=p.line.paid_on,
                            amount=to_money(p.line.amount),
                            reference=p.line.reference.strip()[:100], recorded_by=actor)
                    for p in planned]
        completed = {p.line.application.pk for p in planned if p.completes}
        Payment.objects.bulk_create(payments)
        for pk, app in locked.items():
            if pk in completed:
                engine.perform(app, COMPLETING_TRANSITION, actor)
            else:
                effects = settled_effects(app)
                Application.objects.filter(pk=pk).update(updated_at=timezone.now(), **effects)
                for name, value in effects.items():
                    setattr(app, name, value)
        for line in lines:  # the caller's objects show what was recorded
            current = locked[line.application.pk]
            # (through __dict__: django-fsm refuses setting the protected state field)
            line.application.__dict__.update({name: current.__dict__[name]
                                              for name in SETTLED_FIELDS})
    return payments


def record_payment(actor, application, *, paid_on, amount, reference="",
                   today: date | None = None) -> Payment:
    """Record one payment (record_payments); raises the refusal itself (409, 403 or 422)."""
    try:
        return record_payments(actor, [PaymentLine(application, paid_on, to_money(amount),
                                                   reference or "")], today)[0]
    except PaymentsRefused as refused:
        raise refused.errors[0][1] from None
