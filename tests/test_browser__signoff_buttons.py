"""In a real browser: the section chief sends a notice back (refused first without a reason),
the drafter resubmits it, the chief agrees, the bureau leader signs it after the confirmation
and the finance bureau countersigns it; a step an administrator cancelled on viewflow's page
is recovered on the desk. The screenshots go to docs/screenshots/signoff-*.png."""

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from notices.models import NoticeStatus
from notices.services import draft_disbursement_notice
from notices.signoff import signoff_process, start_signoff, waiting_task
from subsidy.models import Application
from workflows.stages import State

from .conftest import SHOTS
from .factories import ApplicationFactory, ProgrammeFactory, UserFactory
from .test_browser__apply_and_review import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.today(date(2021, 11, 1))]


def draft(programme, drafter, label):
    apps = [ApplicationFactory(programme=programme, approved_amount=Decimal("30000"))
            for _ in range(2)]
    Application.objects.filter(pk__in=[a.pk for a in apps]).update(
        state=State.AWAITING_DISBURSEMENT)
    notice = draft_disbursement_notice(drafter, programme, [a.pk for a in apps], label)
    start_signoff(notice)
    return notice


def open_step(page, base, notice):
    """Open the notice's waiting step from the queue or the inbox, taking it if needed."""
    task = waiting_task(notice)
    url = f"{base}/desk/signoff/{task.process_id}/{task.flow_task.name}/{task.pk}"
    if task.owner_id is None:
        page.goto(f"{base}/desk/signoff/queue/")
        with page.expect_navigation():
            page.get_by_role("link", name=notice.title).click()
        page.wait_for_url(f"{url}/assign/")
        with page.expect_navigation():
            page.click("button[name=_continue]")
    else:
        page.goto(f"{base}/desk/signoff/inbox/")
        with page.expect_navigation():
            page.get_by_role("link", name=notice.title).click()
    page.wait_for_url(f"{url}/execute/**")


class People:
    """One browser context per person, signed in once (a second sign-in in the same 30 s
    would offer the same one-time code, which is refused as used)."""

    def __init__(self, browser, base):
        self.browser, self.base, self.pages = browser, base, {}

    def __call__(self, username):
        if username not in self.pages:
            context = self.browser.new_context(locale="zh-CN",
                                               viewport={"width": 1366, "height": 900})
            self.pages[username] = context.new_page()
            sign_in(self.pages[username], self.base, username)
        return self.pages[username]

    def close(self):
        for page in self.pages.values():
            page.context.close()


def decide(page, value):
    with page.expect_navigation():
        page.click(f"button[name=decision][value={value}]")


def test_return_resubmit_agree_and_sign_with_confirmation(browser, live_server, reference):
    programme = ProgrammeFactory()
    city = UserFactory(username="city", role=Role.CITY, first_name="王科员")
    for username, role, name in (("chief", Role.CHIEF, "李科长"),
                                 ("leader", Role.LEADER, "张局长"),
                                 ("finance", Role.FINANCE, "赵会计")):
        UserFactory(username=username, role=role, first_name=name)
    notice = draft(programme, city, "第三批")
    base = live_server.url
    people = People(browser, base)

    page = people("chief")
    page.goto(f"{base}/desk/signoff/")
    expect(page.locator(".vf-dashboard")).to_contain_text(notice.title)
    page.screenshot(path=str(SHOTS / "signoff-dashboard.png"), full_page=True)
    open_step(page, base, notice)
    expect(page.locator("button[name=decision][value=agree]")).to_have_text("同意")
    expect(page.locator("button[name=decision][value=return]")).to_have_text("退回")
    page.screenshot(path=str(SHOTS / "signoff-decision.png"), full_page=True)
    decide(page, "return")  # no reason
    expect(page.locator(".signoff-field-error")).to_have_text("退回时必须写明理由。")
    page.screenshot(path=str(SHOTS / "signoff-return-refused.png"), full_page=True)
    assert waiting_task(notice).flow_task.name == "check"
    page.fill("textarea[name=reason]", "附件中第二个项目的金额与批复不一致，请核对。")
    decide(page, "return")
    assert waiting_task(notice).flow_task.name == "revise"

    page = people("city")
    open_step(page, base, notice)
    expect(page.locator(".signoff-returned")).to_contain_text("金额与批复不一致")
    page.fill("textarea[name=reason]", "已核对并改正金额。")
    page.screenshot(path=str(SHOTS / "signoff-resubmit.png"), full_page=True)
    decide(page, "agree")
    assert waiting_task(notice).flow_task.name == "check"

    page = people("chief")
    open_step(page, base, notice)
    page.fill("textarea[name=reason]", "同意，请局领导签发。")
    decide(page, "agree")
    assert waiting_task(notice).flow_task.name == "sign"

    for name, confirm in (("leader", "确认签发"), ("finance", "确认会签并印发")):
        page = people(name)
        open_step(page, base, notice)
        decide(page, "agree")
        expect(page.locator(".signoff-confirm")).to_contain_text("不能")
        expect(page.locator("button[name=decision][value=agree]")).to_have_text(confirm)
        if name == "leader":
            page.screenshot(path=str(SHOTS / "signoff-confirm.png"), full_page=True)
            assert waiting_task(notice).flow_task.name == "sign"  # not before confirming
        decide(page, "agree")
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.ISSUED and notice.number

    page.goto(f"{base}/desk/signoff/{signoff_process(notice).pk}/")
    expect(page.locator("main")).to_contain_text(notice.number)
    page.screenshot(path=str(SHOTS / "signoff-process.png"), full_page=True)
    page = people("city")
    page.goto(f"{base}/desk/notices/{notice.pk}/")
    expect(page.locator("table.list")).to_contain_text("附件中第二个项目的金额与批复不一致")
    page.screenshot(path=str(SHOTS / "signoff-history.png"), full_page=True)
    people.close()


def test_a_cancelled_step_is_recovered_on_the_desk(browser, live_server, reference):
    programme = ProgrammeFactory()
    city = UserFactory(username="city", role=Role.CITY, first_name="王科员")
    UserFactory(username="sysadmin", role=Role.ADMIN, is_staff=True, is_superuser=True,
                first_name="系统管理员")
    notice = draft(programme, city, "第四批")
    base = live_server.url
    people = People(browser, base)

    page = people("sysadmin")
    task = waiting_task(notice)
    page.goto(f"{base}/desk/signoff/{task.process_id}/check/{task.pk}/cancel/")
    with page.expect_navigation():
        page.click("form.vf-form button")
    assert waiting_task(notice) is None

    page = people("city")
    page.goto(f"{base}/desk/notices/{notice.pk}/")
    expect(page.locator(".alert-error")).to_contain_text("签发流程已取消或中断")
    page.screenshot(path=str(SHOTS / "signoff-recovery.png"), full_page=True)
    with page.expect_navigation():
        page.click("button[name=restart_signoff]")
    expect(page.locator("main")).to_contain_text("已重新送科长审核")
    assert waiting_task(notice).flow_task.name == "check"
    people.close()
