"""The holiday schedules an administrator enters for years the chinesecalendar package does
not know, as the State Council publishes them: holidays as date ranges, adjusted working days."""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ScheduleYear(models.Model):
    """A year whose official holiday schedule was entered here.

    For such a year this is authoritative: weekdays are working days and weekends are not,
    except the holidays and adjusted working days listed.
    """

    year = models.PositiveIntegerField(_("年份"), unique=True)
    source = models.CharField(_("依据"), max_length=200, blank=True,
                              help_text=_("如：国务院办公厅关于2027年部分节假日安排的通知"))
    notice_text = models.TextField(_("通知原文"), blank=True,
                                   help_text=_("粘贴的通知全文，留作核对依据"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("录入人"))
    entered_at = models.DateTimeField(_("录入时间"), null=True, blank=True)
    revision = models.PositiveIntegerField(_("修订次数"), default=1,
                                           help_text=_("每次保存加一：两人同时修改时后保存者被告知"))

    class Meta:
        ordering = ["year"]
        verbose_name = _("节假日安排年度")
        verbose_name_plural = _("节假日安排年度")

    def __str__(self):
        return str(self.year)


class Holiday(models.Model):
    """One holiday of a schedule: its name and its days off, first to last (放假调休)."""

    schedule = models.ForeignKey(ScheduleYear, on_delete=models.CASCADE,
                                 related_name="holidays", verbose_name=_("年度"))
    name = models.CharField(_("节日"), max_length=40)
    first_day = models.DateField(_("放假首日"))
    last_day = models.DateField(_("放假末日"))

    class Meta:
        ordering = ["first_day"]
        verbose_name = _("节假日")
        verbose_name_plural = _("节假日")

    def __str__(self):
        return f"{self.name} {self.first_day}—{self.last_day}"

    def days(self) -> list[date]:
        return [self.first_day + timedelta(days=n)
                for n in range((self.last_day - self.first_day).days + 1)]


class AdjustedWorkday(models.Model):
    """A Saturday or Sunday that is a working day in a schedule (调休上班)."""

    schedule = models.ForeignKey(ScheduleYear, on_delete=models.CASCADE,
                                 related_name="workdays", verbose_name=_("年度"))
    date = models.DateField(_("上班日期"), unique=True)
    note = models.CharField(_("说明"), max_length=40, blank=True,
                            help_text=_("为哪个节日调休，如：春节"))

    class Meta:
        ordering = ["date"]
        verbose_name = _("调休上班日")
        verbose_name_plural = _("调休上班日")

    def __str__(self):
        return f"{self.date} {self.note}"


class ScheduleGap(models.Model):
    """Something that needed a year's schedule while it was missing: a period refused, or a
    count that fell back to Monday–Friday. Shown on the desk until the year is entered."""

    class Outcome(models.TextChoices):
        REFUSED = "refused", _("拒绝计算")
        FALLBACK = "fallback", _("按周一至周五计算")

    class Context(models.TextChoices):
        PUBLICITY_PERIOD = "publicity_period", _("新建公示批次：公示期截止日")
        REMINDERS = "reminders", _("催办提醒")
        DASHBOARD_WAITING = "dashboard_waiting", _("计划看板：等待时间")

    year = models.PositiveIntegerField(_("年份"))
    outcome = models.CharField(_("处理"), max_length=10, choices=Outcome.choices)
    context = models.CharField(_("场合"), max_length=30, choices=Context.choices)
    first_at = models.DateTimeField(_("首次"))
    last_at = models.DateTimeField(_("最近"))
    count = models.PositiveIntegerField(_("次数"), default=1)

    class Meta:
        ordering = ["-last_at"]
        constraints = [models.UniqueConstraint(fields=["year", "outcome", "context"],
                                               name="schedule_gap_once")]
        verbose_name = _("缺少节假日安排的记录")
        verbose_name_plural = _("缺少节假日安排的记录")

    def __str__(self):
        return (f"{self.year} {self.get_context_display()} {self.get_outcome_display()} "
                f"×{self.count}")
