"""Schemathesis against the API's own OpenAPI document: whatever it sends, no response is a
server error (5xx). Run as an applicant and as staff (county reviewer, city section), each
with a bearer token, so authenticated code paths are exercised, not just the 401 answer.

Bounded: a few examples per operation and caller (FUZZ_API_EXAMPLES, default 8).
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error

from accounts.models import ApiToken
from config.wsgi import application

from .factories import ApplicationFactory, attach_required

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
EXAMPLES = int(os.environ.get("FUZZ_API_EXAMPLES", "8"))


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI handler closes connections after each request; inside a test transaction
    that would close the test's own. (Django's test Client does the same disconnecting.)"""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(params=["applicant", "county", "city"])
def caller(request, programme, applicant, county, city):
    """A bearer token for one role, with an application of each kind of caller's to find."""
    draft = ApplicationFactory(programme=programme, organisation=applicant.organisation,
                               created_by=applicant)
    attach_required(draft)
    user = {"applicant": applicant, "county": county, "city": city}[request.param]
    _row, raw = ApiToken.issue(user)
    return {"Authorization": f"Bearer {raw}"}


@pytest.mark.django_db
@schema.parametrize()
@hypothesis_settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                     suppress_health_check=list(HealthCheck))
def test_no_input_makes_the_api_fail(case, caller):
    case.call_and_validate(headers=caller, checks=[not_a_server_error])


# --- Hypothesis: any JSON at all, not only what the schema describes --------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False)
    | st.text(max_size=30) | st.sampled_from(["", "1e999", "NaN", "2021-02-30", "０"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner,
                                                                 max_size=5),
    max_leaves=12)
body_keys = st.sampled_from(["programme", "category", "title", "requested_amount",
                             "form_data", "comment", "amount", "completed_on", "paid_on",
                             "reference", "ids", "username", "password"])
bodies = st.one_of(json_values, st.dictionaries(body_keys, json_values, max_size=6))


@pytest.mark.django_db
def test_any_json_body_is_answered_without_a_server_error(programme, applicant, county):
    from .api_client import ApiClient

    draft = ApplicationFactory(programme=programme, organisation=applicant.organisation,
                               created_by=applicant)
    callers = [ApiClient(applicant), ApiClient(county)]  # raise any server error
    paths = ["/applications", f"/applications/{draft.pk}/transitions/submit",
             f"/applications/{draft.pk}/transitions/accept", "/applications/transitions/accept",
             "/auth/token", "/notices"]

    @hypothesis_settings(max_examples=EXAMPLES * 10, deadline=None, derandomize=True,
                         suppress_health_check=list(HealthCheck))
    @given(st.sampled_from(callers), st.sampled_from(paths), bodies,
           st.sampled_from(["post", "put"]))
    def check(client, path, body, method):
        response = getattr(client, method)(path, body) if method == "post" or \
            path.startswith("/applications/") else client.post(path, body)
        assert response.status_code < 500, (path, body, response.content[:300])

    check()


# --- Regressions the fuzzing found ------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("content_type", ["multipart/form-data",
                                          "multipart/form-data; boundary=x"])
def test_a_multipart_put_is_refused_not_a_server_error(content_type, programme, applicant):
    """Reading request.body of a multipart PUT closed the upload-name watching stream, which
    had no close(): AttributeError, 500. Now the body is refused as invalid (422)."""
    from .api_client import ApiClient

    draft = ApplicationFactory(programme=programme, organisation=applicant.organisation,
                               created_by=applicant)
    client = ApiClient(applicant)
    response = client.client.generic(
        "PUT", f"/api/v1/applications/{draft.pk}", b'{"title": ""}',
        content_type=content_type, headers=client.headers)
    assert response.status_code == 422
