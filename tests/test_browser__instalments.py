"""In a real browser: the finance bureau records an instalment, the application shows
部分拨付 and what is left; it records the rest, and the application is 已拨付."""

from datetime import date

import pytest

from accounts.models import Role
from workflows.stages import State

from .conftest import SHOTS
from .factories import PASSWORD, ApplicantFactory, UserFactory, awaiting_payment
from .test_browser__apply_and_review import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.today(date(2021, 12, 1))]


def pay(page, paid_on, amount, reference, *, confirm=True, shot=""):
    """Type a payment and submit it; recording asks for confirmation first."""
    form = page.locator("#payments form")
    form.locator("input[name=paid_on]").fill(paid_on)
    form.locator("input[name=amount]").fill(amount)
    form.locator("input[name=reference]").fill(reference)
    with page.expect_navigation():
        form.locator("button[type=submit]").first.click()
    if confirm:
        button = page.locator("#payments button[name=confirmed]")
        assert "拨付记录登记后不能修改或删除" in page.inner_text("#payments")
        if shot:
            page.screenshot(path=str(SHOTS / shot), full_page=True)
        with page.expect_navigation():
            button.click()


def test_finance_pays_in_two_instalments(browser, live_server, reference):
    app = awaiting_payment("30000.00", date(2021, 11, 15), title="高价值专利培育项目")
    finance = UserFactory(role=Role.FINANCE, first_name="财政局经办")
    applicant = ApplicantFactory(organisation=app.organisation)
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, live_server.url, finance.username, PASSWORD)
    page.goto(f"{live_server.url}/desk/review/{app.pk}/")

    pay(page, "2021-11-20", "12000", "衡财拨〔2021〕12号", shot="payments-confirm.png")
    page.wait_for_selector("text=已登记拨付 12,000.00 元，尚余 18,000.00 元。")
    assert page.locator(".state-partially-paid").first.is_visible()
    assert "部分拨付：已拨付 12,000.00 元，尚余 18,000.00 元。" in page.inner_text("#payments")
    page.reload()  # (without the message's snackbar over the table)
    page.screenshot(path=str(SHOTS / "payments-partial.png"), full_page=True)

    pay(page, "2021-11-30", "18001", "衡财拨〔2021〕13号", confirm=False)  # 1 yuan too many
    page.wait_for_selector("text=超过尚未拨付的 18,000.00 元")
    assert page.locator("#payments input[name=amount]").input_value() == "18001"
    page.screenshot(path=str(SHOTS / "payments-refused.png"), full_page=True)

    pay(page, "2021-11-30", "18000", "衡财拨〔2021〕13号")
    page.wait_for_selector("text=已拨足核定金额")
    assert page.inner_text(".state-paid").strip() == "已拨付"
    app.refresh_from_db()
    assert app.state == State.PAID and app.paid_amount == 30000
    page.goto(f"{live_server.url}/desk/review/?all=1")
    page.screenshot(path=str(SHOTS / "payments-inbox.png"), full_page=True)
    awaiting_payment("45000.00", date(2021, 11, 15), title="专利导航项目")
    page.goto(f"{live_server.url}/desk/review/payments/")
    page.wait_for_selector("text=专利导航项目")
    page.screenshot(path=str(SHOTS / "payments-list.png"), full_page=True)

    sign_in(page, live_server.url, applicant.username, PASSWORD)
    page.goto(f"{live_server.url}/applications/{app.pk}/")
    text = page.inner_text("#payments")
    assert "衡财拨〔2021〕12号" in text and "衡财拨〔2021〕13号" in text and "财政局经办" in text
    page.screenshot(path=str(SHOTS / "payments-applicant.png"), full_page=True)
    context.close()
