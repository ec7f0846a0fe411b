"""While next year's schedule is missing: the desk says so from 1 November, the system check
warns, legal periods are refused naming the year, reminders fall back to Monday–Friday and
say so, and every refusal or fallback is logged and listed on the desk."""

import logging
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.checks import run_checks
from django.core.exceptions import ValidationError

from accounts.models import Role
from notifications.models import Notification
from notifications.reminders import send_overdue_reminders
from publicity.models import BatchKind
from publicity.services import create_batch
from workcalendar.models import ScheduleGap
from workflows.stages import State

from .factories import ApplicationFactory, UserFactory
from .helpers import at, signed_in
from .holiday_schedules import enter_2027

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
BANNER = "尚未录入 2027 年的法定节假日安排"


@pytest.fixture
def admin(reference):
    return UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)


def missing_warnings():
    return [c for c in run_checks(databases=["default"]) if c.id == "workcalendar.W001"]


def test_from_1_november_city_staff_and_administrators_see_the_banner(admin, city, county,
                                                                      applicant):
    with time_machine.travel(date(2026, 10, 31)):
        assert BANNER not in signed_in(city).get("/desk/calendar/").content.decode()
    with time_machine.travel(date(2026, 11, 1)):
        for_city = signed_in(city).get("/desk/review/").content.decode()
        assert BANNER in for_city and "请系统管理员录入" in for_city
        for_admin = signed_in(admin).get("/desk/review/").content.decode()
        assert BANNER in for_admin and "/desk/calendar/new/?year=2027" in for_admin
        assert BANNER not in signed_in(county).get("/desk/review/").content.decode()
        assert BANNER not in signed_in(applicant).get("/").content.decode()
        enter_2027(admin)
        assert BANNER not in signed_in(city).get("/desk/review/").content.decode()


def test_the_system_check_warns_naming_the_year(admin):
    with time_machine.travel(date(2026, 10, 31)):
        assert missing_warnings() == []
    with time_machine.travel(date(2026, 11, 2)):
        [warning] = missing_warnings()
        assert "2027" in warning.msg and warning.level == logging.WARNING
        enter_2027(admin)
        assert missing_warnings() == []
    with time_machine.travel(date(2028, 2, 1)):  # the year itself, and it is not the next one
        assert ["2028" in w.msg for w in missing_warnings()] == [True]


@pytest.mark.today(date(2026, 12, 1))
def test_a_publicity_period_reaching_a_missing_year_is_refused_and_recorded(
        programme, city, caplog):
    app = at(ApplicationFactory(programme=programme), State.APPROVED)
    with pytest.raises(ValidationError) as refused, \
            caplog.at_level(logging.ERROR, logger="workcalendar.schedules"):
        create_batch(city, programme, BatchKind.APPROVAL, "公示", date(2026, 12, 28), 5, [app.pk])
    assert "尚无 2027 年的法定节假日安排" in " ".join(refused.value.messages)
    assert any("2027" in r.getMessage() and r.levelno == logging.ERROR for r in caplog.records)
    gap = ScheduleGap.objects.get()
    assert (gap.year, gap.outcome, gap.count) == (2027, ScheduleGap.Outcome.REFUSED, 1)
    page = signed_in(city).get("/desk/calendar/").content.decode()
    assert "新建公示批次：公示期截止日" in page and "拒绝计算" in page
    assert "已有 1 次办理因此受影响" in page


def test_reminders_fall_back_to_monday_to_friday_and_say_so(programme, applicant, county,
                                                            admin, settings, caplog):
    settings.REPORTS_OVERDUE_WORKDAYS = 10
    waiting_since = datetime(2026, 12, 14, 10, 0, tzinfo=SHANGHAI)
    at(ApplicationFactory(programme=programme, organisation=applicant.organisation),
       State.SUBMITTED, state_changed_at=waiting_since)
    tuesday = datetime(2027, 1, 12, 9, 0, tzinfo=SHANGHAI)
    with time_machine.travel(tuesday), caplog.at_level(logging.ERROR):
        assert send_overdue_reminders() == 1
    body = Notification.objects.get(user=county).body
    # 12/15–12/31 are 13 working days of 2026; 1 January and 1/4–1/12 are 8 weekdays of 2027
    assert "已等待 21 个工作日" in body
    assert "尚未录入 2027 年的法定节假日安排，本提醒中的工作日按周一至周五计算" in body
    assert any("2027" in r.getMessage() for r in caplog.records if r.levelno == logging.ERROR)
    gap = ScheduleGap.objects.get()
    assert (gap.year, gap.outcome, gap.context) == (2027, "fallback", "reminders")
    enter_2027(admin)  # entering the year clears what it caused
    assert not ScheduleGap.objects.exists()
    with time_machine.travel(datetime(2027, 1, 13, 9, 0, tzinfo=SHANGHAI)):
        send_overdue_reminders()
    later = Notification.objects.filter(user=county).latest("pk").body
    # a day later, and 1 January is now a holiday: 13 + 8 instead of 13 + 9
    assert "按周一至周五" not in later and "已等待 21 个工作日" in later
