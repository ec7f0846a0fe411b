"""How long applications wait in their current stage: median and longest in working days
(China's calendar: the 2021 Mid-Autumn holiday and its adjusted Saturday), and the flag for
those waiting beyond the configured number of working days."""

from datetime import date

import pytest
import time_machine

from reports.figures import dashboard, waiting_times
from subsidy.models import Application
from tests.factories import ProgrammeFactory
from tests.helpers import at, signed_in
from workcalendar.workdays import Calendar
from workflows import services as engine
from workflows.stages import State

from .reports_data import dashboard_set, decided, make, moment

NOW = moment(2021, 9, 15, 10)  # a Wednesday


@pytest.mark.django_db
def test_working_days_between_skip_weekends_and_holidays(reference):
    calendar = Calendar()
    assert calendar.workdays_between(date(2021, 9, 1), date(2021, 9, 15)) == 10
    # Mid-Autumn: 18 Sep (Sat) is a working day, 20-21 Sep (Mon, Tue) are not
    assert calendar.workdays_between(date(2021, 9, 17), date(2021, 9, 22)) == 2
    assert calendar.workdays_between(date(2021, 9, 15), date(2021, 9, 15)) == 0
    assert calendar.nth_workday_back(date(2021, 9, 15), 11) == date(2021, 9, 1)
    assert calendar.nth_workday_back(date(2021, 9, 22), 2) == date(2021, 9, 18)


@pytest.mark.django_db
def test_median_longest_and_overdue_per_stage(programme, city):
    dashboard_set(programme)
    with time_machine.travel(NOW):
        waiting = dashboard(city, programme, limit_days=10)["waiting"]
    rows = {r["state"]: (r["count"], r["median"], r["longest"], r["overdue"])
            for r in waiting["rows"]}
    # a1 recommended 09-01 (10 working days: not beyond 10), a2 approved 08-20 (18),
    # a4 notified 09-14 (1), a6 returned 09-10 (3); paid and rejected do not wait
    assert rows == {"city_review": (1, 10, 10, 0), "approved": (1, 18, 18, 1),
                    "disbursement_notified": (1, 1, 1, 0), "returned": (1, 3, 3, 0)}
    assert [r["state"] for r in waiting["rows"]] == [
        "city_review", "approved", "disbursement_notified", "returned"]
    assert [(o["application"].title, o["waited"]) for o in waiting["overdue"]] == [
        (Application.objects.get(state=State.APPROVED).title, 18)]
    assert waiting["overdue_total"] == 1 and waiting["count"] == 4


@pytest.mark.django_db
def test_median_of_an_even_and_an_odd_count(programme, city):
    apps = [make(programme, "01", "430405", State.COUNTY_REVIEW, "1000") for _ in range(3)]
    for app, day in zip(apps, (1, 13, 15), strict=True):
        decided(app, "accept", moment(2021, 9, day, 8))
    with time_machine.travel(NOW):
        three = waiting_times(Application.objects.all(), limit_days=5)["rows"][0]
        assert (three["count"], three["median"], three["longest"], three["overdue"]) == (
            3, 2, 10, 1)  # waits 10, 2, 0
        Application.objects.filter(pk=apps[2].pk).update(state=State.WITHDRAWN)
        two = waiting_times(Application.objects.all(), limit_days=5)["rows"][0]
        assert (two["count"], two["median"], two["longest"]) == (2, 6, 10)  # (10 + 2) / 2


@pytest.mark.django_db
def test_a_transition_through_the_engine_starts_the_clock(programme, county, settings):
    settings.REPORTS_OVERDUE_WORKDAYS = 3
    app = at(make(programme, "01", "430405", State.SUBMITTED, "1000"), State.SUBMITTED)
    with time_machine.travel(moment(2021, 9, 16, 9)):  # Thursday
        engine.perform(Application.objects.get(pk=app.pk), "accept", county)
    for day, waited, overdue in ((17, 1, 0), (18, 2, 0), (22, 3, 0), (23, 4, 1)):
        with time_machine.travel(moment(2021, 9, day, 12)):
            row = dashboard(county, programme)["waiting"]["rows"][0]
        assert (row["state"], row["longest"], row["overdue"]) == (
            "county_review", waited, overdue), day


@pytest.mark.django_db
def test_the_limit_comes_from_the_setting_or_the_page(programme, city, settings):
    dashboard_set(programme)
    settings.REPORTS_OVERDUE_WORKDAYS = 2
    with time_machine.travel(NOW):
        assert dashboard(city, programme)["waiting"]["overdue_total"] == 3  # 10, 18 and 3
        html = signed_in(city).get(f"/desk/reports/?programme={programme.pk}&days=9")
    assert "超过 9 个工作日" in html.content.decode()


@pytest.mark.django_db
def test_an_unknown_holiday_schedule_is_explained_not_guessed(reference, city):
    programme = ProgrammeFactory()
    dashboard_set(programme)
    with time_machine.travel(moment(2031, 3, 3, 10)):
        waiting = dashboard(city, programme)["waiting"]
    assert "尚无 2027 年的法定节假日安排" in str(waiting["problem"])  # 2021 → 2031 crosses it
    assert waiting["overdue"] == [] and all(r["overdue"] is None for r in waiting["rows"])
