"""In a real browser whose own language is English: the desk's application page at 1366×768
and 390×844, in Chinese and in English, with a message, a flag and wide tables. The title
and the way back fill the page's width (not a column a character wide), nothing widens the
page past the screen, tables scroll inside their card, the two columns stack on a phone.
The inbox's filters start at 全部 and its date boxes read 年/月/日 in the Chinese interface.
Screenshots: docs/screenshots/desk_application_{zh,en}_{1366,390}.png, desk_inbox_zh_1366.png."""

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from subsidy.experts import assign_experts, submit_scores
from workflows import services as engine

from .conftest import SHOTS
from .factories import (
    ApplicantFactory,
    ApplicationFactory,
    CountyReviewerFactory,
    OrganisationFactory,
    ProgrammeFactory,
    UserFactory,
    attach_required,
    category,
    full_marks,
    region,
)
from .test_browser__apply_and_review import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.today(date(2021, 9, 1))]

TITLE = "高精度数控机床主轴及其热变形补偿控制系统发明专利产业化（二〇二一年度重点培育项目）"
SIZES = [(1366, 768), (390, 844)]

#: What the page measures of itself (CSS pixels).
MEASURE = """() => {
  const box = e => e.getBoundingClientRect();
  const page = document.querySelector('.desk-page');
  return {
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
    page: box(page).width,
    back: box(document.querySelector('.desk-head .back')),
    title: box(document.querySelector('.desk-head h1')),
    message: box(document.querySelector('.messages li')).width,
    flags: box(document.querySelector('.flags')).width,
    summary: box(document.querySelector('dl.fields').closest('.card')),
    actions: box(document.querySelector('.actions').closest('.card')),
    tables: [...page.querySelectorAll('table')].map(t => {
      const scroller = t.closest('.table-scroll');
      return {inCard: !!t.closest('.card'), wrapped: !!scroller,
              right: scroller ? box(scroller).right : box(t).right,
              wider: scroller ? t.offsetWidth > scroller.clientWidth : false,
              scrolls: scroller ? scroller.scrollWidth > scroller.clientWidth : false};
    }),
  };
}"""


def under_expert_review():
    """An application in expert review (attachments, history, one expert's scores) whose
    organisation has a second one in the same category (a flag)."""
    programme = ProgrammeFactory(title="2021年度知识产权培育资助")
    organisation = OrganisationFactory(name="衡阳示范精密机械有限公司", region=region("430405"),
                                       contact_name="张经办", contact_phone="0734-8123456")
    applicant = ApplicantFactory(organisation=organisation, first_name="张经办")
    county = CountyReviewerFactory(region=region("430405"), first_name="珠晖区审核员")
    city = UserFactory(username="city-staff", role=Role.CITY, first_name="市局经办")
    expert = UserFactory(username="expert-1", role=Role.EXPERT, first_name="张教授")
    apps = []
    for title in (TITLE, "高精度数控机床主轴发明专利产业化（二期）"):
        app = ApplicationFactory(programme=programme, organisation=organisation,
                                 created_by=applicant, category=category("07"), title=title,
                                 requested_amount=Decimal("200000.00"))
        attach_required(app)
        engine.perform(app, "submit", applicant)
        engine.perform(app, "accept", county, comment="材料齐全，予以受理。")
        engine.perform(app, "recommend", county, comment="经初审，同意推荐。")
        engine.perform(app, "send_to_experts", city, comment="请专家评审。")
        apps.append(app)
    [assignment] = assign_experts(city, apps[0], [expert])
    submit_scores(expert, assignment, full_marks(apps[0].category), "技术先进，同意立项。")
    return apps[0]


def test_the_application_page_fits_both_widths_in_both_languages(browser, live_server,
                                                                reference):
    app = under_expert_review()
    spare = [UserFactory(username=f"expert-{n}", role=Role.EXPERT, first_name=f"专家{n}")
             for n in range(2, 6)]
    base = live_server.url
    context = browser.new_context(locale="en-US", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    sign_in(page, base, "city-staff")
    for lang, suffix in (("zh-hans", "zh"), ("en", "en")):
        context.add_cookies([{"name": "django_language", "value": lang, "url": base}])
        for width, height in SIZES:
            page.set_viewport_size({"width": width, "height": height})
            page.goto(f"{base}/desk/review/{app.pk}/")
            page.check(f"input[name=experts][value='{spare.pop().pk}']")  # gives a message
            page.click("button[name=assign_experts]")
            expect(page.locator(".messages li")).to_have_count(1)
            seen = page.evaluate(MEASURE)
            name = f"desk_application_{suffix}_{width}"
            # viewflow repeats the message in a passing pop-up, off the page's layout
            page.add_style_tag(content="vf-snackbar { visibility: hidden; }")
            page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

            assert seen["scrollWidth"] <= seen["clientWidth"], name
            drawer = 256 if width >= 992 else 0  # viewflow's drawer is docked from 992 px
            assert seen["page"] >= seen["clientWidth"] - drawer - 64, name
            # the title, the way back, the message and the flags each span the page
            assert seen["title"]["width"] >= 0.95 * seen["page"], name
            assert seen["back"]["bottom"] <= seen["title"]["top"], name
            assert seen["message"] >= 0.95 * seen["page"], name
            assert seen["flags"] >= 0.95 * seen["page"], name
            if width >= 992:  # side by side
                assert seen["actions"]["left"] >= seen["summary"]["right"], name
            else:  # stacked
                assert seen["actions"]["top"] >= seen["summary"]["bottom"], name
            tables = seen["tables"]
            assert len(tables) >= 2 and all(t["inCard"] and t["wrapped"] for t in tables), name
            assert all(t["right"] <= seen["clientWidth"] for t in tables), name
            assert all(t["scrolls"] for t in tables if t["wider"]), name
            if width < 600:  # the attachments' table is wider than a phone: it scrolls
                assert any(t["wider"] for t in tables), name
    lines = page.inner_text("dl.fields")
    assert app.organisation.uscc in lines and "0734-8123456" in lines and "张经办" in lines

    # the inbox in Chinese, the browser still English: 全部 first, dates as 年/月/日
    context.add_cookies([{"name": "django_language", "value": "zh-hans", "url": base}])
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{base}/desk/review/?all=1")
    for select in ("state", "category", "region"):
        assert page.locator(f"#id_{select} option").first.inner_text() == "全部"
    for box in ("submitted_after", "submitted_before"):
        field = page.locator(f"#id_{box}")
        assert field.get_attribute("type") == "text"
        assert field.get_attribute("placeholder") == "年/月/日"
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    page.screenshot(path=str(SHOTS / "desk_inbox_zh_1366.png"), full_page=True)
    page.fill("#id_q", app.organisation.uscc[2:10].lower())  # part of the credit code
    page.fill("#id_submitted_after", "2021/08/01")
    page.click("form.filters button[type=submit]")
    expect(page.locator("table.list tbody tr")).to_have_count(2)
    assert page.input_value("#id_submitted_after") == "2021/08/01"
    context.close()
