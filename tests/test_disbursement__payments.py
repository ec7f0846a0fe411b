"""The finance bureau records each payment (date, amount, reference); confirm_payment only
follows the payments, and applications paid before instalments existed keep their payment."""

import importlib
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.test import Client

from subsidy.models import Application, Payment
from workflows import services as engine
from workflows.exceptions import TransitionRefused
from workflows.stages import State

from .factories import ApplicationFactory, awaiting_payment
from .helpers import confirmed, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.today(date(2021, 12, 20))]


@pytest.fixture
def notified(programme):
    return awaiting_payment("30000.00", date(2021, 12, 1), programme=programme)


def test_confirm_payment_takes_no_amount_of_its_own(notified, finance):
    with pytest.raises(TransitionRefused, match="不接受参数"):
        engine.perform(notified, "confirm_payment", finance, amount="30000",
                       paid_on="2021-12-20", reference="A1")
    assert Application.objects.get(pk=notified.pk).state == State.DISBURSEMENT_NOTIFIED


def test_finance_records_the_whole_payment_on_the_desk(notified, finance):
    client = sign_in(Client(), finance)
    data = {"amount": "30000.00", "paid_on": "2021-12-20", "reference": "A-88"}
    asked = client.post(f"/desk/review/{notified.pk}/payments/", data).content.decode()
    assert "此笔拨足核定金额：登记后申报即为“已拨付”，流程结束。" in asked
    response = confirmed(client, f"/desk/review/{notified.pk}/payments/", data)
    assert response.status_code == 303
    notified.refresh_from_db()
    assert (notified.state, notified.payment_reference) == (State.PAID, "A-88")
    assert "已拨足核定金额" in client.get(response["Location"]).content.decode()


def test_applications_paid_before_instalments_get_one_payment_each(programme, finance):
    paid = ApplicationFactory(programme=programme, approved_amount=Decimal("8000"))
    Application.objects.filter(pk=paid.pk).update(
        state=State.PAID, paid_amount=Decimal("8000"), paid_on=date(2021, 9, 10),
        payment_reference="衡财拨〔2021〕7号")
    ApplicationFactory(programme=programme)  # never paid: no payment
    migration = importlib.import_module("subsidy.migrations.0016_payment_records")
    migration.one_payment_per_paid_application(django_apps, None)
    assert list(Payment.objects.values_list("application", "amount", "paid_on", "reference")) \
        == [(paid.pk, Decimal("8000.00"), date(2021, 9, 10), "衡财拨〔2021〕7号")]
