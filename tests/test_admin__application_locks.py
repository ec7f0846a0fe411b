"""The Django admin holds to the same editing rule as the portal and the API: a project's
title, amounts and form cannot be changed there once the applicant could not change them,
and what the services set (payments, acceptance date) is never typed in by hand."""

from decimal import Decimal

import pytest

from accounts.models import Role
from subsidy.models import Application
from workflows.stages import State

from .factories import ApplicationFactory, UserFactory
from .helpers import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(reference):
    return UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)


def change_url(application):
    return f"/admin/subsidy/application/{application.pk}/change/"


def in_state(state, **fields):
    application = ApplicationFactory(**fields)
    Application.objects.filter(pk=application.pk).update(state=state, **(
        {"returned_from": State.ACCEPTANCE_REVIEW} if state == State.RETURNED else {}))
    return Application.objects.get(pk=application.pk)


def test_an_approved_project_cannot_be_renamed_in_the_admin(admin):
    project = in_state(State.RETURNED, approved_amount=Decimal("30000.00"))
    client = signed_in(admin)
    page = client.get(change_url(project)).content.decode()
    assert 'name="title"' not in page and 'name="requested_amount"' not in page
    assert 'name="form_data"' not in page
    client.post(change_url(project), {"title": "改名后的项目", "requested_amount": "1",
                                      "form_data": "{}", "paid_amount": "30000"})
    project.refresh_from_db()
    assert project.title != "改名后的项目" and project.paid_amount is None


def test_a_draft_can_still_be_corrected_but_never_its_payments(admin):
    draft = ApplicationFactory()
    page = signed_in(admin).get(change_url(draft)).content.decode()
    assert 'name="title"' in page
    for name in ("paid_amount", "paid_on", "payment_reference", "completed_on"):
        assert f'name="{name}"' not in page
