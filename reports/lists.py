"""Excel copies of the desk's and the portal's lists, with what the page shows (the views pass
the same querysets their pages list)."""

from django.utils.translation import gettext as _

from subsidy.excel import add_table, new_workbook
from subsidy.experts import assignment_status

from .exports import _category, _local, add_budget_sheet


def budget_workbook(overview: dict):
    book = new_workbook()
    add_budget_sheet(book, overview["programme"], overview)
    return book


def notices_workbook(programme, notices, waiting):
    """The programme's notices, and the items awaiting a disbursement notice."""
    book = new_workbook()
    add_table(
        book, _("公文"), [_("文号"), _("标题"), _("类型"), _("状态"), _("项目数"),
                         _("成文日期"), _("起草时间")],
        [(n.number, n.title, n.get_kind_display(), n.get_status_display(), len(n.rows),
          n.issued_on, _local(n.created_at)) for n in notices],
        title=_("%(programme)s 公文") % {"programme": programme.title},
        widths=[24, 60, 14, 12, 8, 14, 18])
    add_table(
        book, _("待下拨"), [_("申报编号"), _("项目名称"), _("申报单位"), _("县市区"),
                           _("核定金额（元）")],
        [(a.number, a.title, a.organisation.name, a.region.name, a.approved_amount)
         for a in waiting],
        title=_("待下达拨款通知的项目"), money=[4], widths=[16, 36, 30, 14, 16])
    return book


def publicity_batches_workbook(programme, batches):
    book = new_workbook()
    add_table(
        book, _("公示批次"), [_("公示标题"), _("类型"), _("公示开始日期"), _("公示截止日期"),
                             _("公示期（工作日）"), _("状态"), _("项目数")],
        [(b.title, b.get_kind_display(), b.start_date, b.end_date, b.workdays,
          b.get_status_display(), b.item_count) for b in batches],
        title=_("%(programme)s 公示批次") % {"programme": programme.title},
        widths=[44, 14, 14, 14, 14, 10, 8])
    return book


def acceptance_batches_workbook(programme, batches, passed):
    """Numbered acceptance batches (one row per item) and the passed items not in one yet."""
    book = new_workbook()
    add_table(
        book, _("验收批次"), [_("批次"), _("申报编号"), _("项目名称"), _("申报单位")],
        [(batch.label, a.number, a.title, a.organisation.name)
         for batch in batches for a in batch.applications.all()],
        title=_("%(programme)s 验收批次") % {"programme": programme.title},
        widths=[14, 16, 36, 30])
    add_table(
        book, _("待编入批次"), [_("申报编号"), _("项目名称"), _("申报单位"), _("县市区"),
                               _("资助类别")],
        [(a.number, a.title, a.organisation.name, a.region.name, _category(a.category))
         for a in passed],
        title=_("验收通过、尚未编入批次的项目"), widths=[16, 36, 30, 14, 30])
    return book


def expert_workbook(assignments):
    """The expert's assignments with the status their lists show (待评分, 已提交, 已结束)."""
    book = new_workbook()
    add_table(
        book, _("评审任务"), [_("申报编号"), _("项目名称"), _("申报单位"), _("资助类别"),
                             _("指派时间"), _("状态"), _("总分"), _("提交时间")],
        [(x.application.number, x.application.title, x.application.organisation.name,
          _category(x.application.category), _local(x.assigned_at), assignment_status(x),
          x.total, _local(x.submitted_at)) for x in assignments],
        title=_("我的评审任务"), widths=[16, 36, 30, 30, 18, 10, 8, 18])
    return book


def my_applications_workbook(organisation, applications):
    book = new_workbook()
    add_table(
        book, _("我的申报"), [_("申报编号"), _("项目名称"), _("资助计划"), _("资助类别"),
                             _("申请金额（元）"), _("核定金额（元）"), _("状态"),
                             _("创建时间")],
        [(a.number, a.title, a.programme.title, _category(a.category), a.requested_amount,
          a.approved_amount, a.get_state_display(), _local(a.created_at))
         for a in applications],
        title=_("%(organisation)s 的申报") % {"organisation": organisation.name},
        money=[4, 5], widths=[16, 36, 30, 30, 14, 14, 18, 18])
    return book
