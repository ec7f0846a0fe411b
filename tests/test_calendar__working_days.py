"""Publicity periods in statutory working days, with real dates."""

from datetime import date

import pytest

from accounts.models import Role
from workcalendar.models import AdjustedWorkday, Holiday, ScheduleYear
from workcalendar.workdays import Calendar, ScheduleMissing, period_end

from .factories import UserFactory
from .holiday_schedules import enter_2027

pytestmark = pytest.mark.django_db



def test_national_day_2021_ends_on_an_adjusted_saturday():
    assert period_end(date(2021, 9, 28), 5) == date(2021, 10, 9)
    assert date(2021, 10, 9).weekday() == 5
    assert period_end(date(2021, 9, 28), 7) == date(2021, 10, 12)


def test_a_period_across_the_2021_spring_festival():
    # 2/8–2/10 work, 2/11–2/17 holiday, 2/18–2/19 work (2/20 Saturday is an adjusted workday)
    assert period_end(date(2021, 2, 8), 5) == date(2021, 2, 19)
    assert period_end(date(2021, 2, 8), 6) == date(2021, 2, 20)


def test_2027_is_refused_until_an_administrator_adds_its_schedule():
    with pytest.raises(ScheduleMissing) as missing:
        period_end(date(2026, 12, 28), 5)
    assert missing.value.year == 2027 and "2027" in str(missing.value.message)
    schedule = ScheduleYear.objects.create(year=2027, source="2027年部分节假日安排的通知")
    Holiday.objects.create(schedule=schedule, name="元旦", first_day=date(2027, 1, 1),
                           last_day=date(2027, 1, 3))
    # 12/28–12/31 are four 2026 working days; 2027-01-01 is a holiday; 01-04 is the fifth
    assert period_end(date(2026, 12, 28), 5) == date(2027, 1, 4)


def test_an_entered_year_counts_its_holidays_and_adjusted_weekends():
    schedule = ScheduleYear.objects.create(year=2027)
    Holiday.objects.create(schedule=schedule, name="春节", first_day=date(2027, 2, 5),
                           last_day=date(2027, 2, 12))
    AdjustedWorkday.objects.create(schedule=schedule, date=date(2027, 2, 20), note="春节")
    calendar = Calendar()
    assert not calendar.is_workday(date(2027, 2, 8))  # a Monday in the holiday
    assert calendar.is_workday(date(2027, 2, 20))  # a Saturday worked
    assert not calendar.is_workday(date(2027, 2, 21))  # an ordinary Sunday
    assert calendar.is_workday(date(2027, 3, 1))  # an ordinary Monday


def test_the_weekday_fallback_counts_monday_to_friday_and_says_which_year():
    calendar = Calendar(weekday_fallback=True)
    assert calendar.workdays_between(date(2027, 3, 5), date(2027, 3, 12)) == 5
    assert calendar.fell_back == {2027}
    assert Calendar(weekday_fallback=True).is_workday(date(2026, 10, 1)) is False


def test_the_last_days_of_december_wait_for_next_years_notice(reference):
    # the 2019 notice made 2018-12-29 a working Saturday and 2018-12-31 a day off
    assert Calendar().is_workday(date(2018, 12, 29)) and not Calendar().is_workday(
        date(2018, 12, 31))
    assert Calendar().is_workday(date(2026, 12, 28))
    with pytest.raises(ScheduleMissing) as missing:
        Calendar().is_workday(date(2026, 12, 29))
    assert missing.value.year == 2027
    fallback = Calendar(weekday_fallback=True)
    assert fallback.is_workday(date(2026, 12, 29)) and fallback.fell_back == {2027}
    enter_2027(UserFactory(role=Role.ADMIN))
    assert Calendar().is_workday(date(2026, 12, 31))


def test_it_says_the_last_day_it_can_count_to(reference):
    """28 December of the last year of the unbroken run of known years that holds the day's
    year, or that ends before it; every day up to it is counted, the next one refused."""
    calendar = Calendar()
    for day in (date(2026, 3, 1), date(2026, 12, 30), date(2027, 3, 15), date(2031, 5, 6)):
        assert calendar.counts_until(day) == date(2026, 12, 28), day
    assert calendar.counts_until(date(2003, 6, 1)) is None  # before chinesecalendar's years
    assert calendar.nth_workday_back(date(2026, 12, 28), 260) < date(2026, 1, 1)
    with pytest.raises(ScheduleMissing):
        calendar.is_workday(date(2026, 12, 29))
    ScheduleYear.objects.create(year=2029)  # a later year entered leaves the gap of 2027
    assert Calendar().counts_until(date(2027, 3, 15)) == date(2026, 12, 28)
    assert Calendar().counts_until(date(2029, 3, 15)) == date(2029, 12, 28)
    enter_2027(UserFactory(role=Role.ADMIN))
    assert Calendar().counts_until(date(2027, 3, 15)) == date(2027, 12, 28)
    assert Calendar().add_workdays(date(2027, 12, 27), 2) == date(2027, 12, 28)
