"""The printable 申报书 of an application: what the applicant submitted, with its number, on
A4 pages (text read back with pdftotext, page sizes with pypdf); for the applicant and the
reviewers who may see the application, nobody else."""

import io
import shutil
import subprocess
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pypdf import PdfReader

from accounts.models import Role
from subsidy.attachments import add_attachment
from subsidy.demo import credit_code
from subsidy.models import Application, ExpertAssignment
from subsidy.printed_form import content_code
from subsidy.services import create_application, update_application
from workflows import services as engine
from workflows.stages import State

from .api_client import ApiClient
from .conftest import SHOTS
from .factories import ProgrammeFactory, UserFactory, category
from .helpers import signed_in, travel_to

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(not shutil.which("pdftotext"),
                                 reason="poppler-utils not installed (scripts/setup.sh does)")]

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
FORM = {"title": "发明专利质押融资贴息项目", "requested_amount": "60000",
        "project_summary": "以 3 件发明专利向中国银行衡阳分行质押融资 500 万元。",
        "loan_contract_number": "ZY-2021-0456", "bank": "中国银行衡阳分行",
        "loan_amount": "5000000", "loan_start": "2021-03-01", "loan_end": "2022-02-28",
        "interest_paid": "215000.50", "patent_numbers": "ZL201310699744.2"}


def text_of(data: bytes) -> str:
    """The text in the order it is drawn, without spaces and line breaks."""
    out = subprocess.run(["pdftotext", "-raw", "-", "-"], input=data,
                         capture_output=True, check=True).stdout.decode()
    return "".join(out.split())


def application_of(applicant, programme) -> Application:
    """A category-10 draft filled in and with every required attachment, through the
    services an applicant uses."""
    organisation = applicant.organisation
    organisation.name = "衡阳示范精密机械有限公司"
    organisation.address = "衡阳市珠晖区东风南路 88 号"
    organisation.contact_name, organisation.contact_phone = "张经办", "0734-8123456"
    organisation.email = "ip@hyjm.example.cn"
    organisation.uscc = credit_code("91", "430405", "MA4L1A2B3")
    organisation.save()
    app = create_application(applicant, programme, category("10"), FORM)
    for item in app.category.required_attachments:
        add_attachment(applicant, app, item["kind"],
                       SimpleUploadedFile(f"{item['label']}.pdf", PDF + item["kind"].encode()))
    return app


@pytest.fixture
def programme(reference):
    return ProgrammeFactory(title="2021年度知识产权培育资助")


@pytest.fixture
def submitted(applicant, programme):
    with travel_to(date(2021, 8, 2)):
        app = application_of(applicant, programme)
        engine.perform(app, "submit", applicant)
    return Application.objects.get(pk=app.pk)


def test_the_form_says_what_was_submitted_on_a4_pages(submitted, applicant, tmp_path):
    response = signed_in(applicant).get(f"/applications/{submitted.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")  # opened to print
    data = response.content
    text = text_of(data)
    org = applicant.organisation
    for expected in (f"申报编号：{submitted.number}", submitted.programme.title, "申报书",
                     "10知识产权质押融资培育", org.name, org.uscc, "珠晖区", "张经办",
                     "0734-8123456", "发明专利质押融资贴息项目",
                     "60,000.00（大写：陆万元整）", "提交日期2021年8月2日",
                     "项目概述", "以3件发明专利向中国银行衡阳分行质押融资500万元。",
                     "质押贷款合同编号", "ZY-2021-0456", "贷款银行", "中国银行衡阳分行",
                     "贷款金额（元）", "5,000,000.00", "已付利息（元）", "215,000.50",
                     "专利号", "ZL201310699744.2",
                     "四、附件清单", "质押贷款合同.pdf（第1版，2021年8月2日上传）",
                     "利息支付凭证（及评估费、保险费支付凭证）.pdf", "申报单位（盖章）",
                     "法定代表人（签字）",
                     f"校验码{content_code(submitted)}", "第1页共2页"):
        assert expected in text, expected
    pages = PdfReader(io.BytesIO(data)).pages
    assert len(pages) == 2
    for page in pages:  # A4: 210 × 297 mm
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width * 25.4 / 72), round(height * 25.4 / 72)) == (210, 297)
    path = tmp_path / "form.pdf"
    path.write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile",
                    str(path), str(SHOTS / "application_form_pdf")], check=True)


def test_a_resubmission_after_a_return_is_dated_too(submitted, applicant, county):
    with travel_to(date(2021, 8, 5)):
        engine.perform(submitted, "return_for_revision", county, comment="请补充贷款合同。")
    with travel_to(date(2021, 8, 9)):
        engine.perform(submitted, "resubmit", applicant)
    text = text_of(signed_in(county).get(f"/applications/{submitted.pk}/pdf/").content)
    assert "2021年8月2日（退回修改后于2021年8月9日重新提交）" in text


def test_a_draft_prints_unmarked_for_stamping(applicant, programme):
    """The call asks for the 申报书 stamped and scanned before submission: a draft prints
    as the form to stamp, without a 草稿 mark, and says it is not submitted yet."""
    draft = application_of(applicant, programme)
    text = text_of(signed_in(applicant).get(f"/applications/{draft.pk}/pdf/").content)
    assert "提交日期尚未提交" in text and draft.number in text
    assert "草稿" not in text


def test_the_check_code_follows_the_content_only(applicant, programme):
    draft = application_of(applicant, programme)
    code = content_code(draft)
    page = signed_in(applicant).get(f"/applications/{draft.pk}/").content.decode()
    assert f"/applications/{draft.pk}/pdf/" in page and code in page
    add_attachment(applicant, draft, "application_form",
                   SimpleUploadedFile("申报书-盖章.pdf", PDF + b"% stamped\n"))
    assert content_code(draft) == code  # uploading the scan does not change what it shows
    update_application(applicant, draft, {**FORM, "title": "发明专利质押融资贴息项目（修改）"})
    assert content_code(draft) != code


def test_printed_in_chinese_whatever_the_interface_language(submitted, applicant):
    client = signed_in(applicant)
    client.cookies["django_language"] = "en"
    assert "Application form (PDF)" in client.get(f"/applications/{submitted.pk}/").content \
        .decode()
    text = text_of(client.get(f"/applications/{submitted.pk}/pdf/").content)
    assert "一、申报单位基本情况" in text and "单位类型企业" in text


def test_reviewers_who_see_the_application_print_it_nobody_else(
        submitted, applicant, other_applicant, county, other_county, city, finance):
    expert, assigned = UserFactory(role=Role.EXPERT), UserFactory(role=Role.EXPERT)
    ExpertAssignment.objects.create(application=submitted, expert=assigned, assigned_by=city)
    url = f"/applications/{submitted.pk}/pdf/"
    expected = {applicant: 200, county: 200, city: 200, assigned: 200,
                other_applicant: 404, other_county: 404, finance: 404, expert: 404}
    for user, status in expected.items():
        response = signed_in(user).get(url)
        assert response.status_code == status, (user.role, user.username)
        if status == 404:
            assert submitted.organisation.name.encode() not in response.content
    desk = signed_in(county).get(f"/desk/review/{submitted.pk}/").content.decode()
    assert url in desk
    Application.objects.filter(pk=submitted.pk).update(state=State.AWAITING_DISBURSEMENT,
                                                        approved_amount=Decimal("60000"))
    assert signed_in(finance).get(url).status_code == 200  # finance's states
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.url


def test_the_api_serves_the_same_form_to_whoever_may_see_it(submitted, applicant,
                                                            other_applicant, county):
    response = ApiClient(applicant).get(f"/applications/{submitted.pk}/form.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    assert submitted.number in text and "衡阳示范精密机械有限公司" in text
    assert ApiClient(county).get(f"/applications/{submitted.pk}/form.pdf").status_code == 200
    assert ApiClient(other_applicant).get(
        f"/applications/{submitted.pk}/form.pdf").status_code == 404
    assert ApiClient().get(f"/applications/{submitted.pk}/form.pdf").status_code == 401
