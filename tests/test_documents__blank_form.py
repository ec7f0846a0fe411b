"""Each category's blank 申报书, to prepare offline before applying: the same layout as an
application's, every field's label with room for its value, from the programme page."""

import io
import shutil
import subprocess

import pytest
from django.test import Client
from pypdf import PdfReader

from subsidy.models import Category, ProgrammeStatus

from .helpers import signed_in

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(not shutil.which("pdftotext"),
                                 reason="poppler-utils not installed (scripts/setup.sh does)")]


def text_of(data: bytes) -> str:
    """The text in the order it is drawn, without spaces and line breaks."""
    out = subprocess.run(["pdftotext", "-raw", "-", "-"], input=data,
                         capture_output=True, check=True).stdout.decode()
    return "".join(out.split())


def test_every_category_has_its_blank_form(applicant, programme):
    client = signed_in(applicant)
    categories = list(Category.objects.order_by("code"))
    assert len(categories) == 23
    page = client.get(f"/programmes/{programme.pk}/").content.decode()
    for cat in categories:
        url = f"/programmes/{programme.pk}/blank-forms/{cat.code}/"
        assert f'href="{url}"' in page, cat.code
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        text = text_of(response.content)
        for expected in (programme.title, "申报书", f"{cat.code}{cat.name}".replace(" ", ""),
                         "一、申报单位基本情况", "统一社会信用代码", "项目名称", "申请金额（元）",
                         "四、附件清单", "申报单位（盖章）", "年月日", "空白申报书"):
            assert expected in text, (cat.code, expected)
        for field in cat.form_fields:
            assert field["label"].replace(" ", "") in text, (cat.code, field["label"])
        for item in cat.required_attachments:
            assert f"{item['label']}□已提供" in text, (cat.code, item["label"])
        assert "校验码" not in text and "尚未提交" not in text  # nothing filled in
        for page_ in PdfReader(io.BytesIO(response.content)).pages:
            assert round(float(page_.mediabox.width)) == 595  # A4
            assert round(float(page_.mediabox.height)) == 842


def test_the_blank_form_names_who_may_apply_and_the_rule(applicant, programme):
    text = text_of(signed_in(applicant).get(
        f"/programmes/{programme.pk}/blank-forms/21/").content)
    assert "单位类型限企业" in text and "资助标准定额30,000.00元" in text
    assert "认证证书编号" in text and "发证日期" in text and "贯标认证证书□已提供" in text


def test_only_programmes_open_for_applications(applicant, programme, city):
    url = f"/programmes/{programme.pk}/blank-forms/01/"
    client = signed_in(applicant)
    assert client.get(f"/programmes/{programme.pk}/blank-forms/99/").status_code == 404
    for status in (ProgrammeStatus.DRAFT, ProgrammeStatus.CLOSED):
        programme.status = status
        programme.save()
        assert client.get(url).status_code == 404, status
    programme.status = ProgrammeStatus.OPEN
    programme.save()
    assert client.get(url).status_code == 200
    assert signed_in(city).get(url).status_code == 403  # like the programme page
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.url
