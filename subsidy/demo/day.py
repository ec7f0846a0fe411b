"""The day the demo's story is told as of: the office's today, or, while the working
calendar cannot count that far (a year's holiday schedule not entered yet), the latest day
whose story it can count. A missing schedule is never guessed."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

from workcalendar.workdays import Calendar
from workflows.i18n import lazy_format

from .events import DAYS_AHEAD


@dataclass(frozen=True)
class StoryDay:
    day: date  #: the story's today
    today: date  #: the office's
    counts_until: date | None  #: the last day the calendar can count to
    missing: tuple[int, ...]  #: the years it waits for (when the story stops before today)

    @property
    def message(self):
        """What the operator is told when the story stops before today (else None)."""
        if self.day == self.today:
            return None
        return lazy_format(_(
            "尚未录入 %(years)s 年的法定节假日安排：演示数据演到 %(day)s（工作日历只能算到 "
            "%(last)s）。要演到今天：在新数据库上运行 seed_demo --without-applications，以 admin "
            "登录，在“工作日历”（/desk/calendar/new/?year=%(year)s）录入，再运行 seed_demo。"),
            {"years": "、".join(str(y) for y in self.missing), "year": self.missing[0],
             "day": self.day.isoformat(), "last": self.counts_until.isoformat()})


def story_day(today: date, calendar: Calendar) -> StoryDay:
    """The day to tell the story as of: `today` if the calendar counts the story's days
    (its running publicity periods end after today), else the latest day before it that it
    does. When it knows no year up to today, `today`: the story then refuses, naming it."""
    last = calendar.counts_until(today)
    if last is None:
        return StoryDay(today, today, None, ())
    day = min(today, calendar.nth_workday_back(last, DAYS_AHEAD))
    missing = () if day == today else tuple(
        y for y in range(last.year + 1, max(today.year, last.year + 1) + 1)
        if not calendar.knows(y))
    return StoryDay(day, today, last, missing)
