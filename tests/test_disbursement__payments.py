"""The finance bureau records each payment: date, amount, reference; never more than
approved."""

from decimal import Decimal

import pytest
from django.test import Client

from subsidy.models import Application
from workflows import services as engine
from workflows.exceptions import GuardFailed
from workflows.stages import State

from .factories import ApplicationFactory
from .helpers import sign_in


@pytest.fixture
def notified(programme):
    app = ApplicationFactory(programme=programme, approved_amount=Decimal("30000.00"))
    Application.objects.filter(pk=app.pk).update(state=State.DISBURSEMENT_NOTIFIED)
    return Application.objects.get(pk=app.pk)


@pytest.mark.django_db
def test_payment_beyond_the_approved_amount_is_refused_with_figures(notified, finance):
    with pytest.raises(GuardFailed) as refused:
        engine.perform(notified, "confirm_payment", finance, amount="30000.01",
                       paid_on="2021-12-20", reference="A1")
    assert refused.value.reasons()["zh-hans"] == "拨付金额 30000.01 元超过核定金额 30000.00 元。"
    with pytest.raises(GuardFailed, match="凭证号"):
        engine.perform(notified, "confirm_payment", finance, amount="30000")
    entry = engine.perform(notified, "confirm_payment", finance, amount="30000",
                           paid_on="2021-12-20", reference="衡财拨〔2021〕88号")
    assert notified.state == State.PAID and notified.paid_amount == Decimal("30000.00")
    assert entry.data["paid_amount"] == "30000.00"


@pytest.mark.django_db
def test_finance_records_a_payment_on_the_desk(notified, finance):
    client = Client()
    sign_in(client, finance)
    page = client.get(f"/desk/review/{notified.pk}/").content.decode()
    assert "拨付日期" in page and 'value="30000.00"' in page
    response = client.post(f"/desk/review/{notified.pk}/", {
        "action": "confirm_payment", "confirm_payment-amount": "30000.00",
        "confirm_payment-paid_on": "2021-12-20", "confirm_payment-reference": "A-88"})
    assert response.status_code == 303
    notified.refresh_from_db()
    assert (notified.state, notified.payment_reference) == (State.PAID, "A-88")
