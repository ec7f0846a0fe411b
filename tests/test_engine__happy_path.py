"""Every category's full lifecycle, driven through the JSON API by the right people."""

from contextlib import nullcontext
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail

from notices.services import draft_disbursement_notice, issue_notice
from publicity.services import create_batch, publicity_kind, publish_batch
from subsidy.models import Application, AttachmentStage, Category
from workflows.audit import verify_chain

from .api_client import ApiClient
from .factories import (
    ApplicantFactory,
    OrganisationFactory,
    attach_required,
    score_by_required_experts,
    valid_form_data,
)
from .helpers import travel_to

#: The day the lifecycle runs (a Monday): the project was completed the day before, within
#: the 2021 programme's implementation window; each publicity period starts that day.
TODAY = date(2021, 11, 1)

PATHS = {
    "project": [
        ("applicant", "submit", "submitted"), ("county", "accept", "county_review"),
        ("county", "recommend", "city_review"), ("city", "approve", "approved"),
        ("city", "publish", "approval_publicity"),
        ("city", "close_publicity", "implementation"),
        ("applicant", "submit_acceptance", "acceptance_submitted"),
        ("city", "open_acceptance_review", "acceptance_review"),
        ("city", "pass_acceptance", "acceptance_passed"),
        ("city", "publish", "acceptance_publicity"),
        ("city", "close_publicity", "awaiting_disbursement"),
        ("city", "notify_disbursement", "disbursement_notified"),
        ("finance", "confirm_payment", "paid"),
    ],
    "reward": [
        ("applicant", "submit", "submitted"), ("county", "accept", "county_review"),
        ("county", "recommend", "city_review"), ("city", "approve", "approved"),
        ("city", "publish", "approval_publicity"),
        ("city", "close_publicity", "awaiting_disbursement"),
        ("city", "notify_disbursement", "disbursement_notified"),
        ("finance", "confirm_payment", "paid"),
    ],
}
PATHS["project_expert"] = [
    *PATHS["project"][:3], ("city", "send_to_experts", "expert_review"), *PATHS["project"][3:]]

CODES = [f"{n:02d}" for n in range(1, 24)]


def org_type_for(cat: Category) -> str:
    return cat.applicant_types[0] if cat.applicant_types else "enterprise"


@pytest.mark.django_db
@pytest.mark.today(TODAY)
@pytest.mark.parametrize("code", CODES)
def test_full_lifecycle_through_the_api(code, programme, county, city, finance,
                                       django_capture_on_commit_callbacks):
    cat = Category.objects.get(code=code)

    applicant = ApplicantFactory(organisation=OrganisationFactory(
        org_type=org_type_for(cat), region=county.region))
    actors = {"applicant": ApiClient(applicant), "county": ApiClient(county),
              "city": ApiClient(city), "finance": ApiClient(finance)}

    created = actors["applicant"].post("/applications", {
        "programme": programme.pk, "category": code, "title": f"{cat.name}示范项目",
        "requested_amount": "1000.00", "form_data": valid_form_data(cat)})
    assert created.status_code == 201, created.json()
    app_id = created.json()["id"]
    assert created.json()["state"] == "draft"
    app = Application.objects.get(pk=app_id)
    attach_required(app)

    for who, name, target in PATHS[cat.lifecycle]:
        body = {"comment": f"{name} ok"}
        if name == "submit_acceptance":
            attach_required(app, AttachmentStage.ACCEPTANCE)
            body["completed_on"] = "2021-10-31"
        if name == "approve" and cat.lifecycle == "project_expert":
            score_by_required_experts(Application.objects.get(pk=app_id), assigned_by=city)
        if name == "confirm_payment":  # the payment that completes the approved amount
            with django_capture_on_commit_callbacks(execute=True):
                paid = actors[who].post(f"/applications/{app_id}/payments", {
                    "paid_on": "2021-11-01", "amount": str(app.approved_amount),
                    "reference": "衡财拨〔2021〕88号"})
            assert paid.status_code == 201, paid.json()
            assert paid.json()["state"] == target
            continue
        if name == "publish":  # publicity is published batch by batch, not item by item
            app.refresh_from_db()
            batch = create_batch(city, programme, publicity_kind(app), "公示", TODAY, 5,
                                 [app_id])
            with django_capture_on_commit_callbacks(execute=True):
                publish_batch(city, batch)
            assert Application.objects.get(pk=app_id).state == target
            continue
        if name == "notify_disbursement":  # only an issued disbursement notice notifies
            with django_capture_on_commit_callbacks(execute=True):
                issue_notice(city, draft_disbursement_notice(city, programme, [app_id]))
            app.refresh_from_db()
            assert app.state == target
            continue
        # closing waits for the end of the period
        later = (travel_to(batch.end_date + timedelta(days=1)) if name == "close_publicity"
                 else nullcontext())
        with django_capture_on_commit_callbacks(execute=True), later:
            response = actors[who].transition(app_id, name, **body)
        assert response.status_code == 200, (name, response.json())
        assert response.json()["state"] == target

    app.refresh_from_db()
    assert app.state == "paid"
    assert app.approved_amount == (cat.fixed_amount or Decimal("1000.00"))
    assert app.paid_amount == app.approved_amount and str(app.paid_on) == "2021-11-01"
    detail = actors["applicant"].get(f"/applications/{app_id}").json()
    assert [h["transition"] for h in detail["history"]] == [s[1] for s in PATHS[cat.lifecycle]]
    assert detail["transitions"] == []
    assert verify_chain(app, app.audit_entries.order_by("seq")) is None
    # everyone concerned was told: the applicant at every step
    to_applicant = [m for m in mail.outbox if applicant.email in m.to]
    assert len(to_applicant) == len(PATHS[cat.lifecycle])
