"""Desk pages of the working calendar (工作日历): which years' holiday schedules are known, what
needed a missing one, and the form an administrator enters a year with, by hand or by pasting
the State Council's notice."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accounts.models import CITY_ROLES, Role
from workcalendar.models import ScheduleGap, ScheduleYear
from workcalendar.notice_text import parse_notice
from workcalendar.schedules import (
    STATUTORY_HOLIDAYS,
    HolidayEntry,
    WorkdayEntry,
    may_enter,
    save_schedule,
)
from workcalendar.workdays import missing_years, package_knows, package_last_year

from .views import RoleRequiredMixin

BLANK_ROWS = 2


class ScheduleForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("年份"), min_value=2000, max_value=2100)
    source = forms.CharField(label=gettext_lazy("依据"), max_length=200, required=False,
                             help_text=gettext_lazy("如：国务院办公厅关于2027年部分节假日安排的通知"))
    notice_text = forms.CharField(
        label=gettext_lazy("通知全文"), required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("从中国政府网复制《国务院办公厅关于××年部分节假日安排的通知》全文"
                               "粘贴在此，点“解析通知”后核对下面的日期再保存。"))
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)


def date_field(label):
    """A date picker: ISO dates both ways, whatever the language's display format."""
    return forms.DateField(label=label, required=False, input_formats=["%Y-%m-%d", "%Y/%m/%d"],
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class HolidayForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("节日"), max_length=40, required=False)
    first_day = date_field(gettext_lazy("放假首日"))
    last_day = date_field(gettext_lazy("放假末日"))

    def clean(self):
        data = super().clean()
        filled = [data.get(f) for f in ("name", "first_day", "last_day")]
        if any(filled) and not all(filled):
            raise ValidationError(_("请填写节日名称、放假首日和末日（只放一天时首末日相同）。"))
        return data


class WorkdayForm(forms.Form):
    date = date_field(gettext_lazy("上班日期"))
    note = forms.CharField(label=gettext_lazy("说明"), max_length=40, required=False)

    def clean(self):
        data = super().clean()
        if data.get("note") and not data.get("date"):
            raise ValidationError(_("请填写上班日期。"))
        return data


def schedule_form(schedule, data=None, initial=None) -> ScheduleForm:
    """The year's form; a saved schedule keeps its year (it is changed, never moved)."""
    form = ScheduleForm(data, initial=initial)
    if schedule is not None:
        form.fields["year"].disabled = True
        form.fields["year"].initial = schedule.year
    return form


def formsets(data=None, holidays=(), workdays=()):
    """The holiday and workday rows: the given ones and a few blank rows to add more."""
    holiday_rows = formset_factory(HolidayForm, extra=max(BLANK_ROWS, 8 - len(holidays)))
    workday_rows = formset_factory(WorkdayForm, extra=max(BLANK_ROWS, 8 - len(workdays)))
    return (holiday_rows(data, prefix="holiday", initial=list(holidays)),
            workday_rows(data, prefix="workday", initial=list(workdays)))


def entries(holiday_rows, workday_rows):
    """What the filled-in rows say, as the service takes it."""
    holidays = [HolidayEntry(f.cleaned_data["name"], f.cleaned_data["first_day"],
                             f.cleaned_data["last_day"])
                for f in holiday_rows if f.cleaned_data.get("first_day")]
    workdays = [WorkdayEntry(f.cleaned_data["date"], f.cleaned_data.get("note") or "")
                for f in workday_rows if f.cleaned_data.get("date")]
    return holidays, workdays


class CalendarView(RoleRequiredMixin, View):
    """The years around today and where their schedule comes from; what needed a missing
    one. City staff read it; administrators enter years from here."""

    roles = CITY_ROLES

    def get(self, request):
        today = timezone.localdate()
        entered = {s.year: s for s in ScheduleYear.objects.select_related("entered_by")}
        missing = set(missing_years(today))
        rows = []
        for year in sorted({today.year - 1, today.year, today.year + 1, *entered}):
            schedule = entered.get(year)
            rows.append({"year": year, "schedule": schedule,
                         "package": package_knows(year) and not schedule,
                         "needed": year in missing,
                         "holidays": schedule.holidays.all() if schedule else (),
                         "workdays": schedule.workdays.all() if schedule else ()})
        return render(request, "desk/calendar.html", {
            "rows": rows, "gaps": ScheduleGap.objects.all()[:50],
            "may_enter": may_enter(request.user), "package_last_year": package_last_year(),
            "next_missing": min(missing) if missing else None})


class ScheduleEntryView(RoleRequiredMixin, View):
    """Enter a year (``year`` None) or change an entered one. 解析通知 fills the rows from
    the pasted notice for review; 保存 checks everything and saves, or shows the form again
    with every value kept and what is wrong."""

    roles = frozenset({Role.ADMIN})
    template = "desk/calendar_entry.html"

    def get(self, request, year=None):
        schedule = get_object_or_404(ScheduleYear, year=year) if year else None
        if schedule:
            form = schedule_form(schedule, initial={
                "year": schedule.year, "source": schedule.source,
                "notice_text": schedule.notice_text, "revision": schedule.revision})
            rows = formsets(holidays=schedule.holidays.values("name", "first_day", "last_day"),
                            workdays=schedule.workdays.values("date", "note"))
        else:
            wanted = request.GET.get("year", "")
            form = schedule_form(None, initial={"year": int(wanted) if wanted.isdigit() else None})
            rows = formsets()
        return self.show(request, form, rows, schedule)

    def post(self, request, year=None):
        schedule = get_object_or_404(ScheduleYear, year=year) if year else None
        form = schedule_form(schedule, request.POST)
        if request.POST.get("action") == "parse":
            return self.parse(request, form, schedule)
        rows = formsets(request.POST)
        if not (form.is_valid() and all(r.is_valid() for r in rows)):
            return self.show(request, form, rows, schedule, status=422)
        holidays, workdays = entries(*rows)
        try:
            saved = save_schedule(
                request.user, form.cleaned_data["year"], holidays, workdays,
                source=form.cleaned_data["source"], notice_text=form.cleaned_data["notice_text"],
                editing=schedule, revision=form.cleaned_data["revision"])
        except ValidationError as invalid:
            return self.show(request, form, rows, schedule, errors=invalid.message_dict,
                             status=422)
        messages.success(request, _("已保存 %(year)s 年节假日安排：%(holidays)d 个节假日，"
                                    "%(workdays)d 个调休上班日。") % {
            "year": saved.year, "holidays": len(holidays), "workdays": len(workdays)})
        for note in saved.notes:
            messages.warning(request, note)
        return HttpResponseRedirect(reverse("desk:calendar:index"), status=303)

    def parse(self, request, form, schedule):
        """Fill the rows from the pasted notice; nothing is saved yet. When nothing could be
        read, the rows stay as they were typed."""
        text = request.POST.get("notice_text", "")
        wanted = str(schedule.year) if schedule else request.POST.get("year", "")
        parsed = parse_notice(text, int(wanted) if wanted.isdigit() else None)
        if not parsed.holidays:
            return self.show(request, form, formsets(request.POST), schedule, parsed=parsed,
                             status=422)
        form = schedule_form(schedule, initial={
            "year": parsed.year, "source": request.POST.get("source") or parsed.title,
            "notice_text": text, "revision": request.POST.get("revision", "")})
        rows = formsets(holidays=[vars(h) for h in parsed.holidays],
                        workdays=[vars(w) for w in parsed.workdays])
        return self.show(request, form, rows, schedule, parsed=parsed)

    def show(self, request, form, rows, schedule, *, errors=None, parsed=None, status=200):
        return render(request, self.template, {
            "form": form, "holiday_rows": rows[0], "workday_rows": rows[1],
            "schedule": schedule, "errors": errors or {}, "parsed": parsed,
            "names": [name for _key, name in STATUTORY_HOLIDAYS]}, status=status)

