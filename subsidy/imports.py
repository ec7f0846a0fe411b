"""Excel import of a county's preliminary-review results or the city's acceptance results.

A template lists the importer's pending applications; the filled sheet is checked row by row
and applied in one transaction only if every row is valid (otherwise nothing changes and each
bad row is reported with its number).
"""

from dataclasses import dataclass
from io import BytesIO
from zipfile import BadZipFile

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.datavalidation import DataValidation

from workflows import services as engine
from workflows.exceptions import TransitionRefused
from workflows.i18n import lazy_format
from workflows.stages import State

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
    book = Workbook()
    sheet = book.active
    sheet.title = str(spec.title)
    sheet.append(list(HEADERS))
    pending = (visible_applications(user).filter(state__in=spec.states)
               .select_related("organisation").order_by("number"))
    for app in pending:
        sheet.append([app.number, app.organisation.name, app.title, "", ""])
    choices = DataValidation(type="list", formula1='"' + ",".join(spec.decisions) + '"',
                             allow_blank=True)
    sheet.add_data_validation(choices)
    choices.add(f"D2:D{max(sheet.max_row, 2) + 200}")
    for column, width in zip("ABCDE", (16, 30, 36, 12, 40), strict=True):
        sheet.column_dimensions[column].width = width
    out = BytesIO()
    book.save(out)
    return out.getvalue()


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
