"""In a real browser: city staff try to approve an application in expert review before any
expert has scored it and are told how many scores are missing; they assign three experts,
each scores it, and the approval goes through; the experts' to-do lists no longer show it,
their history says the review has ended. Screenshots: docs/screenshots/experts-*.png."""

from datetime import date
from decimal import Decimal

import pytest

from accounts.models import Role
from subsidy.models import Application
from workflows.stages import State

from .conftest import SHOTS
from .factories import ApplicationFactory, ProgrammeFactory, UserFactory, category
from .helpers import at
from .test_browser__apply_and_review import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.today(date(2021, 8, 20))]

#: What each expert gives (category 07's sheet: innovation 30, value 25, feasibility 20,
#: benefit 15, capacity 10).
SCORES = [
    {"innovation": "26", "value": "21", "feasibility": "17", "benefit": "12", "capacity": "8"},
    {"innovation": "24", "value": "20", "feasibility": "16", "benefit": "13", "capacity": "9"},
    {"innovation": "27", "value": "22", "feasibility": "15", "benefit": "12", "capacity": "8"},
]


def test_approval_waits_for_the_experts_scores(browser, live_server, reference):
    programme = ProgrammeFactory()
    UserFactory(username="city-staff", role=Role.CITY, first_name="市局经办")
    experts = [UserFactory(username=f"expert-{n}", role=Role.EXPERT, first_name=name)
               for n, name in enumerate(["张教授", "李研究员", "王高工"], 1)]
    app = at(ApplicationFactory(
        programme=programme, category=category("07"), number="2021-07-0002",
        title="高精度数控机床主轴发明专利产业化", requested_amount=Decimal("200000.00"),
        organisation__name="衡阳示范精密机械有限公司"), State.EXPERT_REVIEW)
    base = live_server.url
    contexts = []

    def signed_in_page(username):
        """A browser window of its own for each person, signed in once (an authenticator
        code is taken only once)."""
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        sign_in(page, base, username)
        return page

    # city staff try to approve it at once: refused, with how many scores are missing
    page = city_page = signed_in_page("city-staff")
    page.goto(f"{base}/desk/review/{app.pk}/")
    page.wait_for_selector("text=暂不能办理：还需 3 位专家提交评分")
    page.fill("#id_approve-comment", "同意立项。")
    page.click("button[value=approve]")
    alert = page.locator(".alert-error[role=alert]")
    alert.wait_for()
    assert alert.text_content().startswith("还需 3 位专家提交评分")
    assert page.input_value("#id_approve-comment") == "同意立项。"  # kept
    page.screenshot(path=str(SHOTS / "experts-approval-refused.png"), full_page=True)
    assert Application.objects.get(pk=app.pk).state == State.EXPERT_REVIEW

    # they assign three experts
    page.goto(f"{base}/desk/review/{app.pk}/")
    for expert in experts:
        page.check(f"input[name=experts][value='{expert.pk}']")
    page.click("button[name=assign_experts]")
    page.wait_for_selector("text=已指派专家")
    page.wait_for_selector("text=已指派 3 位，已提交 0 位")
    assert page.locator("button[name=withdraw_assignment]").count() == 3
    page.reload()  # without the confirmation's pop-up over the list
    page.wait_for_selector("button[name=withdraw_assignment]")
    page.screenshot(path=str(SHOTS / "experts-assigned.png"), full_page=True)

    # each expert finds it on the to-do list and scores it
    expert_pages = []
    for n, (expert, scores) in enumerate(zip(experts, SCORES, strict=True)):
        page = signed_in_page(expert.username)
        expert_pages.append(page)
        page.goto(f"{base}/desk/experts/")
        todo = page.locator("#expert-todo")
        todo.locator(f"text={app.number}").click()
        page.wait_for_selector("#s-innovation")
        for key, value in scores.items():
            page.fill(f"#s-{key}", value)
        page.fill("#opinion", "技术先进，实施方案可行，建议支持。")
        if n == 0:
            page.screenshot(path=str(SHOTS / "experts-score-sheet.png"), full_page=True)
        page.click("button:has-text('提交评分')")
        page.wait_for_selector("text=评分已提交")

    # now the approval goes through
    page = city_page
    page.goto(f"{base}/desk/review/{app.pk}/")
    assert page.locator("text=暂不能办理").count() == 0
    page.fill("#id_approve-comment", "专家评审通过，同意立项。")
    page.screenshot(path=str(SHOTS / "experts-scored.png"), full_page=True)
    page.click("button[value=approve]")
    page.wait_for_selector("text=已完成")
    assert Application.objects.get(pk=app.pk).state == State.APPROVED

    # the expert's to-do list no longer shows it; the history says the review has ended
    page = expert_pages[0]
    page.goto(f"{base}/desk/experts/")
    page.wait_for_selector("#expert-history")
    assert page.locator(f"#expert-todo >> text={app.number}").count() == 0
    row = page.locator("#expert-history tr", has_text=app.number)
    assert "已结束" in row.text_content() and "84" in row.text_content()
    page.screenshot(path=str(SHOTS / "experts-inbox-ended.png"), full_page=True)
    row.locator(f"text={app.number}").click()
    page.wait_for_selector("#review-ended")
    assert page.locator("#opinion").count() == 0
    page.screenshot(path=str(SHOTS / "experts-score-ended.png"), full_page=True)
    for context in contexts:
        context.close()
