"""In a real browser: a disbursement notice is signed off by the section chief, the bureau
leader and the finance bureau in viewflow's task pages, then it is issued."""

from decimal import Decimal

import pytest

from accounts.models import Role
from notices.models import NoticeStatus
from notices.services import draft_disbursement_notice
from notices.signoff import start_signoff, waiting_task
from subsidy.models import Application
from workflows.stages import State

from .conftest import SHOTS
from .factories import PASSWORD, ApplicationFactory, ProgrammeFactory, UserFactory
from .test_browser__apply_and_review import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_four_roles_sign_off_a_notice(browser, live_server, reference):
    programme = ProgrammeFactory()
    city = UserFactory(role=Role.CITY)
    apps = [ApplicationFactory(programme=programme, approved_amount=Decimal("30000"))
            for _ in range(2)]
    Application.objects.filter(pk__in=[a.pk for a in apps]).update(
        state=State.AWAITING_DISBURSEMENT)
    notice = draft_disbursement_notice(city, programme, [a.pk for a in apps], "第三批")
    start_signoff(notice)
    signers = {"check": UserFactory(role=Role.CHIEF), "sign": UserFactory(role=Role.LEADER),
               "countersign": UserFactory(role=Role.FINANCE)}

    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    for node, user in signers.items():
        task = waiting_task(notice)
        assert task.flow_task.name == node
        sign_in(page, live_server.url, user.username, PASSWORD)
        page.goto(f"{live_server.url}/desk/signoff/queue/")
        page.wait_for_selector(f"table >> text={task.flow_task.task_title}")
        base = f"{live_server.url}/desk/signoff/{task.process_id}/{node}/{task.pk}"
        page.goto(f"{base}/assign/")
        page.click("button[name=_continue]")
        page.wait_for_url(f"{base}/execute/**")
        if node == "countersign":
            page.screenshot(path=str(SHOTS / "notice-signoff.png"), full_page=True)
        with page.expect_navigation():
            page.click("button[name=decision][value=agree]")
        if node != "check":  # signing and countersigning ask for confirmation first
            page.wait_for_selector(".signoff-confirm")
            with page.expect_navigation():
                page.click("button[name=decision][value=agree]")
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.ISSUED and notice.number
    assert set(Application.objects.filter(pk__in=[a.pk for a in apps])
               .values_list("state", flat=True)) == {State.DISBURSEMENT_NOTIFIED}
    context.close()
