"""Finance enters many payments at once: a list on the desk, or the same columns from Excel;
all of them are recorded or none, and a formula in the sheet is never read."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from subsidy.models import Payment
from workflows.stages import State

from .api_client import ApiClient
from .factories import awaiting_payment
from .helpers import confirmed, sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.today(date(2021, 12, 1))]


@pytest.fixture
def three(programme):
    return [awaiting_payment(amount, date(2021, 11, 15), programme=programme)
            for amount in ("30000.00", "20000.00", "5000.00")]


@pytest.fixture
def client(finance):
    return sign_in(Client(), finance)


def row(app, paid_on="", amount="", reference=""):
    return {f"p{app.pk}-paid_on": paid_on, f"p{app.pk}-amount": amount,
            f"p{app.pk}-reference": reference}


def test_the_desk_list_records_every_filled_row(client, three):
    a, b, c = three
    page = client.get("/desk/review/payments/").content.decode()
    assert all(app.number in page for app in three) and "尚余（元）" in page
    data = {**row(a, "2021-11-20", "10000", "衡财拨-1"),
            **row(b, "2021-11-20", "20000", "衡财拨-2"), **row(c)}
    asked = client.post("/desk/review/payments/", data).content.decode()
    assert "将登记 2 笔拨付，共 30,000.00 元" in asked and not Payment.objects.exists()
    assert f"{a.number}：登记后尚余 20,000.00 元（部分拨付）。" in asked
    assert f"{b.number}：此笔拨足核定金额，登记后即为“已拨付”。" in asked
    response = confirmed(client, "/desk/review/payments/", data)
    assert response.status_code == 303
    for app in three:
        app.refresh_from_db()
    assert (a.state, a.paid_amount, b.state, c.paid_amount) == (
        State.DISBURSEMENT_NOTIFIED, Decimal("10000.00"), State.PAID, None)


def test_one_bad_row_records_nothing_and_keeps_what_was_typed(client, three):
    a, b, _c = three
    response = client.post("/desk/review/payments/", {
        **row(a, "2021-11-20", "10000", "衡财拨-1"),
        **row(b, "2021-11-20", "20000.01", "衡财拨-2")})
    assert response.status_code == 422
    html = response.content.decode()
    assert f"{b.number}：拨付金额 20,000.01 元超过尚未拨付的 20,000.00 元" in html
    assert 'value="衡财拨-1"' in html and 'value="20000.01"' in html
    assert not Payment.objects.exists()
    response = client.post("/desk/review/payments/", row(a, "2021-11-20", "10000"))
    assert response.status_code == 422 and "请填写拨付日期、拨付金额和拨付凭证号" in \
        response.content.decode()
    assert not Payment.objects.exists()


def sheet_from(client, fill):
    template = client.get("/desk/review/import/?template=1")
    assert template.status_code == 200
    book = load_workbook(BytesIO(template.content))
    sheet = book.worksheets[0]
    fill({sheet.cell(r, 1).value: r for r in range(2, sheet.max_row + 1)}, sheet)
    out = BytesIO()
    book.save(out)
    return SimpleUploadedFile("payments.xlsx", out.getvalue())


def test_the_excel_import_records_the_sheet(client, three):
    a, b, _c = three

    def fill(rows, sheet):
        sheet.cell(rows[a.number], 7, date(2021, 11, 20))
        sheet.cell(rows[a.number], 8, 10000)
        sheet.cell(rows[a.number], 9, "衡财拨-1")
        sheet.cell(rows[b.number], 7, "2021-11-21")
        sheet.cell(rows[b.number], 8, "20000.00")
        sheet.cell(rows[b.number], 9, "衡财拨-2")

    response = client.post("/desk/review/import/", {"file": sheet_from(client, fill)})
    assert response.status_code == 200, response.content.decode()
    assert "已导入 2 行" in response.content.decode()
    b.refresh_from_db()
    assert b.state == State.PAID and b.paid_on == date(2021, 11, 21)


def test_an_excel_row_refused_imports_nothing(client, three):
    a, b, _c = three

    def fill(rows, sheet):
        for app, day in ((a, "2021-11-20"), (b, "2021-12-02")):  # b: in the future
            sheet.cell(rows[app.number], 7, day)
            sheet.cell(rows[app.number], 8, 100)
            sheet.cell(rows[app.number], 9, "X")

    response = client.post("/desk/review/import/", {"file": sheet_from(client, fill)})
    assert response.status_code == 422
    assert "2021-12-02 晚于今天" in response.content.decode()
    assert not Payment.objects.exists()


def test_formulas_are_never_read(client, three, programme):
    a = three[0]

    def fill(rows, sheet):
        sheet.cell(rows[a.number], 7, "2021-11-20")
        sheet.cell(rows[a.number], 8, "=10000*3")
        sheet.cell(rows[a.number], 9, "衡财拨-1")

    response = client.post("/desk/review/import/", {"file": sheet_from(client, fill)})
    assert response.status_code == 422 and "不要使用公式" in response.content.decode()
    assert not Payment.objects.exists()
    # text typed by applicants is written into the template as text, never as a formula
    sly = awaiting_payment(programme=programme, title='=HYPERLINK("http://x","点我")')
    book = load_workbook(BytesIO(client.get("/desk/review/import/?template=1").content))
    cells = [c for r in book.worksheets[0].iter_rows() for c in r if c.value == sly.title]
    assert cells and all(c.data_type == "s" for c in cells)


def test_the_api_records_a_batch_all_or_nothing(three, finance):
    a, b, _c = three
    api = ApiClient(finance)
    refused = api.post("/payments", {"payments": [
        {"application": a.pk, "paid_on": "2021-11-20", "amount": "10000", "reference": "1"},
        {"application": b.pk, "paid_on": "2021-11-10", "amount": "100", "reference": "2"}]})
    assert refused.status_code == 422
    assert "早于拨款通知下达日期 2021-11-15" in refused.json()["errors"]["payments.1"][0]
    assert not Payment.objects.exists()
    done = api.post("/payments", {"payments": [
        {"application": a.pk, "paid_on": "2021-11-20", "amount": "10000", "reference": "1"},
        {"application": a.pk, "paid_on": "2021-11-21", "amount": "20000", "reference": "2"}]})
    assert done.status_code == 201 and done.json()["recorded"] == 2
    assert done.json()["applications"][0]["state"] == State.PAID
