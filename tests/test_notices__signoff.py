"""The sign-off of a notice with viewflow.workflow: chief → leader → finance → issued; any step
can send it back to the drafter with a reason; only the role holding a step can take it."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from accounts.models import Role
from notices.models import NoticeStatus
from notices.services import draft_disbursement_notice
from notices.signoff import start_signoff, take_step, waiting_task
from subsidy.models import Application
from workflows.stages import State

from .api_client import ApiClient
from .factories import ApplicationFactory, UserFactory
from .helpers import sign_in


@pytest.fixture
def people(city, finance):
    return {"city": city, "chief": UserFactory(role=Role.CHIEF),
            "leader": UserFactory(role=Role.LEADER), "finance": finance}


@pytest.fixture
def notice(programme, city):
    apps = [ApplicationFactory(programme=programme, approved_amount=Decimal("30000"))
            for _ in range(2)]
    Application.objects.filter(pk__in=[a.pk for a in apps]).update(
        state=State.AWAITING_DISBURSEMENT)
    drafted = draft_disbursement_notice(city, programme, [a.pk for a in apps])
    start_signoff(drafted)
    return drafted


def step_name(notice):
    task = waiting_task(notice)
    return task.flow_task.name if task else None


@pytest.mark.django_db
def test_the_four_roles_sign_it_off_and_it_is_issued(notice, people):
    assert step_name(notice) == "check"
    with pytest.raises(PermissionDenied):
        take_step(people["leader"], notice, True)  # not the leader's step yet
    take_step(people["chief"], notice, True)
    assert step_name(notice) == "sign"
    with pytest.raises(ValidationError):
        take_step(people["leader"], notice, False, "")  # sending back needs a reason
    take_step(people["leader"], notice, False, "金额与批复不一致")
    assert step_name(notice) == "revise"
    take_step(people["city"], notice, True, "已按意见修改")
    assert step_name(notice) == "check"
    take_step(people["chief"], notice, True)
    take_step(people["leader"], notice, True)
    with pytest.raises(PermissionDenied):
        take_step(people["city"], notice, True)  # the finance bureau countersigns
    take_step(people["finance"], notice, True)
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.ISSUED and notice.number
    assert step_name(notice) is None
    assert set(notice.applications.values_list("state", flat=True)) == {
        State.DISBURSEMENT_NOTIFIED}


@pytest.mark.django_db
def test_steps_through_the_api_and_the_workflow_inbox(notice, people):
    assert ApiClient(people["leader"]).post(f"/notices/{notice.pk}/signoff",
                                            {"approve": True}).status_code == 403
    done = ApiClient(people["chief"]).post(f"/notices/{notice.pk}/signoff", {"approve": True})
    assert done.status_code == 200 and done.json()["waiting_for"] == "局领导签发"
    client = Client()
    sign_in(client, people["leader"])
    queue = client.get("/desk/signoff/queue/")
    assert queue.status_code == 200 and "局领导签发" in queue.content.decode()


@pytest.mark.django_db
def test_the_four_roles_use_viewflows_task_pages(notice, people):
    """Assign and execute each step through viewflow's own views on the desk."""
    for role, node in (("chief", "check"), ("leader", "sign"), ("finance", "countersign")):
        task = waiting_task(notice)
        assert task.flow_task.name == node
        client = Client()
        sign_in(client, people[role])
        base = f"/desk/signoff/{task.process_id}/{node}/{task.pk}"
        assert client.post(f"{base}/assign/", {"_continue": 1}).status_code == 302, role
        form = client.get(f"{base}/execute/")
        assert form.status_code == 200 and 'value="agree"' in form.content.decode()
        done = client.post(f"{base}/execute/", {"decision": "agree", "reason": ""})
        if node != "check":  # signing and countersigning are confirmed first
            assert done.status_code == 200 and "不能" in done.content.decode()
            done = client.post(f"{base}/execute/", {"decision": "agree", "reason": "",
                                                   "confirmed": "1"})
        assert done.status_code == 302, (role, done.content.decode()[-1500:])
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.ISSUED


@pytest.mark.django_db
def test_big_notices_are_issued_in_the_background_with_progress(notice, people, settings,
                                                                 django_capture_on_commit_callbacks):
    from notices.models import RenderStatus

    settings.NOTICE_BACKGROUND_ROWS = 1  # the fixture's two rows count as big
    take_step(people["chief"], notice, True)
    take_step(people["leader"], notice, True)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        take_step(people["finance"], notice, True)
    notice.refresh_from_db()
    assert notice.render_status == RenderStatus.QUEUED and notice.status == NoticeStatus.DRAFT
    client = Client()
    sign_in(client, people["city"])
    page = client.get(f"/desk/notices/{notice.pk}/").content.decode()
    assert "排队中" in page and 'http-equiv="refresh"' in page
    for callback in queued:
        callback()  # the worker (eager here) numbers, renders and freezes it
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.ISSUED and notice.render_status == RenderStatus.NONE
    assert notice.pdf_sha256
