"""Read a year's holiday schedule out of the State Council's notice
(《国务院办公厅关于20XX年部分节假日安排的通知》), pasted as text.

Each numbered item names a holiday and, sentence by sentence, its days off
("1月1日（周四）至3日（周六）放假调休，共3天", "4月5日放假", "1月1日放假，1月2日（星期一）补休")
and the weekend days worked instead ("2月14日（周六）、2月28日（周六）上班"). The result is for
an administrator to review before saving: everything doubtful is reported, nothing is guessed.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from workflows.i18n import lazy_format

from .workdays import weekday_name

WEEKDAYS = "一二三四五六日"
#: A date as the notices write it: 2022年12月31日, 2月15日（农历腊月二十八、周日）, 3日.
DATE = re.compile(r"(?:(?P<y>\d{4})\s*年\s*)?(?:(?P<m>\d{1,2})\s*月\s*)?(?P<d>\d{1,2})\s*日"
                  r"(?:\s*\((?P<note>[^()]*)\))?")
#: What may stand between the two dates of a range.
RANGE_JOIN = re.compile(r"^\s*(?:至|到|—+|-|~)\s*$")
#: An item: "一、元旦：", "六、国庆节、中秋节：".
ITEM = re.compile(r"(?:^|(?<=[\s。]))(?P<n>[一二三四五六七八九十]{1,3})、\s*"
                  r"(?P<name>[^\s:。,]{1,20}?)\s*:")
YEAR = re.compile(r"关于\s*(\d{4})\s*年(?:部分)?节假日|现将\s*(\d{4})\s*年")
STATED_DAYS = re.compile(r"共\s*(\d{1,2})\s*天|放假\s*(\d{1,2})\s*天")
NAMED_WEEKDAY = re.compile(r"(?:星期|周)([一二三四五六日天])")


@dataclass
class ParsedHoliday:
    name: str
    first_day: date
    last_day: date

    @property
    def length(self) -> int:
        return (self.last_day - self.first_day).days + 1


@dataclass
class ParsedWorkday:
    date: date
    note: str


@dataclass
class ParsedNotice:
    year: int | None
    title: str = ""
    holidays: list[ParsedHoliday] = field(default_factory=list)
    workdays: list[ParsedWorkday] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def normalise(text: str) -> str:
    """Full-width punctuation and digits as ASCII (NFKC), so both pastings read alike."""
    return unicodedata.normalize("NFKC", text).replace("\u3000", " ")


def parse_notice(text: str, year: int | None = None) -> ParsedNotice:
    """The holidays and adjusted working days the notice gives, with its problems.

    `year` is the year the administrator means; the notice's own title or opening sentence
    names it too, and a disagreement is a problem.
    """
    text = normalise(text)
    named = YEAR.search(text)
    notice_year = int(named.group(1) or named.group(2)) if named else None
    result = ParsedNotice(year=year or notice_year)
    title = re.search(r"国务院办公厅关于\s*\d{4}\s*年部分节假日安排的通知", text)
    result.title = re.sub(r"\s+", "", title.group(0)) if title else ""
    if result.year is None:
        result.problems.append(str(_("没有找到通知所属的年份（如“关于2027年部分节假日安排的通知”），"
                                     "请先填写年份。")))
        return result
    if notice_year and year and notice_year != year:
        result.problems.append(str(lazy_format(
            _("通知是 %(notice)s 年的安排，而要录入的是 %(year)s 年。"),
            {"notice": notice_year, "year": year})))
    items = list(ITEM.finditer(text))
    if not items:
        result.problems.append(str(_("没有找到“一、元旦：……”这样的分项，请粘贴通知全文。")))
        return result
    for item, following in zip(items, [*items[1:], None], strict=True):
        body = text[item.end():following.start() if following else len(text)]
        _read_item(item.group("name"), body, result)
    result.holidays.sort(key=lambda h: h.first_day)
    result.workdays.sort(key=lambda w: w.date)
    return result


def _read_item(name: str, body: str, result: ParsedNotice) -> None:
    """One numbered item's days off and working days, sentence by sentence."""
    holiday: ParsedHoliday | None = None
    for sentence in re.split(r"[。;\n]", body):
        dates = list(DATE.finditer(sentence))
        if not dates:
            continue
        if "上班" in sentence:
            previous = None
            for found in dates:
                day = _resolve(found, previous, result.year, name, result)
                if day:
                    result.workdays.append(ParsedWorkday(day, name))
                    previous = day
        elif "放假" in sentence or "补休" in sentence:
            holiday = _read_days_off(name, sentence, dates, holiday, result)


def _read_days_off(name, sentence, dates, holiday, result):
    """The range before 放假 (one day or "A至B"), days named 补休 added to it; returns the
    item's holiday."""
    off = sentence.find("放假")
    before = [d for d in dates if off < 0 or d.start() < off]
    days = []
    if before:
        first = _resolve(before[0], None, result.year, name, result)
        last = first
        if first and len(before) > 1 and RANGE_JOIN.match(
                sentence[before[0].end():before[1].start()]):
            last = _resolve(before[1], first, result.year, name, result)
        if first and last:
            if last < first:
                result.problems.append(str(lazy_format(
                    _("%(name)s：放假末日 %(last)s 早于首日 %(first)s。"),
                    {"name": name, "first": first, "last": last})))
                return holiday
            stated = STATED_DAYS.search(sentence)
            length = (last - first).days + 1
            if stated and int(stated.group(1) or stated.group(2)) != length:
                result.problems.append(str(lazy_format(
                    _("%(name)s：%(first)s 至 %(last)s 是 %(length)s 天，通知写的是 %(stated)s 天，"
                      "请核对。"),
                    {"name": name, "first": first, "last": last, "length": length,
                     "stated": stated.group(1) or stated.group(2)})))
            days.append((first, last))
    for found in dates:
        if found.start() > sentence.find("放假") >= 0 and "补休" in sentence[found.end():]:
            day = _resolve(found, None, result.year, name, result)
            if day:
                days.append((day, day))
    for first, last in days:
        if holiday and first == holiday.last_day + timedelta(days=1):
            holiday.last_day = last  # 1月1日放假，1月2日补休: one holiday
        else:
            holiday = ParsedHoliday(name, first, last)
            result.holidays.append(holiday)
    return holiday


def _resolve(found, previous: date | None, year: int, name: str, result) -> date | None:
    """The date a match means: missing year and month come from the date before it in the
    same sentence (or the notice's year); a weekday in brackets must agree."""
    explicit_year = found.group("y")
    month = int(found.group("m")) if found.group("m") else (previous.month if previous else None)
    if month is None:
        result.problems.append(str(lazy_format(_("%(name)s：“%(text)s”没有月份。"),
                                               {"name": name, "text": found.group(0)})))
        return None
    the_year = int(explicit_year) if explicit_year else (previous.year if previous else year)
    try:
        day = date(the_year, month, int(found.group("d")))
    except ValueError:
        result.problems.append(str(lazy_format(_("%(name)s：“%(text)s”不是有效日期。"),
                                               {"name": name, "text": found.group(0)})))
        return None
    if previous and day < previous and not explicit_year:
        day = day.replace(year=day.year + 1)  # 12月31日至1月2日
    named = NAMED_WEEKDAY.search(found.group("note") or "")
    if named:
        said = WEEKDAYS.index(named.group(1).replace("天", "日"))
        if said != day.weekday():
            result.problems.append(str(lazy_format(
                _("%(name)s：通知写“%(text)s”，但 %(date)s 是%(real)s，请核对年份和日期。"),
                {"name": name, "text": found.group(0), "date": day,
                 "real": weekday_name(day)})))
    return day
