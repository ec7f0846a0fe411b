"""统计报表 on the desk: the programme dashboard, the per-county summary (on screen, printable
and in Excel) and the half-year summary. The figures come from reports/ (starting from
visible_applications, so a county reviewer sees only their county); views only render."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from accounts.models import CITY_ROLES, Role
from reports import charts
from reports.exports import (
    county_workbook,
    dashboard_workbook,
    half_year_title,
    half_year_workbook,
)
from reports.figures import county_summary, dashboard, overdue_after, regions_for
from reports.half_year import half_year
from subsidy.excel import xlsx_response
from subsidy.identifiers import parse_ids

from .views import RoleRequiredMixin, chosen_programme

REPORT_ROLES = frozenset({Role.COUNTY, Role.FINANCE, *CITY_ROLES})
BLUE, GOLD, GREEN = "#1f4e8c", "#c77700", "#2e7d32"


def _int(value, default: int, low: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return number if low <= number <= high else default


class ReportView(RoleRequiredMixin, View):
    roles = REPORT_ROLES

    def query(self) -> str:
        """The page's filters, for the Excel and print links."""
        return self.request.GET.urlencode()


class DashboardView(ReportView):
    template = "desk/reports/dashboard.html"

    def figures(self):
        programmes, programme = chosen_programme(self.request)
        if programme is None:
            return programmes, None
        days = _int(self.request.GET.get("days"), overdue_after(), 1, 250)
        return programmes, dashboard(self.request.user, programme, limit_days=days)

    def get(self, request):
        programmes, figures = self.figures()
        context = {"programmes": programmes, "figures": figures, "query": self.query()}
        if figures:
            budget, counties = figures["budget"], figures["counties"]
            context["category_chart"] = charts.bars([
                {"label": f"{r['category'].code} {r['category'].name}", "value": r["count"],
                 "part": r["approved_count"], "text": f"{r['count']} / {r['approved_count']}"}
                for r in budget["rows"]])
            context["county_chart"] = charts.bars([
                {"label": r["region"].name, "value": r["count"], "part": r["approved_count"],
                 "text": f"{r['count']} / {r['approved_count']}"} for r in counties["rows"]],
                label_width=180)
            burn = figures["burn_down"]
            context["burn_chart"] = charts.lines(burn["months"], [
                {"label": _("已核定"), "color": BLUE, "values": burn["series"]["approved"]},
                {"label": _("已下达拨款通知"), "color": GOLD,
                 "values": burn["series"]["notified"]},
                {"label": _("已拨付"), "color": GREEN, "values": burn["series"]["paid"]},
            ], burn["budget"]) if burn["months"] else None
        return render(request, self.template, context)


class DashboardExcelView(DashboardView):
    def get(self, request):
        _programmes, figures = self.figures()
        if figures is None:
            raise Http404
        return xlsx_response(dashboard_workbook(figures),
                             f"{figures['programme'].title}-统计.xlsx")


class CountySummaryView(ReportView):
    template = "desk/reports/county.html"

    def summary(self):
        programmes, programme = chosen_programme(self.request)
        regions = regions_for(self.request.user)
        chosen = parse_ids([self.request.GET.get("region", "")])
        region = regions.filter(pk=chosen[0]).first() if chosen else regions.first()
        if region is None or programme is None:
            raise Http404  # another county's summary is not there for a county reviewer
        return programmes, regions, county_summary(self.request.user, programme, region)

    def get(self, request):
        programmes, regions, summary = self.summary()
        return render(request, self.template, {
            "programmes": programmes, "regions": regions, "summary": summary,
            "query": self.query(), "today": timezone.localdate()})


class CountyPrintView(CountySummaryView):
    template = "desk/reports/county_print.html"


class CountyExcelView(CountySummaryView):
    def get(self, request):
        _programmes, _regions, summary = self.summary()
        return xlsx_response(county_workbook(summary),
                             f"{summary['programme'].title}-{summary['region'].name}.xlsx")


class HalfYearView(ReportView):
    template = "desk/reports/half_year.html"

    def summary(self):
        today = timezone.localdate()
        year = _int(self.request.GET.get("year"), today.year, 2000, 2100)
        half = _int(self.request.GET.get("half"), 1 if today.month <= 6 else 2, 1, 2)
        return half_year(self.request.user, year, half)

    def get(self, request):
        summary = self.summary()
        this_year = timezone.localdate().year
        return render(request, self.template, {
            "summary": summary, "title": half_year_title(summary), "query": self.query(),
            "years": range(this_year, this_year - 6, -1)})


class HalfYearExcelView(HalfYearView):
    def get(self, request):
        summary = self.summary()
        return xlsx_response(half_year_workbook(summary), f"{half_year_title(summary)}.xlsx")
