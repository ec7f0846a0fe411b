"""Defects found in review, kept fixed."""

from decimal import Decimal

import pytest
from django.core import mail

from subsidy.models import Application
from workflows import services as engine
from workflows.exceptions import GuardFailed
from workflows.stages import State

from .api_client import ApiClient
from .factories import ApplicationFactory, ProgrammeFactory, attach_required
from .helpers import at


@pytest.mark.django_db
def test_a_failing_notification_does_not_undo_or_misreport_the_transition(
        programme, applicant, county, monkeypatch, django_capture_on_commit_callbacks):
    from notifications import messenger

    def smtp_down():
        raise OSError("smtp down")

    monkeypatch.setattr(messenger, "get_connection", smtp_down)
    app = at(ApplicationFactory(programme=programme, organisation=applicant.organisation,
                                created_by=applicant), State.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        entry = engine.perform(app, "accept", county)
    assert entry.seq == 1 and app.state == State.COUNTY_REVIEW
    assert Application.objects.get(pk=app.pk).state == State.COUNTY_REVIEW
    assert not mail.outbox


@pytest.mark.django_db
def test_money_of_an_approved_application_returned_from_acceptance_stays_committed(city):
    programme = ProgrammeFactory(category_budget="1000")
    first = at(ApplicationFactory(programme=programme), State.CITY_REVIEW)
    engine.perform(first, "approve", city)
    at(first, State.ACCEPTANCE_REVIEW)
    first = Application.objects.get(pk=first.pk)
    engine.perform(first, "return_for_revision", city, comment="补充材料")
    second = at(ApplicationFactory(programme=programme), State.CITY_REVIEW)
    with pytest.raises(GuardFailed, match=r"剩余 0\.00"):
        engine.perform(second, "approve", city)


@pytest.mark.django_db
def test_guards_judge_the_current_row_not_a_stale_copy(programme, applicant):
    app = ApplicationFactory(programme=programme, organisation=applicant.organisation)
    attach_required(app)
    Application.objects.filter(pk=app.pk).update(requested_amount=Decimal("99999999"))
    with pytest.raises(GuardFailed, match="99,999,999"):
        engine.perform(app, "submit", applicant)  # `app` still says 1000.00


@pytest.mark.django_db(transaction=True)
def test_reading_an_application_in_city_review_outside_a_transaction(reference, city):
    """The budget guard must not lock when only asked whether approval is possible."""
    app = at(ApplicationFactory(programme=ProgrammeFactory()), State.CITY_REVIEW)
    response = ApiClient(city).get(f"/applications/{app.pk}")
    assert response.status_code == 200
    approve = next(t for t in response.json()["transitions"] if t["name"] == "approve")
    assert approve["ready"] is True


@pytest.mark.django_db
@pytest.mark.parametrize("path", [
    "/applications/99999999999999999999", "/applications/9223372036854775808",
    "/applications?programme=99999999999999999999", "/applications?category=%00",
    "/categories/%00"])
def test_hostile_paths_and_queries_are_client_errors(path, applicant):
    client = ApiClient(applicant)
    response = client.client.get("/api/v1" + path, headers=client.headers)
    assert 400 <= response.status_code < 500, (path, response.content)


@pytest.mark.django_db
def test_a_page_far_beyond_the_end_is_empty(applicant):
    response = ApiClient(applicant).get("/applications", page="99999999999999999999")
    assert response.status_code == 200 and response.json()["items"] == []


@pytest.mark.django_db
@pytest.mark.parametrize("amount", ["NaN", "Infinity", "1e30", "-5", "0.005",
                                    "99999999999999999999"])
def test_bad_amounts_are_refused_with_field_errors(amount, programme, city):
    app = at(ApplicationFactory(programme=programme), State.CITY_REVIEW)
    response = ApiClient(city).transition(app.pk, "approve", amount=amount)
    assert response.status_code == 422
    assert "amount" in response.json()["errors"]
    assert Application.objects.get(pk=app.pk).state == State.CITY_REVIEW


@pytest.mark.django_db
def test_nul_in_a_comment_or_credentials_is_a_400(programme, county):
    app = at(ApplicationFactory(programme=programme, organisation__region=county.region),
             State.SUBMITTED)
    assert ApiClient(county).transition(app.pk, "accept", comment="a\x00b").status_code == 400
    assert ApiClient().post("/auth/token", {"username": "a\x00", "password": "x"}
                            ).status_code == 400
    assert Application.objects.get(pk=app.pk).state == State.SUBMITTED


@pytest.mark.django_db
def test_malformed_json_has_the_usual_error_shape(applicant):
    client = ApiClient(applicant)
    response = client.client.post("/api/v1/applications", "{not json",
                                  content_type="application/json", headers=client.headers)
    assert response.status_code == 400 and response.json()["code"] == "bad_request"
