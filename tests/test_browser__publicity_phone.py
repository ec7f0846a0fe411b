"""In a real browser on a phone (390×844, Chinese and English): the public publicity list, a
batch's page with its objection form, the print sheet and the objection look-up fit the
screen, and every amount can be read without hunting for it: inside the screen, or inside a
scroll frame that is itself on the screen. At 1366×768 the list is a plain table."""

from datetime import date
from decimal import Decimal

import pytest

from publicity.models import BatchKind
from publicity.services import close_batch, create_batch, publish_batch
from subsidy.models import Application
from workflows.stages import State

from .conftest import SHOTS
from .factories import (
    ApplicationFactory,
    OrganisationFactory,
    ProgrammeFactory,
    category,
    ensure_reference_data,
)
from .helpers import travel_to

TODAY = date(2021, 11, 1)
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.today(TODAY)]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1366, "height": 768}}

#: For each element `selector` finds: whether it is whole and on the screen, or whole inside
#: a scroll frame that is on the screen (the reader scrolls that frame, not the page).
#: The amount is the cell's own text; a label in the cell (on a phone) must not cover it.
READABLE = """(selector) => [...document.querySelectorAll(selector)].map((el) => {
  const width = document.documentElement.clientWidth;
  const own = [...el.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE
                                               && n.textContent.trim());
  const range = document.createRange();
  range.setStartBefore(own[0]);
  range.setEndAfter(own[own.length - 1]);
  const box = range.getBoundingClientRect(), label = el.querySelector(".cell-label");
  const apart = (a, b) => a.right <= b.left + 1 || b.right <= a.left + 1
                          || a.bottom <= b.top + 1 || b.bottom <= a.top + 1;
  const text = (node) => { const r = document.createRange(); r.selectNodeContents(node);
                           return r.getBoundingClientRect(); };
  const whole = el.scrollWidth <= el.clientWidth + 1 && box.width > 0
                && (!label || !label.offsetParent || apart(box, text(label)));
  const onScreen = (r) => r.left >= -1 && r.right <= width + 1;
  let frame = el.parentElement;
  while (frame && !["auto", "scroll"].includes(getComputedStyle(frame).overflowX)) {
    frame = frame.parentElement;
  }
  return {text: own.map((n) => n.textContent).join("").trim(), whole: whole, visible: onScreen(box)
          || (frame !== null && onScreen(frame.getBoundingClientRect()))};
})"""
FITS = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def approved(programme, code, amounts, names):
    apps = [ApplicationFactory(
        programme=programme, category=category(code), approved_amount=Decimal(amount),
        organisation=OrganisationFactory(name=name),
        title="高端数控机床关键部件高价值发明专利培育与产业化应用示范项目")
        for amount, name in zip(amounts, names, strict=True)]
    Application.objects.filter(pk__in=[a.pk for a in apps]).update(state=State.APPROVED)
    return apps


def batches(city):
    """A closed project list and a published reward list, with long names and big sums."""
    ensure_reference_data()
    programme = ProgrammeFactory()
    names = ["衡阳市雁峰区示范精密机械制造股份有限公司", "湖南衡东示范新材料科技集团有限责任公司",
             "衡阳示范知识产权运营服务中心"]
    projects = approved(programme, "01", ["180000.00", "200000.00"], names[:2])
    with travel_to(date(2021, 10, 18)):
        past = create_batch(city, programme, BatchKind.APPROVAL,
                            "2021年度知识产权培育资助拟立项项目名单公示", date(2021, 10, 18), 5,
                            [a.pk for a in projects])
        publish_batch(city, past)
    past.refresh_from_db()
    assert close_batch(past, actor=city)["close_publicity"] == 2
    rewards = approved(programme, "21", ["30000.00"] * 3, names)
    current = create_batch(city, programme, BatchKind.REWARD,
                           "2021年度知识产权培育资助拟奖励（后补助）项目名单公示", TODAY, 5,
                           [a.pk for a in rewards])
    publish_batch(city, current)
    return past, current


def check_page(page, url, amounts_selector=None):
    page.goto(url)
    assert page.evaluate(FITS), f"{url} is wider than the screen"
    if amounts_selector:
        cells = page.evaluate(READABLE, amounts_selector)
        assert cells, f"{url}: no amounts"
        for cell in cells:
            assert cell["whole"] and cell["visible"], (url, cell)
        return [cell["text"] for cell in cells]
    return []


def test_the_lists_fit_a_phone_and_their_amounts_are_read(browser, live_server, city):
    past, current = batches(city)
    base = live_server.url
    for locale in ("zh-CN", "en-US"):
        context = browser.new_context(locale=locale, **PHONE)
        page = context.new_page()
        suffix = "" if locale == "zh-CN" else "_en"
        check_page(page, f"{base}/publicity/")
        assert page.locator("text=拟奖励（后补助）名单公示" if suffix == ""
                            else "text=Proposed rewards").first.is_visible()
        page.screenshot(path=str(SHOTS / f"publicity_list_390{suffix}.png"), full_page=True)

        amounts = check_page(page, f"{base}/publicity/{current.pk}/",
                             "table.publicity-items td.amount")
        assert amounts == ["30,000.00"] * 3
        page.screenshot(path=str(SHOTS / f"publicity_detail_390{suffix}.png"), full_page=True)
        # the objection form is on the same page: every field within the screen
        for field in ("#o-application", "#o-name", "#o-reasons", "text=提交异议" if not suffix
                      else "text=Submit the objection"):
            box = page.locator(field).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 390, field

        check_page(page, f"{base}/publicity/{past.pk}/", "table.publicity-items td.amount")
        printed = check_page(page, f"{base}/publicity/{current.pk}/print/", "td.num")
        assert printed == ["30,000.00"] * 3 + ["90,000.00"]
        check_page(page, f"{base}/publicity/objections/")
        context.close()


def test_at_1366_the_batch_page_is_a_table(browser, live_server, city):
    _past, current = batches(city)
    context = browser.new_context(locale="zh-CN", **DESKTOP)
    page = context.new_page()
    amounts = check_page(page, f"{live_server.url}/publicity/{current.pk}/",
                         "table.publicity-items td.amount")
    assert amounts == ["30,000.00"] * 3
    assert page.locator("th", has_text="拟奖励金额（元）").is_visible()
    page.screenshot(path=str(SHOTS / "publicity_detail_1366.png"), full_page=True)
    context.close()
