"""The publicity list as an Excel workbook (openpyxl)."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

HEADERS = ("序号", "县市区", "单位名称", "项目名称", "资助类别", "金额（元）")
WIDTHS = (6, 14, 34, 40, 30, 14)


def publicity_rows(batch):
    """(序号, 县市区, 单位名称, 项目名称, 资助类别, 金额) in county then number order."""
    applications = (batch.applications.select_related("region", "organisation", "category")
                    .order_by("region__code", "number"))
    return [(i, a.region.name, a.organisation.name, a.title,
             f"{a.category.code} {a.category.name}", a.approved_amount)
            for i, a in enumerate(applications, 1)]


def publicity_workbook(batch) -> bytes:
    """An .xlsx of the batch: title, period, the list and the objection channel."""
    book = Workbook()
    sheet = book.active
    sheet.title = "公示名单"
    thin = Side(style="thin")
    sheet.append([batch.title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append([f"公示期：{batch.start_date:%Y年%m月%d日} 至 {batch.end_date:%Y年%m月%d日}"
                  f"（{batch.workdays}个工作日）"])
    sheet.append(list(HEADERS))
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    rows = publicity_rows(batch)
    for row in rows:
        sheet.append(list(row))
    total = sum((r[5] or 0) for r in rows)
    sheet.append(["合计", "", "", "", "", total])
    for row in sheet.iter_rows(min_row=3, max_row=sheet.max_row):
        for cell in row:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        row[5].number_format = "#,##0.00"
    sheet.append([])
    sheet.append([batch.objection_contact])
    for index, width in enumerate(WIDTHS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    out = BytesIO()
    book.save(out)
    return out.getvalue()
