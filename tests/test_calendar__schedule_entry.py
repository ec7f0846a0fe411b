"""An administrator enters a year the package does not know: by hand as date ranges, or by
pasting the State Council's notice and checking the rows it fills before saving."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Role
from workcalendar.models import ScheduleYear
from workcalendar.schedules import HolidayEntry, WorkdayEntry, save_schedule, schedule_errors
from workcalendar.workdays import ScheduleMissing, period_end

from .factories import UserFactory
from .helpers import signed_in
from .holiday_schedules import HOLIDAYS_2027, NOTICE_2027, WORKDAYS_2027, enter_2027

pytestmark = pytest.mark.django_db

#: The desk's clock: a working Tuesday of December 2026, 2027 not yet entered.
DECEMBER = date(2026, 12, 1)


@pytest.fixture
def admin(reference):
    return UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)


def messages_of(errors, part):
    return " ".join(str(m) for m in errors.get(part, []))


def test_what_is_wrong_is_said_by_part():
    errors = schedule_errors(2027, [*HOLIDAYS_2027, HolidayEntry("春节", date(2027, 1, 3),
                                                                date(2027, 1, 9))],
                             [WorkdayEntry(date(2027, 1, 4), "元旦"),
                              WorkdayEntry(date(2027, 1, 2), "元旦")])
    assert "元旦（2027-01-01 至 2027-01-03）与春节（2027-01-03 至 2027-01-09）重叠" in \
        messages_of(errors, "holidays")
    assert "2027-01-04 是星期一：调休上班日应是周六或周日" in messages_of(errors, "workdays")
    assert "2027-01-02 在元旦假期之内" in messages_of(errors, "workdays")
    known = schedule_errors(2026, HOLIDAYS_2027, [])
    assert "2026 年的安排系统已经内置" in messages_of(known, "year")
    backwards = schedule_errors(2027, [*HOLIDAYS_2027, HolidayEntry(
        "国庆节", date(2027, 10, 9), date(2027, 10, 8))], [])
    assert "早于首日" in messages_of(backwards, "holidays")
    elsewhere = schedule_errors(2027, [*HOLIDAYS_2027, HolidayEntry(
        "国庆节", date(2028, 10, 1), date(2028, 10, 7))], [])
    assert "不在 2027 年" in messages_of(elsewhere, "holidays")
    assert schedule_errors(2027, HOLIDAYS_2027, WORKDAYS_2027) == {}


def test_a_schedule_without_one_of_the_seven_holidays_is_incomplete():
    without = [h for h in HOLIDAYS_2027 if h.name not in ("春节", "端午节")]
    assert "缺少春节、端午节" in messages_of(schedule_errors(2027, without, []), "holidays")
    combined = [h for h in HOLIDAYS_2027 if h.name not in ("中秋节", "国庆节")] + [
        HolidayEntry("国庆节、中秋节", date(2027, 10, 1), date(2027, 10, 8))]
    assert schedule_errors(2027, combined, []) == {}


def test_days_another_entered_year_decides_cannot_be_said_twice(admin):
    enter_2027(admin, workdays=[*WORKDAYS_2027, WorkdayEntry(date(2027, 12, 25), "元旦")])
    new_year_2028 = HolidayEntry("元旦", date(2027, 12, 25), date(2028, 1, 2))
    errors = schedule_errors(2028, [new_year_2028], [WorkdayEntry(date(2027, 2, 20))])
    assert "2027-12-25 已是 2027 年安排中的调休上班日，不能放假" in messages_of(errors, "holidays")
    assert "2027-02-20 已是 2027 年安排中的调休上班日" in messages_of(errors, "workdays")
    inside = schedule_errors(2028, [], [WorkdayEntry(date(2027, 1, 2))])
    assert "2027-01-02 在 2027 年安排的元旦假期之内" in messages_of(inside, "workdays")


def test_only_an_administrator_saves_and_a_year_is_entered_once(admin, city):
    with pytest.raises(PermissionDenied):
        enter_2027(city)
    enter_2027(admin, source="国务院办公厅关于2027年部分节假日安排的通知")
    with pytest.raises(ValidationError) as again:
        enter_2027(admin)
    assert "2027 年的安排已经录入" in messages_of(again.value.message_dict, "year")


def test_a_stale_edit_is_refused_not_overwritten(admin):
    first = enter_2027(admin)
    enter_2027(admin, workdays=WORKDAYS_2027[:1], editing=first, revision=first.revision)
    with pytest.raises(ValidationError) as stale:
        enter_2027(admin, editing=first, revision=first.revision)
    assert "刚被他人修改" in messages_of(stale.value.message_dict, "year")
    assert ScheduleYear.objects.get(year=2027).workdays.count() == 1


def test_an_edit_cannot_move_the_schedule_to_another_year(admin):
    first = enter_2027(admin)
    with pytest.raises(ValidationError) as moved:
        save_schedule(admin, 2029, HOLIDAYS_2027, [], editing=first, revision=first.revision)
    assert "正在修改的是 2027 年的安排，年份不能改" in messages_of(moved.value.message_dict, "year")
    assert list(ScheduleYear.objects.values_list("year", flat=True)) == [2027]


@pytest.mark.today(DECEMBER)
def test_pasting_the_notice_fills_the_rows_and_saving_makes_the_period_computable(admin):
    with pytest.raises(ScheduleMissing):
        period_end(date(2026, 12, 28), 5)
    desk = signed_in(admin)
    page = desk.get("/desk/calendar/new/?year=2027")
    assert page.status_code == 200 and "录入节假日安排" in page.content.decode()
    parsed = desk.post("/desk/calendar/new/", {"action": "parse", "year": "2027",
                                               "notice_text": NOTICE_2027})
    html = parsed.content.decode()
    assert parsed.status_code == 200
    assert "已从通知中读出 2027 年 7 个节假日" in html and "5 个调休上班日" in html
    assert 'value="2027-02-05"' in html and 'value="2027-02-12"' in html
    assert not ScheduleYear.objects.exists()  # nothing saved before the administrator checks
    rows = parsed.context["holiday_rows"]
    workdays = parsed.context["workday_rows"]
    data = {"action": "save", "year": "2027", "notice_text": NOTICE_2027,
            "source": parsed.context["form"].initial["source"], "revision": "",
            **management(rows), **management(workdays)}
    for i, row in enumerate(rows.initial):
        data.update({f"holiday-{i}-name": row["name"], f"holiday-{i}-first_day": row["first_day"],
                     f"holiday-{i}-last_day": row["last_day"]})
    for i, row in enumerate(workdays.initial):
        data.update({f"workday-{i}-date": row["date"], f"workday-{i}-note": row["note"]})
    saved = desk.post("/desk/calendar/new/", data, follow=True)
    assert "已保存 2027 年节假日安排：7 个节假日，5 个调休上班日" in saved.content.decode()
    schedule = ScheduleYear.objects.get(year=2027)
    assert schedule.source == "国务院办公厅关于2027年部分节假日安排的通知"
    assert schedule.entered_by == admin and schedule.notice_text == NOTICE_2027.strip()
    # 12-28…12-31 are four working days of 2026, 1–3 January are off, Monday 4 January is 5th
    assert period_end(date(2026, 12, 28), 5) == date(2027, 1, 4)


def management(formset):
    return {f"{formset.prefix}-TOTAL_FORMS": str(formset.total_form_count()),
            f"{formset.prefix}-INITIAL_FORMS": str(formset.initial_form_count()),
            f"{formset.prefix}-MIN_NUM_FORMS": "0", f"{formset.prefix}-MAX_NUM_FORMS": "1000"}


@pytest.mark.today(DECEMBER)
def test_a_refused_save_shows_the_form_again_with_everything_typed(admin):
    desk = signed_in(admin)
    data = {"action": "save", "year": "2027", "source": "手工录入", "notice_text": "",
            "revision": "", "holiday-TOTAL_FORMS": "2", "holiday-INITIAL_FORMS": "0",
            "holiday-0-name": "元旦", "holiday-0-first_day": "2027-01-01",
            "holiday-0-last_day": "2027-01-03", "holiday-1-name": "半填",
            "holiday-1-first_day": "", "holiday-1-last_day": "",
            "workday-TOTAL_FORMS": "1", "workday-INITIAL_FORMS": "0",
            "workday-0-date": "2027-01-04", "workday-0-note": "元旦"}
    half = desk.post("/desk/calendar/new/", data)
    assert half.status_code == 422
    assert "请填写节日名称、放假首日和末日" in half.content.decode()
    data["holiday-1-name"] = ""
    refused = desk.post("/desk/calendar/new/", data)
    html = refused.content.decode()
    assert refused.status_code == 422
    assert "2027-01-04 是星期一：调休上班日应是周六或周日" in html
    for typed in ('value="手工录入"', 'value="2027-01-03"', 'value="2027-01-04"'):
        assert typed in html
    assert not ScheduleYear.objects.exists()


@pytest.mark.today(DECEMBER)
def test_city_staff_read_the_calendar_and_only_administrators_enter(admin, city, county):
    assert signed_in(city).get("/desk/calendar/").status_code == 200
    assert "请联系系统管理员" in signed_in(city).get("/desk/calendar/").content.decode()
    assert signed_in(city).get("/desk/calendar/new/").status_code == 403
    assert signed_in(city).post("/desk/calendar/new/", {"action": "parse",
                                                         "notice_text": NOTICE_2027}) \
        .status_code == 403
    assert signed_in(county).get("/desk/calendar/").status_code == 403
    enter_2027(admin)
    page = signed_in(admin).get("/desk/calendar/").content.decode()
    assert "管理员录入" in page and "/desk/calendar/2027/" in page
    edit = signed_in(admin).get("/desk/calendar/2027/")
    assert edit.status_code == 200 and 'value="2027-01-03"' in edit.content.decode()


@pytest.mark.today(DECEMBER)
def test_a_paste_that_reads_nothing_keeps_the_rows_typed(admin):
    typed = {"action": "parse", "year": "2027", "notice_text": "一段不是通知的文字",
             "holiday-TOTAL_FORMS": "1", "holiday-INITIAL_FORMS": "0",
             "holiday-0-name": "元旦", "holiday-0-first_day": "2027-01-01",
             "holiday-0-last_day": "2027-01-03", "workday-TOTAL_FORMS": "0",
             "workday-INITIAL_FORMS": "0"}
    page = signed_in(admin).post("/desk/calendar/new/", typed)
    html = page.content.decode()
    assert page.status_code == 422 and "请核对" in html
    assert 'value="2027-01-03"' in html and 'value="元旦"' in html
