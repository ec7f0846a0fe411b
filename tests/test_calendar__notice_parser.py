"""Reading a year's schedule out of the State Council's notice, as an administrator pastes it.

The notices for 2021–2026 are the published texts (tests/data/holiday_notices/); each must
give exactly the working days and days off that chinesecalendar holds for its year.
"""

import re
from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
import pytest
from django.utils import translation

from workcalendar.notice_text import parse_notice

NOTICES = Path(__file__).parent / "data" / "holiday_notices"
#: The notice's holiday names and the package's (a combined 国庆节、中秋节 may be either).
PACKAGE_NAMES = {"元旦": {"New Year's Day"}, "春节": {"Spring Festival"},
                 "清明节": {"Tomb-sweeping Day"}, "劳动节": {"Labour Day"},
                 "端午节": {"Dragon Boat Festival"}, "中秋节": {"Mid-autumn Festival"},
                 "国庆节": {"National Day"}}


def notice(year) -> str:
    return (NOTICES / f"{year}.txt").read_text(encoding="utf-8")


def days_of(year):
    day = date(year, 1, 1)
    while day.year == year:
        yield day
        day += timedelta(days=1)


def is_workday(parsed, day) -> bool:
    if any(w.date == day for w in parsed.workdays):
        return True
    return day.weekday() < 5 and not any(h.first_day <= day <= h.last_day
                                         for h in parsed.holidays)


@pytest.mark.parametrize("year", range(2021, 2027))
def test_each_published_notice_gives_exactly_the_packages_days(year):
    parsed = parse_notice(notice(year))
    assert parsed.problems == []
    assert parsed.year == year
    assert parsed.title == f"国务院办公厅关于{year}年部分节假日安排的通知"
    differ = [d for d in days_of(year) if is_workday(parsed, d) != chinese_calendar.is_workday(d)]
    assert differ == []
    adjusted = {d for d in days_of(year) if d.weekday() >= 5 and chinese_calendar.is_workday(d)}
    assert {w.date for w in parsed.workdays} == adjusted
    for holiday in parsed.holidays:
        names = set().union(*(PACKAGE_NAMES[n] for n in holiday.name.split("、")))
        for day in (holiday.first_day + timedelta(days=n) for n in range(holiday.length)):
            on_holiday, name = chinese_calendar.get_holiday_detail(day)
            if day.weekday() < 5:  # weekend days joined to a holiday are not always listed
                assert on_holiday and name in names, (holiday, day)


def test_ranges_across_new_year_and_combined_holidays():
    parsed = parse_notice(notice(2023))
    new_year, *_rest, golden_week = parsed.holidays
    assert (new_year.name, new_year.first_day, new_year.last_day) == (
        "元旦", date(2022, 12, 31), date(2023, 1, 2))
    assert (golden_week.name, golden_week.first_day, golden_week.length) == (
        "中秋节、国庆节", date(2023, 9, 29), 8)


def test_a_sentence_that_only_encourages_a_day_off_is_not_a_holiday():
    parsed = parse_notice(notice(2024))  # 鼓励……安排职工在除夕（2月9日）休息
    assert all(not h.first_day <= date(2024, 2, 9) <= h.last_day for h in parsed.holidays)
    assert [h.length for h in parsed.holidays if h.name == "春节"] == [8]


TRADITIONAL = str.maketrans("关于现将补周节调劳动国庆农历腊与连办厅务",
                            "關於現將補週節調勞動國慶農曆臘與連辦廳務")
#: How people actually paste a notice: each must read exactly as the official text.
PASTINGS = {
    "half-width punctuation": lambda t: t.translate(str.maketrans("：，（）。；", ":,().;")),
    "one paragraph": lambda t: re.sub(r"\s+", " ", t),
    "lines wrapped anywhere": lambda t: re.sub(r"(）、|至|上班|放假|，)", "\\1\n", t),
    "blank lines inside items": lambda t: t.replace("）、", "）、\n\n"),
    "traditional characters": lambda t: t.translate(TRADITIONAL),
    "zero-width spaces": lambda t: t.replace("日", "日\u200b").replace("月", "\u200b月"),
    "spaces in dates": lambda t: re.sub(r"(\d)(月|日)", r"\1 \2", t),
}


@pytest.mark.parametrize("pasting", PASTINGS)
@pytest.mark.parametrize("year", range(2021, 2027))
def test_every_way_of_pasting_reads_the_same(year, pasting):
    official = parse_notice(notice(year))
    again = parse_notice(PASTINGS[pasting](notice(year)))
    assert again.problems == []
    assert again.holidays == official.holidays and again.workdays == official.workdays


def test_a_new_year_range_without_years_starts_in_the_previous_december():
    parsed = parse_notice("关于2023年部分节假日安排的通知\n"
                          "一、元旦：12月31日至1月2日放假调休，共3天。")
    assert parsed.problems == []
    assert (parsed.holidays[0].first_day, parsed.holidays[0].last_day) == (
        date(2022, 12, 31), date(2023, 1, 2))


def test_two_days_off_in_one_sentence_and_counts_in_chinese_numerals():
    parsed = parse_notice("关于2027年部分节假日安排的通知 一、元旦：1月1日放假，1月3日放假。"
                          "二、春节：2月5日至12日放假调休，共八天。")
    assert [(h.first_day, h.last_day) for h in parsed.holidays] == [
        (date(2027, 1, 1), date(2027, 1, 1)), (date(2027, 1, 3), date(2027, 1, 3)),
        (date(2027, 2, 5), date(2027, 2, 12))]
    assert parsed.problems == []
    wrong = parse_notice("关于2027年部分节假日安排的通知 二、春节：2月5日至12日放假调休，共七天。")
    assert any("是 8 天" in p for p in wrong.problems)


def test_a_day_of_rest_in_lieu_joins_its_holiday():
    text = ("国务院办公厅关于2017年部分节假日安排的通知\n"
            "一、元旦：1月1日放假，1月2日（星期一）补休。\n"
            "二、春节：1月27日至2月2日放假调休，共7天。1月22日（星期日）、2月4日（星期六）上班。")
    parsed = parse_notice(text)
    assert parsed.problems == []
    assert next((h.name, h.first_day, h.last_day) for h in parsed.holidays) == (
        "元旦", date(2017, 1, 1), date(2017, 1, 2))
    covered = [date(2017, 1, 1) + timedelta(days=n) for n in range(40)]  # to 9 February
    assert [d for d in covered if is_workday(parsed, d) != chinese_calendar.is_workday(d)] == []


WRONG_WEEKDAYS = ("关于2027年部分节假日安排的通知 "
                  "一、元旦：1月1日（周四）至3日放假，共3天。1月4日（周日）上班。")


@translation.override("zh-hans")
def test_doubtful_text_is_reported_not_guessed():
    wrong_weekday = parse_notice(WRONG_WEEKDAYS)
    assert any("2027-01-01 是星期五" in p for p in wrong_weekday.problems)
    assert any("2027-01-04 是星期一" in p for p in wrong_weekday.problems)
    wrong_count = parse_notice("关于2027年部分节假日安排的通知 一、元旦：1月1日至3日放假，共4天。")
    assert any("是 3 天" in p and "4 天" in p for p in wrong_count.problems)
    other_year = parse_notice(notice(2026), year=2027)
    assert any("2026 年" in p and "2027 年" in p for p in other_year.problems)
    assert parse_notice("随便一段文字").problems
    assert parse_notice("关于2027年部分节假日安排的通知，正文没有分项。").problems
    nothing = parse_notice("关于2027年部分节假日安排的通知 一、春节：2月5日至12日放 假调休。")
    assert nothing.holidays == [] and any("春节" in p for p in nothing.problems)


@translation.override("en")
def test_problems_read_in_the_language_of_the_reader():
    problems = parse_notice(WRONG_WEEKDAYS).problems
    assert any("2027-01-01 is a Friday" in p for p in problems)
