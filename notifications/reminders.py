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
from django.utils import timezone, translation

from accounts.models import Role, User
from subsidy.models import Application
from workcalendar.models import ScheduleGap
from workcalendar.schedules import record_gap
from workcalendar.workdays import Calendar, ScheduleMissing
from workflows.stages import State

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


def compose(apps, today: date, calendar: Calendar) -> tuple[str, str]:
    """Subject and body of one person's digest, in Chinese."""
    with translation.override(settings.LANGUAGE_CODE):
        limit = settings.REPORTS_OVERDUE_WORKDAYS
        subject = f"【催办】{len(apps)} 件申报已超过 {limit} 个工作日未处理"
        lines = [f"截至 {today:%Y年%m月%d日}，以下申报在当前环节已超过 {limit} 个工作日：", ""]
        for app in apps[:LISTED]:
            waited = calendar.workdays_between(timezone.localtime(app.state_changed_at).date(),
                                               today)
            lines.append(f"{app.number}  {app.title}（{app.organisation.name}）"
                         f"  {State(app.state).label}  已等待 {waited} 个工作日")
        if len(apps) > LISTED:
            lines.append(f"……另有 {len(apps) - LISTED} 件，请登录系统查看。")
        if calendar.fell_back:
            years = "、".join(str(y) for y in sorted(calendar.fell_back))
            lines += ["", f"注：尚未录入 {years} 年的法定节假日安排，本提醒中的工作日按周一至周五"
                          "计算，可能与实际不符。"]
    return subject, "\n".join(lines)


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
