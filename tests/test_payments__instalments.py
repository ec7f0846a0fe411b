"""The finance bureau pays an approved amount in several payments: 部分拨付 until they add
up to it, then 已拨付; never more than approved, never dated in the future or before the
disbursement notice."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from subsidy.models import Payment
from subsidy.payments import left_to_pay, partially_paid, record_payment
from workflows import services as engine
from workflows.exceptions import GuardFailed, TransitionNotAvailable
from workflows.stages import State

from .factories import UserFactory, awaiting_payment
from .helpers import confirmed, race, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.today(date(2021, 12, 1))]
D = Decimal


@pytest.fixture
def notified(programme):
    return awaiting_payment("30000.00", date(2021, 11, 15), programme=programme)


def test_instalments_add_up_to_paid(notified, finance):
    record_payment(finance, notified, paid_on=date(2021, 11, 20), amount="10000",
                   reference="衡财拨〔2021〕1号")
    assert notified.state == State.DISBURSEMENT_NOTIFIED and partially_paid(notified)
    assert (notified.paid_amount, left_to_pay(notified)) == (D("10000.00"), D("20000.00"))
    assert notified.audit_entries.count() == 0  # no state change, no transition
    record_payment(finance, notified, paid_on=date(2021, 11, 25), amount="15000.00",
                   reference="衡财拨〔2021〕2号")
    assert partially_paid(notified) and left_to_pay(notified) == D("5000.00")
    # a correction making up the rest completes it
    record_payment(finance, notified, paid_on=date(2021, 12, 1), amount="5000",
                   reference="衡财拨〔2021〕3号（补拨）")
    notified.refresh_from_db()
    assert notified.state == State.PAID and not partially_paid(notified)
    assert (notified.paid_amount, notified.paid_on, notified.payment_reference) == (
        D("30000.00"), date(2021, 12, 1), "衡财拨〔2021〕3号（补拨）")
    entry = notified.audit_entries.get()
    assert (entry.transition, entry.actor, entry.data["paid_amount"]) == (
        "confirm_payment", finance, "30000.00")
    assert list(notified.payments.values_list("amount", "recorded_by")) == [
        (D("10000.00"), finance.pk), (D("15000.00"), finance.pk), (D("5000.00"), finance.pk)]
    with pytest.raises(TransitionNotAvailable, match="不能登记拨付"):
        record_payment(finance, notified, paid_on=date(2021, 12, 1), amount="1",
                       reference="多余")


def test_the_total_never_exceeds_the_approved_amount(notified, finance):
    record_payment(finance, notified, paid_on=date(2021, 11, 20), amount="20000",
                   reference="A1")
    with pytest.raises(GuardFailed) as refused:
        record_payment(finance, notified, paid_on=date(2021, 11, 21), amount="10000.01",
                       reference="A2")
    assert refused.value.reasons()["zh-hans"] == (
        "拨付金额 10,000.01 元超过尚未拨付的 10,000.00 元"
        "（核定 30,000.00 元，已拨付 20,000.00 元）。")
    assert Payment.objects.filter(application=notified).count() == 1
    notified.refresh_from_db()
    assert notified.paid_amount == D("20000.00")


def test_a_payment_dated_in_the_future_is_refused(notified, finance):
    with pytest.raises(GuardFailed) as refused:
        record_payment(finance, notified, paid_on=date(2021, 12, 2), amount="100",
                       reference="A1")
    assert "2021-12-02 晚于今天（2021-12-01）" in refused.value.reasons()["zh-hans"]
    assert not Payment.objects.exists()


def test_a_payment_before_the_notice_is_refused(notified, finance):
    with pytest.raises(GuardFailed) as refused:
        record_payment(finance, notified, paid_on=date(2021, 11, 14), amount="100",
                       reference="A1")
    assert refused.value.reasons()["zh-hans"] == \
        "拨付日期 2021-11-14 早于拨款通知下达日期 2021-11-15。"
    record_payment(finance, notified, paid_on=date(2021, 11, 15), amount="100", reference="A1")


def test_only_finance_records_and_confirm_payment_alone_is_refused(notified, finance, city):
    with pytest.raises(Exception, match="只有财政局用户"):
        record_payment(city, notified, paid_on=date(2021, 11, 20), amount="100",
                       reference="A1")
    # the transition itself only follows the payments
    with pytest.raises(GuardFailed, match=r"尚余 30,000\.00 元未拨付"):
        engine.perform(notified, "confirm_payment", finance)


def test_the_desk_keeps_the_values_typed_with_the_refusal(notified, finance):
    client = sign_in(Client(), finance)
    page = client.get(f"/desk/review/{notified.pk}/").content.decode()
    assert "登记拨付" in page and "尚余（元）" in page and 'value="confirm_payment"' not in page
    response = client.post(f"/desk/review/{notified.pk}/payments/", {
        "paid_on": "2021-11-20", "amount": "30000.01", "reference": "衡财拨-88"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "超过尚未拨付的 30,000.00 元" in html
    assert 'value="30000.01"' in html and 'value="衡财拨-88"' in html
    assert 'value="2021-11-20"' in html
    typed = {"paid_on": "2021-11-20", "amount": "12000", "reference": "衡财拨-88"}
    asked = client.post(f"/desk/review/{notified.pk}/payments/", typed).content.decode()
    assert "将登记 2021-11-20 拨付 12,000.00 元，凭证号 衡财拨-88。" in asked
    assert "登记后尚余 18,000.00 元" in asked and not Payment.objects.exists()
    changed = {**typed, "amount": "13000",  # changed after the confirmation: asked again
               "confirmed": f"{notified.pk}|2021-11-20|12000.00|衡财拨-88"}
    assert client.post(f"/desk/review/{notified.pk}/payments/", changed).status_code == 200
    assert not Payment.objects.exists()
    response = confirmed(client, f"/desk/review/{notified.pk}/payments/", typed)
    assert response.status_code == 303
    page = client.get(response["Location"]).content.decode()
    assert "已登记拨付 12,000.00 元，尚余 18,000.00 元。" in page and "部分拨付" in page


def test_two_people_paying_the_rest_at_once_one_wins(notified, finance, transactional_db):
    other = UserFactory(role="finance")

    def pay(who):
        return lambda: record_payment(who, notified.__class__.objects.get(pk=notified.pk),
                                      paid_on=date(2021, 11, 20), amount="30000",
                                      reference=who.username)

    results = race([pay(finance), pay(other)])
    won = [r for r in results if isinstance(r, Payment)]
    lost = [r for r in results if isinstance(r, Exception)]
    assert len(won) == 1 and len(lost) == 1, results
    assert isinstance(lost[0], (GuardFailed, TransitionNotAvailable))
    notified.refresh_from_db()
    assert notified.state == State.PAID and notified.paid_amount == D("30000.00")
    assert Payment.objects.filter(application=notified).count() == 1
