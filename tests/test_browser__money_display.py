"""In a real browser: the applicant reads the programme's rules with rates as percentages and
caps in yuan as every page writes them, and the form shows, while typing, what the rule
allows in the same format, whether the numbers are typed plain or with thousands commas."""

import pytest

from .conftest import SHOTS
from .factories import ApplicantFactory, ProgrammeFactory, ensure_reference_data
from .test_browser__apply_and_review import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_rates_and_the_live_maximum_read_as_elsewhere(browser, live_server):
    ensure_reference_data()
    programme = ProgrammeFactory()
    applicant = ApplicantFactory()
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    sign_in(page, live_server.url, applicant.username)

    page.goto(f"{live_server.url}/programmes/{programme.pk}/")
    row = page.locator("tr", has_text="知识产权保险试点培育")
    assert "按 50% 核定，上限 50,000.00 元" in row.inner_text()
    assert "50.0000" not in page.content() and "0.5000" not in page.content()
    page.screenshot(path=str(SHOTS / "portal_programme_rates_zh.png"), full_page=True)

    page.goto(f"{live_server.url}/programmes/{programme.pk}/apply/04/")
    page.fill("#id_requested_amount", "40,000.00")
    page.fill("#id_premium_paid", "60000")  # 50% of it: 30,000.00, under the request
    assert page.text_content("#allowed-amount") == "30,000.00"
    page.fill("#id_premium_paid", "1,000,000")  # 50% is over the cap
    assert page.text_content("#allowed-amount") == "40,000.00"  # the request, under the cap
    page.fill("#id_premium_paid", "1,0")  # not a number either way: nothing to show
    assert page.text_content("#allowed-amount") == "—"
    context.close()
