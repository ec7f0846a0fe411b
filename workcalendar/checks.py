"""System checks: warn while a holiday schedule that is needed by now is missing, and where an
entered day disagrees with chinesecalendar. They read the database, so they are database
checks (Django runs them in `migrate` and `check --database default`)."""

from datetime import date, timedelta

import chinese_calendar
from django.core.checks import Tags, Warning, register
from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext as _

from .workdays import entered_days, missing_years, package_knows, package_last_year


@register(Tags.database)
def schedules_in_time(app_configs=None, databases=None, **kwargs):
    if not databases:
        return []
    try:
        years = missing_years(timezone.localdate())
        entered, days = entered_days()
    except DatabaseError:  # before the first migrate: nothing entered yet to check
        return []
    warnings = [Warning(
        _("尚无 %(year)s 年的法定节假日安排（chinesecalendar 内置到 %(last)s 年）：公示期等法定期限"
          "跨入 %(year)s 年时将被拒绝，催办提醒按周一至周五计算。")
        % {"year": year, "last": package_last_year()},
        hint=_("国务院办公厅发布《关于%(year)s年部分节假日安排的通知》后，由系统管理员在工作台"
               "“工作日历”中粘贴通知全文录入（/desk/calendar/new/?year=%(year)s）。")
        % {"year": year},
        id="workcalendar.W001") for year in years]
    # a day entered for a year the package knows: an entered year it learnt later, or New
    # Year's days of the next year's notice
    differ = sorted(day for day in _package_years_days(entered, days)
                    if days.get(day, day.weekday() < 5) != chinese_calendar.is_workday(day))
    if differ:
        warnings.append(Warning(
            _("录入的节假日安排与 chinesecalendar %(version)s 不一致：%(days)s。")
            % {"version": chinese_calendar.__version__,
               "days": "、".join(str(d) for d in differ[:10])},
            hint=_("核对国务院办公厅的通知；录入的安排优先。"), id="workcalendar.W002"))
    return warnings


def _package_years_days(entered: set[int], days: dict[date, bool]):
    """Every day of entered years the package knows, and entered days in other known years."""
    for year in sorted(y for y in entered if package_knows(y)):
        day = date(year, 1, 1)
        while day.year == year:
            yield day
            day += timedelta(days=1)
    yield from (d for d in days if d.year not in entered and package_knows(d.year))
