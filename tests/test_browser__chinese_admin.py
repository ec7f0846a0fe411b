"""In a real browser, in Chinese: the administrator's admin (its index, django-axes's failed
logins, the permission selector its JavaScript draws) and a notice's sign-off as the bureau
leader sees it (the list of sign-offs, the step to take). Screenshots at 1366×768."""

from decimal import Decimal

import pytest

from accounts.models import Role
from notices.services import draft_disbursement_notice
from notices.signoff import start_signoff, take_step, waiting_task
from subsidy.models import Application
from workflows.stages import State

from .conftest import SHOTS
from .factories import ApplicationFactory, ProgrammeFactory, UserFactory
from .test_browser__apply_and_review import sign_in
from .test_i18n__chinese_pages import ALLOWED, WORD, english

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREEN = {"width": 1366, "height": 768}


def shown_english(page) -> list[str]:
    """Latin words in the page as the browser shows it (scripts' output included), and in
    its HTML (titles, placeholders, option labels)."""
    words = WORD.findall(page.inner_text("body"))
    return sorted(set(words) - ALLOWED) + english(page.content())


def test_the_administrator_and_the_leader_read_chinese(browser, live_server, reference):
    admin = UserFactory(username="admin", first_name="系统管理员", role=Role.ADMIN,
                        is_staff=True, is_superuser=True)
    city = UserFactory(username="city", first_name="李经办", role=Role.CITY)
    chief = UserFactory(username="chief", first_name="张科长", role=Role.CHIEF)
    leader = UserFactory(username="leader", first_name="王局长", role=Role.LEADER)
    programme = ProgrammeFactory(title="2021年度知识产权培育资助")
    apps = [ApplicationFactory(programme=programme, approved_amount=Decimal("180000"))
            for _ in range(3)]
    Application.objects.filter(pk__in=[a.pk for a in apps]).update(
        state=State.AWAITING_DISBURSEMENT)
    notice = draft_disbursement_notice(city, programme, [a.pk for a in apps], "第一批")
    start_signoff(notice)
    take_step(chief, notice, True, "同意")

    context = browser.new_context(locale="zh-CN", viewport=SCREEN)
    page = context.new_page()
    for _ in range(2):  # two failed logins: django-axes counts them
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_auth-username", "chief")
        page.fill("#id_auth-password", "wrong-password")
        with page.expect_navigation():
            page.click("main button[type=submit]")

    sign_in(page, live_server.url, admin.username)
    page.goto(f"{live_server.url}/admin/")
    page.screenshot(path=str(SHOTS / "admin_index_zh.png"))
    assert shown_english(page) == []
    page.goto(f"{live_server.url}/admin/accounts/loginattempt/")
    page.wait_for_selector("#result_list")
    page.click("#toggle-nav-sidebar")  # the whole table in the screenshot
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SHOTS / "admin_axes_zh.png"))
    headers = page.inner_text("#result_list thead")
    assert "尝试时间" in headers and WORD.findall(headers) == ["IP"]
    page.goto(f"{live_server.url}/admin/auth/group/add/")
    page.wait_for_selector("#id_permissions_add_all")  # drawn by the admin's script
    assert page.inner_text("#id_permissions_add_all") == "选择全部权限"
    assert shown_english(page) == []

    sign_in(page, live_server.url, leader.username)
    page.goto(f"{live_server.url}/desk/signoff/flows/")
    page.wait_for_selector(f"table >> text={notice.title}")
    page.screenshot(path=str(SHOTS / "signoff_process_list_zh.png"))
    assert "第 1–1 条，共 1 条" in page.inner_text("body")
    assert english(page.content()) == []
    task = waiting_task(notice)
    base = f"{live_server.url}/desk/signoff/{task.process_id}/sign/{task.pk}"
    page.goto(f"{base}/assign/")
    page.click("button[name=_continue]")
    page.wait_for_url(f"{base}/execute/**")
    page.screenshot(path=str(SHOTS / "signoff_task_zh.png"))
    assert english(page.content()) == []
    context.close()
