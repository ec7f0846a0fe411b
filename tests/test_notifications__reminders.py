"""Reminders (催办): once a working day, one digest per person who must act on applications that
waited too long; never twice a day, never on days off, each county only for its own."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from accounts.models import Role
from config.celery import app as celery_app
from notifications.models import Notification
from notifications.reminders import send_overdue_reminders
from workflows.stages import State

from .factories import (
    ApplicantFactory,
    ApplicationFactory,
    OrganisationFactory,
    UserFactory,
    region,
)
from .helpers import at

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
TUESDAY = datetime(2026, 11, 24, 9, 0, tzinfo=SHANGHAI)
LONG_AGO = datetime(2026, 10, 20, 10, 0, tzinfo=SHANGHAI)  # 25 working days before
LAST_FRIDAY = datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)  # 2 working days before


@pytest.fixture
def overdue(programme, applicant, county, other_county, city, finance):
    far = OrganisationFactory(region=region("430424"))
    creator = {applicant.organisation: applicant, far: ApplicantFactory(organisation=far)}
    cases = {
        "submitted": (applicant.organisation, State.SUBMITTED, LONG_AGO),
        "recent": (applicant.organisation, State.CITY_REVIEW, LAST_FRIDAY),
        "city": (far, State.CITY_REVIEW, LONG_AGO),
        "returned": (applicant.organisation, State.RETURNED, LONG_AGO),
        "publicity": (far, State.APPROVAL_PUBLICITY, LONG_AGO),
        "finance": (far, State.DISBURSEMENT_NOTIFIED, LONG_AGO),
    }
    return {name: at(ApplicationFactory(programme=programme, organisation=org,
                                        created_by=creator[org], title=f"项目-{name}"),
                     state, state_changed_at=moment)
            for name, (org, state, moment) in cases.items()}


def digest(user):
    return Notification.objects.get(user=user, reminder_on=TUESDAY.date())


def test_each_person_gets_one_digest_of_what_waits_for_them(
        overdue, applicant, county, other_county, city, finance, settings):
    settings.REPORTS_OVERDUE_WORKDAYS = 10
    with time_machine.travel(TUESDAY):
        sent = send_overdue_reminders()
    assert sent == 4  # the county, the city, finance and the returned application's applicant
    assert "项目-submitted" in digest(county).body
    assert "已等待 25 个工作日" in digest(county).body
    assert digest(county).subject == "【催办】1 件申报已超过 10 个工作日未处理"
    city_body = digest(city).body
    assert "项目-city" in city_body and "项目-recent" not in city_body
    assert "项目-publicity" not in city_body  # publicity periods wait by design
    assert "项目-finance" in digest(finance).body
    assert "项目-returned" in digest(applicant).body
    assert "项目-submitted" not in digest(applicant).body  # the county's job, not theirs
    assert not Notification.objects.filter(user=other_county).exists()
    assert {m.to[0] for m in mail.outbox} == {u.email for u in (county, city, finance, applicant)
                                              if u.email}


def test_not_twice_a_day_and_not_on_days_off(overdue, county, settings):
    settings.REPORTS_OVERDUE_WORKDAYS = 10
    with time_machine.travel(TUESDAY):
        assert send_overdue_reminders() == 4
        assert send_overdue_reminders() == 0
    with time_machine.travel(datetime(2026, 11, 28, 9, 0, tzinfo=SHANGHAI)):  # a Saturday
        assert send_overdue_reminders() == 0
    assert Notification.objects.filter(user=county).count() == 1


def test_a_longer_limit_spares_what_is_not_yet_overdue(overdue, county, settings):
    settings.REPORTS_OVERDUE_WORKDAYS = 30
    with time_machine.travel(TUESDAY):
        assert send_overdue_reminders() == 0


def test_run_by_beat_on_working_mornings_and_by_a_command(overdue, settings, capsys):
    entry = celery_app.conf.beat_schedule["overdue-reminders"]
    assert entry["task"] == "notifications.tasks.send_overdue_reminders"
    assert entry["schedule"].hour == {8} and entry["schedule"].minute == {30}
    with time_machine.travel(TUESDAY):
        call_command("send_reminders")
    assert capsys.readouterr().out.strip() == "4 reminder(s) sent"
    assert UserFactory(role=Role.CITY).notifications.count() == 0  # new staff: nothing old


def test_overlapping_runs_send_each_mail_once(overdue, county, settings, monkeypatch):
    """Beat and the command (or a redelivered task) at the same moment: the second run finds
    the first one's rows only when it inserts its own."""
    from notifications import reminders

    settings.REPORTS_OVERDUE_WORKDAYS = 10
    real_compose, ran = reminders.compose, []

    def compose_then_race(apps, today, calendar):
        if not ran:  # the other run slips in between this run's checks and its inserts
            ran.append(True)
            send_overdue_reminders()
        return real_compose(apps, today, calendar)

    monkeypatch.setattr(reminders, "compose", compose_then_race)
    with time_machine.travel(TUESDAY):
        send_overdue_reminders()
    assert [m.to for m in mail.outbox].count([county.email]) == 1
    assert Notification.objects.filter(user=county).count() == 1
