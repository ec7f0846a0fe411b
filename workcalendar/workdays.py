"""Working days in China: statutory holidays and adjusted working days (调休).

The one place legal periods are counted. Sources, in order: the schedules an administrator
entered (ScheduleYear, with its holidays and adjusted working days), then the chinesecalendar
package (2004–2026 in 1.11). A day in a year neither knows, or from 29 December while the next
year is unknown, is refused, never guessed, unless the caller asks for the Monday–Friday
fallback (reminders only) and says so.
"""

from datetime import date, timedelta
from functools import cache

import chinese_calendar
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from workflows.i18n import lazy_format


class ScheduleMissing(ValueError):
    """The holiday schedule of a year is unknown; an administrator must add it."""

    def __init__(self, year: int):
        self.year = year
        self.message = lazy_format(
            _("尚无 %(year)s 年的法定节假日安排，无法计算工作日。请管理员在“工作日历”中录入 "
              "%(year)s 年的节假日和调休安排后再试。"), {"year": year})
        super().__init__(str(self.message))


#: From this day (month, day) a year's days wait for next year's schedule too.
LATE_DECEMBER = (12, 29)
#: The day of the week of a date, in the language active when it is read ("星期五", "Friday").
weekday_name = lazy(lambda day: date_format(day, "l"), str)


@cache
def package_knows(year: int) -> bool:
    """Whether the chinesecalendar package holds the official schedule of `year`."""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
        chinese_calendar.is_workday(date(year, 12, 31))
    except NotImplementedError:
        return False
    return True


def package_last_year() -> int:
    """The last year the chinesecalendar package holds."""
    return max(chinese_calendar.holidays).year


@cache
def package_years() -> frozenset[int]:
    """The years the chinesecalendar package holds."""
    return frozenset(y for y in {day.year for day in chinese_calendar.holidays}
                     if package_knows(y))


def entered_days() -> tuple[set[int], dict[date, bool]]:
    """Years entered by an administrator, and their days that depart from Monday–Friday
    (date → is a working day). Two queries."""
    from .models import AdjustedWorkday, Holiday, ScheduleYear

    years = set(ScheduleYear.objects.values_list("year", flat=True))
    days: dict[date, bool] = {}
    for holiday in Holiday.objects.only("first_day", "last_day"):
        days.update(dict.fromkeys(holiday.days(), False))
    days.update(dict.fromkeys(AdjustedWorkday.objects.values_list("date", flat=True), True))
    return years, days


def missing_years(today: date) -> list[int]:
    """Years whose schedule is needed by now and known nowhere: this year, and from
    1 November next year too (the State Council publishes it in November)."""
    from .models import ScheduleYear

    years = set(ScheduleYear.objects.values_list("year", flat=True))
    wanted = [today.year] + ([today.year + 1] if today.month >= 11 else [])
    return [y for y in wanted if y not in years and not package_knows(y)]


class Calendar:
    """Answers is-this-a-working-day, loading the administrator's entries once.

    With `weekday_fallback`, a day of a year nobody knows counts Monday–Friday instead of
    raising ScheduleMissing, and its year is added to `fell_back` so the caller can say so.
    """

    def __init__(self, weekday_fallback: bool = False):
        self.years, self.days = entered_days()
        self.weekday_fallback = weekday_fallback
        self.fell_back: set[int] = set()
        self.known: dict[date, bool] = {}  # the package's answers (slow): asked once a day

    def knows(self, year: int) -> bool:
        return year in self.years or package_knows(year)

    def counts_until(self, day: date) -> date | None:
        """The last day working days can be counted to (without the fallback) in the run of
        known years that holds `day`'s year, or that ends before it when that year is not
        known: 28 December of the run's last year, whose last days wait for the next year's
        schedule. None when no year up to `day`'s is known."""
        known = self.years | package_years()
        year = max((y for y in known if y <= day.year), default=None)
        if year is None:
            return None
        while year + 1 in known:
            year += 1
        return date(year, *LATE_DECEMBER) - timedelta(days=1)

    def is_workday(self, day: date) -> bool:
        if day in self.days:
            return self.days[day]
        # the last days of December are decided by next year's notice too (its New Year
        # holiday: 2018-12-29 was worked and 2018-12-31 taken off by the 2019 notice)
        needs = (day.year, day.year + 1) if (day.month, day.day) >= LATE_DECEMBER \
            else (day.year,)
        unknown = next((year for year in needs if not self.knows(year)), None)
        if unknown is not None:
            if not self.weekday_fallback:
                raise ScheduleMissing(unknown)
            self.fell_back.add(unknown)
            if unknown == day.year:
                return day.weekday() < 5
        if day.year in self.years:
            return day.weekday() < 5
        if day not in self.known:
            self.known[day] = chinese_calendar.is_workday(day)
        return self.known[day]

    def add_workdays(self, start: date, count: int) -> date:
        """The last day of a period of `count` working days that begins on `start`.

        `start` counts if it is a working day (公示期自发布之日起计算).
        """
        if count < 1:
            raise ValueError("a period has at least one working day")
        day, left = start, count
        while True:
            if self.is_workday(day):
                left -= 1
                if left == 0:
                    return day
            day += timedelta(days=1)

    def workdays_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (0 when `end` <= `start`):
        how many working days something that arrived on `start` has waited by `end`."""
        day, count = start + timedelta(days=1), 0
        while day <= end:
            count += self.is_workday(day)
            day += timedelta(days=1)
        return count

    def nth_workday_back(self, end: date, count: int) -> date:
        """The `count`-th working day counting back from `end` (`end` counts if it is one).

        Whatever arrived before that day has waited more than `count - 1` working days.
        """
        if count < 1:
            raise ValueError("count back at least one working day")
        day, left = end, count
        while True:
            if self.is_workday(day):
                left -= 1
                if left == 0:
                    return day
            day -= timedelta(days=1)


def period_end(start: date, workdays: int) -> date:
    """The end date of a publicity period of `workdays` working days from `start`."""
    return Calendar().add_workdays(start, workdays)
