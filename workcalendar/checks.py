"""System checks: warn, at start-up and in `manage.py check`, while a holiday schedule that is
needed by now is missing, and where an entered year disagrees with a newer chinesecalendar."""

from datetime import date, timedelta

import chinese_calendar
from django.core.checks import Warning, register
from django.db import DatabaseError
from django.utils import timezone

from .workdays import entered_days, missing_years, package_knows, package_last_year


@register()
def schedules_in_time(app_configs=None, **kwargs):
    try:
        years = missing_years(timezone.localdate())
        entered, days = entered_days()
    except DatabaseError:  # before the first migrate: nothing entered yet to check
        return []
    warnings = [Warning(
        f"尚无 {year} 年的法定节假日安排（chinesecalendar 内置到 {package_last_year()} 年）："
        "公示期等法定期限"
        f"跨入 {year} 年时将被拒绝，催办提醒按周一至周五计算。",
        hint=f"国务院办公厅发布《关于{year}年部分节假日安排的通知》后，由系统管理员在工作台"
             f"“工作日历”中粘贴通知全文录入（/desk/calendar/new/?year={year}）。",
        id="workcalendar.W001") for year in years]
    for year in sorted(y for y in entered if package_knows(y)):
        differ = [day for day in _days_of(year)
                  if days.get(day, day.weekday() < 5) != chinese_calendar.is_workday(day)]
        if differ:
            warnings.append(Warning(
                f"录入的 {year} 年节假日安排与 chinesecalendar {chinese_calendar.__version__} "
                f"不一致（{'、'.join(str(d) for d in differ[:5])}）。",
                hint="核对国务院办公厅的通知；录入的安排优先。",
                id="workcalendar.W002"))
    return warnings


def _days_of(year: int):
    day = date(year, 1, 1)
    while day.year == year:
        yield day
        day += timedelta(days=1)
