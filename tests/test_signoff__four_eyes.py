"""Four eyes: whoever drafted a notice does not check, sign or countersign it. The step is
not offered to them, and assigning or executing it is refused with the reason."""

import pytest
from django.core.exceptions import PermissionDenied
from viewflow.workflow.status import STATUS

from accounts.models import Role
from notices.services import draft_disbursement_notice
from notices.signoff import start_signoff, take_step, waiting_task

from .api_client import ApiClient
from .factories import UserFactory
from .helpers import signed_in

pytestmark = pytest.mark.django_db
REASON = "四眼原则"


@pytest.fixture
def drafter(reference):
    """A section chief may draft a notice, and holds the chief's step."""
    return UserFactory(role=Role.CHIEF)


@pytest.fixture
def notice(programme, drafter, waiting):
    drafted = draft_disbursement_notice(drafter, programme, [a.pk for a in waiting])
    start_signoff(drafted)
    return drafted


def test_the_drafter_is_not_offered_the_step(notice, drafter):
    other = UserFactory(role=Role.CHIEF)
    assert notice.title not in signed_in(drafter).get("/desk/signoff/queue/").content.decode()
    assert notice.title in signed_in(other).get("/desk/signoff/queue/").content.decode()
    dashboard = signed_in(drafter).get("/desk/signoff/").content.decode()
    task = waiting_task(notice)
    assert f"/check/{task.pk}/assign/" not in dashboard


def test_assigning_is_refused_with_the_reason(notice, drafter):
    task = waiting_task(notice)
    client = signed_in(drafter)
    base = f"/desk/signoff/{task.process_id}/check/{task.pk}"
    for answer in (client.get(f"{base}/assign/"), client.post(f"{base}/assign/")):
        assert answer.status_code == 403 and REASON in answer.content.decode()
    assert REASON in client.get(f"{base}/detail/").content.decode()
    task.refresh_from_db()
    assert task.owner_id is None and task.status == STATUS.NEW


def test_executing_an_assigned_step_is_refused_with_the_reason(notice, drafter):
    task = waiting_task(notice)
    type(task).objects.filter(pk=task.pk).update(owner=drafter, status=STATUS.ASSIGNED)
    client = signed_in(drafter)
    url = f"/desk/signoff/{task.process_id}/check/{task.pk}/execute/"
    answer = client.post(url, {"decision": "agree"})
    assert answer.status_code == 403 and REASON in answer.content.decode()
    assert waiting_task(notice).flow_task.name == "check"


def test_code_and_the_api_refuse_the_drafter_too(notice, drafter):
    with pytest.raises(PermissionDenied, match=REASON):
        take_step(drafter, notice, True)
    refused = ApiClient(drafter).post(f"/notices/{notice.pk}/signoff", {"approve": True})
    assert refused.status_code == 403 and REASON in refused.json()["detail"]
    take_step(UserFactory(role=Role.CHIEF), notice, True)  # a second chief checks it
    assert waiting_task(notice).flow_task.name == "sign"


def test_the_drafter_still_resubmits_what_was_sent_back(notice, drafter):
    take_step(UserFactory(role=Role.CHIEF), notice, False, "请补充附件")
    take_step(drafter, notice, True, "已补充")
    assert waiting_task(notice).flow_task.name == "check"
