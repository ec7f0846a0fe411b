"""撤回申报 in the portal asks first and says what will happen: a plain POST shows the
question and changes nothing; only the confirmed POST withdraws (no JavaScript needed)."""

import pytest

from subsidy.models import Application
from workflows import services as engine
from workflows.stages import State

from .factories import ApplicationFactory, attach_required
from .helpers import at, signed_in


def state(app):
    return Application.objects.values_list("state", flat=True).get(pk=app.pk)


@pytest.fixture
def submitted(programme, applicant):
    return at(ApplicationFactory(programme=programme, organisation=applicant.organisation),
              State.SUBMITTED)


@pytest.mark.django_db
def test_a_plain_post_asks_and_withdraws_nothing(submitted, applicant):
    client = signed_in(applicant)
    asked = client.post(f"/applications/{submitted.pk}/", {"action": "withdraw"})
    assert asked.status_code == 200
    page = asked.content.decode()
    assert "确认撤回申报" in page
    assert "“撤回申报”后，本申报将变为“已撤回”。这是最终状态" in page
    assert 'name="confirm" value="1"' in page and f'href="/applications/{submitted.pk}/"' in page
    assert state(submitted) == State.SUBMITTED
    assert not submitted.audit_entries.exists()


@pytest.mark.django_db
def test_the_confirmed_post_withdraws(submitted, applicant):
    client = signed_in(applicant)
    done = client.post(f"/applications/{submitted.pk}/", {"action": "withdraw",
                                                          "confirm": "1"})
    assert done.status_code == 303
    assert state(submitted) == State.WITHDRAWN
    assert "已完成：撤回申报" in client.get(done.url).content.decode()


@pytest.mark.django_db
def test_a_step_that_would_be_refused_is_refused_without_a_question(programme, applicant,
                                                                   city):
    approved = at(ApplicationFactory(programme=programme, organisation=applicant.organisation),
                  State.ACCEPTANCE_REVIEW)
    attach_required(approved, "acceptance")
    engine.perform(approved, "return_for_revision", city, comment="补充验收材料")
    refused = signed_in(applicant).post(f"/applications/{approved.pk}/",
                                        {"action": "withdraw"})
    assert refused.status_code == 422
    page = refused.content.decode()
    assert "项目已立项，不能撤回" in page and "确认撤回申报" not in page
    assert state(approved) == State.RETURNED


@pytest.mark.django_db
def test_other_steps_are_taken_at_once(programme, applicant):
    draft = ApplicationFactory(programme=programme, organisation=applicant.organisation)
    attach_required(draft)
    done = signed_in(applicant).post(f"/applications/{draft.pk}/", {"action": "submit"})
    assert done.status_code == 303 and state(draft) == State.SUBMITTED
