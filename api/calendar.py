"""The working calendar for staff: which years are known, reading a pasted State Council
notice, and (administrators) entering or replacing a year's holiday schedule."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema, Status

from accounts.models import CITY_ROLES
from workcalendar.models import ScheduleYear
from workcalendar.notice_text import parse_notice
from workcalendar.schedules import HolidayEntry, WorkdayEntry, save_schedule
from workcalendar.workdays import missing_years, package_knows

from .schemas import ErrorOut

router = Router(tags=["calendar"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class HolidayIO(Schema):
    name: str = Field(..., max_length=40)
    first_day: date
    last_day: date


class WorkdayIO(Schema):
    date: date
    note: str = Field("", max_length=40)


class YearOut(Schema):
    year: int
    source: str = Field(..., description="package (chinesecalendar), entered, or missing")
    needed: bool = Field(..., description="missing and needed by now (this year, or next "
                                          "year from 1 November)")
    basis: str = ""
    entered_at: datetime | None = None
    revision: int | None = None
    holidays: list[HolidayIO] = []
    workdays: list[WorkdayIO] = []
    notes: list[str] = Field([], description="after a save: what it changed elsewhere, what "
                                             "to check (publicity periods counted again)")


class ParseIn(Schema):
    text: str = Field(..., max_length=20000)
    year: int | None = Field(None, ge=2000, le=2100)


class ParseOut(Schema):
    year: int | None
    title: str
    holidays: list[HolidayIO]
    workdays: list[WorkdayIO]
    problems: list[str]


class ScheduleIn(Schema):
    basis: str = Field("", max_length=200, description="e.g. the notice's title")
    notice_text: str = Field("", max_length=20000)
    holidays: list[HolidayIO] = Field(..., max_length=40)
    workdays: list[WorkdayIO] = Field([], max_length=40)
    revision: int | None = Field(None, ge=1, description="replacing: the revision you read")


def _staff(request):
    """City staff and administrators read the calendar; to anyone else it does not exist."""
    if getattr(request.auth, "role", None) not in CITY_ROLES:
        raise Http404


def year_out(year: int, schedule: ScheduleYear | None, missing: set[int]) -> dict:
    if schedule is None:
        return {"year": year, "source": "package" if package_knows(year) else "missing",
                "needed": year in missing}
    return {"year": year, "source": "entered", "needed": False, "basis": schedule.source,
            "entered_at": schedule.entered_at, "revision": schedule.revision,
            "holidays": list(schedule.holidays.values("name", "first_day", "last_day")),
            "workdays": list(schedule.workdays.values("date", "note"))}


@router.get("/years", response={200: list[YearOut], **ERRORS},
            summary="Last year, this year, next year and every entered year: where each "
                    "year's holiday schedule comes from")
def years(request):
    _staff(request)
    today = timezone.localdate()
    entered = {s.year: s for s in ScheduleYear.objects.all()}
    missing = set(missing_years(today))
    return [year_out(y, entered.get(y), missing)
            for y in sorted({today.year - 1, today.year, today.year + 1, *entered})]


@router.post("/parse", response={200: ParseOut, **ERRORS},
             summary="Read the holidays and adjusted working days out of a pasted State "
                     "Council notice (nothing is saved)")
def parse(request, body: ParseIn):
    _staff(request)
    parsed = parse_notice(body.text, body.year)
    return {"year": parsed.year, "title": parsed.title, "problems": parsed.problems,
            "holidays": [vars(h) for h in parsed.holidays],
            "workdays": [vars(w) for w in parsed.workdays]}


@router.put("/years/{year}", response={200: YearOut, 201: YearOut, **ERRORS},
            summary="Enter (201) or replace (200, with its revision) a year's holiday schedule; "
                    "administrators only")
def put_year(request, year: Path[int], body: ScheduleIn):
    _staff(request)
    existing = ScheduleYear.objects.filter(year=year).first()
    if existing and body.revision is None:
        raise ValidationError({"revision": [
            _("替换已录入的安排时，请提供读取时的 revision。")]})
    saved = save_schedule(
        request.auth, year,
        [HolidayEntry(h.name, h.first_day, h.last_day) for h in body.holidays],
        [WorkdayEntry(w.date, w.note) for w in body.workdays],
        source=body.basis, notice_text=body.notice_text, editing=existing,
        revision=body.revision)
    return Status(200 if existing else 201,
                  {**year_out(year, saved, set()), "notes": [str(n) for n in saved.notes]})


@router.get("/years/{year}", response={200: YearOut, **ERRORS},
            summary="One year's holiday schedule and where it comes from")
def get_year(request, year: Path[int]):
    _staff(request)
    if not 2000 <= year <= 2100:
        raise Http404
    missing = set(missing_years(timezone.localdate()))
    return year_out(year, ScheduleYear.objects.filter(year=year).first(), missing)

