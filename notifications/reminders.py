"""Reminders (催办): once a working day, everyone who must act on applications that have waited
longer than REPORTS_OVERDUE_WORKDAYS working days gets one digest, in the app and by e-mail;
city staff can also remind whoever must act on chosen applications now, with the same digest.
Each 催办 is recorded (`Reminder`: who sent it and when; its notifications: to whom, listing
which applications).

A reminder is a nudge, not a legal period: where a year's holiday schedule is missing its
working days are counted Monday to Friday, the digest says so, and the gap is recorded.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User, people
from subsidy.models import Application
from subsidy.rules import city_staff
from workcalendar.models import ScheduleGap
from workcalendar.schedules import record_gap
from workcalendar.workdays import Calendar, ScheduleMissing
from workflows.stages import State

from .messages import render_message
from .messenger import NEXT_ACTORS
from .models import Notification, Reminder

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
        for user_id in people(who_for[REMINDED[apps[0].state]](apps[0])).values_list(
                "pk", flat=True):
            mine[user_id].extend(apps)
    return mine


def compose(apps, today: date, calendar: Calendar, sent_by=None,
            language: str | None = None) -> tuple[str, str]:
    """Subject and body of one person's digest (templates notifications/reminder_*.txt): the
    daily one lists what waited too long; one `sent_by` a person lists what they asked to be
    dealt with now. Each lists the first LISTED applications with the working days waited."""
    listed = [(app, calendar.workdays_between(timezone.localtime(app.state_changed_at).date(),
                                              today))
              for app in apps[:LISTED]]
    return render_message("reminder", {
        "applications": apps, "listed": listed, "unlisted": max(len(apps) - LISTED, 0),
        "today": today, "limit": settings.REPORTS_OVERDUE_WORKDAYS, "sent_by": sent_by,
        "fell_back": [str(year) for year in sorted(calendar.fell_back)]}, language)


def _record_fallbacks(calendar: Calendar) -> None:
    """Counting back from today has met every year the digests count in (years before a
    known one are known): the fallback, if any, is decided here."""
    for year in sorted(calendar.fell_back):
        record_gap(ScheduleMissing(year), ScheduleGap.Outcome.FALLBACK,
                   ScheduleGap.Context.REMINDERS)


def _write(reminder: Reminder, user, apps, subject: str, body: str, **fields):
    """Record one person's digest of `apps` as part of `reminder`; returns its e-mail, if
    the person has an address."""
    notification = Notification.objects.create(user=user, subject=subject, body=body,
                                               reminder=reminder, **fields)
    notification.reminded.set(apps)
    return EmailMessage(subject, body, to=[user.email]) if user.email else None


def send_overdue_reminders(today: date | None = None) -> int:
    """Send today's digests (nothing on days off, nothing twice a day); returns how many."""
    today = today or timezone.localdate()
    calendar = Calendar(weekday_fallback=True)
    if not calendar.is_workday(today):
        return 0
    overdue = overdue_applications(today, settings.REPORTS_OVERDUE_WORKDAYS, calendar)
    mine = _recipients(overdue)
    _record_fallbacks(calendar)
    done = set(Notification.objects.filter(reminder_on=today, user_id__in=list(mine))
               .values_list("user_id", flat=True))
    users = User.objects.in_bulk([pk for pk in mine if pk not in done])
    if not users:
        return 0
    reminder = Reminder.objects.create()
    sent, mails = 0, []
    for pk, user in users.items():
        subject, body = compose(mine[pk], today, calendar)
        try:
            with transaction.atomic():  # the row is the day's token: one run gets it
                mail = _write(reminder, user, mine[pk], subject, body, reminder_on=today)
        except IntegrityError:
            continue  # another run (beat and the command, a redelivery) sent this one
        sent += 1
        if mail:
            mails.append(mail)
    if not sent:
        reminder.delete()  # the other run sent every one of them
    if mails:
        get_connection().send_messages(mails)
    return sent


def may_remind(user) -> tuple[bool, str]:
    """Whether `user` may remind people now, and why not: city staff only (the permission
    rule of their review transitions)."""
    allowed, reason = city_staff(user, None)
    return bool(allowed), str(reason or "")


@dataclass
class ReminderPlan:
    """What reminding someone of `applications` now does: who gets a digest of which of them,
    and those nobody has to act on (application, why)."""

    recipients: dict = field(default_factory=dict)  # User → [Application]
    nobody: list = field(default_factory=list)  # [(Application, reason)]
    reminder: Reminder | None = None  # once sent

    @property
    def applications(self) -> list:
        """The applications someone is reminded of."""
        seen = {a.pk: a for apps in self.recipients.values() for a in apps}
        return sorted(seen.values(), key=lambda a: a.number)


def plan_reminders(sender, applications) -> ReminderPlan:
    """Who must act on each of `applications` (the daily job's rule, REMINDED), apart from
    `sender`; refused with the reason unless `sender` may remind."""
    allowed, reason = may_remind(sender)
    if not allowed:
        raise PermissionDenied(reason)
    apps = list(applications.select_related("organisation").order_by("state_changed_at", "pk"))
    waiting = [a for a in apps if a.state in REMINDED]
    mine = _recipients(waiting)
    own = mine.pop(sender.pk, [])
    users = User.objects.select_related("region", "organisation").in_bulk(list(mine))
    plan = ReminderPlan(recipients={users[pk]: mine[pk] for pk in sorted(
        mine, key=lambda pk: (users[pk].role, users[pk].username))})
    covered = {a.pk for a in plan.applications}
    for app in apps:
        if app.pk in covered:
            continue
        if app.state not in REMINDED:
            why = _("“%(state)s”环节无人需要办理。") % {"state": State(app.state).label}
        elif any(a.pk == app.pk for a in own):
            why = _("正等待市局科室办理，除您之外没有其他经办人员。")
        else:
            why = _("没有可以办理此环节的在岗用户。")
        plan.nobody.append((app, why))
    return plan


def remind_now(sender, applications, today: date | None = None) -> ReminderPlan:
    """Send `sender`'s reminder of `applications` now to whoever must act on them (one digest
    each, in the app and by e-mail after the commit) and record it; returns the plan sent."""
    plan = plan_reminders(sender, applications)
    if not plan.recipients:
        return plan
    today = today or timezone.localdate()
    calendar = Calendar(weekday_fallback=True)
    texts = {user: compose(apps, today, calendar, sent_by=sender)
             for user, apps in plan.recipients.items()}
    with transaction.atomic():
        plan.reminder = Reminder.objects.create(sent_by=sender)
        mails = [_write(plan.reminder, user, apps, *texts[user])
                 for user, apps in plan.recipients.items()]
    _record_fallbacks(calendar)
    mails = [m for m in mails if m]
    if mails:
        transaction.on_commit(lambda: get_connection().send_messages(mails))
    return plan


def reminder_history(application, limit: int = 10) -> list[dict]:
    """The latest 催办 of `application`, newest first: when, by whom (None: the daily job),
    to whom."""
    rows = (Notification.objects.filter(reminded=application, reminder__isnull=False)
            .select_related("user", "reminder__sent_by")
            .order_by("-reminder__sent_at", "-reminder_id", "pk"))
    history: dict[int, dict] = {}
    for row in rows:
        if row.reminder_id not in history:
            if len(history) == limit:
                break
            history[row.reminder_id] = {"at": row.reminder.sent_at,
                                        "sent_by": row.reminder.sent_by, "to": []}
        history[row.reminder_id]["to"].append(row.user)
    return list(history.values())
