"""One definition of "paid" and of "counted applications" serves every figure: the dashboard,
the half-year summary, the county summary (and its print page), the burn-down and the
exports agree on the same data; drafts are counted nowhere; the burn-down ends with the data,
never in the future."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from reports.figures import county_summary, dashboard
from reports.half_year import half_year
from subsidy.models import Payment
from subsidy.payments import record_payment
from workflows.stages import State

from .factories import awaiting_payment, region
from .helpers import signed_in
from .reports_data import decided, make, moment

pytestmark = [pytest.mark.django_db, pytest.mark.today(date(2021, 12, 1))]
D = Decimal
PAID = D("95000.00")  # 80,000 in two instalments, 10,000 of 30,000, 5,000 in one go
COUNTED = 5


@pytest.fixture
def data(programme, finance):
    """Two counties. Counted: a paid in two instalments, b part-paid, c paid at once,
    d in city review, e rejected. Not counted: a draft, and a draft withdrawn unsubmitted."""
    a = awaiting_payment("80000.00", date(2021, 8, 30), programme=programme)
    b = awaiting_payment("30000.00", date(2021, 9, 14), programme=programme)
    c = awaiting_payment("5000.00", date(2021, 9, 14), programme=programme,
                         organisation__region=region("430424"))
    record_payment(finance, a, paid_on=date(2021, 9, 10), amount="50000", reference="A1")
    record_payment(finance, a, paid_on=date(2021, 10, 8), amount="30000", reference="A2")
    record_payment(finance, b, paid_on=date(2021, 9, 20), amount="10000", reference="B1")
    record_payment(finance, c, paid_on=date(2021, 11, 30), amount="5000", reference="C1")
    d = make(programme, "01", "430405", State.CITY_REVIEW, "100000")
    e = make(programme, "21", "430424", State.REJECTED, "50000")
    for app in (a, b, c, d, e):
        decided(app, "submit", moment(2021, 7, 20, 9))
        decided(app, "approve", moment(2021, 8, 2, 9))
    make(programme, "01", "430405", State.DRAFT, "98765")
    withdrawn = make(programme, "01", "430424", State.WITHDRAWN, "77777")
    decided(withdrawn, "withdraw", moment(2021, 7, 21, 9))
    return {"a": a, "b": b, "c": c}


def workbook_total(response, sheet, header) -> object:
    book = load_workbook(BytesIO(response.content), read_only=True)
    rows = list(book[sheet].iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if header in r)
    column = rows[start].index(header)
    total = next(r for r in rows[start:] if r and r[0] == "合计")
    return total[column]


def test_every_report_agrees_on_paid_and_on_what_counts(data, city, programme):
    figures = dashboard(city, programme, today=date(2021, 12, 1))
    assert figures["budget"]["paid"] == PAID and figures["budget"]["count"] == COUNTED
    assert figures["counties"]["totals"]["paid"] == PAID
    assert figures["counties"]["totals"]["count"] == COUNTED
    assert figures["category_states"]["total"] == COUNTED
    assert "draft" not in dict(figures["category_states"]["states"])
    assert figures["burn_down"]["series"]["paid"][-1] == PAID

    summary = half_year(city, 2021, 2)
    assert summary["totals"]["paid_amount"]["current"] == PAID
    assert summary["totals"]["submitted"]["current"] == COUNTED

    counties = [county_summary(city, programme, region(code)) for code in ("430405", "430424")]
    assert sum(c["totals"]["paid"] for c in counties) == PAID
    assert sum(c["totals"]["count"] for c in counties) == COUNTED
    assert sum(len(c["applications"]) for c in counties) == COUNTED

    client = signed_in(city)
    query = f"programme={programme.pk}"
    assert workbook_total(client.get(f"/desk/reports/excel/?{query}"), "资金",
                          "已拨付（元）") == PAID
    assert workbook_total(client.get(f"/desk/reports/excel/?{query}"), "资金",
                          "申报件数") == COUNTED
    assert workbook_total(client.get("/desk/reports/half-year/excel/?year=2021&half=2"),
                          "半年小结", "拨付金额（元）本期") == PAID
    county_total = sum(workbook_total(client.get(
        f"/desk/reports/county/excel/?{query}&region={region(code).pk}"), "汇总", "已拨付（元）")
        for code in ("430405", "430424"))
    assert county_total == PAID
    half = client.get("/desk/reports/half-year/?year=2021&half=2").content.decode()
    assert "本期共受理资助申报 5 件" in half and "拨付资金 9.50 万元" in half


def test_drafts_are_counted_nowhere(data, city, programme):
    printed = signed_in(city).get(
        f"/desk/reports/county/print/?programme={programme.pk}&region={region('430424').pk}")
    html = printed.content.decode()
    assert printed.status_code == 200 and "77777" not in html and "77,777" not in html
    assert "已下达拨款通知（部分拨付）" not in html  # c (this county) is paid in full
    other = signed_in(city).get(
        f"/desk/reports/county/print/?programme={programme.pk}&region={region('430405').pk}")
    assert "已下达拨款通知（部分拨付）" in other.content.decode()  # b
    page = signed_in(city).get(f"/desk/reports/?programme={programme.pk}").content.decode()
    assert "98765" not in page and "98,765" not in page


def test_part_payments_count_as_paid_in_their_month(data, city, programme):
    burn = dashboard(city, programme, today=date(2021, 12, 1))["burn_down"]
    paid = dict(zip(burn["months"], burn["series"]["paid"], strict=True))
    assert paid[date(2021, 9, 1)] == D("60000.00")  # a's first instalment and b's part
    assert paid[date(2021, 10, 1)] == D("90000.00")
    assert paid[date(2021, 11, 1)] == PAID


def test_the_burn_down_never_runs_into_the_future(data, city, programme):
    # a payment typed with a future date before such dates were refused
    Payment.objects.create(application=data["b"], paid_on=date(2027, 3, 1), amount=D("1000"),
                           reference="旧数据")
    data["b"].__class__.objects.filter(pk=data["b"].pk).update(paid_amount=D("11000"))
    burn = dashboard(city, programme, today=date(2021, 12, 1))["burn_down"]
    assert burn["months"][-1] == date(2021, 12, 1)
    assert burn["series"]["paid"][-1] == PAID + 1000
    assert dashboard(city, programme, today=date(2021, 12, 1))["budget"]["paid"] == PAID + 1000
