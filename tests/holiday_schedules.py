"""A whole year's holiday schedule for tests that need 2027 entered: the example notice in
the published form (tests/data/holiday_notices/2027-example.txt), read by the parser."""

from pathlib import Path

from workcalendar.notice_text import parse_notice
from workcalendar.schedules import HolidayEntry, WorkdayEntry, save_schedule

NOTICE_2027 = (Path(__file__).parent / "data" / "holiday_notices" / "2027-example.txt") \
    .read_text(encoding="utf-8")
_PARSED = parse_notice(NOTICE_2027)
HOLIDAYS_2027 = [HolidayEntry(h.name, h.first_day, h.last_day) for h in _PARSED.holidays]
WORKDAYS_2027 = [WorkdayEntry(w.date, w.note) for w in _PARSED.workdays]


def enter_2027(admin, holidays=None, workdays=None, **options):
    """Save 2027's schedule as `admin` (the example notice's, or the holidays given)."""
    return save_schedule(admin, 2027, HOLIDAYS_2027 if holidays is None else holidays,
                         WORKDAYS_2027 if workdays is None else workdays, **options)
