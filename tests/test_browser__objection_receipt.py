"""In a real browser: a member of the public objects and is given a receipt number; the city
section sees the objection on the application's page, decides it on the batch page; the
member looks the outcome up with the receipt and their identity number."""

import re

import pytest
from playwright.sync_api import expect

from subsidy.models import Programme

from .conftest import SHOTS
from .factories import (
    ApplicationFactory,
    OrganisationFactory,
    UserFactory,
    ensure_reference_data,
    region,
)
from .publicity_data import TODAY, VALID_ID, published_batch
from .test_browser__apply_and_review import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.today(TODAY)]
PHONE, ADDRESS = "0734-8000000", "衡阳市蒸湘区解放大道 1 号 衡阳市市场监督管理局知识产权科"


def test_objection_receipt_decision_and_lookup(browser, live_server):
    ensure_reference_data()
    city = UserFactory(username="city-staff", first_name="市局经办")
    listed = [("衡阳示范精密机械有限公司", "高价值专利培育项目"),
              ("衡阳示范电子科技有限公司", "被异议的项目"),
              ("衡阳示范食品有限公司", "商标品牌建设项目")]
    apps = [ApplicationFactory(approved_amount=30000 + i * 10000, title=title,
                               organisation=OrganisationFactory(name=name, region=region("430405")))
            for i, (name, title) in enumerate(listed)]
    programme = apps[0].programme
    for app in apps[1:]:
        type(app).objects.filter(pk=app.pk).update(programme=programme)
    Programme.objects.filter(pk=programme.pk).update(office_phone=PHONE, office_address=ADDRESS)
    batch, _apps = published_batch(programme, city, apps=apps)
    target = apps[1]
    base = live_server.url

    public = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = public.new_page()
    page.goto(f"{base}/publicity/{batch.pk}/")
    expect(page.locator(f"text=联系电话：{PHONE}")).to_be_visible()
    page.screenshot(path=str(SHOTS / "objections-public-page.png"), full_page=True)
    label = page.locator(f"#o-application option[value='{target.pk}']").inner_text()
    assert re.match(r"^\d+．", label) and target.number in label
    page.select_option("#o-application", str(target.pk))
    page.fill("#o-name", "李四")
    page.fill("#o-identity", VALID_ID)
    page.fill("#o-contact", "13900000000")
    page.fill("#o-reasons", "该项目所列专利并非申报单位所有，请核实。")
    page.click("button:has-text('提交异议')")
    receipt = page.locator(".receipt-number").inner_text()
    assert re.match(r"^2021-[0-9A-Z]{8}$", receipt)
    page.screenshot(path=str(SHOTS / "objections-receipt.png"), full_page=True)

    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844},
                                is_mobile=True, device_scale_factor=2)
    small = phone.new_page()
    small.goto(f"{base}/publicity/{batch.pk}/")
    expect(small.locator("text=提交异议")).to_be_visible()
    width = small.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width  # nothing wider than the phone
    small.screenshot(path=str(SHOTS / "objections-public-phone.png"), full_page=True)
    small.goto(f"{base}/publicity/{batch.pk}/print/")
    phone.close()
    page.goto(f"{base}/publicity/{batch.pk}/print/")
    expect(page.locator(f"text=通讯地址：{ADDRESS}")).to_be_visible()
    page.screenshot(path=str(SHOTS / "objections-print.png"), full_page=True)

    staff = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    desk = staff.new_page()
    sign_in(desk, base, city.username)
    desk.goto(f"{base}/desk/review/{target.pk}/")
    objections = desk.locator("#objections")
    expect(objections.locator(f"text={receipt}")).to_be_visible()
    expect(objections.locator(".objection-status")).to_have_text("已收到")
    desk.screenshot(path=str(SHOTS / "objections-desk-application.png"), full_page=True)
    with desk.expect_navigation():
        objections.locator("text=去办理").click()
    form = desk.locator(".card[id^=objection-] form.filters")  # the objection's own form
    form.locator("select[name=status]").select_option("dismissed")
    form.locator("input[name=result]").fill("经核实，专利权属清楚，异议不成立。")
    with desk.expect_navigation():
        form.locator("text=保存").click()
    # a conclusion is final: the desk says so and asks first
    expect(desk.locator("[role=alertdialog]")).to_contain_text("作出异议处理结论")
    with desk.expect_navigation():
        desk.locator("text=确定作出结论").click()
    expect(desk.locator("text=异议处理情况已记录").first).to_be_visible()
    staff.close()

    page.goto(f"{base}/publicity/{batch.pk}/")
    page.click("text=凭受理编号查询异议处理结果")
    page.fill("#l-receipt", receipt)
    page.fill("#l-identity", "430402198001010018")  # not the identity given
    page.click("main button:has-text('查询')")
    expect(page.locator(".alert-error")).to_contain_text("未查到")
    page.fill("#l-identity", VALID_ID)
    page.click("main button:has-text('查询')")
    expect(page.locator(".objection-status")).to_have_text("异议不成立")
    expect(page.locator(".objection-result")).to_have_text("经核实，专利权属清楚，异议不成立。")
    page.screenshot(path=str(SHOTS / "objections-lookup.png"), full_page=True)
    public.close()
