"""The holiday schedule an administrator maintains, on top of the chinesecalendar package."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScheduleYear(models.Model):
    """A year whose official holiday schedule has been entered here (by its CalendarDays).

    For such a year this table is authoritative: weekdays are working days and weekends are
    not, except the days listed. Years the chinesecalendar package knows need no entry.
    """

    year = models.PositiveIntegerField(_("年份"), unique=True)
    source = models.CharField(_("依据"), max_length=200, blank=True,
                              help_text=_("如：国务院办公厅关于2027年部分节假日安排的通知"))

    class Meta:
        ordering = ["year"]
        verbose_name = _("节假日安排年度")
        verbose_name_plural = _("节假日安排年度")

    def __str__(self):
        return str(self.year)


class CalendarDay(models.Model):
    """A day that departs from Monday–Friday: a holiday on a weekday, or an adjusted working
    weekend day (调休). Also overrides the package for years it knows."""

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("是否工作日"))
    note = models.CharField(_("说明"), max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("节假日/调休日")
        verbose_name_plural = _("节假日/调休日")

    def __str__(self):
        return f"{self.date} {'班' if self.is_workday else '休'} {self.note}"
