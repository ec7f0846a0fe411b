"""The finance bureau records payments on the desk: one on the application's page, or a list
of them at once (typed in, or imported from Excel in desk/import_views.py)."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from accounts.models import Role
from subsidy.money import format_yuan
from subsidy.payment_forms import PaymentForm, PaymentRowForm
from subsidy.payments import (
    PaymentLine,
    PaymentsRefused,
    awaiting_payment,
    left_to_pay,
    plan_payments,
    record_payments,
)

from .views import ApplicationView, RoleRequiredMixin

#: The page is the finance bureau's; who may pay which application is the confirm_payment
#: transition's permission rule, which subsidy.payments asks.
PAYMENT_ROLES = frozenset({Role.FINANCE})


def confirmation_key(lines: list[PaymentLine]) -> str:
    """What the person confirmed, echoed by the confirm button: a change to the values after
    the confirmation was shown asks again."""
    return ";".join(f"{line.application.pk}|{line.paid_on}|{line.amount}|{line.reference}"
                    for line in lines)


def recorded_message(application, amount) -> str:
    left = left_to_pay(application)
    if left:
        return _("已登记拨付 %(amount)s 元，尚余 %(left)s 元。") % {
            "amount": format_yuan(amount), "left": format_yuan(left)}
    return _("已登记拨付 %(amount)s 元，已拨足核定金额：已拨付。") % {"amount": format_yuan(amount)}


class PaymentView(ApplicationView):
    """POST one payment from the application's page; a refusal shows the page again with
    the reason and what was typed."""

    roles = PAYMENT_ROLES

    def get(self, request, pk):
        return HttpResponseRedirect(reverse("desk:review:detail", args=[pk]))

    def post(self, request, pk):
        """Recording is irreversible: the first post shows what will happen and asks for
        confirmation; the confirmed one records."""
        application = get_object_or_404(self.visible(), pk=pk)
        form = PaymentForm(request.POST)
        extras, status = {"payment_refused": _("请检查填写的内容。")}, 422
        if form.is_valid():
            lines = [PaymentLine(application, **form.cleaned_data)]
            key = confirmation_key(lines)
            try:
                if request.POST.get("confirmed") != key:
                    planned = plan_payments(request.user, lines)[0]
                    extras, status = {"payment_confirm": planned, "confirmation_key": key}, 200
                else:
                    payment = record_payments(request.user, lines)[0]
                    messages.success(request, recorded_message(application, payment.amount))
                    return HttpResponseRedirect(reverse("desk:review:detail", args=[pk]),
                                                status=303)
            except PaymentsRefused as refused:
                refusal = refused.errors[0][1]
                extras, status = {"payment_refused": str(refusal.reason)}, refusal.status
        context = self.context(application)
        context.update(payment_form=form, **extras)
        return render(request, self.template, context, status=status)


class PaymentListView(RoleRequiredMixin, View):
    """Every application awaiting payment with a row to type a payment into; the filled rows
    are recorded together or, if any is refused, none of them."""

    roles = PAYMENT_ROLES
    template = "desk/payments.html"

    def pending(self):
        return list(awaiting_payment(self.visible()).order_by("number"))

    def rows(self, applications, data=None):
        return [(app, PaymentRowForm(data, prefix=f"p{app.pk}")) for app in applications]

    def get(self, request):
        return render(request, self.template, {"rows": self.rows(self.pending())})

    def post(self, request):
        rows = self.rows(self.pending(), request.POST)
        errors = {}
        for app, form in rows:
            if not form.is_valid():
                errors[app.pk] = " ".join(str(m) for m in form.errors.get("__all__", [])) \
                    or _("请检查填写的内容。")
        filled = [(app, form) for app, form in rows if app.pk not in errors and form.filled]
        if not errors and not filled:
            errors[None] = _("请至少填写一笔拨付。")
        if not errors:
            lines = [PaymentLine(app, form.cleaned_data["paid_on"], form.cleaned_data["amount"],
                                 form.cleaned_data["reference"]) for app, form in filled]
            key = confirmation_key(lines)
            try:
                if request.POST.get("confirmed") != key:  # irreversible: confirm first
                    planned = {p.line.application.pk: p for p in plan_payments(request.user,
                                                                                lines)}
                    return render(request, self.template, {
                        "rows": rows, "planned": planned, "confirmation_key": key,
                        "planned_total": sum(line.amount for line in lines)})
                recorded = record_payments(request.user, lines)
            except PaymentsRefused as refused:
                errors = {filled[i][0].pk: str(r.reason) for i, r in refused.errors}
            else:
                messages.success(request, _("已登记 %(n)d 笔拨付。") % {"n": len(recorded)})
                return HttpResponseRedirect(request.path, status=303)
        return render(request, self.template, {"rows": rows, "errors": errors,
                                               "general_error": errors.get(None)}, status=422)
