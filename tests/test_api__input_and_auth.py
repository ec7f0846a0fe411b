"""API authentication, input validation and error shapes: never a 500."""

import json

import pytest
from django.test import Client

from subsidy.models import Application

from .api_client import ApiClient
from .factories import PASSWORD, ApplicationFactory, region
from .helpers import sign_in


@pytest.mark.django_db
def test_token_issue_and_use(applicant):
    client = Client()
    bad = client.post("/api/v1/auth/token", json.dumps({"username": applicant.username,
                                                        "password": "wrong"}),
                      content_type="application/json")
    assert bad.status_code == 401
    good = client.post("/api/v1/auth/token", json.dumps({"username": applicant.username,
                                                         "password": PASSWORD}),
                       content_type="application/json")
    assert good.status_code == 200
    token = good.json()["token"]
    listed = client.get("/api/v1/applications", headers={"Authorization": f"Bearer {token}"})
    assert listed.status_code == 200
    assert client.get("/api/v1/applications",
                      headers={"Authorization": "Bearer nope"}).status_code == 401
    assert client.get("/api/v1/applications").status_code == 401


@pytest.mark.django_db
def test_session_auth_requires_csrf(applicant):
    client = Client(enforce_csrf_checks=True)
    sign_in(client, applicant)
    assert client.get("/api/v1/applications").status_code == 200
    refused = client.post("/api/v1/applications", "{}", content_type="application/json")
    assert refused.status_code == 403


@pytest.mark.django_db
def test_openapi_document_is_served(reference):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/applications/{application_id}/transitions/{name}" in paths
    assert "/api/v1/categories" in paths


@pytest.mark.django_db
def test_categories_list_with_lifecycles(applicant):
    body = ApiClient(applicant).get("/categories").json()
    assert [c["code"] for c in body] == [f"{n:02d}" for n in range(1, 24)]
    reward = next(c for c in body if c["code"] == "21")
    assert reward["kind"] == "reward" and reward["states"][0] == "draft"
    assert {"name": "approve", "label": "审核通过", "source": "city_review",
            "target": "approved"} in reward["transitions"]
    form = ApiClient(applicant).get("/categories/21/form").json()
    assert "certificate_number" in [f["name"] for f in form["fields"]]


@pytest.mark.django_db
@pytest.mark.parametrize("payload, field", [
    ({"category": "01", "title": "x", "requested_amount": "abc"}, "requested_amount"),
    ({"category": "01", "title": "x", "requested_amount": "-5"}, "requested_amount"),
    ({"category": "01", "requested_amount": "5"}, "title"),
    ({"category": "07", "title": "x", "requested_amount": "5",
      "form_data": {"project_summary": "s", "patent_numbers": "ZL201310699744.3"}},
     "patent_numbers"),
    ({"category": "23", "title": "x", "requested_amount": "5",
      "form_data": {"project_summary": "s"}}, "project_type"),
])
def test_invalid_application_input_gives_field_errors(payload, field, programme, applicant):
    response = ApiClient(applicant).post("/applications", {"programme": programme.pk, **payload})
    assert response.status_code == 422, response.content
    assert field in json.dumps(response.json()["errors"])
    assert Application.objects.count() == 0


@pytest.mark.django_db
def test_malformed_json_is_a_client_error(applicant):
    client = ApiClient(applicant)
    response = client.client.post("/api/v1/applications", "{not json",
                                  content_type="application/json", headers=client.headers)
    assert 400 <= response.status_code < 500


@pytest.mark.django_db
def test_non_applicants_cannot_create(programme, county):
    response = ApiClient(county).post("/applications", {
        "programme": programme.pk, "category": "01", "title": "x", "requested_amount": "5"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_category_closed_to_the_organisation_type_is_refused(programme, applicant):
    response = ApiClient(applicant).post("/applications", {
        "programme": programme.pk, "category": "09", "title": "x", "requested_amount": "5",
        "form_data": {"project_summary": "s", "patent_numbers": "ZL201310699744.2"}})
    assert response.status_code == 422
    assert "category" in response.json()["errors"]


@pytest.mark.django_db
def test_comment_required_and_bad_amount(programme, county, city):
    app = ApplicationFactory(programme=programme, organisation__region=county.region)
    Application.objects.filter(pk=app.pk).update(state="county_review")
    response = ApiClient(county).transition(app.pk, "reject")
    assert response.status_code == 422
    assert response.json()["reasons"]["en"] == "“Reject” requires a written comment."
    Application.objects.filter(pk=app.pk).update(state="city_review")
    bad = ApiClient(city).transition(app.pk, "approve", amount="lots")
    assert bad.status_code == 422
    extra = ApiClient(city).transition(app.pk, "close_publicity", amount="5")
    assert extra.status_code == 409


@pytest.mark.django_db
def test_edit_a_draft_and_the_list_is_paginated(programme, applicant):
    client = ApiClient(applicant)
    for n in range(3):
        created = client.post("/applications", {
            "programme": programme.pk, "category": "01", "title": f"项目{n}",
            "requested_amount": "100", "form_data": {"project_summary": "概述"}})
        assert created.status_code == 201
    page = client.get("/applications", page_size=2).json()
    assert page["count"] == 3 and len(page["items"]) == 2
    app_id = page["items"][0]["id"]
    edited = client.put(f"/applications/{app_id}", {
        "title": "新名称", "requested_amount": "200.50", "form_data": {"project_summary": "新"}})
    assert edited.status_code == 200 and edited.json()["requested_amount"] == "200.50"
    assert edited.json()["allowed_amount"] == "200.50"


@pytest.mark.django_db
def test_bulk_transition(programme, county):
    apps = [ApplicationFactory(programme=programme, organisation__region=county.region)
            for _ in range(3)]
    Application.objects.filter(pk__in=[a.pk for a in apps[:2]]).update(state="county_review")
    Application.objects.filter(pk=apps[2].pk).update(state="submitted")
    other = ApplicationFactory(programme=programme,  # another county's: not visible
                               organisation__region=region("430424"))
    Application.objects.filter(pk=other.pk).update(state="county_review")
    ids = [a.pk for a in apps] + [other.pk]
    response = ApiClient(county).post("/applications/transitions/recommend",
                                      {"ids": ids, "comment": "批量推荐"})
    assert response.status_code == 200
    body = response.json()
    assert sorted(body["moved"]) == sorted(a.pk for a in apps[:2])
    refused = {r["id"]: r["code"] for r in body["refused"]}
    assert refused == {apps[2].pk: "not_available", other.pk: "not_found"}
    assert Application.objects.filter(state="city_review").count() == 2
