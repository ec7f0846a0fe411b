"""The payments part of an application's page (templates/applications/_payments.html)."""

from django import template

from subsidy import payments
from subsidy.payment_forms import PaymentForm

register = template.Library()


@register.simple_tag
def payment_details(application, user, form=None):
    """{payments, approved, paid, left, partial, form}: what the application page shows of
    its payments; `form` (the payment form, bound after a refusal) only for someone who may
    record a payment now."""
    may_record = payments.may_record(user, application)
    if may_record and not form:  # (a missing variable arrives as "")
        form = PaymentForm()
    return {"payments": application.payments.select_related("recorded_by"),
            "approved": application.approved_amount, "paid": application.paid_amount,
            "left": payments.left_to_pay(application),
            "partial": payments.partially_paid(application),
            "form": form if may_record else None}


@register.filter
def left_to_pay(application):
    """The approved amount not paid yet (subsidy.payments.left_to_pay)."""
    return payments.left_to_pay(application)


@register.filter
def partially_paid(application):
    """部分拨付 (subsidy.payments.partially_paid)."""
    return payments.partially_paid(application)


@register.filter
def state_text(application):
    """The state, with 部分拨付 (subsidy.payments.state_text)."""
    return payments.state_text(application)
