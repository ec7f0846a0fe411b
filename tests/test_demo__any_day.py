"""`seed_demo` works on any day: while the working calendar cannot count as far as the
office's today (next year's holiday schedule not entered, the package not knowing it), the
story is told as of the latest day it can count for and the command says so in one line;
once the year is entered, the story runs up to today. Each class seeds once."""

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.db.models import Max
from django.test import override_settings
from django.utils import timezone, translation

from accounts.models import Role, User
from publicity.models import BatchStatus, PublicityBatch
from subsidy.demo.day import story_day
from subsidy.demo.events import PUBLICITY_DAYS
from subsidy.demo.plan import ProgrammePlan
from subsidy.demo.reference import Timeline, programme_years
from subsidy.models import Application, Category, Organisation, Programme, Region
from workcalendar.models import ScheduleGap
from workcalendar.workdays import Calendar
from workflows.lifecycle import get_lifecycle
from workflows.models import AuditEntry

from .helpers import travel_to
from .holiday_schedules import HOLIDAYS_2027, enter_2027

pytestmark = pytest.mark.django_db
SPRING_2027 = date(2027, 3, 15)
#: The last day chinesecalendar 1.11 counts to without 2027: 2026's 29–31 December wait for
#: the 2027 notice (its New Year holiday).
LAST_COUNTABLE = date(2026, 12, 28)
#: The day the story is then told as of: the last one whose running publicity periods end
#: by LAST_COUNTABLE (a Friday; the 28th is the next working day).
STOPPED_ON = date(2026, 12, 25)
#: Dated when the seed runs or ahead of the story, not in it: people are loaded at the
#: command's time, and the programme in flight takes applications for three weeks more.
NOT_THE_STORY = {("accounts.User", "date_joined"), ("subsidy.Programme", "applications_close")}


def seed_command(*args) -> str:
    out = StringIO()
    with override_settings(DEBUG=True), translation.override("zh-hans"):
        call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="class")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """`seeded(setup)` yields what `setup()` returns, run with the database open outside any
    test's transaction (committed, as the command's days are), and empties it afterwards."""

    def run(setup):
        with django_db_blocker.unblock(), \
                override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("demo-media")):
            try:
                yield setup()
            finally:
                call_command("flush", interactive=False, verbosity=0)

    return run


def plans_as_of(day: date) -> list[ProgrammePlan]:
    """The two programmes' plans the seed makes on `day` (nothing written)."""
    calendar = Calendar()
    told = story_day(day, calendar).day
    categories = list(Category.objects.order_by("code"))
    orgs = list(Organisation.objects.order_by("pk"))
    regions = list(Region.objects.order_by("code").values_list("code", flat=True))
    return [ProgrammePlan(year, Timeline(call, told, calendar), in_flight, categories, orgs,
                          regions) for year, call, in_flight in programme_years(told, calendar)]


def fingerprint(plans) -> list:
    return [[p.category.code, p.destination, p.title, [s.when.isoformat() for s in p.steps]]
            for plan in plans for p in plan.plans] + \
        [[e.kind, e.when.isoformat()] for plan in plans for e in plan.events]


def latest_dates() -> dict[tuple[str, str], date]:
    """The latest date or time (as a date in Hengyang) of every date field that has one."""
    found = {}
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DateField):  # DateTimeField too
                value = model.objects.aggregate(latest=Max(field.name))["latest"]
                if isinstance(value, datetime):
                    value = timezone.localdate(value)
                if value:
                    found[model._meta.label, field.name] = value
    return found


def assert_every_state(programmes):
    states = defaultdict(set)
    for code, state in Application.objects.filter(programme__in=programmes) \
            .values_list("category__code", "state"):
        states[code].add(state)
    for category in Category.objects.all():
        assert states[category.code] == set(get_lifecycle(category.lifecycle).states), \
            category.code


@pytest.fixture(scope="class")
def stopped(seeded):
    """The command's output, run on 15 March 2027 on a new database, 2027 not entered."""
    def setup():
        with travel_to(SPRING_2027):
            return seed_command()
    yield from seeded(setup)


@pytest.fixture(scope="class")
def up_to_date(seeded):
    """What the line advises, on 15 March 2027: on a new database the people first, 2027
    entered by the administrator, then the demo; the commands' output."""
    def setup():
        with travel_to(SPRING_2027):
            first = seed_command("--without-applications")
            enter_2027(User.objects.get(username="admin", role=Role.ADMIN))
            return first + seed_command()
    yield from seeded(setup)


class TestWithoutNextYear:
    """2027 not entered: the story stops on 25 December 2026, whatever the day after."""

    def test_the_seed_succeeds_and_says_where_the_story_stops(self, stopped):
        assert "2 programmes with 392 applications" in stopped
        *_loaded, line = stopped.strip().splitlines()
        assert line == ("尚未录入 2027 年的法定节假日安排：演示数据演到 2026-12-25"
                        "（工作日历只能算到 2026-12-28）。要演到今天：在新数据库上运行 "
                        "seed_demo --without-applications，以 admin 登录，在“工作日历”"
                        "（/desk/calendar/new/?year=2027）录入，再运行 seed_demo。")
        with translation.override("en"):
            english = str(story_day(SPRING_2027, Calendar()).message)
        assert english.startswith("The statutory holiday schedule of 2027 is not entered yet")
        assert "2026-12-25" in english and "seed_demo --without-applications" in english

    def test_every_category_is_in_every_state_of_its_lifecycle(self, stopped):
        programmes = list(Programme.objects.order_by("year"))
        assert [p.year for p in programmes] == [2025, 2026]
        assert_every_state(programmes)

    def test_nothing_in_the_story_is_dated_after_the_last_countable_day(self, stopped):
        latest = latest_dates()
        after = {key: day for key, day in latest.items()
                 if day > LAST_COUNTABLE and key not in NOT_THE_STORY}
        assert after == {}
        assert latest["workflows.AuditEntry", "at"] == date(2026, 12, 24)  # the last one
        running = PublicityBatch.objects.filter(status=BatchStatus.PUBLISHED)
        assert running.count() == 3
        assert all(b.start_date < STOPPED_ON <= b.end_date <= LAST_COUNTABLE for b in running)
        # the story asked nothing of the missing year (the desk's banner still names it)
        assert not ScheduleGap.objects.exists()

    def test_the_last_days_of_december_tell_the_same_story(self, stopped):
        on_25th = fingerprint(plans_as_of(STOPPED_ON))
        for today in (date(2026, 12, 26), date(2026, 12, 28), date(2026, 12, 30),
                      date(2027, 1, 4), SPRING_2027):
            assert fingerprint(plans_as_of(today)) == on_25th, today
        applications = Application.objects.count()
        with travel_to(date(2026, 12, 30)):
            again = seed_command()
        assert Application.objects.count() == applications
        assert again.strip().splitlines()[-1].startswith(
            "尚未录入 2027 年的法定节假日安排：演示数据演到 2026-12-25（")

    def test_days_before_the_end_are_told_as_they_are(self, stopped):
        calendar = Calendar()
        for today in (date(2026, 12, 1), date(2026, 12, 21), STOPPED_ON):
            told = story_day(today, calendar)
            assert (told.day, told.message) == (today, None)
            for plan in plans_as_of(today):
                for event in plan.events:
                    if event.kind == "publicity":  # its period is counted when it is published
                        end = calendar.add_workdays(timezone.localdate(event.when),
                                                    PUBLICITY_DAYS)
                        assert end <= LAST_COUNTABLE

    def test_a_programme_not_played_yet_is_dated_from_the_day_it_is_played(self, stopped):
        with travel_to(SPRING_2027):
            call_command("seed_demo", "--without-applications", "--force", verbosity=0)
        played = Programme.objects.get(year=2026)
        assert played.applications_close == STOPPED_ON + timedelta(days=21)  # kept
        played.year = 2030  # (rolled back after the test) the demo's 2026 is not played yet
        played.save(update_fields=["year"])
        for today in (SPRING_2027, date(2027, 3, 22)):
            with travel_to(today):
                call_command("seed_demo", "--without-applications", "--force", verbosity=0)
            fresh = Programme.objects.get(year=2026)
            assert fresh.applications_close == today + timedelta(days=21)
            assert fresh.call_date == today - timedelta(days=150)
            assert not fresh.applications.exists()


class TestWithNextYearEntered:
    """2027 entered as the line says: the story runs up to the office's today."""

    def test_the_story_runs_up_to_today_and_nothing_is_said(self, up_to_date):
        assert "尚未录入" not in up_to_date and "392 applications" in up_to_date
        assert Calendar().counts_until(SPRING_2027) == date(2027, 12, 28)
        programmes = list(Programme.objects.order_by("year"))
        assert [p.year for p in programmes] == [2025, 2026]
        assert_every_state(programmes)
        last_working_day = date(2027, 3, 12)  # a Friday
        assert latest_dates()["workflows.AuditEntry", "at"] == last_working_day
        running = PublicityBatch.objects.filter(status=BatchStatus.PUBLISHED)
        assert running.count() == 3
        assert all(b.start_date < SPRING_2027 <= b.end_date for b in running)

    def test_the_story_keeps_the_entered_holidays(self, up_to_date):
        holidays = {h.first_day + timedelta(days=n) for h in HOLIDAYS_2027
                    for n in range((h.last_day - h.first_day).days + 1)}
        staff = AuditEntry.objects.filter(actor__role__in=(Role.COUNTY, Role.CITY),
                                          at__gte=timezone.make_aware(
                                              datetime.combine(date(2027, 1, 1), time())))
        days = {timezone.localdate(at) for at in staff.values_list("at", flat=True)}
        assert days and max(days) >= date(2027, 3, 1)
        assert not days & holidays
