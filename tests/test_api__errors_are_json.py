"""The API answers every error in JSON ({"code", "detail"}), never Django's HTML error page
or django-ninja's plain text: unknown addresses, wrong methods, oversize bodies, a failure
inside an operation. The rest of the site keeps its HTML pages."""

import json

import pytest
from django.test import Client

from .api_client import ApiClient

pytestmark = pytest.mark.django_db


def answer(response) -> dict:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return json.loads(response.content)


def test_an_unknown_address_under_the_api(reference):
    for path in ("/api/v1/nope", "/api/v1/", "/api/v2/applications"):
        response = Client().get(path)
        assert response.status_code == 404
        assert answer(response) == {"code": "not_found", "detail": "未找到。"}
    assert Client().get("/nope/")["Content-Type"].startswith("text/html")  # the site: HTML


def test_a_method_the_operation_does_not_take(reference):
    response = Client().delete("/api/v1/auth/token")
    assert response.status_code == 405 and answer(response)["code"] == "method_not_allowed"


def test_a_body_over_the_limit(reference, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = Client().post("/api/v1/auth/token", "x=" + "1" * 5000,
                             content_type="application/x-www-form-urlencoded")
    assert response.status_code in (400, 413)
    assert answer(response)["code"] in ("bad_request", "too_large")


def test_a_failure_inside_an_operation(applicant, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("api.applications.visible_applications", broken)
    api = ApiClient(applicant)
    api.client = Client(raise_request_exception=False)
    response = api.get("/applications")
    assert response.status_code == 500
    assert answer(response) == {"code": "server_error",
                                "detail": "服务器内部错误，已记录，请稍后再试。"}
    assert "database went away" not in response.content.decode()  # nothing leaks
