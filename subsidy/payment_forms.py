"""The form a payment is typed into on the desk (one payment, or one row of a list)."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from config.dateinput import DateInput

from .forms import YuanField


class PaymentForm(forms.Form):
    """Date, amount and reference of one payment (the rules are subsidy.payments')."""

    paid_on = forms.DateField(label=_("拨付日期"), widget=DateInput)
    amount = YuanField(label=_("拨付金额（元）"), min_value=Decimal("0.01"))
    reference = forms.CharField(label=_("拨付凭证号"), max_length=100)


class PaymentRowForm(PaymentForm):
    """One row of the list of payments: left empty, it records nothing."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False

    def clean(self):
        data = super().clean()
        given = [name for name in self.fields if data.get(name) not in (None, "")]
        if given and len(given) < len(self.fields):
            raise forms.ValidationError(_("请填写拨付日期、拨付金额和拨付凭证号。"))
        return data

    @property
    def filled(self) -> bool:
        return self.is_valid() and self.cleaned_data.get("amount") is not None
