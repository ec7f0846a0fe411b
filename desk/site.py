"""The staff side in viewflow's Material frontend: one Site, an Application per job."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import path
from django.utils.translation import gettext as _now
from django.utils.translation import gettext_lazy as _
from django.views import View
from viewflow.urls import Application, Site

from accounts.models import CITY_ROLES, Role
from notices.flows import NoticeSignoffFlow
from notices.signoff_app import SignoffApp
from subsidy.rules import CITY_REVIEW_ROLES

from . import (
    calendar_views,
    import_views,
    notice_views,
    payment_views,
    publicity_views,
    report_views,
    views,
)
from .menu import desk_menu


def _role_in(roles):
    """Menu visibility: the role's own apps. (Strangers are sent to log in by the views.)"""
    return lambda user: not user.is_authenticated or user.role in roles


class DeskApp(Application):
    """An application of the desk: its pages in the site's one menu (`menu_links`: URL name,
    label, icon), plain form posts."""

    menu_template_name = None  # desk/site_menu.html lists the current part's pages
    turbo_disabled = True


class ReviewApp(DeskApp):
    """Inbox, application pages and batch actions for county, city and finance staff."""

    title = _("审核")
    icon = "fact_check"
    app_name = "review"
    permission = staticmethod(_role_in(views.REVIEW_ROLES))
    menu_links = (("index", _("待办与查询"), "inbox"), ("import", _("Excel 导入"), "upload_file"),
                  ("payments", _("登记拨付"), "payments"))

    index_path = path("", views.InboxView.as_view(), name="index")
    export_path = path("export/", views.InboxExcelView.as_view(), name="export")
    import_path = path("import/", import_views.ImportView.as_view(), name="import")
    detail_path = path("<int:pk>/", views.ApplicationView.as_view(), name="detail")
    remind_path = path("<int:pk>/remind/", views.RemindView.as_view(), name="remind")
    attachment_path = path("<int:pk>/attachments/<int:attachment_pk>/",
                           views.AttachmentView.as_view(), name="attachment")
    payment_path = path("<int:pk>/payments/", payment_views.PaymentView.as_view(),
                        name="payment")
    payments_path = path("payments/", payment_views.PaymentListView.as_view(), name="payments")


class BudgetApp(DeskApp):
    """Budget used and left, per programme and category."""

    title = _("预算")
    icon = "account_balance"
    app_name = "budget"
    permission = staticmethod(_role_in(CITY_ROLES | {Role.FINANCE}))
    menu_links = (("index", _("预算执行"), "account_balance"),)

    index_path = path("", views.BudgetView.as_view(), name="index")
    excel_path = path("excel/", views.BudgetExcelView.as_view(), name="excel")


class PublicityApp(DeskApp):
    """Publicity batches and their objections, and numbered acceptance batches."""

    title = _("公示与验收批次")
    icon = "campaign"
    app_name = "publicity"
    permission = staticmethod(_role_in(CITY_REVIEW_ROLES))
    menu_links = (("index", _("公示批次"), "campaign"),
                  ("acceptance", _("验收批次"), "playlist_add_check"))

    index_path = path("", publicity_views.PublicityBatchesView.as_view(), name="index")
    batch_path = path("<int:pk>/", publicity_views.PublicityBatchView.as_view(), name="batch")
    evidence_path = path("<int:pk>/objections/<int:objection_pk>/evidence/",
                         publicity_views.ObjectionEvidenceView.as_view(), name="evidence")
    acceptance_path = path("acceptance/", publicity_views.AcceptanceBatchesView.as_view(),
                           name="acceptance")
    excel_path = path("excel/", publicity_views.PublicityBatchesExcelView.as_view(),
                      name="excel")
    acceptance_excel_path = path("acceptance/excel/",
                                 publicity_views.AcceptanceBatchesExcelView.as_view(),
                                 name="acceptance_excel")


class NoticeApp(DeskApp):
    """Official notices: the fund disbursement notice, drafted, previewed and issued."""

    title = _("公文")
    icon = "description"
    app_name = "notices"
    permission = staticmethod(_role_in(notice_views.NOTICE_READERS))
    menu_links = (("index", _("资金下拨通知"), "description"),)

    index_path = path("", notice_views.NoticesView.as_view(), name="index")
    notice_path = path("<int:pk>/", notice_views.NoticeView.as_view(), name="notice")
    pdf_path = path("<int:pk>/pdf/", notice_views.NoticePdfView.as_view(), name="pdf")
    excel_path = path("excel/", notice_views.NoticesExcelView.as_view(), name="excel")


class ReportsApp(DeskApp):
    """Figures for the monthly and half-year reports: the programme dashboard, the summary a
    county bureau prints, the half-year summary; each exports to Excel with its filters."""

    title = _("统计报表")
    icon = "insights"
    app_name = "reports"
    permission = staticmethod(_role_in(report_views.REPORT_ROLES))
    menu_links = (("index", _("计划看板"), "insights"),
                  ("county", _("县市区汇总"), "location_city"),
                  ("half_year", _("半年工作统计"), "summarize"))

    index_path = path("", report_views.DashboardView.as_view(), name="index")
    excel_path = path("excel/", report_views.DashboardExcelView.as_view(), name="excel")
    county_path = path("county/", report_views.CountySummaryView.as_view(), name="county")
    county_print_path = path("county/print/", report_views.CountyPrintView.as_view(),
                             name="county_print")
    county_excel_path = path("county/excel/", report_views.CountyExcelView.as_view(),
                             name="county_excel")
    half_year_path = path("half-year/", report_views.HalfYearView.as_view(), name="half_year")
    half_year_excel_path = path("half-year/excel/", report_views.HalfYearExcelView.as_view(),
                                name="half_year_excel")


class CalendarApp(DeskApp):
    """The working calendar: the holiday schedules periods are counted with."""

    title = _("工作日历")
    icon = "event"
    app_name = "calendar"
    permission = staticmethod(_role_in(CITY_ROLES))
    menu_links = (("index", _("节假日安排"), "event"),)

    index_path = path("", calendar_views.CalendarView.as_view(), name="index")
    new_path = path("new/", calendar_views.ScheduleEntryView.as_view(), name="new")
    edit_path = path("<int:year>/", calendar_views.ScheduleEntryView.as_view(), name="edit")


class ExpertApp(DeskApp):
    """Applications assigned to an expert, and the score sheet."""

    title = _("专家评审")
    icon = "grading"
    app_name = "experts"
    permission = staticmethod(_role_in({Role.EXPERT}))
    menu_links = (("index", _("我的评审任务"), "grading"),)

    index_path = path("", views.ExpertInboxView.as_view(), name="index")
    score_path = path("<int:pk>/", views.ScoreView.as_view(), name="score")
    excel_path = path("excel/", views.ExpertInboxExcelView.as_view(), name="excel")
    attachment_path = path("applications/<int:pk>/attachments/<int:attachment_pk>/",
                           views.AttachmentView.as_view(), name="attachment")


class DeskSignoffApp(SignoffApp):
    """The notice sign-off (viewflow's flow pages), its pages in the site's menu."""

    menu_template_name = None
    menu_links = (("index", _("签发看板"), "dashboard"), ("inbox", _("我的待办"), "inbox"),
                  ("queue", _("可认领"), "schedule"), ("archive", _("已办"), "archive"))


class DeskIndexView(LoginRequiredMixin, View):
    """/desk/: the first part of the desk the user may open, as the menu lists them."""

    access_rule = "signed in; redirects to the first part of the desk the user may open"

    def get(self, request):
        entries = desk_menu(request, request.resolver_match.site)
        if not entries:
            raise PermissionDenied(
                _now("审核工作台仅供审核和管理人员使用，您的账号没有可以打开的页面。"))
        return HttpResponseRedirect(entries[0].link.url)


class DeskSite(Site):
    """The desk: one menu of its parts (desk/site_menu.html), /desk/ opening the first the user
    may use."""

    menu_template_name = "desk/site_menu.html"

    @property
    def index_path(self):
        return path("", DeskIndexView.as_view(), name="index")


site = DeskSite(title=_("审核工作台"), app_name="desk", primary_color="#b71c1c",
                secondary_color="#1f4e8c",
                viewsets=[ReviewApp(), PublicityApp(), NoticeApp(),
                          DeskSignoffApp(NoticeSignoffFlow, app_name="signoff", icon="approval",
                                         title=_("公文签发")),
                          BudgetApp(), ReportsApp(), CalendarApp(), ExpertApp()])
