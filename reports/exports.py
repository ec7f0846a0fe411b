"""The reports as Excel workbooks (laid out by subsidy.excel), from the same figures the
pages show: what is exported is what was on the screen, with the same filters."""

from django.utils import timezone
from django.utils.translation import gettext as _

from subsidy.excel import add_table, new_workbook
from subsidy.money import format_yuan
from subsidy.payments import state_text


def _category(category) -> str:
    return f"{category.code} {category.name}"


def _local(moment):
    """Excel has no time zones: the local wall-clock time."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def add_budget_sheet(book, programme, budget: dict):
    """The budget against requested, approved, notified and paid money, by category
    (subsidy.funding.budget_overview's figures)."""
    add_table(
        book, _("资金"),
        [_("资助类别"), _("类别预算（元）"), _("申报件数"), _("申请金额（元）"),
         _("审核通过件数"), _("核定金额（元）"), _("已下达拨款通知（元）"), _("已拨付（元）"),
         _("预算剩余（元）")],
        [(_category(r["category"]), r["budget"], r["count"], r["requested"],
          r["approved_count"], r["committed"], r["notified"], r["paid"], r["left"])
         for r in budget["rows"]],
        title=_("%(programme)s 资金使用情况") % {"programme": programme.title},
        notes=[_("资金总额 %(budget)s 元") % {"budget": format_yuan(budget["budget"])}],
        total=[_("合计"), budget["budget"], budget["count"], budget["requested"],
               budget["approved_count"], budget["committed"], budget["notified"],
               budget["paid"], budget["left"]],
        money=[1, 3, 5, 6, 7, 8], widths=[34, 16, 10, 16, 12, 16, 20, 16, 16])


def dashboard_workbook(figures: dict):
    programme, budget = figures["programme"], figures["budget"]
    book = new_workbook()
    add_budget_sheet(book, programme, budget)
    matrix = figures["category_states"]
    add_table(
        book, _("类别与状态"), [_("资助类别"), *[label for _v, label in matrix["states"]],
                               _("合计")],
        [(_category(r["category"]), *r["counts"], r["total"]) for r in matrix["rows"]],
        title=_("%(programme)s 申报情况（按类别、状态）") % {"programme": programme.title},
        total=[_("合计"), *matrix["totals"], matrix["total"]],
        widths=[34, *[12] * len(matrix["states"]), 10])
    counties = figures["counties"]
    county_table(book, _("县市区"), counties["rows"], counties["totals"],
                 title=_("%(programme)s 申报情况（按县市区）") % {"programme": programme.title})
    waiting = figures["waiting"]
    days = waiting["limit_days"]
    add_table(
        book, _("办理时长"),
        [_("阶段"), _("件数"), _("中位等待（工作日）"), _("最长等待（工作日）"),
         _("超过 %(days)d 个工作日") % {"days": days}],
        [(str(r["label"]), r["count"], r["median"], r["longest"], r["overdue"])
         for r in waiting["rows"]],
        title=_("各阶段等待时间（截至 %(today)s）") % {"today": waiting["today"]},
        notes=[str(waiting["problem"])] if waiting["problem"] else [],
        widths=[24, 10, 20, 20, 20])
    add_table(
        book, _("超期事项"),
        [_("申报编号"), _("项目名称"), _("申报单位"), _("县市区"), _("状态"),
         _("进入本阶段"), _("已等待（工作日）")],
        [(o["application"].number, o["application"].title, o["application"].organisation.name,
          o["application"].region.name, o["application"].get_state_display(),
          _local(o["entered"]), o["waited"]) for o in waiting["overdue"]],
        title=_("等待超过 %(days)d 个工作日的申报（最久的 %(n)d 件）") % {
            "days": days, "n": len(waiting["overdue"])},
        widths=[16, 36, 30, 14, 18, 18, 16])
    flags = figures["flags"]
    add_table(
        book, _("疑似问题"), [_("问题"), _("件数")],
        [(str(k["label"]), k["count"]) for k in flags["kinds"]],
        title=_("疑似问题申报"), total=[_("有任一问题的申报"), flags["total"]],
        footer=[f"{app.number} {app.title} {app.organisation.name}："
                + "；".join(str(m) for m in messages) for app, messages in flags["examples"]],
        widths=[40, 10])
    return book


def county_table(book, name, rows, totals, *, title):
    return add_table(
        book, name,
        [_("县市区"), _("申报件数"), _("审核通过件数"), _("申请金额（元）"), _("核定金额（元）"),
         _("已下达拨款通知（元）"), _("已拨付（元）")],
        [(r["region"].name, r["count"], r["approved_count"], r["requested"], r["approved"],
          r["notified"], r["paid"]) for r in rows],
        title=title,
        total=[_("合计"), totals["count"], totals["approved_count"], totals["requested"],
               totals["approved"], totals["notified"], totals["paid"]],
        money=[3, 4, 5, 6], widths=[24, 10, 12, 16, 16, 20, 16])


def county_workbook(summary: dict):
    programme, region, totals = summary["programme"], summary["region"], summary["totals"]
    book = new_workbook()
    title = _("%(programme)s %(region)s 申报情况汇总表") % {"programme": programme.title,
                                                            "region": region.name}
    add_table(
        book, _("汇总"),
        [_("资助类别"), _("申报件数"), _("审核通过件数"), _("申请金额（元）"),
         _("核定金额（元）"), _("已下达拨款通知（元）"), _("已拨付（元）")],
        [(_category(r["category"]), r["count"], r["approved_count"], r["requested"],
          r["committed"], r["notified"], r["paid"]) for r in summary["rows"]],
        title=title,
        notes=[_("制表日期：%(today)s") % {"today": timezone.localdate()}],
        total=[_("合计"), totals["count"], totals["approved_count"], totals["requested"],
               totals["committed"], totals["notified"], totals["paid"]],
        money=[3, 4, 5, 6], widths=[34, 10, 12, 16, 16, 20, 16])
    add_table(
        book, _("申报清单"),
        [_("序号"), _("申报编号"), _("申报单位"), _("项目名称"), _("资助类别"), _("状态"),
         _("申请金额（元）"), _("核定金额（元）"), _("拨付金额（元）")],
        [(i, a.number, a.organisation.name, a.title, _category(a.category),
          state_text(a), a.requested_amount, a.approved_amount, a.paid_amount)
         for i, a in enumerate(summary["applications"], 1)],
        title=title, money=[6, 7, 8], widths=[6, 16, 30, 36, 30, 16, 14, 14, 14])
    return book


def half_year_workbook(summary: dict):
    book = new_workbook()
    metrics = [(_("申报（件）"), "submitted"), (_("审核通过（件）"), "approved"),
               (_("核定金额（元）"), "approved_amount"), (_("验收通过（件）"), "accepted"),
               (_("拨付金额（元）"), "paid_amount")]
    headers = [_("资助类别")]
    for label, _key in metrics:
        headers += [f"{label}{_('本期')}", f"{label}{_('上年同期')}", f"{label}{_('同比%')}"]

    def cells(figures):
        out = []
        for _label, key in metrics:
            out += [figures[key]["current"], figures[key]["previous"], figures[key]["change"]]
        return out

    add_table(
        book, _("半年小结"), headers,
        [(_category(r["category"]), *cells(r)) for r in summary["rows"]],
        title=half_year_title(summary),
        notes=[_("本期 %(start)s 至 %(end)s，上年同期 %(pstart)s 至 %(pend)s") % period_words(
            summary)],
        total=[_("合计"), *cells(summary["totals"])],
        money=[7, 8, 13, 14], widths=[34, *[12] * 15])
    return book


def half_year_title(summary: dict) -> str:
    half = _("上半年") if summary["half"] == 1 else _("下半年")
    return _("%(year)d年%(half)s资助工作统计") % {"year": summary["year"], "half": half}


def period_words(summary: dict) -> dict:
    from datetime import timedelta

    day = timedelta(days=1)
    return {"start": summary["start"], "end": summary["end"] - day,
            "pstart": summary["previous_start"], "pend": summary["previous_end"] - day}


def inbox_workbook(applications, title: str):
    book = new_workbook()
    add_table(
        book, _("申报清单"),
        [_("申报编号"), _("项目名称"), _("申报单位"), _("县市区"), _("资助类别"),
         _("申请金额（元）"), _("核定金额（元）"), _("已拨付（元）"), _("状态"), _("更新时间")],
        [(a.number, a.title, a.organisation.name, a.region.name, _category(a.category),
          a.requested_amount, a.approved_amount, a.paid_amount, state_text(a),
          _local(a.updated_at))
         for a in applications],
        title=title, money=[5, 6, 7], widths=[16, 36, 30, 14, 30, 14, 14, 14, 24, 18])
    return book
