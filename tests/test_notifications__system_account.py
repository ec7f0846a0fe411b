"""The account scheduled jobs act as is nobody to tell: a 催办 or a transition's notice reaches
the city section's people, never the "系统（定时任务）" account (which has the city role so
that it may close publicity periods)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from accounts.models import Role
from notifications.messenger import recipients_for
from notifications.reminders import plan_reminders
from publicity.services import system_actor
from subsidy.models import Application
from workflows.stages import State

from .factories import ApplicationFactory, UserFactory
from .helpers import at

pytestmark = [pytest.mark.django_db, pytest.mark.today(datetime(2026, 11, 24, 9, 0,
                                                                tzinfo=ZoneInfo("Asia/Shanghai")))]


def test_a_reminder_goes_to_people_not_to_the_scheduled_jobs_account():
    system = system_actor()
    sender, colleague = UserFactory(role=Role.CITY), UserFactory(role=Role.CITY)
    app = at(ApplicationFactory(), State.CITY_REVIEW)
    plan = plan_reminders(sender, Application.objects.filter(pk=app.pk))
    assert set(plan.recipients) == {colleague}
    assert system not in plan.recipients


def test_a_transition_notice_is_not_addressed_to_the_scheduled_jobs_account():
    system = system_actor()
    city = UserFactory(role=Role.CITY)
    app = at(ApplicationFactory(), State.CITY_REVIEW)
    people = recipients_for(app, State.CITY_REVIEW)
    assert city in people and system not in people
