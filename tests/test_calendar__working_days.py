"""Publicity periods in statutory working days, with real dates."""

from datetime import date

import pytest

from workcalendar.models import CalendarDay, ScheduleYear
from workcalendar.workdays import ScheduleMissing, period_end


@pytest.mark.django_db
def test_national_day_2021_ends_on_an_adjusted_saturday():
    assert period_end(date(2021, 9, 28), 5) == date(2021, 10, 9)
    assert date(2021, 10, 9).weekday() == 5
    assert period_end(date(2021, 9, 28), 7) == date(2021, 10, 12)


@pytest.mark.django_db
def test_a_period_across_the_2021_spring_festival():
    # 2/8–2/10 work, 2/11–2/17 holiday, 2/18–2/19 work (2/20 Saturday is an adjusted workday)
    assert period_end(date(2021, 2, 8), 5) == date(2021, 2, 19)
    assert period_end(date(2021, 2, 8), 6) == date(2021, 2, 20)


@pytest.mark.django_db
def test_2027_is_refused_until_an_administrator_adds_its_schedule():
    with pytest.raises(ScheduleMissing) as missing:
        period_end(date(2026, 12, 28), 5)
    assert missing.value.year == 2027 and "2027" in str(missing.value.message)
    ScheduleYear.objects.create(year=2027, source="国务院办公厅关于2027年部分节假日安排的通知")
    CalendarDay.objects.create(date=date(2027, 1, 1), is_workday=False, note="元旦")
    # 12/28–12/31 are four 2026 working days; 2027-01-01 is a holiday; 01-04 is the fifth
    assert period_end(date(2026, 12, 28), 5) == date(2027, 1, 4)


@pytest.mark.django_db
def test_an_administrators_entry_overrides_the_package():
    CalendarDay.objects.create(date=date(2021, 9, 29), is_workday=False, note="临时休息")
    assert period_end(date(2021, 9, 28), 5) == date(2021, 10, 11)
