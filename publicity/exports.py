"""The publicity list as an Excel workbook (laid out by subsidy.excel), in Chinese like the
printed list: it is the office's published list, whatever the reader's language."""

from django.utils import translation

from subsidy.excel import add_table, new_workbook, workbook_bytes

HEADERS = ("序号", "县市区", "单位名称", "项目名称", "资助类别")
WIDTHS = (6, 14, 34, 40, 30, 16)


def listed_applications(batch):
    """The batch's applications in the order the public list numbers them: county, number."""
    return (batch.applications.select_related("region", "organisation", "category")
            .order_by("region__code", "number"))


def publicity_rows(batch):
    """(序号, 县市区, 单位名称, 项目名称, 资助类别, 金额) in the listed order."""
    return [(i, a.region.name, a.organisation.name, a.title,
             f"{a.category.code} {a.category.name}", a.approved_amount)
            for i, a in enumerate(listed_applications(batch), 1)]


def list_total(rows):
    """The sum of publicity_rows' amounts (the printed and exported 合计)."""
    return sum((r[5] or 0) for r in rows)


def publicity_workbook(batch) -> bytes:
    """An .xlsx of the batch: title, period, the list and the objection channel."""
    book = new_workbook()
    rows = publicity_rows(batch)
    with translation.override("zh-hans"):
        kind, amount = str(batch.get_kind_display()), str(batch.amount_heading)
    add_table(
        book, "公示名单", (*HEADERS, amount), rows, title=batch.title,
        notes=[f"公示类型：{kind}",
               f"公示期：{batch.start_date:%Y年%m月%d日} 至 {batch.end_date:%Y年%m月%d日}"
               f"（{batch.workdays}个工作日）"],
        total=["合计", "", "", "", "", list_total(rows)],
        footer=[batch.objection_contact, *batch.programme.office_contact], money=[5],
        widths=WIDTHS)
    return workbook_bytes(book)
