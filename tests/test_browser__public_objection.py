"""In a real browser: a member of the public reads a publicity list and lodges an objection;
a late one is not possible."""

from datetime import date

import pytest
from playwright.sync_api import expect

from publicity.models import BatchKind, Objection
from publicity.services import create_batch, publish_batch
from subsidy.models import Application
from workflows.stages import State

from .conftest import SHOTS
from .factories import ApplicationFactory, ensure_reference_data

#: The day of the publicity, on the server's clock (a Monday): the objection is lodged during
#: the period. (The browser keeps its own clock: only the server's matters here.)
TODAY = date(2021, 11, 1)
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.today(TODAY)]


def test_the_public_lodges_an_objection(browser, live_server, city):
    ensure_reference_data()
    app = ApplicationFactory(title="被异议的项目", approved_amount=30000)
    Application.objects.filter(pk=app.pk).update(state=State.APPROVED)
    title = "2021年度知识产权培育资助拟资助项目公示"
    batch = create_batch(city, app.programme, BatchKind.APPROVAL, title, TODAY, 5, [app.pk])
    publish_batch(city, batch)

    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/publicity/")
    page.click(f"text={batch.title}")
    expect(page.locator("text=被异议的项目").first).to_be_visible()
    page.select_option("#o-application", str(app.pk))
    page.fill("#o-name", "李四")
    page.fill("#o-identity", "123")  # not a valid identity number: refused, values kept
    page.fill("#o-contact", "13900000000")
    page.fill("#o-reasons", "该项目所列专利并非申报单位所有，请核实。")
    page.click("text=提交异议")
    expect(page.locator("text=请填写有效的身份证号码或统一社会信用代码")).to_be_visible()
    expect(page.locator("#o-contact")).to_have_value("13900000000")
    page.fill("#o-identity", "11010519491231002X")
    page.click("text=提交异议")
    page.wait_for_selector("text=异议已收到")
    page.screenshot(path=str(SHOTS / "public-objection.png"), full_page=True)
    objection = Objection.objects.get()
    assert (objection.name, objection.application_id) == ("李四", app.pk)
    context.close()
