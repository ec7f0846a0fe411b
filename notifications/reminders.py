"""Reminders (催办): once a working day, everyone who must act on applications that have waited
longer than REPORTS_OVERDUE_WORKDAYS working days gets one digest, in the app and by e-mail.

A reminder is a nudge, not a legal period: where a year's holiday schedule is missing its
working days are counted Monday to Friday, the digest says so, and the gap is recorded.
"""

from collections import defaultdict
from datetime import date, datetime, time

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Role, User
from subsidy.models import Application
from workcalendar.models import ScheduleGap
from workcalendar.schedules import record_gap
from workcalendar.workdays import Calendar, ScheduleMissing
from workflows.stages import State

from .messages import render_message
from .messenger import NEXT_ACTORS
from .models import Notification

#: Who is reminded of an application in each state: the actors the messenger names, and
#: the applicant for a returned one. (Publicity and implementation wait by design.)
REMINDED = {**NEXT_ACTORS, State.RETURNED: "applicant"}
LISTED = 20


def overdue_applications(today: date, limit_days: int, calendar: Calendar):
    """Applications in a state someone must act on, unmoved for more than `limit_days`
    working days by `today`."""
    first_day = calendar.nth_workday_back(today, limit_days + 1)
    cutoff = timezone.make_aware(datetime.combine(first_day, time.min))
    return (Application.objects.filter(state__in=list(REMINDED), state_changed_at__lt=cutoff)
            .select_related("organisation").order_by("state_changed_at", "pk"))


def _recipients(applications) -> dict[int, list]:
    """User id → the overdue applications that user must act on."""
    who_for = {"county": lambda a: Q(role=Role.COUNTY, region_id=a.region_id),
               "city": lambda a: Q(role=Role.CITY),
               "finance": lambda a: Q(role=Role.FINANCE),
               "applicant": lambda a: Q(role=Role.APPLICANT,
                                        organisation_id=a.organisation_id)}
    groups: dict[tuple, list] = defaultdict(list)
    for app in applications:
        actor = REMINDED[app.state]
        key = (actor, app.region_id if actor == "county" else None,
               app.organisation_id if actor == "applicant" else None)
        groups[key].append(app)
    mine: dict[int, list] = defaultdict(list)
    for apps in groups.values():
        for user_id in User.objects.filter(who_for[REMINDED[apps[0].state]](apps[0]),
                                           is_active=True).values_list("pk", flat=True):
            mine[user_id].extend(apps)
    return mine


def compose(apps, today: date, calendar: Calendar, language: str | None = None
            ) -> tuple[str, str]:
    """Subject and body of one person's digest (templates notifications/reminder_*.txt):
    the first LISTED applications with the working days each has waited."""
    listed = [(app, calendar.workdays_between(timezone.localtime(app.state_changed_at).date(),
                                              today))
              for app in apps[:LISTED]]
    return render_message("reminder", {
        "applications": apps, "listed": listed, "unlisted": max(len(apps) - LISTED, 0),
        "today": today, "limit": settings.REPORTS_OVERDUE_WORKDAYS,
        "fell_back": [str(year) for year in sorted(calendar.fell_back)]}, language)


def send_overdue_reminders(today: date | None = None) -> int:
    """Send today's digests (nothing on days off, nothing twice a day); returns how many."""
    today = today or timezone.localdate()
    calendar = Calendar(weekday_fallback=True)
    if not calendar.is_workday(today):
        return 0
    overdue = overdue_applications(today, settings.REPORTS_OVERDUE_WORKDAYS, calendar)
    mine = _recipients(overdue)
    # counting back from today has met every year the digests count in (years before a
    # known one are known): the fallback, if any, is decided here
    for year in sorted(calendar.fell_back):
        record_gap(ScheduleMissing(year), ScheduleGap.Outcome.FALLBACK,
                   ScheduleGap.Context.REMINDERS)
    done = set(Notification.objects.filter(reminder_on=today, user_id__in=list(mine))
               .values_list("user_id", flat=True))
    users = User.objects.in_bulk([pk for pk in mine if pk not in done])
    sent, mails = 0, []
    for pk, user in users.items():
        subject, body = compose(mine[pk], today, calendar)
        try:
            with transaction.atomic():  # the row is the day's token: one run gets it
                Notification.objects.create(user=user, subject=subject, body=body,
                                            reminder_on=today)
        except IntegrityError:
            continue  # another run (beat and the command, a redelivery) sent this one
        sent += 1
        if user.email:
            mails.append(EmailMessage(subject, body, to=[user.email]))
    if mails:
        get_connection().send_messages(mails)
    return sent
