"""In a real browser: the pledge-financing and Madrid forms show, while typing, what their
rules computed part by part allow (each component capped; countries counted per
registration up to the cap), and the saved application shows the breakdown."""

import pytest

from subsidy.models import Application

from .conftest import SHOTS
from .factories import ApplicantFactory, ProgrammeFactory, ensure_reference_data
from .test_browser__apply_and_review import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_live_amount_follows_the_components_and_the_countries(browser, live_server):
    ensure_reference_data()
    programme = ProgrammeFactory()
    applicant = ApplicantFactory()
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    sign_in(page, live_server.url, applicant.username)

    page.goto(f"{live_server.url}/programmes/{programme.pk}/apply/10/")
    page.fill("#id_title", "商标专用权质押融资贴息")
    page.fill("#id_requested_amount", "200000")
    page.fill("#id_project_summary", "以注册商标质押取得贷款。")
    page.fill("#id_loan_contract_number", "2021衡质贷字第001号")
    page.fill("#id_bank", "中国银行衡阳分行")
    page.fill("#id_loan_amount", "5000000")
    page.fill("#id_loan_start", "2021-03-01")
    page.fill("#id_loan_end", "2022-02-28")
    page.fill("#id_trademark_numbers", "第12345678号")
    page.fill("#id_interest_paid", "120,000")
    assert page.text_content("#allowed-amount") == "36,000.00"   # 30% of the interest
    page.fill("#id_evaluation_fee", "50000")                      # 50%, capped at 20,000
    page.fill("#id_insurance_fee", "8000")
    assert page.text_content("#allowed-amount") == "60,000.00"
    page.click("main form.stacked button[type=submit]")
    page.wait_for_url(f"{live_server.url}/applications/*/")
    table = page.locator("table.breakdown")
    assert "评估费补助" in table.inner_text() and "60,000.00" in table.inner_text()
    page.screenshot(path=str(SHOTS / "portal_pledge_breakdown_zh.png"), full_page=True)
    assert Application.objects.get().form_data["trademark_numbers"] == ["12345678"]

    page.goto(f"{live_server.url}/programmes/{programme.pk}/apply/14/")
    page.fill("#id_requested_amount", "50000")
    page.fill("#id_madrid_registrations", "1634567 3\n1500123：美国、日本\n1634568 14")
    assert page.text_content("#allowed-amount") == "30,000.00"  # (3 + 2 + 10) × 2,000
    context.close()
