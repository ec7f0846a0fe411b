"""One "project" application from draft to awaiting disbursement, entirely through the web:
the portal for the applicant, the desk for the county and the city, batches for publicity and
acceptance."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from publicity.models import AcceptanceBatch, PublicityBatch
from subsidy.models import Application
from workflows.audit import verify_chain
from workflows.stages import State

from .helpers import signed_in, travel_to

PDF = b"%PDF-1.4\n%test\n"
#: The day it all happens (a Monday), after the completion date the applicant gives (20
#: November) and within the 2021 programme's implementation window; both publicity periods
#: start that day.
TODAY = date(2021, 11, 22)


def ok(response, status=(302, 303)):
    assert response.status_code in status, response.content.decode()[-2000:]
    return response


@pytest.mark.django_db
@pytest.mark.today(TODAY)
def test_project_from_draft_to_awaiting_disbursement(programme, applicant, county, city):
    portal, desk_county, desk_city = signed_in(applicant), signed_in(county), signed_in(city)

    # the applicant applies in category 01 (a project) and submits
    ok(portal.post(f"/programmes/{programme.pk}/apply/01/", {
        "title": "重点企业知识产权保护体系建设", "requested_amount": "150000",
        "project_summary": "建立企业知识产权保护制度。"}))
    app = Application.objects.get()
    page = f"/applications/{app.pk}/"
    ok(portal.post(page, {"kind": "application_form",
                          "file": SimpleUploadedFile("申报书.pdf", PDF)}))
    ok(portal.post(page, {"action": "submit"}))

    # the county accepts and recommends it; the city approves it
    review = f"/desk/review/{app.pk}/"
    ok(desk_county.post(review, {"action": "accept"}))
    ok(desk_county.post(review, {"action": "recommend", "recommend-comment": "同意推荐"}))
    ok(desk_city.post(review, {"action": "approve", "approve-amount": "150000.00"}))
    app.refresh_from_db()
    assert app.state == State.APPROVED

    # the approved list is published for 5 working days; afterwards the results apply
    ok(desk_city.post("/desk/publicity/", {
        "programme": programme.pk, "kind": "approval", "title": "2021年度拟立项项目公示",
        "start_date": TODAY.isoformat(), "workdays": "5", "ids": [app.pk]}))
    batch = PublicityBatch.objects.get()
    ok(desk_city.post(f"/desk/publicity/{batch.pk}/", {"publish": "1", "confirm": "1"}))
    assert Application.objects.get(pk=app.pk).state == State.APPROVAL_PUBLICITY
    with travel_to(batch.end_date + timedelta(days=1)):
        desk_city = signed_in(city)  # days later: the idle session has expired
        ok(desk_city.post(f"/desk/publicity/{batch.pk}/", {"close": "1", "confirm": "1"}))
    assert Application.objects.get(pk=app.pk).state == State.IMPLEMENTATION

    # implemented within the window; the applicant requests acceptance with its materials
    for kind in ("summary_report", "self_evaluation", "spending_proof"):
        ok(portal.post(page, {"kind": kind, "file": SimpleUploadedFile(f"{kind}.pdf", PDF)}))
    late = portal.post(page, {"action": "submit_acceptance",
                              "submit_acceptance-completed_on": "2021-12-15"})
    assert late.status_code == 422 and "实施期" in late.content.decode()
    ok(portal.post(page, {"action": "submit_acceptance",
                          "submit_acceptance-completed_on": "2021-11-20"}))

    # the city reviews and passes the acceptance, groups it into 第一批 and publishes it
    ok(desk_city.post(review, {"action": "open_acceptance_review"}))
    ok(desk_city.post(review, {"action": "pass_acceptance", "pass_acceptance-comment": "合格"}))
    ok(desk_city.post(f"/desk/publicity/acceptance/?programme={programme.pk}",
                      {"programme": programme.pk, "ids": [app.pk], "confirm": "1"}))
    acceptance = AcceptanceBatch.objects.get()
    assert acceptance.label == "第一批"
    ok(desk_city.post("/desk/publicity/", {
        "programme": programme.pk, "kind": "acceptance", "acceptance_batch": acceptance.pk,
        "title": "2021年度知识产权培育资助项目第一批验收通过名单公示",
        "start_date": TODAY.isoformat(), "workdays": "5", "ids": [app.pk]}))
    second = PublicityBatch.objects.get(acceptance_batch=acceptance)
    ok(desk_city.post(f"/desk/publicity/{second.pk}/", {"publish": "1", "confirm": "1"}))
    with travel_to(second.end_date + timedelta(days=1)):
        desk_city = signed_in(city)
        ok(desk_city.post(f"/desk/publicity/{second.pk}/", {"close": "1", "confirm": "1"}))

    app.refresh_from_db()
    assert app.state == State.AWAITING_DISBURSEMENT
    assert str(app.completed_on) == "2021-11-20"
    assert [e.transition for e in app.audit_entries.order_by("seq")] == [
        "submit", "accept", "recommend", "approve", "publish", "close_publicity",
        "submit_acceptance", "open_acceptance_review", "pass_acceptance", "publish",
        "close_publicity"]
    assert verify_chain(app, app.audit_entries.order_by("seq")) is None
    timeline = portal.get(page).content.decode()
    assert "等待市局会同财政局下达资金拨付通知" in timeline
