"""The half-year summary against a hand-counted set over two programme years: applications,
approvals, acceptances and payments counted in the half-year they happened, by category
(those without applications too), with the change against the same half a year earlier."""

from datetime import date
from decimal import Decimal

import pytest

from reports.half_year import change, half_year, period
from tests.factories import ProgrammeFactory
from tests.helpers import signed_in
from workflows.stages import State

from .reports_data import decided, make, moment

D = Decimal


@pytest.fixture
def two_years(reference):
    """| app | programme | cat | county | submitted        | approved (amount)   | other          |
    | b1  | 2021      | 01  | 430405 | 2021-03-01       | 2021-05-10 (100000) |                |
    | b2  | 2021      | 01  | 430405 | 2021-06-30 23:30 |                     |                |
    | b3  | 2021      | 01  | 430405 | 2021-07-01 00:10 |                     | (second half)  |
    | b4  | 2020      | 21  | 430424 | 2020-04-01       | 2020-06-01 (30000)  | paid 2021-03-15|
    | b5  | 2020      | 01  | 430405 | 2020-02-01       | 2020-03-01 (50000)  | accepted 2021-02-01
    | b6  | 2020      | 01  | 430405 | 2020-05-05       |                     | rejected       |
    | b7  | 2020      | 01  | 430405 | 2020-01-10       | 2020-03-01 (40000)  | paid 2020-06-20|
    and a 2021 draft that was never submitted."""
    p21, p20 = ProgrammeFactory(year=2021), ProgrammeFactory(year=2020)
    b1 = make(p21, "01", "430405", State.APPROVED, "120000", approved_amount=D("100000"))
    decided(b1, "submit", moment(2021, 3, 1, 9))
    decided(b1, "approve", moment(2021, 5, 10, 9))
    decided(make(p21, "01", "430405", State.CITY_REVIEW, "1000"), "submit",
            moment(2021, 6, 30, 23, 30))
    decided(make(p21, "01", "430405", State.SUBMITTED, "1000"), "submit",
            moment(2021, 7, 1, 0, 10))
    b4 = make(p20, "21", "430424", State.PAID, "30000", approved_amount=D("30000"),
              paid_amount=D("30000"), paid_on=date(2021, 3, 15))
    decided(b4, "submit", moment(2020, 4, 1, 9))
    decided(b4, "approve", moment(2020, 6, 1, 9))
    b5 = make(p20, "01", "430405", State.AWAITING_DISBURSEMENT, "50000",
              approved_amount=D("50000"))
    decided(b5, "submit", moment(2020, 2, 1, 9))
    decided(b5, "approve", moment(2020, 3, 1, 9))
    decided(b5, "pass_acceptance", moment(2021, 2, 1, 9))
    decided(make(p20, "01", "430405", State.REJECTED, "9000"), "submit", moment(2020, 5, 5, 9))
    b7 = make(p20, "01", "430405", State.PAID, "40000", approved_amount=D("40000"),
              paid_amount=D("40000"), paid_on=date(2020, 6, 20))
    decided(b7, "submit", moment(2020, 1, 10, 9))
    decided(b7, "approve", moment(2020, 3, 1, 9))
    make(p21, "01", "430405", State.DRAFT, "1000")


def figures(row):
    return {metric: (row[metric]["current"], row[metric]["previous"], row[metric]["change"])
            for metric in ("submitted", "approved", "approved_amount", "accepted",
                           "paid_amount")}


@pytest.mark.django_db
def test_first_half_of_2021_against_2020(two_years, city):
    summary = half_year(city, 2021, 1)
    rows = {r["category"].code: r for r in summary["rows"]}
    assert len(rows) == 23
    assert figures(rows["01"]) == {
        "submitted": (2, 3, D("-33.33")), "approved": (1, 2, D("-50.00")),
        "approved_amount": (D("100000.00"), D("90000.00"), D("11.11")),
        "accepted": (1, 0, None), "paid_amount": (D("0.00"), D("40000.00"), D("-100.00"))}
    assert figures(rows["21"]) == {
        "submitted": (0, 1, D("-100.00")), "approved": (0, 1, D("-100.00")),
        "approved_amount": (D("0.00"), D("30000.00"), D("-100.00")),
        "accepted": (0, 0, None), "paid_amount": (D("30000.00"), D("0.00"), None)}
    assert figures(rows["02"]) == {
        "submitted": (0, 0, None), "approved": (0, 0, None),
        "approved_amount": (D("0.00"), D("0.00"), None), "accepted": (0, 0, None),
        "paid_amount": (D("0.00"), D("0.00"), None)}
    assert figures(summary["totals"]) == {
        "submitted": (2, 4, D("-50.00")), "approved": (1, 3, D("-66.67")),
        "approved_amount": (D("100000.00"), D("120000.00"), D("-16.67")),
        "accepted": (1, 0, None), "paid_amount": (D("30000.00"), D("40000.00"), D("-25.00"))}


@pytest.mark.django_db
def test_second_half_and_an_empty_year(two_years, city):
    second = half_year(city, 2021, 2)
    assert figures(second["totals"])["submitted"] == (1, 0, None)  # b3, just after midnight
    empty = half_year(city, 2019, 1)
    assert all(figures(r) == figures(empty["totals"]) for r in empty["rows"])
    assert figures(empty["totals"])["paid_amount"] == (D("0.00"), D("0.00"), None)


def test_periods_and_changes():
    assert period(2021, 1) == (date(2021, 1, 1), date(2021, 7, 1))
    assert period(2021, 2) == (date(2021, 7, 1), date(2022, 1, 1))
    assert change(394, 172) == D("129.07") and change(5, 0) is None and change(0, 0) is None


@pytest.mark.django_db
def test_the_page_reads_like_the_work_summary(two_years, city):
    html = signed_in(city).get("/desk/reports/half-year/?year=2021&half=1").content.decode()
    assert "2021年上半年资助工作统计" in html
    assert "本期共受理资助申报 2 件，审核通过 1 件，核定资助资金 10.00 万元" in html
    assert "拨付资金 3.00 万元" in html and "同比 -50.00%" in html and "同比 -25.00%" in html
    assert "-33.33%" in html


@pytest.mark.django_db
def test_a_draft_withdrawn_before_submitting_was_never_submitted(reference, city):
    from .reports_data import make

    programme, created = ProgrammeFactory(year=2021), moment(2021, 2, 1, 9)
    withdrawn = make(programme, "01", "430405", State.WITHDRAWN, "1000", created_at=created)
    decided(withdrawn, "withdraw", moment(2021, 3, 1, 9))
    make(programme, "01", "430405", State.SUBMITTED, "1000", created_at=created)  # no history
    row = next(r for r in half_year(city, 2021, 1)["rows"] if r["category"].code == "01")
    assert row["submitted"]["current"] == 1  # the imported one, counted from its creation
