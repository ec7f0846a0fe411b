"""The public page: the objection form names each project with the 序号 of the table above
it, in the same order, and with its application number; the page and its print sheet give
the office's phone and address from the programme (set in the admin, and in the demo), as
does the Excel list."""

import io
import re

import pytest
from django.test import Client
from openpyxl import load_workbook

from accounts.models import Role
from subsidy.demo import PROGRAMME, seed
from subsidy.models import Programme

from .factories import ApplicationFactory, OrganisationFactory, UserFactory, region
from .helpers import signed_in
from .publicity_data import TODAY, published_batch

pytestmark = [pytest.mark.django_db, pytest.mark.today(TODAY)]
PHONE, ADDRESS = "0734-8123456", "衡阳市蒸湘区解放大道 1 号 知识产权科"


@pytest.fixture
def batch(programme, city):
    """Applications created out of the listed order (the table sorts by county, number)."""
    apps = [ApplicationFactory(programme=programme, approved_amount=1000,
                               organisation=OrganisationFactory(region=region(code)),
                               title=f"项目{code}", number=f"HY2021-{9 - i:04d}")
            for i, code in enumerate(["430482", "430405", "430424", "430405"])]
    return published_batch(programme, city, apps=apps)[0]


def table_rows(page: str) -> list[tuple[str, str]]:
    """(序号, 单位名称) of each row of the published table."""
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    cells = [re.findall(r"<td[^>]*>(?:<span class=\"cell-label\">[^<]*</span>)?([^<]*)</td>",
                        row) for row in body.split("<tr>")[1:]]
    return [(c[0], c[2]) for c in cells]


def form_choices(page: str) -> list[tuple[str, str, str]]:
    """(序号, 单位名称, 申报编号) of each project the objection form offers."""
    return re.findall(r'<option value="\d+">(\d+)．(.+?) — .+?（申报编号 (.+?)）</option>', page)


def test_the_form_lists_the_projects_as_the_table_numbers_them(batch):
    page = Client().get(f"/publicity/{batch.pk}/").content.decode()
    rows, choices = table_rows(page), form_choices(page)
    assert [n for n, _org in rows] == ["1", "2", "3", "4"]
    assert [(n, org) for n, org, _number in choices] == rows
    listed = list(batch.applications.order_by("region__code", "number"))
    assert [number for _n, _org, number in choices] == [a.number for a in listed]
    assert listed[0].region.code == "430405"  # the list is not in the order of creation


def test_the_page_and_the_print_sheet_give_the_office_contact(batch):
    Programme.objects.filter(pk=batch.programme_id).update(office_phone=PHONE,
                                                           office_address=ADDRESS)
    client = Client()
    for url in (f"/publicity/{batch.pk}/", f"/publicity/{batch.pk}/print/"):
        page = client.get(url).content.decode()
        assert f"联系电话：{PHONE}" in page and f"通讯地址：{ADDRESS}" in page, url
    sheet = load_workbook(io.BytesIO(client.get(f"/publicity/{batch.pk}/excel/").content)).active
    cells = {c.value for row in sheet.iter_rows() for c in row}
    assert f"联系电话：{PHONE}" in cells and f"通讯地址：{ADDRESS}" in cells


def test_without_a_contact_no_empty_labels(batch):
    page = Client().get(f"/publicity/{batch.pk}/").content.decode()
    assert "联系电话" not in page and "通讯地址" not in page


def test_the_contact_is_edited_in_the_admin(programme):
    admin = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    form = signed_in(admin).get(f"/admin/subsidy/programme/{programme.pk}/change/")
    assert form.status_code == 200
    page = form.content.decode()
    assert 'name="office_phone"' in page and 'name="office_address"' in page


def test_the_demo_programme_has_a_contact():
    seed(password="demo-password-1")
    demo = Programme.objects.get(year=PROGRAMME["year"], title=PROGRAMME["title"])
    assert demo.office_phone and demo.office_address
