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
DIGITS = "一二三四五六七八九"
#: A date as the notices write it: 2022年12月31日, 2月15日（农历腊月二十八、周日）, 3日.
DATE = re.compile(r"(?:(?P<y>\d{4})\s*年\s*)?(?:(?P<m>\d{1,2})\s*月\s*)?(?P<d>\d{1,2})\s*日"
                  r"(?:\s*\((?P<note>[^()]*)\))?")
#: What may stand between the two dates of a range.
RANGE_JOIN = re.compile(r"^\s*(?:至|到|—+|–|-|~|〜)\s*$")
#: An item: "一、元旦：", "六、国庆节、中秋节：".
ITEM = re.compile(r"(?:^|(?<=[\s。.]))(?P<n>[一二三四五六七八九十]{1,3})、\s*"
                  r"(?P<name>[^\s:。,]{1,20}?)\s*:")
#: Where the last item ends: the closing paragraphs and the signature.
CLOSING = re.compile(r"节假日期间|鼓励单位和个人|国务院办公厅")
YEAR = re.compile(r"关于\s*(\d{4})\s*年(?:部分)?节假日|现将\s*(\d{4})\s*年")
COUNT = r"([\d一二三四五六七八九十]{1,3})"
STATED_DAYS = re.compile(rf"共\s*{COUNT}\s*天|放假\s*{COUNT}\s*天")
NAMED_WEEKDAY = re.compile(r"(?:星期|周)([一二三四五六日天])")
#: Traditional forms of the characters the parser reads (notices pasted from Hong Kong or
#: Taiwan pages), so that their keywords, names and weekdays read alike.
SIMPLIFIED = str.maketrans("關於現將補週節調勞動國慶農曆歷臘與連辦廳務",
                           "关于现将补周节调劳动国庆农历历腊与连办厅务")


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
    """Full-width punctuation and digits as ASCII (NFKC), invisible format characters
    (zero-width spaces, soft hyphens) dropped, traditional keywords simplified: every
    pasting reads alike."""
    text = unicodedata.normalize("NFKC", text).translate(SIMPLIFIED)
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def count(text: str) -> int | None:
    """3, 三, 十一: a small count of days as the notices write it (None if it is not one)."""
    if text.isdigit():
        return int(text)
    tens, ten, units = text.partition("十")
    try:
        if not ten:
            return DIGITS.index(text) + 1
        return ((DIGITS.index(tens) + 1) if tens else 1) * 10 + \
            ((DIGITS.index(units) + 1) if units else 0)
    except ValueError:
        return None


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
        if following is None:
            closing = CLOSING.search(body)
            body = body[:closing.start()] if closing else body.split("\n\n")[0]
        before = len(result.holidays) + len(result.workdays)
        _read_item(item.group("name"), re.sub(r"\s+", " ", body), result)
        if len(result.holidays) + len(result.workdays) == before:
            result.problems.append(str(lazy_format(_("%(name)s：没有读出放假或上班日期，请核对。"),
                                                   {"name": item.group("name")})))
    result.holidays.sort(key=lambda h: h.first_day)
    result.workdays.sort(key=lambda w: w.date)
    return result


def _read_item(name: str, body: str, result: ParsedNotice) -> None:
    """One numbered item, clause by clause: each clause's dates are what its keyword says
    (放假: the range before it; 补休: days off joined to the holiday; 上班: working days;
    休息 alone, as in 鼓励……在除夕休息, is not a holiday)."""
    for sentence in re.split(r"[。.;]", body):
        holiday = None
        for clause in re.split(r",", sentence):
            dates = list(DATE.finditer(clause))
            if "上班" in clause:
                previous = None
                for found in dates:
                    day = _resolve(found, previous, result.year, name, result)
                    if day:
                        result.workdays.append(ParsedWorkday(day, name))
                        previous = day
            elif "放假" in clause and dates:
                holiday = _read_range(name, clause, dates, result) or holiday
            elif "补休" in clause and dates:
                for found in dates:
                    day = _resolve(found, None, result.year, name, result)
                    if day and holiday and day == holiday.last_day + timedelta(days=1):
                        holiday.last_day = day  # 1月1日放假，1月2日补休: one holiday
                    elif day:
                        holiday = ParsedHoliday(name, day, day)
                        result.holidays.append(holiday)
            elif dates and "休息" not in clause:
                result.problems.append(str(lazy_format(
                    _("%(name)s：“%(text)s”中的日期既不是放假也不是上班，请核对。"),
                    {"name": name, "text": clause.strip()})))
            stated = STATED_DAYS.search(clause)
            days = count(stated.group(1) or stated.group(2)) if stated else None
            if days and holiday:
                _check_length(holiday, days, result)


def _read_range(name, clause, dates, result) -> "ParsedHoliday | None":
    """The day or range before 放假 in `clause`: "1月1日放假", "4月30日至5月4日放假调休"."""
    off = clause.find("放假")
    before = [d for d in dates if d.start() < off]
    if not before:
        return None
    first = _resolve(before[0], None, result.year, name, result)
    last = first
    joined = len(before) > 1 and RANGE_JOIN.match(clause[before[0].end():before[1].start()])
    if joined:
        last = _resolve(before[1], first, result.year, name, result)
    if len(before) > (2 if joined else 1):
        result.problems.append(str(lazy_format(
            _("%(name)s：“%(text)s”有多个日期，未能读出放假范围，请核对。"),
            {"name": name, "text": clause.strip()})))
    if not (first and last):
        return None
    if last < first and joined and not before[1].group("y"):
        # 十二月跨年: "12月31日至1月2日" in the notice for Y runs from Y-1 to Y
        if first.month == 12 and not before[0].group("y"):
            first = first.replace(year=first.year - 1)
        else:
            last = last.replace(year=last.year + 1)
    if last < first:
        result.problems.append(str(lazy_format(
            _("%(name)s：放假末日 %(last)s 早于首日 %(first)s。"),
            {"name": name, "first": first, "last": last})))
        return None
    holiday = ParsedHoliday(name, first, last)
    result.holidays.append(holiday)
    return holiday


def _check_length(holiday, stated: int, result) -> None:
    if stated != holiday.length:
        result.problems.append(str(lazy_format(
            _("%(name)s：%(first)s 至 %(last)s 是 %(length)s 天，通知写的是 %(stated)s 天，"
              "请核对。"),
            {"name": holiday.name, "first": holiday.first_day, "last": holiday.last_day,
             "length": holiday.length, "stated": stated})))


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
    named = NAMED_WEEKDAY.search(found.group("note") or "")
    if named:
        said = WEEKDAYS.index(named.group(1).replace("天", "日"))
        if said != day.weekday():
            result.problems.append(str(lazy_format(
                _("%(name)s：通知写“%(text)s”，但 %(date)s 是%(real)s，请核对年份和日期。"),
                {"name": name, "text": found.group(0), "date": day,
                 "real": weekday_name(day)})))
    return day
