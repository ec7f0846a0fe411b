"""In a real browser: city staff build a draft publicity batch, edit it (title, dates, an item
removed), delete it (asked first) so its items are free again, build it again and publish it
after the confirmation step."""

from datetime import date

import pytest
from playwright.sync_api import expect

from publicity.models import BatchStatus, PublicityBatch
from subsidy.models import Application
from workflows.stages import State

from .conftest import SHOTS
from .factories import ApplicationFactory
from .test_browser__apply_and_review import sign_in

#: The server's day (a Monday); the browser's clock does not matter here.
TODAY = date(2021, 11, 1)
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.today(TODAY)]


def build_batch(page, base, programme, title, numbers):
    page.goto(f"{base}/desk/publicity/?programme={programme.pk}")
    page.fill("#title", title)
    for number in numbers:
        page.check(f"input[name=ids][aria-label='{number}']")
    with page.expect_navigation():
        page.get_by_role("button", name="建立公示批次").click()
    expect(page.locator("h1", has_text=title)).to_be_visible()


def test_a_draft_batch_is_edited_deleted_and_built_again_then_published(
        browser, live_server, programme, city):
    apps = [ApplicationFactory(programme=programme, approved_amount=50000 + i,
                               title=f"拟资助项目{i}") for i in range(3)]
    Application.objects.filter(pk__in=[a.pk for a in apps]).update(state=State.APPROVED)
    numbers = [a.number for a in apps]
    base = live_server.url
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, base, city.username)

    build_batch(page, base, programme, "2021年度拟资助项目公示", numbers)
    page.fill("#edit #title", "2021年度知识产权培育资助拟资助项目公示")
    page.fill("#edit #start_date", "2021-11-03")
    page.fill("#edit #workdays", "3")
    page.uncheck(f"#edit input[name=ids][aria-label='{numbers[2]}']")
    with page.expect_navigation():
        page.get_by_role("button", name="保存修改").click()
    saved = page.locator(".messages li.success")
    expect(saved).to_contain_text("公示期为 2021-11-03 至 2021-11-05")
    page.screenshot(path=str(SHOTS / "batches-draft-edited.png"), full_page=True)
    batch = PublicityBatch.objects.get()
    assert batch.title == "2021年度知识产权培育资助拟资助项目公示"
    assert sorted(batch.applications.values_list("number", flat=True)) == sorted(numbers[:2])

    with page.expect_navigation():
        page.get_by_role("button", name="删除批次").click()
    expect(page.locator("text=2 个申报回到待公示名单").first).to_be_visible()
    page.screenshot(path=str(SHOTS / "batches-confirm-delete.png"), full_page=True)
    assert PublicityBatch.objects.exists()  # asking changed nothing
    with page.expect_navigation():
        page.get_by_role("button", name="确定删除").click()
    expect(page.locator(".messages li.success")).to_contain_text("公示批次已删除")
    for number in numbers:  # all three are ready for publicity again
        expect(page.locator(f"input[name=ids][aria-label='{number}']")).to_be_visible()
    assert not PublicityBatch.objects.exists()

    build_batch(page, base, programme, "2021年度知识产权培育资助拟资助项目公示", numbers)
    with page.expect_navigation():
        page.get_by_role("button", name="发布公示").click()
    expect(page.locator(".confirm-message")).to_contain_text(
        "发布后公示期为 2021-11-01 至 2021-11-05（5 个工作日）")
    page.screenshot(path=str(SHOTS / "batches-confirm-publish.png"), full_page=True)
    assert PublicityBatch.objects.get().status == BatchStatus.DRAFT
    with page.expect_navigation():
        page.get_by_role("button", name="确定发布").click()
    expect(page.locator(".messages li.success")).to_contain_text("已发布公示")
    expect(page.locator("text=不能再修改或删除")).to_be_visible()
    page.screenshot(path=str(SHOTS / "batches-published.png"), full_page=True)
    batch = PublicityBatch.objects.get()
    assert batch.status == BatchStatus.PUBLISHED and batch.applications.count() == 3
    assert set(batch.applications.values_list("state", flat=True)) == {
        State.APPROVAL_PUBLICITY}
    context.close()
