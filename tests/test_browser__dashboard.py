"""In a real browser: city staff open 统计报表 from the desk menu and see the programme
dashboard with its charts; the screenshot goes to docs/screenshots/dashboard.png."""

import pytest
from playwright.sync_api import expect

from accounts.models import Role

from .conftest import SHOTS
from .factories import ProgrammeFactory, UserFactory, ensure_reference_data
from .reports_data import dashboard_set
from .test_browser__apply_and_review import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dashboard_in_a_browser(browser, live_server):
    ensure_reference_data()
    programme = ProgrammeFactory(title="2021年度知识产权培育资助", category_budget="500000")
    dashboard_set(programme)
    UserFactory(username="city-staff", role=Role.CITY, first_name="市局经办")
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 1250})
    page = context.new_page()
    sign_in(page, live_server.url, "city-staff")
    page.goto(f"{live_server.url}/desk/review/")
    page.click("text=统计报表")  # the desk menu opens the app at its dashboard
    expect(page.locator("svg.chart")).to_have_count(3)
    expect(page.locator("text=资金与预算（按类别）")).to_be_visible()
    page.screenshot(path=str(SHOTS / "dashboard.png"))  # the top: figures and charts
    context.close()
