"""In a real browser: the desk's one menu as city staff and the finance bureau see it (desk and
phone), a 催办 from the application page, and the project's own 404 and 403 pages in
production (DEBUG off). Screenshots go to docs/screenshots/."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from workflows.stages import State

from .conftest import SHOTS
from .factories import (
    ApplicantFactory,
    ApplicationFactory,
    CountyReviewerFactory,
    ProgrammeFactory,
    UserFactory,
    ensure_reference_data,
    region,
)
from .helpers import at
from .test_browser__apply_and_review import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESK = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def scene():
    ensure_reference_data()
    programme = ProgrammeFactory(title="2026年度知识产权培育资助")
    applicant = ApplicantFactory(organisation__name="衡阳示范精密机械有限公司",
                                 organisation__region=region("430405"))
    apps = [at(ApplicationFactory(programme=programme, organisation=applicant.organisation,
                                  created_by=applicant, title=title), state)
            for title, state in (("高价值专利培育项目", State.SUBMITTED),
                                 ("商标品牌建设项目", State.CITY_REVIEW),
                                 ("知识产权贯标项目", State.DISBURSEMENT_NOTIFIED))]
    CountyReviewerFactory(username="county-430405", first_name="张科长",
                          region=region("430405"))
    UserFactory(username="city-staff", role=Role.CITY, first_name="李经办")
    UserFactory(username="finance-staff", role=Role.FINANCE, first_name="王会计")
    return apps


def test_the_menu_a_reminder_and_the_error_pages(browser, live_server, scene, settings):
    base = live_server.url
    context = browser.new_context(locale="zh-CN", viewport=DESK)
    page = context.new_page()
    sign_in(page, base, "city-staff")
    page.goto(f"{base}/desk/review/")
    menu = page.locator("nav.desk-menu")
    expect(menu.locator(".mdc-list-item__content", has_text="审核")).to_have_count(1)
    expect(menu).not_to_contain_text("登记拨付")  # the finance bureau's page
    page.screenshot(path=str(SHOTS / "desk_menu_city_zh.png"))

    page.goto(f"{base}/desk/review/{scene[0].pk}/")
    page.click("#reminders button")
    expect(page.locator(".confirm-items")).to_contain_text("张科长")
    page.click(".confirm-step button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("已催办 1 人")
    expect(page.locator("#reminders")).to_contain_text("李经办 → 张科长")
    page.locator("#reminders").screenshot(path=str(SHOTS / "remind_zh.png"))

    sign_in(page, base, "finance-staff")
    page.goto(f"{base}/desk/review/")
    expect(menu).to_contain_text("Excel 导入")
    page.screenshot(path=str(SHOTS / "desk_menu_finance_zh.png"))
    # the same session on a phone (a second sign-in would reuse the one-time code)
    phone = browser.new_context(locale="zh-CN", viewport=PHONE,
                                storage_state=context.storage_state())
    small = phone.new_page()
    small.goto(f"{base}/desk/review/")
    small.click("button.vf-page__menu-toggle")
    expect(small.locator("aside.vf-page__menu")).to_have_class(re.compile("mdc-drawer--open"))
    small.wait_for_timeout(500)  # the drawer's slide
    small.screenshot(path=str(SHOTS / "desk_menu_finance_phone_zh.png"))
    phone.close()

    settings.DEBUG = False  # production's error pages
    sign_in(page, base, "county-430405")
    page.goto(f"{base}/desk/publicity/")
    expect(page.locator("h1")).to_have_text("无权访问此页面")
    expect(page.locator("body")).not_to_contain_text("Log in as another user")
    page.screenshot(path=str(SHOTS / "error_403_zh.png"))
    page.goto(f"{base}/no-such-page/")
    expect(page.locator("h1")).to_have_text("页面不存在")
    page.screenshot(path=str(SHOTS / "error_404_zh.png"))
    context.close()
    english = browser.new_context(locale="en-US", viewport=DESK)
    page = english.new_page()
    page.goto(f"{base}/no-such-page/")
    expect(page.locator("h1")).to_have_text("Page not found")
    page.screenshot(path=str(SHOTS / "error_404_en.png"))
    english.close()
