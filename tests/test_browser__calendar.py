"""In a real browser: in December 2026 an administrator sees the desk's banner for 2027,
pastes the State Council's notice, checks the rows it fills and saves; the banner goes. The
screenshots go to docs/screenshots/calendar-*.png."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from playwright.sync_api import expect

from accounts.models import Role
from publicity.models import BatchKind
from publicity.services import create_batch
from workcalendar.models import ScheduleYear
from workcalendar.workdays import period_end
from workflows.stages import State

from .conftest import SHOTS
from .factories import ApplicationFactory, UserFactory, ensure_reference_data
from .helpers import at
from .holiday_schedules import NOTICE_2027
from .test_browser__apply_and_review import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.today(date(2026, 12, 1))]


@pytest.mark.parametrize("width,height,lang", [(1366, 768, "zh-CN"), (390, 844, "en-US")])
def test_an_administrator_enters_next_year_by_pasting_the_notice(browser, live_server, city,
                                                                 programme, width, height,
                                                                 lang):
    ensure_reference_data()
    app = at(ApplicationFactory(programme=programme), State.APPROVED)
    UserFactory(username="sysadmin", role=Role.ADMIN, is_staff=True, is_superuser=True,
                first_name="系统管理员")
    context = browser.new_context(locale=lang, viewport={"width": width, "height": height})
    page = context.new_page()
    sign_in(page, live_server.url, "sysadmin")
    page.goto(f"{live_server.url}/desk/review/")
    banner = page.locator(".schedule-alert")
    expect(banner).to_contain_text("2027")
    suffix = "" if width > 800 else "-phone"
    page.screenshot(path=str(SHOTS / f"calendar-banner{suffix}.png"))
    with pytest.raises(ValidationError):  # a publicity period into 2027: refused, recorded
        create_batch(city, programme, BatchKind.APPROVAL, "公示", date(2026, 12, 28), 5, [app.pk])
    page.goto(f"{live_server.url}/desk/calendar/")
    expect(page.locator("table.list").last).to_contain_text("2027")
    page.screenshot(path=str(SHOTS / f"calendar-missing{suffix}.png"), full_page=True)
    page.goto(f"{live_server.url}/desk/review/")
    banner.locator("a").click()
    page.fill("#id_notice_text", NOTICE_2027)
    page.click("button[value=parse]")
    expect(page.locator("input[name=holiday-1-first_day]")).to_have_value("2027-02-05")
    expect(page.locator("input[name=workday-0-date]")).to_have_value("2027-02-20")
    assert not ScheduleYear.objects.exists()
    page.screenshot(path=str(SHOTS / f"calendar-entry{suffix}.png"), full_page=True)
    page.locator("button[value=save]").last.click()  # the first one is Enter's, off screen
    expect(page.locator(".messages")).to_contain_text("2027")
    expect(page.locator(".schedule-alert")).to_have_count(0)
    page.screenshot(path=str(SHOTS / f"calendar{suffix}.png"), full_page=True)
    assert period_end(date(2026, 12, 28), 5) == date(2027, 1, 4)
    context.close()
