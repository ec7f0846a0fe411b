"""Read-only views of the entered schedules: they are entered and changed on the desk
(工作日历), where the same validation holds for every path."""

from django.contrib import admin

from config.readonly_admin import ReadOnlyAdmin

from .models import AdjustedWorkday, Holiday, ScheduleGap, ScheduleYear


class HolidayInline(admin.TabularInline):
    model = Holiday
    extra = 0
    can_delete = False
    fields = ("name", "first_day", "last_day")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class WorkdayInline(HolidayInline):
    model = AdjustedWorkday
    fields = ("date", "note")


@admin.register(ScheduleYear)
class ScheduleYearAdmin(ReadOnlyAdmin):
    list_display = ("year", "source", "entered_by", "entered_at")
    fields = ("year", "source", "entered_by", "entered_at", "notice_text")
    inlines = [HolidayInline, WorkdayInline]


@admin.register(ScheduleGap)
class ScheduleGapAdmin(ReadOnlyAdmin):
    list_display = ("year", "outcome", "context", "count", "first_at", "last_at")
    list_filter = ("year", "outcome")
