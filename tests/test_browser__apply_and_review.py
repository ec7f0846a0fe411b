"""In a real browser (Playwright driving Debian's chromium): an applicant registers, fills the
category-21 form with attachments and submits; the county reviewer recommends it; city staff
approve it; the applicant sees the timeline and got the e-mails. Screenshots go to
docs/screenshots/."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import Role, User
from accounts.twofactor import needs_two_factor
from subsidy.demo import credit_code
from subsidy.models import Application
from workflows.stages import State

from .conftest import SHOTS
from .factories import PASSWORD, CountyReviewerFactory, ProgrammeFactory, UserFactory, region
from .helpers import current_code, totp_device

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base, username, password=PASSWORD):
    """Password, then for staff the code their authenticator app shows."""
    user = User.objects.get(username=username)
    device = totp_device(user) if needs_two_factor(user) else None  # enrolled earlier
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_auth-username", username)
    page.fill("#id_auth-password", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    if device:
        page.fill("#id_token-otp_token", current_code(device))
        with page.expect_navigation():
            page.click("main button.btn-primary")  # (the first submit button goes back)


def test_apply_review_approve_in_a_browser(browser, live_server, tmp_path):
    from .factories import ensure_reference_data

    ensure_reference_data()
    programme = ProgrammeFactory()
    county = CountyReviewerFactory(region=region("430405"), first_name="珠晖区审核员")
    UserFactory(username="city-staff", role=Role.CITY, first_name="市局经办")
    base = live_server.url
    SHOTS.mkdir(parents=True, exist_ok=True)
    pdf = tmp_path / "证书.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n")

    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()

    # an organisation registers
    page.goto(f"{base}/register/")
    page.fill("#id_username", "hengyang-tech")
    page.fill("#id_password1", "a-Strong-pass-2021")
    page.fill("#id_password2", "a-Strong-pass-2021")
    page.fill("#id_first_name", "王经办")
    page.fill("#id_email", "wang@example.com")
    page.fill("#id_phone", "0734-1234567")
    page.fill("#id_org_name", "衡阳智造科技有限公司")
    page.fill("#id_uscc", credit_code("91", "430405", "MA4T0T0T2"))
    page.select_option("#id_org_type", "enterprise")
    page.select_option("#id_region", str(region("430405").pk))
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/my/")

    # it fills the category-21 form, uploads the attachments and submits
    page.goto(f"{base}/programmes/{programme.pk}/")
    page.click(f"a[href='/programmes/{programme.pk}/apply/21/']")
    page.fill("#id_title", "GB/T 29490 知识产权管理体系贯标认证")
    page.fill("#id_requested_amount", "30000")
    page.fill("#id_project_summary", "2021年5月通过知识产权管理体系认证。")
    page.select_option("#id_standard", "GB/T 29490-2013")  # the standard in force in 2021
    page.fill("#id_certificate_number", "18121IP0001")
    page.fill("#id_certification_body", "中知（北京）认证有限公司")
    page.fill("#id_certified_on", "2021-05-20")
    assert page.text_content("#allowed-amount") == "30,000.00"  # shown while typing
    page.screenshot(path=str(SHOTS / "applicant-form.png"), full_page=True)
    page.click("main form.stacked button[type=submit]")
    page.wait_for_url(f"{base}/applications/*/")
    for kind in ("application_form", "certificate"):
        page.select_option("#id_kind", kind)
        page.set_input_files("#id_file", str(pdf))
        page.click("form[enctype] button[type=submit]")
        page.wait_for_load_state()
    page.click("button[value=submit]")
    page.wait_for_selector("text=等待所在县市区知识产权部门受理")
    application = Application.objects.get()
    assert application.state == State.SUBMITTED

    # the county reviewer of 珠晖区 finds it in the inbox, accepts and recommends it
    sign_in(page, base, county.username)
    page.goto(f"{base}/desk/review/")
    page.wait_for_selector(f"text={application.number}")
    page.screenshot(path=str(SHOTS / "reviewer-inbox.png"), full_page=True)
    page.click(f"text={application.number}")
    page.click("button[value=accept]")
    page.wait_for_selector("button[value=recommend]")
    page.fill("#id_recommend-comment", "材料齐全，符合条件，同意推荐。")
    page.click("button[value=recommend]")
    page.wait_for_selector("text=已完成")

    # city staff approve it with the amount the rule gives
    sign_in(page, base, "city-staff")
    page.goto(f"{base}/desk/review/{application.pk}/")
    assert page.input_value("#id_approve-amount") == "30000.00"
    page.fill("#id_approve-comment", "经审核，同意资助。")
    page.click("button[value=approve]")
    page.wait_for_selector("text=已完成")
    application.refresh_from_db()
    assert (application.state, application.approved_amount) == (State.APPROVED, 30000)

    # the applicant sees every step with its opinion, and got an e-mail for each
    sign_in(page, base, "hengyang-tech", "a-Strong-pass-2021")
    page.goto(f"{base}/applications/{application.pk}/")
    for text in ("提交申报", "受理", "初审通过并推荐", "材料齐全，符合条件，同意推荐。",
                 "审核通过", "经审核，同意资助。"):
        expect(page.locator(f"text={text}").first).to_be_visible()
    page.screenshot(path=str(SHOTS / "timeline.png"), full_page=True)
    to_applicant = [m for m in mail.outbox if "wang@example.com" in m.to]
    assert [m.subject.split(" ", 1)[1] for m in to_applicant] == [
        "提交申报", "受理", "初审通过并推荐", "审核通过"]
    context.close()
