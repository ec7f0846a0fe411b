"""Publicity batches: publishing, objections within the period, staff decisions, closing."""

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook

from publicity.models import BatchKind, BatchStatus, Objection, ObjectionStatus, UpheldOutcome
from publicity.services import (
    close_due_batches,
    create_batch,
    handle_objection,
    lodge_objection,
    publish_batch,
)
from subsidy.demo import credit_code
from subsidy.models import Application
from workflows.stages import State

from .helpers import sign_in, travel_to
from .publicity_data import TODAY, VALID_ID, objection_data, published_batch
from .publicity_data import approved_applications as approved

pytestmark = pytest.mark.today(TODAY)


@pytest.mark.django_db
def test_publishing_moves_every_item_in_one_transaction(programme, city):
    with travel_to(date(2021, 9, 28)):
        batch, apps = published_batch(programme, city, start=date(2021, 9, 28))
    assert batch.end_date == date(2021, 10, 9) and batch.status == BatchStatus.PUBLISHED
    assert set(Application.objects.filter(pk__in=[a.pk for a in apps])
               .values_list("state", flat=True)) == {State.APPROVAL_PUBLICITY}


@pytest.mark.django_db
def test_publishing_refuses_all_if_one_item_moved_meanwhile(programme, city):
    apps = approved(programme, 2)
    batch = create_batch(city, programme, BatchKind.APPROVAL, "公示", TODAY, 5,
                         [a.pk for a in apps])
    Application.objects.filter(pk=apps[1].pk).update(state=State.WITHDRAWN)
    with pytest.raises(ValidationError, match="不能发布"):
        publish_batch(city, batch)
    assert Application.objects.get(pk=apps[0].pk).state == State.APPROVED
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DRAFT


@pytest.mark.django_db
def test_objections_only_during_the_period_and_never_anonymous(programme, city):
    late, apps = published_batch(programme, city)
    with travel_to(late.end_date + timedelta(days=1)), \
            pytest.raises(ValidationError, match="不在公示期内"):
        lodge_objection(late, objection_data(apps[0]))
    running, others = published_batch(programme, city)
    with pytest.raises(ValidationError) as anonymous:
        lodge_objection(running, objection_data(others[0], name="", identity="123"))
    assert set(anonymous.value.message_dict) == {"name", "identity"}
    objection, _created = lodge_objection(running, objection_data(others[0]))
    assert objection.status == ObjectionStatus.RECEIVED
    org_code = credit_code("91", "430405", "MA4T0T0T9")
    assert lodge_objection(running, objection_data(others[1], identity=org_code))[0].pk


def lodged(batch, app):
    """An objection received during the (past) period, as the public page records it."""
    return Objection.objects.create(batch=batch, application=app, name="张三",
                                    identity=VALID_ID, contact="13800000000",
                                    reasons="该单位申报的专利与本人专利相同，存在争议。")


@pytest.mark.django_db
def test_closing_follows_the_objections_and_is_idempotent(programme, city):
    with travel_to(date(2021, 9, 28)):
        batch, apps = published_batch(programme, city, start=date(2021, 9, 28), n=4)
    running, _apps = published_batch(programme, city, n=1)
    removed, reviewed, dismissed, open_one = [lodged(batch, a) for a in apps]
    handle_objection(city, removed, ObjectionStatus.UPHELD, UpheldOutcome.REMOVE, "核实属实")
    handle_objection(city, reviewed, ObjectionStatus.UPHELD, UpheldOutcome.REVIEW, "需重新审核")
    handle_objection(city, dismissed, ObjectionStatus.DISMISSED, result="经核实，异议不成立")
    handle_objection(city, open_one, ObjectionStatus.INVESTIGATING)

    [(closed, counts)] = close_due_batches()  # the running batch is not due
    assert closed == batch
    assert counts == {"close_publicity": 1, "uphold_objection": 1, "reopen_review": 1,
                      "waiting": 1, "refused": 0}
    states = {a.pk: Application.objects.get(pk=a.pk).state for a in apps}
    assert states[apps[0].pk] == State.REJECTED  # upheld: off the list
    assert states[apps[1].pk] == State.CITY_REVIEW  # upheld: reviewed again
    assert states[apps[2].pk] == State.IMPLEMENTATION  # dismissed: passes
    assert states[apps[3].pk] == State.APPROVAL_PUBLICITY  # open objection: cannot pass
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PUBLISHED  # waits for the open objection
    handle_objection(city, open_one, ObjectionStatus.DISMISSED, result="不成立")
    call_command("close_publicity", verbosity=0)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.CLOSED
    assert Application.objects.get(pk=apps[3].pk).state == State.IMPLEMENTATION
    entries = sum(a.audit_entries.count() for a in Application.objects.filter(
        pk__in=[a.pk for a in apps]))
    assert close_due_batches() == []  # running it again changes nothing
    assert entries == sum(a.audit_entries.count() for a in Application.objects.filter(
        pk__in=[a.pk for a in apps]))
    running.refresh_from_db()
    assert running.status == BatchStatus.PUBLISHED


@pytest.mark.django_db
def test_a_decision_needs_a_written_result(programme, city):
    batch, apps = published_batch(programme, city)
    objection, _created = lodge_objection(batch, objection_data(apps[0]))
    with pytest.raises(ValidationError):
        handle_objection(city, objection, ObjectionStatus.UPHELD, UpheldOutcome.REMOVE, "")
    with pytest.raises(ValidationError):
        handle_objection(city, objection, ObjectionStatus.UPHELD, "", "成立")


@pytest.mark.django_db
def test_public_pages_excel_and_print(programme, city):
    batch, apps = published_batch(programme, city)
    client = Client()  # no login
    assert batch.title in client.get("/publicity/").content.decode()
    page = client.get(f"/publicity/{batch.pk}/").content.decode()
    assert apps[0].organisation.name in page and "提交异议" in page
    bad = client.post(f"/publicity/{batch.pk}/", objection_data(apps[0], name=""))
    assert bad.status_code == 422 and "匿名异议不予受理" in bad.content.decode()
    assert "13800000000" in bad.content.decode()  # what was typed is kept
    good = client.post(f"/publicity/{batch.pk}/", objection_data(apps[0]))
    assert good.status_code == 303
    sheet = load_workbook(io.BytesIO(client.get(f"/publicity/{batch.pk}/excel/").content)).active
    values = [c.value for c in sheet["D"]]
    assert "公示项目0" in values and sheet["A1"].value == batch.title
    assert "公示期" in client.get(f"/publicity/{batch.pk}/print/").content.decode()
    draft = create_batch(city, programme, BatchKind.APPROVAL, "草稿", TODAY, 5,
                         [a.pk for a in approved(programme, 1)])
    assert client.get(f"/publicity/{draft.pk}/").status_code == 404


@pytest.mark.django_db
def test_publicity_cannot_be_skipped_or_cut_short(programme, city):
    from workflows import services as engine
    from workflows.exceptions import GuardFailed

    apps = approved(programme, 1)
    draft = create_batch(city, programme, BatchKind.APPROVAL, "公示", TODAY, 5,
                         [apps[0].pk])
    app = Application.objects.get(pk=apps[0].pk)
    with pytest.raises(GuardFailed, match="整批发布"):
        engine.perform(app, "publish", city)  # not item by item, outside the batch
    publish_batch(city, draft)
    app.refresh_from_db()
    for name in ("close_publicity", "uphold_objection", "reopen_review"):
        with pytest.raises(GuardFailed):
            engine.perform(app, name, city, comment="x")  # the period is running


@pytest.mark.django_db
def test_a_period_that_has_begun_cannot_be_published(programme, city):
    apps = approved(programme, 1)
    batch = create_batch(city, programme, BatchKind.APPROVAL, "公示", TODAY, 5,
                         [apps[0].pk])
    with travel_to(TODAY + timedelta(days=2)), pytest.raises(ValidationError, match="已过"):
        publish_batch(city, batch)


@pytest.mark.django_db
def test_an_upheld_objection_stops_the_item_passing_by_hand(programme, city):
    from workflows import services as engine
    from workflows.exceptions import GuardFailed

    batch, apps = published_batch(programme, city, n=1)
    objection, _created = lodge_objection(batch, objection_data(apps[0]))
    handle_objection(city, objection, ObjectionStatus.UPHELD, UpheldOutcome.REMOVE, "属实")
    with pytest.raises(ValidationError):  # a decision is final
        handle_objection(city, objection, ObjectionStatus.DISMISSED, result="改判")
    with travel_to(batch.end_date + timedelta(days=1)):
        app = Application.objects.get(pk=apps[0].pk)
        with pytest.raises(GuardFailed, match="成立的异议"):
            engine.perform(app, "close_publicity", city)
        with pytest.raises(GuardFailed):
            engine.perform(app, "reopen_review", city, comment="x")  # decided: remove
        engine.perform(app, "uphold_objection", city, comment="异议成立")
    assert app.state == State.REJECTED


@pytest.mark.django_db
def test_evidence_reaches_staff_and_odd_item_ids_are_refused(programme, city):
    from django.core.files.uploadedfile import SimpleUploadedFile

    batch, apps = published_batch(programme, city, n=1)
    client = Client()
    odd = client.post(f"/publicity/{batch.pk}/", objection_data(apps[0], application="²"))
    assert odd.status_code == 422 and "请选择异议针对的项目" in odd.content.decode()
    pdf = SimpleUploadedFile("证明.pdf", b"%PDF-1.4\n%x\n")
    assert client.post(f"/publicity/{batch.pk}/",
                       {**objection_data(apps[0]), "evidence": pdf}).status_code == 303
    objection = Objection.objects.get()
    staff = Client()
    sign_in(staff, city)
    page = staff.get(f"/desk/publicity/{batch.pk}/").content.decode()
    assert "证明.pdf" in page
    download = staff.get(f"/desk/publicity/{batch.pk}/objections/{objection.pk}/evidence/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert Client().get(f"/desk/publicity/{batch.pk}/objections/{objection.pk}/evidence/"
                        ).status_code == 302  # strangers are sent to log in


@pytest.mark.django_db
def test_the_batch_page_drafts_its_publicity_notice(programme, city):
    from notices.models import Notice, NoticeKind

    batch, _apps = published_batch(programme, city, n=2)
    staff = Client()
    sign_in(staff, city)
    response = staff.post(f"/desk/publicity/{batch.pk}/", {"notice": "1", "confirm": "1"})
    notice = Notice.objects.get(publicity_batch=batch)
    assert response.status_code == 303 and response.url == f"/desk/notices/{notice.pk}/"
    assert notice.kind == NoticeKind.PUBLICITY and notice.applications.count() == 2
