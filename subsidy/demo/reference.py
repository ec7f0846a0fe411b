"""The programmes of the demo: modelled on the 2021 call, one for the year in flight and one
for the year before, dated relative to the office's today."""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from workcalendar.workdays import Calendar, ScheduleMissing

from ..models import ProgrammeStatus

#: Every random choice of the demo comes from generators seeded with this and a name, so two
#: runs on the same day build the same data.
SEED = 20210715

#: The 2021 call the demo is modelled on (衡市监办〔2021〕68号).
PROGRAMME = {
    "year": 2021,
    "title": "2021年度知识产权培育资助",
    "call_title": "关于申报2021年度知识产权培育资助的通知",
    "call_number": "衡市监办〔2021〕68号",
    "issuers": ["衡阳市市场监督管理局", "衡阳市财政局"],
    "call_date": date(2021, 7, 15),
    "applications_open": None,
    "applications_close": None,
    # Work done from 1 January counts although the call is dated July.
    "implementation_start": date(2021, 1, 1),
    "implementation_end": date(2021, 11, 30),
    "total_budget": Decimal("8000000.00"),
    "status": ProgrammeStatus.OPEN,
    "office_phone": "0734-8000000",
    "office_address": "衡阳市蒸湘区解放大道 1 号 衡阳市市场监督管理局知识产权科（示范地址）",
}

#: The 2021 budget of each category in yuan (sum 7,700,000 of the 8,000,000 total; the rest
#: is reserve). The demo's programmes fund more applications and scale these up.
CATEGORY_BUDGETS = {
    "01": 600000, "02": 400000, "03": 300000, "04": 200000, "05": 400000, "06": 300000,
    "07": 600000, "08": 400000, "09": 400000, "10": 400000, "11": 300000, "12": 300000,
    "13": 300000, "14": 150000, "15": 300000, "16": 500000, "17": 200000, "18": 200000,
    "19": 500000, "20": 300000, "21": 300000, "22": 150000, "23": 300000,
}

#: Days from the call to the office's today in the programme in flight (about 100 working
#: days): long enough for early applications to have been approved, implemented, accepted
#: and paid while late ones are still being reviewed.
DAYS_IN_FLIGHT = 150
OFFICE_CONTACT = "刘晓燕，电话：0734-8251206"  # the notice says 联系人：…


def rng(*names) -> random.Random:
    """A generator of its own for one part of the demo (adding a part changes no other)."""
    # seeded on purpose, so the demo is the same every time; it makes no secret
    return random.Random(f"{SEED}:" + ":".join(str(n) for n in names))  # nosec B311


@dataclass
class Timeline:
    """The working days a programme's story happens on: counted forwards from its call and
    backwards from the office's today."""

    call_date: date
    today: date
    calendar: Calendar
    _days: dict = field(default_factory=dict, repr=False)

    def wd(self, n: int) -> date:
        """The n-th working day after the call (0: the call's own day)."""
        if ("wd", n) not in self._days:
            self._days["wd", n] = self.call_date if n == 0 else self.calendar.add_workdays(
                self.call_date + timedelta(days=1), n)
        return self._days["wd", n]

    def back(self, n: int) -> date:
        """The n-th working day before today (1: the last one)."""
        if ("back", n) not in self._days:
            self._days["back", n] = self.calendar.nth_workday_back(
                self.today - timedelta(days=1), n)
        return self._days["back", n]


def working_day_from(calendar: Calendar, day: date) -> date:
    """`day`, or the first working day after it (Monday to Friday for a year whose holidays
    are not known: the programme's dates need no period counted)."""
    try:
        return calendar.add_workdays(day, 1)
    except ScheduleMissing:
        return day + timedelta(days=7 - day.weekday()) if day.weekday() >= 5 else day


def programme_years(today: date, calendar: Calendar) -> list[tuple[int, date, bool]]:
    """(year, call date, in flight) of the previous programme and the current one: the
    current call was issued DAYS_IN_FLIGHT days ago (the programme's year is the call's),
    the previous one a year before it."""
    current = today - timedelta(days=DAYS_IN_FLIGHT)
    earlier = date(current.year - 1, current.month,
                   min(current.day, 28) if current.month == 2 else current.day)
    return [(earlier.year, working_day_from(calendar, earlier), False),
            (current.year, working_day_from(calendar, current), True)]


def programme_facts(year: int, call_date: date, in_flight: bool, today: date) -> dict:
    """A programme like the 2021 call, for `year`: its title, call number (the office's
    serial that year), issuers, dates and office contact. The one in flight still takes
    applications for three weeks; the previous one is closed."""
    serial = rng("call", year).randint(52, 88)
    return {
        **PROGRAMME,
        "year": year,
        "title": f"{year}年度知识产权培育资助",
        "call_title": f"关于申报{year}年度知识产权培育资助的通知",
        "call_number": f"衡市监办〔{year}〕{serial}号",
        "call_date": call_date,
        "applications_open": call_date,
        "applications_close": (today + timedelta(days=21)) if in_flight
        else call_date + timedelta(days=60),
        "implementation_start": date(year, 1, 1),
        "implementation_end": date(year, 11, 30),
        "status": ProgrammeStatus.OPEN,
        "notice_contact": OFFICE_CONTACT,
        "office_phone": "0734-8251206",
        "office_address": "衡阳市蒸湘区解放大道 1 号 衡阳市市场监督管理局知识产权运用促进科",
    }


def call_serial(call_number: str) -> int:
    """68 of 衡市监办〔2021〕68号."""
    return int(call_number.split("〕")[1].rstrip("号"))
