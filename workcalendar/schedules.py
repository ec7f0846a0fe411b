"""Entering a year's holiday schedule: the rules it must satisfy, saving it, and recording
what needed a schedule while it was missing. The desk, the API and the tests all come here."""

import logging
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from workflows.i18n import lazy_format

from .models import AdjustedWorkday, Holiday, ScheduleGap, ScheduleYear
from .signals import schedule_changed
from .workdays import ScheduleMissing, package_knows, weekday_name

logger = logging.getLogger(__name__)
#: The statutory holidays every year's notice has (a key found in each holiday's name).
STATUTORY_HOLIDAYS = (("元旦", "元旦"), ("春节", "春节"), ("清明", "清明节"), ("劳动", "劳动节"),
                      ("端午", "端午节"), ("中秋", "中秋节"), ("国庆", "国庆节"))
#: The longest holiday ever announced was 10 days (2020's extended Spring Festival); a longer
#: range is a typing mistake.
LONGEST_HOLIDAY = 15


@dataclass(frozen=True)
class HolidayEntry:
    name: str
    first_day: date
    last_day: date


@dataclass(frozen=True)
class WorkdayEntry:
    date: date
    note: str = ""


def may_enter(user) -> bool:
    """Only administrators enter or change holiday schedules."""
    return getattr(user, "role", None) == Role.ADMIN


def schedule_errors(year: int, holidays: list[HolidayEntry], workdays: list[WorkdayEntry],
                    *, editing: ScheduleYear | None = None) -> dict[str, list]:
    """What is wrong with a year's schedule, by part ("year", "holidays", "workdays");
    empty when it may be saved."""
    if not 2000 <= year <= 2100:
        return {"year": [_("年份应在 2000 到 2100 之间。")]}
    errors = {"year": _year_errors(year, editing),
              "holidays": _holiday_errors(year, holidays),
              "workdays": _workday_errors(year, holidays, workdays)}
    for part, found in _conflicts(holidays, workdays, editing).items():
        errors[part] += found
    return {part: found for part, found in errors.items() if found}


def _year_errors(year, editing) -> list:
    errors = []
    if editing is not None and editing.year != year:
        errors.append(lazy_format(_("正在修改的是 %(year)s 年的安排，年份不能改。"),
                                  {"year": editing.year}))
    # a year entered before the package learnt it stays editable; a new one is not needed
    if editing is None and package_knows(year):
        errors.append(lazy_format(_("%(year)s 年的安排系统已经内置，无需录入。"),
                                  {"year": year}))
    if ScheduleYear.objects.filter(year=year).exclude(pk=getattr(editing, "pk", None)).exists():
        errors.append(lazy_format(_("%(year)s 年的安排已经录入，请修改已有的安排。"),
                                  {"year": year}))
    return errors


def _window(year) -> tuple[date, date]:
    """The days a year's notice may speak of: the year, and New Year's days around it."""
    return date(year - 1, 12, 1), date(year + 1, 1, 31)


def _holiday_errors(year, holidays) -> list:
    errors = []
    first_allowed, last_allowed = _window(year)
    for holiday in holidays:
        label = {"name": holiday.name, "first": holiday.first_day, "last": holiday.last_day}
        if not holiday.name.strip():
            errors.append(lazy_format(_("%(first)s 至 %(last)s：请填写节日名称。"), label))
        if holiday.last_day < holiday.first_day:
            errors.append(lazy_format(_("%(name)s：放假末日 %(last)s 早于首日 %(first)s。"),
                                      label))
            continue
        if (holiday.last_day - holiday.first_day).days + 1 > LONGEST_HOLIDAY:
            errors.append(lazy_format(
                _("%(name)s：%(first)s 至 %(last)s 超过 %(most)s 天，请核对。"),
                {**label, "most": LONGEST_HOLIDAY}))
        if year not in (holiday.first_day.year, holiday.last_day.year) \
                or holiday.first_day < first_allowed or holiday.last_day > last_allowed:
            errors.append(lazy_format(_("%(name)s：%(first)s 至 %(last)s 不在 %(year)s 年。"),
                                      {**label, "year": year}))
    ordered = sorted((h for h in holidays if h.first_day <= h.last_day),
                     key=lambda h: h.first_day)
    for index, later in enumerate(ordered[1:]):
        earlier = max(ordered[:index + 1], key=lambda h: h.last_day)  # reaches furthest
        if later.first_day <= earlier.last_day:
            errors.append(overlap(earlier, later))
    missing = [name for key, name in STATUTORY_HOLIDAYS
               if not any(key in h.name for h in holidays)]
    if missing:
        errors.append(lazy_format(
            _("缺少%(names)s：每年的安排都有这七个节日（合并放假的写作“国庆节、中秋节”）。"),
            {"names": "、".join(missing)}))
    return errors


def overlap(earlier, later):
    return lazy_format(
        _("%(a)s（%(a_first)s 至 %(a_last)s）与%(b)s（%(b_first)s 至 %(b_last)s）重叠。"),
        {"a": earlier.name, "a_first": earlier.first_day, "a_last": earlier.last_day,
         "b": later.name, "b_first": later.first_day, "b_last": later.last_day})


def _workday_errors(year, holidays, workdays) -> list:
    errors, seen = [], set()
    first_allowed, last_allowed = _window(year)
    for workday in workdays:
        day = workday.date
        label = {"date": day, "weekday": weekday_name(day)}
        if day.weekday() < 5:
            errors.append(lazy_format(_("%(date)s 是%(weekday)s：调休上班日应是周六或周日。"),
                                      label))
        if day in seen:
            errors.append(lazy_format(_("%(date)s 重复录入。"), label))
        seen.add(day)
        if not first_allowed <= day <= last_allowed:
            errors.append(lazy_format(_("%(date)s 不在 %(year)s 年。"), {**label, "year": year}))
        inside = next((h for h in holidays if h.first_day <= day <= h.last_day), None)
        if inside:
            errors.append(lazy_format(_("%(date)s 在%(name)s假期之内，不能同时是上班日。"),
                                      {**label, "name": inside.name}))
    return errors


def _conflicts(holidays, workdays, editing) -> dict[str, list]:
    """Days another entered year already says otherwise about (New Year's days are named by
    both years' notices). Two queries: the other years' holidays and working days."""
    errors: dict[str, list] = {"holidays": [], "workdays": []}
    others_off = list(Holiday.objects.exclude(schedule=editing).select_related("schedule"))
    others_on = list(AdjustedWorkday.objects.exclude(schedule=editing)
                     .select_related("schedule"))
    for holiday in holidays:
        for other in others_off:
            if other.first_day <= holiday.last_day and other.last_day >= holiday.first_day:
                errors["holidays"].append(lazy_format(
                    _("%(overlap)s（后者在 %(other)s 年的安排中）"),
                    {"overlap": overlap(holiday, other), "other": other.schedule.year}))
        for other in others_on:
            if holiday.first_day <= other.date <= holiday.last_day:
                errors["holidays"].append(lazy_format(
                    _("%(date)s 已是 %(other)s 年安排中的调休上班日，不能放假。"),
                    {"date": other.date, "other": other.schedule.year}))
    for workday in workdays:
        for other in others_on:
            if other.date == workday.date:
                errors["workdays"].append(lazy_format(
                    _("%(date)s 已是 %(other)s 年安排中的调休上班日。"),
                    {"date": other.date, "other": other.schedule.year}))
        for other in others_off:
            if other.first_day <= workday.date <= other.last_day:
                errors["workdays"].append(lazy_format(
                    _("%(date)s 在 %(other)s 年安排的%(name)s假期之内，不能同时是上班日。"),
                    {"date": workday.date, "other": other.schedule.year, "name": other.name}))
    return errors


def save_schedule(actor, year: int, holidays: list[HolidayEntry], workdays: list[WorkdayEntry],
                  *, source: str = "", notice_text: str = "", editing: ScheduleYear | None = None,
                  revision: int | None = None) -> ScheduleYear:
    """Save a year's schedule after checking it (ValidationError says what is wrong).

    `editing` is the schedule being changed and `revision` the one the form showed: when
    someone saved it meanwhile, this save is refused instead of overwriting theirs. The
    returned schedule's `notes` say what the save changed elsewhere (schedule_changed).
    """
    if not may_enter(actor):
        raise PermissionDenied(_("只有系统管理员可以录入节假日安排。"))
    errors = schedule_errors(year, holidays, workdays, editing=editing)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            if editing is None:
                schedule = ScheduleYear.objects.create(year=year, source=source,
                                                       notice_text=notice_text,
                                                       entered_by=actor,
                                                       entered_at=timezone.now())
            else:
                changed = ScheduleYear.objects.filter(pk=editing.pk, revision=revision) \
                    .update(source=source, notice_text=notice_text, entered_by=actor,
                            entered_at=timezone.now(), revision=F("revision") + 1)
                if not changed:
                    raise ValidationError({"year": [lazy_format(
                        _("%(year)s 年的安排刚被他人修改，请重新打开后再改。"),
                        {"year": editing.year})]})
                schedule = ScheduleYear.objects.get(pk=editing.pk)
                schedule.holidays.all().delete()
                schedule.workdays.all().delete()
            Holiday.objects.bulk_create(
                Holiday(schedule=schedule, name=h.name.strip(), first_day=h.first_day,
                        last_day=h.last_day) for h in holidays)
            AdjustedWorkday.objects.bulk_create(
                AdjustedWorkday(schedule=schedule, date=w.date, note=w.note.strip())
                for w in workdays)
            responses = schedule_changed.send(sender=ScheduleYear, year=year)
    except IntegrityError:
        # another administrator saved the same year, or one of its days, a moment before
        raise ValidationError({"year": [lazy_format(
            _("%(year)s 年的安排刚被他人录入，请刷新后查看。"), {"year": year})]}) from None
    ScheduleGap.objects.filter(year=year).delete()
    schedule.notes = [note for _receiver, notes in responses for note in notes or ()]
    logger.info("holiday schedule %s saved by %s: %d holidays, %d adjusted working days",
                year, actor.username, len(holidays), len(workdays))
    return schedule


def record_gap(missing: ScheduleMissing, outcome: str, context: str) -> None:
    """Log, as an error, that `context` needed `missing.year`'s schedule, and keep a row the
    desk shows until the year is entered (one row per year, outcome and context)."""
    logger.error("holiday schedule %s missing: %s (%s)", missing.year, context, outcome)
    now = timezone.now()
    updated = ScheduleGap.objects.filter(year=missing.year, outcome=outcome, context=context) \
        .update(count=F("count") + 1, last_at=now)
    if not updated:
        try:
            with transaction.atomic():
                ScheduleGap.objects.create(year=missing.year, outcome=outcome, context=context,
                                           first_at=now, last_at=now)
        except IntegrityError:  # recorded by a concurrent request meanwhile
            ScheduleGap.objects.filter(year=missing.year, outcome=outcome, context=context) \
                .update(count=F("count") + 1, last_at=now)

