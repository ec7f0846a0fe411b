"""Excel import of a county's preliminary-review results, the city's acceptance results, or
the finance bureau's payments.

A template lists the importer's pending applications; the filled sheet is checked row by row
and applied in one transaction only if every row is valid (otherwise nothing changes and each
bad row is reported with its number).
"""

from dataclasses import dataclass
from datetime import date, datetime
from zipfile import BadZipFile

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook
from openpyxl.worksheet.datavalidation import DataValidation

from workflows import services as engine
from workflows.exceptions import TransitionRefused
from workflows.i18n import lazy_format
from workflows.stages import State

from .excel import add_table, new_workbook, workbook_bytes
from .funding import to_money
from .payments import (
    PaymentLine,
    PaymentsRefused,
    awaiting_payment,
    left_to_pay,
    record_payments,
)
from .services import visible_applications


@dataclass(frozen=True)
class ImportKind:
    title: object  # a lazy translation
    states: tuple  # applications listed in the template
    prelude: dict  # state → transition taken first (e.g. accept before recommend)
    decisions: dict  # what the sheet says → transition
    needs_opinion: frozenset


KINDS = {
    "county": ImportKind(
        title=_("县市区初审结果"),
        states=(State.SUBMITTED, State.COUNTY_REVIEW),
        prelude={State.SUBMITTED: "accept"},
        decisions={"推荐": "recommend", "退回修改": "return_for_revision",
                   "不予支持": "reject"},
        needs_opinion=frozenset({"退回修改", "不予支持"})),
    "acceptance": ImportKind(
        title=_("验收结果"),
        states=(State.ACCEPTANCE_SUBMITTED, State.ACCEPTANCE_REVIEW),
        prelude={State.ACCEPTANCE_SUBMITTED: "open_acceptance_review"},
        decisions={"通过": "pass_acceptance", "不通过": "fail_acceptance",
                   "退回修改": "return_for_revision"},
        needs_opinion=frozenset({"不通过", "退回修改"})),
}
HEADERS = ("申报编号", "申报单位", "项目名称", "结论", "意见")


def template(user, kind: str) -> bytes:
    """An .xlsx listing the user's pending applications, with a drop-down for the result."""
    spec = KINDS[kind]
    book = new_workbook()
    pending = (visible_applications(user).filter(state__in=spec.states)
               .select_related("organisation").order_by("number"))
    sheet = add_table(book, str(spec.title), HEADERS,
                      [(app.number, app.organisation.name, app.title, "", "") for app in pending],
                      widths=(16, 30, 36, 12, 40))
    choices = DataValidation(type="list", formula1='"' + ",".join(spec.decisions) + '"',
                             allow_blank=True)
    sheet.add_data_validation(choices)
    choices.add(f"D2:D{max(sheet.max_row, 2) + 200}")
    return workbook_bytes(book)


def read_rows(upload) -> list[tuple[int, str, str, str]]:
    """(row number, application number, decision, opinion) for every non-empty row."""
    rows = []
    try:
        sheet = load_workbook(upload, read_only=True, data_only=True).worksheets[0]
        for index, row in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
            cells = [("" if v is None else str(v)).strip() for v in (row + ("",) * 5)[:5]]
            if any(cells):
                rows.append((index, cells[0], cells[3], cells[4]))
    except (BadZipFile, KeyError, OSError, ValueError, SyntaxError, IndexError):
        # (a damaged sheet's XML raises ParseError, a SyntaxError, while rows are read)
        raise ValueError(_("无法读取该文件，请使用下载的 Excel 模板（.xlsx）。")) from None
    if not rows:
        raise ValueError(_("表格中没有数据行。"))
    return rows


def import_results(user, kind: str, upload) -> tuple[int, list[tuple[int, str]]]:
    """Apply the sheet: returns (rows applied, [(row, error)]); applies nothing on any error."""
    spec = KINDS[kind]
    try:
        rows = read_rows(upload)
    except ValueError as problem:
        return 0, [(0, str(problem))]
    errors, plan = [], []
    visible = {a.number: a for a in visible_applications(user).filter(
        number__in=[r[1] for r in rows])}
    seen = set()
    for index, number, decision, opinion in rows:
        app = visible.get(number)
        if app is None:
            errors.append((index, lazy_format(_("申报编号 %(n)s 不存在或不在您的范围内。"),
                                              {"n": number or "—"})))
        elif number in seen:
            errors.append((index, lazy_format(_("申报编号 %(n)s 重复。"), {"n": number})))
        elif decision not in spec.decisions:
            errors.append((index, lazy_format(_("结论应为：%(choices)s。"),
                                              {"choices": "、".join(spec.decisions)})))
        elif decision in spec.needs_opinion and not opinion:
            errors.append((index, lazy_format(_("“%(d)s”必须填写意见。"), {"d": decision})))
        elif app.state not in spec.states:
            errors.append((index, lazy_format(_("申报 %(n)s 当前状态为“%(s)s”，不能导入结论。"),
                                              {"n": number, "s": State(app.state).label})))
        else:
            plan.append((index, app, decision, opinion))
        seen.add(number)
    if errors:
        return 0, errors
    try:
        with transaction.atomic():
            for index, app, decision, opinion in plan:
                current = index
                first = spec.prelude.get(app.state)
                if first:
                    engine.perform(app, first, user)
                engine.perform(app, spec.decisions[decision], user, comment=opinion)
    except TransitionRefused as refusal:
        return 0, [(current, str(refusal.reason))]
    return len(plan), []


# --- Payments (the finance bureau) ----------------------------------------------------------

@dataclass(frozen=True)
class PaymentImport:
    title: object
    help: object


PAYMENTS = PaymentImport(
    title=_("拨付记录"),
    help=_("下载模板（已列出待拨付的申报及尚余金额），在每笔已拨付的行填写拨付日期、拨付金额和"
           "拨付凭证号后上传；不填的行不导入，同一申报可填多行。所有行都正确时才会导入；否则一行"
           "也不导入，并列出每一行的问题。请直接填写日期和数值，不要使用公式。"))
PAYMENT_HEADERS = (_("申报编号"), _("申报单位"), _("项目名称"), _("核定金额（元）"),
                   _("已拨付（元）"), _("尚余（元）"), _("拨付日期"), _("拨付金额（元）"),
                   _("拨付凭证号"))
#: The columns read back: application number, date, amount, reference (0-based).
PAYMENT_COLUMNS = (0, 6, 7, 8)


def payment_template(user) -> bytes:
    """An .xlsx listing the applications awaiting payment that `user` sees, with what is
    left of each, and empty columns for the payments (subsidy.excel: typed text stays text)."""
    book = new_workbook()
    pending = (awaiting_payment(visible_applications(user))
               .select_related("organisation").order_by("number"))
    add_table(book, str(PAYMENTS.title), [str(h) for h in PAYMENT_HEADERS],
              [(a.number, a.organisation.name, a.title, a.approved_amount, a.paid_amount or 0,
                left_to_pay(a), None, None, None) for a in pending],
              money=[3, 4, 5, 7], widths=[16, 30, 36, 14, 14, 14, 14, 14, 24])
    return workbook_bytes(book)


def _cell_date(value):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def read_payment_rows(upload) -> list[tuple[int, list]]:
    """(row number, [number, date, amount, reference]) of every row with a payment typed in.
    Formula cells are refused, never evaluated nor read as their text."""
    rows = []
    try:
        sheet = load_workbook(upload, read_only=True, data_only=False).worksheets[0]
        for index, row in enumerate(sheet.iter_rows(min_row=2), start=2):
            cells = (tuple(row) + (None,) * len(PAYMENT_HEADERS))[:len(PAYMENT_HEADERS)]
            picked = [cells[i] for i in PAYMENT_COLUMNS]
            if any(c is not None and getattr(c, "data_type", "") == "f" for c in picked):
                rows.append((index, None))
                continue
            values = [None if c is None else c.value for c in picked]
            if any(v not in (None, "") for v in values[1:]):
                rows.append((index, values))
    except (BadZipFile, KeyError, OSError, ValueError, SyntaxError, IndexError):
        raise ValueError(_("无法读取该文件，请使用下载的 Excel 模板（.xlsx）。")) from None
    if not rows:
        raise ValueError(_("表格中没有填写拨付的行。"))
    return rows


def import_payments(user, upload, today=None) -> tuple[int, list[tuple[int, str]]]:
    """Record the sheet's payments: (payments recorded, [(row, error)]); records nothing on
    any error (subsidy.payments.record_payments)."""
    try:
        rows = read_payment_rows(upload)
    except ValueError as problem:
        return 0, [(0, str(problem))]
    numbers = [str(values[0] or "").strip() for _index, values in rows if values]
    visible = {a.number: a for a in visible_applications(user).filter(number__in=numbers)}
    errors, lines, row_of_line = [], [], []
    for index, values in rows:
        if values is None:
            errors.append((index, _("拨付日期、金额和凭证号请直接填写，不要使用公式。")))
            continue
        number, paid_on, amount, reference = values
        number = str(number or "").strip()
        app = visible.get(number)
        if app is None:
            errors.append((index, lazy_format(_("申报编号 %(n)s 不存在或不在您的范围内。"),
                                              {"n": number or "—"})))
            continue
        day, money = _cell_date(paid_on), to_money(amount)
        if paid_on not in (None, "") and day is None:
            errors.append((index, _("拨付日期应为日期，如 2021-12-20。")))
        elif amount not in (None, "") and money is None:
            errors.append((index, _("拨付金额应为金额，如 30000.00。")))
        else:
            lines.append(PaymentLine(app, day, money, str(reference or "")))
            row_of_line.append(index)
    if errors:
        return 0, errors
    try:
        recorded = record_payments(user, lines, today)
    except PaymentsRefused as refused:
        return 0, [(row_of_line[i], str(r.reason)) for i, r in refused.errors]
    return len(recorded), []
