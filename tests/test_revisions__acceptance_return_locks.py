"""Returned at acceptance, an approved and published project may change only its acceptance
materials: the title, the amounts and the application form are locked in the portal form,
the API and the service alike, and the portal says why. Returned before approval, the whole
form is open again."""

from decimal import Decimal

import pytest

from subsidy.models import Application
from subsidy.rules import form_editing
from workflows import services as engine
from workflows.stages import State

from .api_client import ApiClient
from .factories import ApplicationFactory, attach_required, valid_form_data
from .helpers import at, signed_in

REASON = "项目已立项并公示，验收退回后只能补充或更换验收材料"


@pytest.fixture
def returned_at_acceptance(programme, applicant, city):
    app = at(ApplicationFactory(programme=programme, organisation=applicant.organisation,
                                title="原项目名称"),
             State.ACCEPTANCE_REVIEW, approved_amount=Decimal("800.00"))
    attach_required(app)
    attach_required(app, "acceptance")
    engine.perform(app, "return_for_revision", city, comment="验收报告缺少盖章")
    return app


def edit_data(app, **changes):
    return {"title": app.title, "requested_amount": str(app.requested_amount),
            **valid_form_data(app.category), **changes}


def row(app):
    return Application.objects.get(pk=app.pk)


@pytest.mark.django_db
def test_the_policy_locks_every_form_field(returned_at_acceptance):
    editing = form_editing(returned_at_acceptance)
    assert not editing.editable and editing.applicants_turn
    assert {"title", "requested_amount", "project_summary"} <= editing.locked
    assert REASON in str(editing.reason)


@pytest.mark.django_db
def test_the_portal_shows_the_form_read_only_and_refuses_a_post(returned_at_acceptance,
                                                              applicant):
    client = signed_in(applicant)
    app = returned_at_acceptance
    detail = client.get(f"/applications/{app.pk}/").content.decode()
    assert REASON in detail and f"/applications/{app.pk}/edit/" not in detail
    assert "验收报告" in detail  # the acceptance materials can still be uploaded
    form = client.get(f"/applications/{app.pk}/edit/").content.decode()
    assert REASON in form and "已锁定，不能修改" in form and "保存草稿" not in form
    assert 'name="title"' in form and "disabled" in form and "原项目名称" in form
    posted = client.post(f"/applications/{app.pk}/edit/",
                         edit_data(app, title="改名后的项目", requested_amount="900"))
    assert posted.status_code == 422 and REASON in posted.content.decode()
    saved = row(app)
    assert (saved.title, saved.requested_amount) == ("原项目名称", Decimal("1000.00"))
    assert saved.approved_amount == Decimal("800.00")


@pytest.mark.django_db
def test_the_api_refuses_the_edit_with_the_reason(returned_at_acceptance, applicant):
    app = returned_at_acceptance
    response = ApiClient(applicant).put(f"/applications/{app.pk}", {
        "title": "改名后的项目", "requested_amount": "900",
        "form_data": valid_form_data(app.category)})
    assert response.status_code == 422
    assert REASON in " ".join(response.json()["errors"]["__all__"])
    assert row(app).title == "原项目名称"


@pytest.mark.django_db
def test_new_acceptance_material_and_resubmission_still_work(returned_at_acceptance,
                                                            applicant):
    app = returned_at_acceptance
    engine.perform(app, "resubmit", applicant)
    assert row(app).state == State.ACCEPTANCE_REVIEW


@pytest.mark.django_db
def test_returned_before_approval_the_form_is_open(programme, applicant, city):
    app = at(ApplicationFactory(programme=programme, organisation=applicant.organisation),
             State.CITY_REVIEW)
    engine.perform(app, "return_for_revision", city, comment="请补充")
    assert form_editing(app).locked == frozenset()
    client = signed_in(applicant)
    assert "保存草稿" in client.get(f"/applications/{app.pk}/edit/").content.decode()
    saved = client.post(f"/applications/{app.pk}/edit/", edit_data(app, title="新名称"))
    assert saved.status_code == 302 and row(app).title == "新名称"
