"""In a real browser: the county reviewer returns an application, the applicant changes a
field, uploads a new version and resubmits, and the reviewer sees old → new; withdrawing
asks first; a project returned at acceptance shows its form locked."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from workflows import services as engine
from workflows.stages import State

from .conftest import SHOTS
from .factories import (
    PASSWORD,
    ApplicantFactory,
    ApplicationFactory,
    CountyReviewerFactory,
    OrganisationFactory,
    ProgrammeFactory,
    UserFactory,
    attach_required,
    ensure_reference_data,
    region,
)
from .helpers import at
from .test_browser__apply_and_review import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_return_revise_resubmit_and_see_the_changes(browser, live_server, tmp_path):
    ensure_reference_data()
    programme = ProgrammeFactory()
    organisation = OrganisationFactory(region=region("430405"), name="衡阳示范精密机械有限公司")
    applicant = ApplicantFactory(organisation=organisation, first_name="王经办")
    county = CountyReviewerFactory(region=region("430405"), first_name="珠晖区审核员")
    city = UserFactory(role=Role.CITY, first_name="市局经办")
    app = ApplicationFactory(programme=programme, organisation=organisation,
                             created_by=applicant, title="数控机床主轴专利导航",
                             form_data={"project_summary": "围绕主轴技术开展专利导航。"})
    attach_required(app)
    app = at(app, State.COUNTY_REVIEW)
    base = live_server.url
    pdf = tmp_path / "申报书-补充盖章.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj << >> endobj\n% revised\n%%EOF\n")

    # one browser each: a staff sign-in's one-time code cannot be used twice
    options = {"locale": "zh-CN", "viewport": {"width": 1280, "height": 900}}
    reviewer_context, context = browser.new_context(**options), browser.new_context(**options)
    desk, page = reviewer_context.new_page(), context.new_page()

    # the county reviewer returns it with an opinion
    sign_in(desk, base, county.username)
    desk.goto(f"{base}/desk/review/{app.pk}/")
    desk.fill("#id_return_for_revision-comment", "请补充项目实施计划并上传盖章的申报书。")
    desk.click("button[value=return_for_revision]")
    desk.wait_for_selector("text=已完成")

    # the applicant changes the title and the summary, uploads a new version, resubmits
    sign_in(page, base, applicant.username, PASSWORD)
    page.goto(f"{base}/applications/{app.pk}/edit/")
    page.fill("#id_title", "数控机床主轴关键技术专利导航")
    page.fill("#id_project_summary", "围绕主轴技术开展专利导航，2021年7月至11月分三阶段实施。")
    page.click("main form.stacked button[type=submit]")
    page.wait_for_url(f"{base}/applications/{app.pk}/")
    page.select_option("#id_kind", "application_form")
    page.set_input_files("#id_file", str(pdf))
    page.click("form[enctype] button[type=submit]")
    page.wait_for_selector("text=附件已上传")
    page.click("button[value=resubmit]")
    page.wait_for_selector("text=已完成")

    # the reviewer sees what changed since the return, on the page and in the timeline
    desk.goto(f"{base}/desk/review/{app.pk}/")
    changes = desk.locator(".card.changes")
    expect(changes).to_contain_text("数控机床主轴专利导航")
    expect(changes).to_contain_text("数控机床主轴关键技术专利导航")
    expect(changes).to_contain_text("项目概述")
    expect(changes).to_contain_text("v2 申报书-补充盖章.pdf")
    expect(desk.locator("details.changes")).to_contain_text("数控机床主轴关键技术专利导航")
    desk.screenshot(path=str(SHOTS / "revisions-desk-changes.png"), full_page=True)

    # withdrawing another application asks first and says what will happen
    other = at(ApplicationFactory(programme=programme, organisation=organisation,
                                  created_by=applicant, title="专利质押融资贴息"),
               State.SUBMITTED)
    page.goto(f"{base}/applications/{other.pk}/")
    page.click("button[value=withdraw]")
    page.wait_for_selector("text=这是最终状态")
    page.screenshot(path=str(SHOTS / "revisions-withdraw-confirm.png"), full_page=True)
    page.click("text=取消，返回")
    page.wait_for_url(f"{base}/applications/{other.pk}/")
    other.refresh_from_db()
    assert other.state == State.SUBMITTED

    # returned at acceptance, the approved project's form is locked, with the reason
    accepted = at(ApplicationFactory(programme=programme, organisation=organisation,
                                     created_by=applicant, title="高价值专利培育"),
                  State.ACCEPTANCE_REVIEW, approved_amount=Decimal("50000"))
    attach_required(accepted)
    attach_required(accepted, "acceptance")
    engine.perform(accepted, "return_for_revision", city, comment="验收报告缺少财务审计意见。")
    page.goto(f"{base}/applications/{accepted.pk}/edit/")
    expect(page.locator("#id_title")).to_be_disabled()
    expect(page.locator("main")).to_contain_text("验收退回后只能补充或更换验收材料")
    page.screenshot(path=str(SHOTS / "revisions-acceptance-locked.png"), full_page=True)
    context.close()
    reviewer_context.close()
