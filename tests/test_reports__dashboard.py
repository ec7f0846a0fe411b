"""The programme dashboard's figures against a hand-counted set (tests/reports_data.py):
counts by category × state and by county, money against the budgets, the burn-down, an
empty programme and categories without applications; and the page itself."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from reports.figures import dashboard
from tests.factories import ProgrammeFactory, category, region
from tests.helpers import signed_in
from workflows.stages import State

from .reports_data import dashboard_set

D = Decimal


@pytest.fixture
def budgeted(reference):
    return ProgrammeFactory(category_budget="500000")


@pytest.mark.django_db
def test_counts_by_category_and_state(budgeted, city):
    dashboard_set(budgeted)
    matrix = dashboard(city, budgeted)["category_states"]
    assert [value for value, _label in matrix["states"]] == [
        "city_review", "approved", "disbursement_notified", "paid", "returned", "rejected"]
    rows = {r["category"].code: (r["counts"], r["total"]) for r in matrix["rows"]}
    assert len(rows) == 23  # every category of the programme, with or without applications
    assert rows["01"] == ([1, 1, 0, 1, 0, 0], 3)
    assert rows["21"] == ([0, 0, 1, 0, 1, 1], 3)
    assert rows["02"] == ([0, 0, 0, 0, 0, 0], 0)
    assert matrix["totals"] == [1, 1, 1, 1, 1, 1] and matrix["total"] == 6  # no draft


@pytest.mark.django_db
def test_money_against_each_budget(budgeted, city):
    dashboard_set(budgeted)
    budget = dashboard(city, budgeted)["budget"]
    rows = {r["category"].code: r for r in budget["rows"]}
    assert {k: rows["01"][k] for k in ("budget", "count", "requested", "approved_count",
                                       "committed", "notified", "paid", "left")} == {
        "budget": D("500000"), "count": 3, "requested": D("380000.00"), "approved_count": 2,
        "committed": D("230000.00"), "notified": D("80000.00"), "paid": D("80000.00"),
        "left": D("270000.00")}
    assert {k: rows["21"][k] for k in ("count", "requested", "approved_count", "committed",
                                       "notified", "paid", "left")} == {
        "count": 3, "requested": D("110000.00"), "approved_count": 2,
        "committed": D("60000.00"), "notified": D("30000.00"), "paid": D("0.00"),
        "left": D("440000.00")}
    assert (rows["09"]["count"], rows["09"]["committed"], rows["09"]["left"]) == (
        0, D("0.00"), D("500000"))
    assert (budget["count"], budget["approved_count"], budget["requested"],
            budget["committed"], budget["notified"], budget["paid"], budget["left"]) == (
        6, 4, D("490000.00"), D("290000.00"), D("110000.00"), D("80000.00"),
        D("9710000.00"))


@pytest.mark.django_db
def test_by_county(budgeted, city):
    dashboard_set(budgeted)
    counties = dashboard(city, budgeted)["counties"]
    rows = {r["region"].code: r for r in counties["rows"]}
    assert len(rows) == 13
    assert {k: rows["430405"][k] for k in ("count", "approved_count", "requested", "approved",
                                           "notified", "paid")} == {
        "count": 3, "approved_count": 2, "requested": D("330000.00"),
        "approved": D("180000.00"), "notified": D("30000.00"), "paid": D("0.00")}
    assert {k: rows["430424"][k] for k in ("count", "approved_count", "requested", "approved",
                                           "notified", "paid")} == {
        "count": 3, "approved_count": 2, "requested": D("160000.00"),
        "approved": D("110000.00"), "notified": D("80000.00"), "paid": D("80000.00")}
    assert rows["430481"]["count"] == 0 and rows["430481"]["requested"] == D("0.00")
    assert counties["totals"]["count"] == 6 and counties["totals"]["paid"] == D("80000.00")


@pytest.mark.django_db
def test_burn_down_is_cumulative_by_month(budgeted, city):
    dashboard_set(budgeted)
    burn = dashboard(city, budgeted)["burn_down"]
    assert burn["months"] == [date(2021, 7, 1), date(2021, 8, 1), date(2021, 9, 1)]
    assert burn["series"] == {
        "approved": [D("140000.00"), D("290000.00"), D("290000.00")],
        "notified": [D("0.00"), D("80000.00"), D("110000.00")],
        "paid": [D("0.00"), D("0.00"), D("80000.00")]}
    assert burn["budget"] == D("10000000.00")


@pytest.mark.django_db
def test_an_empty_programme_has_zeros_everywhere(budgeted, city):
    figures = dashboard(city, budgeted)
    assert figures["category_states"]["states"] == []
    assert all(r["total"] == 0 for r in figures["category_states"]["rows"])
    assert figures["budget"]["count"] == 0 and figures["budget"]["committed"] == D("0.00")
    assert figures["budget"]["left"] == budgeted.total_budget
    assert figures["counties"]["totals"]["count"] == 0
    assert figures["waiting"]["rows"] == [] and figures["waiting"]["overdue"] == []
    assert figures["burn_down"]["months"] == []
    assert figures["flags"]["total"] == 0
    page = signed_in(city).get(f"/desk/reports/?programme={budgeted.pk}")
    assert page.status_code == 200 and "尚无核定的资金" in page.content.decode()


@pytest.mark.django_db
def test_another_programme_is_not_counted(budgeted, city):
    dashboard_set(budgeted)
    dashboard_set(ProgrammeFactory())
    assert dashboard(city, budgeted)["budget"]["count"] == 6


@pytest.mark.django_db
def test_the_dashboard_page_shows_the_figures_and_charts(budgeted, city):
    dashboard_set(budgeted)
    with time_machine.travel(date(2021, 9, 15)):
        html = signed_in(city).get(f"/desk/reports/?programme={budgeted.pk}").content.decode()
    assert "计划看板" in html and budgeted.title in html
    assert html.count("<svg") == 3  # by category, by county, burn-down
    assert f"{category('01').code} {category('01').name}" in html
    assert region("430424").name in html
    assert "490,000.00" in html and "9,710,000.00" in html
    assert "3 / 2" in html  # category 01 and both counties: applications / approved
    assert str(State.CITY_REVIEW.label) in html


@pytest.mark.django_db
def test_the_dashboard_has_a_menu_entry(city):
    html = signed_in(city).get("/desk/review/").content.decode()
    assert "统计报表" in html and "/desk/reports/" in html


@pytest.mark.django_db
def test_the_dashboard_in_english(budgeted, city):
    dashboard_set(budgeted)
    client = signed_in(city)
    client.cookies["django_language"] = "en"
    html = client.get(f"/desk/reports/?programme={budgeted.pk}").content.decode()
    assert "Programme dashboard" in html and "Funds and budgets by category" in html
    half = client.get("/desk/reports/half-year/?year=2021&half=2").content.decode()
    assert "Subsidy work, second half of 2021" in half


@pytest.mark.django_db
def test_a_countys_dashboard_shows_what_is_left_of_the_whole_budget(budgeted, county):
    """A county sees its own applications, but the budget left is the programme's: what
    other counties committed is spent too."""
    from .reports_data import make

    make(budgeted, "01", "430424", State.APPROVED, "50000", approved_amount=D("50000"))
    make(budgeted, "01", "430405", State.APPROVED, "20000", approved_amount=D("20000"))
    figures = dashboard(county, budgeted)["budget"]
    row = next(r for r in figures["rows"] if r["category"].code == "01")
    assert row["committed"] == D("20000")  # its own
    assert row["left"] == D("500000") - D("70000")  # the category's budget, all counties
    assert figures["left"] == budgeted.total_budget - D("70000")
