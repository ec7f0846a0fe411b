"""Every payment (date, amount, reference, who recorded it) is shown on the application to
the desk and to the applicant; finance's inbox shows approved, paid and left."""

from datetime import date
from io import BytesIO

import pytest
from django.test import Client
from openpyxl import load_workbook

from subsidy.payments import record_payment

from .api_client import ApiClient
from .factories import ApplicantFactory, UserFactory, awaiting_payment
from .helpers import sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.today(date(2021, 12, 1))]


@pytest.fixture
def part_paid(programme, finance):
    app = awaiting_payment("30000.00", date(2021, 11, 15), programme=programme,
                           requested_amount="45678.00")
    finance.first_name = "财务张"
    finance.save()
    record_payment(finance, app, paid_on=date(2021, 11, 20), amount="12000",
                   reference="衡财拨〔2021〕12号")
    return app


def test_the_desk_and_the_applicant_see_every_payment(part_paid, city):
    applicant = ApplicantFactory(organisation=part_paid.organisation)
    for client, url in ((sign_in(Client(), city), f"/desk/review/{part_paid.pk}/"),
                        (sign_in(Client(), applicant), f"/applications/{part_paid.pk}/")):
        html = client.get(url).content.decode()
        assert "部分拨付" in html and "尚余 18,000.00 元" in html
        assert "2021-11-20" in html and "12,000.00" in html and "衡财拨〔2021〕12号" in html
        assert "财务张" in html
        assert "登记拨付</button>" not in html  # only finance records payments


def test_finance_inbox_shows_approved_paid_and_left(part_paid, finance):
    html = sign_in(Client(), finance).get("/desk/review/").content.decode()
    assert "核定金额（元）" in html and "已拨付（元）" in html and "尚余（元）" in html
    assert "30,000.00" in html and "12,000.00" in html and "18,000.00" in html
    assert "申请金额（元）" not in html and "45,678.00" not in html


def test_other_inboxes_keep_the_requested_amount(part_paid):
    html = sign_in(Client(), UserFactory(role="city")).get("/desk/review/?all=1") \
        .content.decode()
    assert "申请金额（元）" in html and "45,678.00" in html


def test_the_api_lists_the_payments_to_the_applicant(part_paid):
    applicant = ApplicantFactory(organisation=part_paid.organisation)
    listed = ApiClient(applicant).get(f"/applications/{part_paid.pk}/payments").json()
    assert (listed["approved_amount"], listed["paid_amount"], listed["left"],
            listed["partially_paid"]) == ("30000.00", "12000.00", "18000.00", True)
    assert [(p["paid_on"], p["amount"], p["reference"]) for p in listed["payments"]] == [
        ("2021-11-20", "12000.00", "衡财拨〔2021〕12号")]
    refused = ApiClient(applicant).post(f"/applications/{part_paid.pk}/payments", {
        "paid_on": "2021-11-21", "amount": "1.00", "reference": "X"})
    assert refused.status_code == 403


def test_the_inbox_export_shows_what_was_paid(part_paid, finance):
    response = sign_in(Client(), finance).get("/desk/review/export/")
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    header, row = rows[1], rows[2]
    assert row[header.index("已拨付（元）")] == 12000
    assert row[header.index("状态")] == "已下达拨款通知（部分拨付）"
