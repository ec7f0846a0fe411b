"""Every list and report downloads as Excel with the filters on screen: the dashboard, the
county summary, the half-year summary and the review inbox (read back with openpyxl)."""

import io
from decimal import Decimal
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

from tests.factories import ProgrammeFactory, region
from tests.helpers import signed_in
from workflows.stages import State

from .reports_data import dashboard_set

D = Decimal


def workbook(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith("attachment;")
    return load_workbook(io.BytesIO(response.content))


def rows(sheet):
    return [tuple(c.value for c in row) for row in sheet.iter_rows()]


@pytest.fixture
def budgeted(reference):
    return ProgrammeFactory(category_budget="500000")


@pytest.mark.django_db
def test_dashboard_workbook_has_every_block(budgeted, city):
    dashboard_set(budgeted)
    ProgrammeFactory()  # a newer default must not be what is exported: the filter is carried
    book = workbook(signed_in(city).get(f"/desk/reports/excel/?programme={budgeted.pk}"))
    assert book.sheetnames == ["资金", "类别与状态", "县市区", "办理时长", "超期事项", "疑似问题"]
    money = rows(book["资金"])
    assert money[0][0] == f"{budgeted.title} 资金使用情况"
    by_code = {r[0][:2]: r for r in money[3:-1]}
    assert by_code["01"][1:] == (D("500000"), 3, D("380000"), 2, D("230000"), D("80000"),
                                 D("80000"), D("270000"))
    assert by_code["02"][2] == 0  # categories without applications are listed
    assert money[-1] == ("合计", D("10000000"), 6, D("490000"), 4, D("290000"),
                         D("110000"), D("80000"), D("9710000"))
    assert book["资金"]["D4"].number_format == "#,##0.00"
    matrix = rows(book["类别与状态"])
    assert matrix[1] == ("资助类别", "市级审核", "审核通过，待公示", "已下达拨款通知", "已拨付",
                         "已退回修改", "未获支持", "合计")
    assert matrix[-1] == ("合计", 1, 1, 1, 1, 1, 1, 6)
    counties = {r[0]: r for r in rows(book["县市区"])[2:]}
    assert counties[region("430424").name] == (region("430424").name, 3, 2, D("160000"),
                                               D("110000"), D("80000"), D("80000"))
    assert counties["合计"][1] == 6


@pytest.mark.django_db
def test_county_workbook(budgeted, county):
    apps = dashboard_set(budgeted)
    mine = region("430405")
    response = signed_in(county).get(
        f"/desk/reports/county/excel/?programme={budgeted.pk}&region={mine.pk}")
    assert mine.name in unquote(response["Content-Disposition"])
    book = workbook(response)
    summary = rows(book["汇总"])
    assert summary[0][0] == f"{budgeted.title} {mine.name} 申报情况汇总表"
    assert [r[0][:2] for r in summary[3:-1]] == ["01", "21"]  # only categories it applied in
    assert summary[-1] == ("合计", 3, 2, D("330000"), D("180000"), D("30000"), D("0"))
    listing = rows(book["申报清单"])
    assert sorted(r[1] for r in listing[2:]) == sorted(
        apps[k].number for k in ("a1", "a2", "a4"))


@pytest.mark.django_db
def test_half_year_workbook(budgeted, city):
    dashboard_set(budgeted)
    book = workbook(signed_in(city).get("/desk/reports/half-year/excel/?year=2021&half=2"))
    sheet = rows(book["半年小结"])
    assert sheet[0][0] == "2021年下半年资助工作统计"
    assert sheet[2][:4] == ("资助类别", "申报（件）本期", "申报（件）上年同期", "申报（件）同比%")
    assert len(sheet) == 3 + 23 + 1
    total = sheet[-1]
    # approvals in 2021 H2: a3 (80000), a6 (30000), a4 (30000), a2 (150000); a3 paid 09-10
    assert total[4:7] == (4, 0, None) and total[7:10] == (D("290000"), D("0"), None)
    assert total[13] == D("80000")


@pytest.mark.django_db
def test_inbox_export_carries_the_filters(budgeted, county, city):
    apps = dashboard_set(budgeted)
    client = signed_in(city)
    everything = rows(workbook(client.get("/desk/review/export/?all=1")).active)
    assert sorted(r[0] for r in everything[2:]) == sorted(
        a.number for k, a in apps.items() if k != "a7")
    filtered = rows(workbook(client.get("/desk/review/export/?state=paid")).active)
    assert [r[0] for r in filtered[2:]] == [apps["a3"].number]
    assert filtered[2][5:8] == (D("80000"), D("80000"), D("80000"))
    assert filtered[2][8] == "已拨付"
    todo = rows(workbook(signed_in(county).get("/desk/review/export/")).active)
    assert todo[0][0] == "待办申报" and len(todo) == 2  # title, header: nothing to do
    mine = rows(workbook(signed_in(county).get("/desk/review/export/?all=1")).active)
    assert sorted(r[0] for r in mine[2:]) == sorted(apps[k].number for k in ("a1", "a2", "a4"))
    page = client.get("/desk/review/?state=paid").content.decode()
    assert "/desk/review/export/?state=paid" in page


@pytest.mark.django_db
def test_county_print_page(budgeted, county):
    dashboard_set(budgeted)
    mine = region("430405")
    html = signed_in(county).get(
        f"/desk/reports/county/print/?programme={budgeted.pk}&region={mine.pk}").content.decode()
    assert "@page" in html and "申报情况汇总表" in html and "填报单位（盖章）" in html
    assert "330,000.00" in html and str(State.CITY_REVIEW.label) in html
