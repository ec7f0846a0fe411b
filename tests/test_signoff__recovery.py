"""A sign-off cancelled from viewflow's pages leaves a draft with no waiting step. The desk
says so and recovers it (restart the sign-off, or withdraw the draft and free its items),
the API does the same, and the notice page never fails."""

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Role
from notices.models import Notice, NoticeStatus
from notices.services import draft_disbursement_notice
from notices.signoff import signoff_process, start_signoff, take_step, waiting_task

from .api_client import ApiClient
from .factories import UserFactory
from .helpers import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(reference):
    return UserFactory(role=Role.ADMIN, is_superuser=True, is_staff=True)


@pytest.fixture
def notice(programme, city, waiting):
    drafted = draft_disbursement_notice(city, programme, [a.pk for a in waiting])
    start_signoff(drafted)
    return drafted


def cancel_waiting_step(admin, notice):
    """What an administrator does on viewflow's task page."""
    task = waiting_task(notice)
    answer = signed_in(admin).post(
        f"/desk/signoff/{task.process_id}/{task.flow_task.name}/{task.pk}/cancel/")
    assert answer.status_code == 302
    assert waiting_task(notice) is None


def test_a_cancelled_step_is_explained_and_the_sign_off_restarted(notice, admin, city,
                                                                  programme, waiting):
    cancel_waiting_step(admin, notice)
    page = signed_in(city).get(f"/desk/notices/{notice.pk}/")
    text = page.content.decode()
    assert page.status_code == 200 and "签发流程已取消或中断" in text
    assert "重新送签" in text and "撤回草稿并释放项目" in text
    with pytest.raises(ValidationError, match="重新送签"):
        take_step(UserFactory(role=Role.CHIEF), notice, True)
    with pytest.raises(ValidationError):
        draft_disbursement_notice(city, programme, [a.pk for a in waiting])

    answer = signed_in(city).post(f"/desk/notices/{notice.pk}/", {"restart_signoff": "1"})
    assert answer.status_code == 303
    assert waiting_task(notice).flow_task.name == "check"
    take_step(UserFactory(role=Role.CHIEF), notice, True)
    assert waiting_task(notice).flow_task.name == "sign"
    history = signed_in(city).get(f"/desk/notices/{notice.pk}/").content.decode()
    assert "已取消" in history  # the cancelled step stays in the history, without a person


def test_a_withdrawn_draft_frees_its_items(notice, admin, city, programme, waiting):
    cancel_waiting_step(admin, notice)
    client = signed_in(city)
    asked = client.post(f"/desk/notices/{notice.pk}/", {"withdraw": "1"})
    assert asked.status_code == 200 and "确认撤回" in asked.content.decode()
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.DRAFT  # nothing happens before the confirmation
    client.post(f"/desk/notices/{notice.pk}/", {"withdraw": "1", "confirmed": "1"})
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.WITHDRAWN
    assert client.get(f"/desk/notices/{notice.pk}/").status_code == 200
    listed = client.get(f"/desk/notices/?programme={programme.pk}").content.decode()
    assert waiting[0].number in listed  # offered for a new notice again
    again = draft_disbursement_notice(city, programme, [a.pk for a in waiting])
    assert again.applications.count() == 2


def test_a_cancelled_process_is_recovered_through_the_api(notice, admin, city, programme,
                                                          waiting):
    process = signoff_process(notice)
    answer = signed_in(admin).post(f"/desk/signoff/{process.pk}/cancel/",
                                   {"_cancel_process": "1"})
    assert answer.status_code == 302
    assert signed_in(city).get(f"/desk/notices/{notice.pk}/").status_code == 200
    assert ApiClient(UserFactory(role=Role.LEADER)).post(
        f"/notices/{notice.pk}/restart-signoff").status_code == 403
    restarted = ApiClient(city).post(f"/notices/{notice.pk}/restart-signoff")
    assert restarted.status_code == 200 and restarted.json()["waiting_for"] == "科长审核"
    assert ApiClient(city).post(f"/notices/{notice.pk}/withdraw").status_code == 422
    cancel_waiting_step(admin, notice)
    withdrawn = ApiClient(city).post(f"/notices/{notice.pk}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"


def test_the_notice_page_never_fails(notice, admin, city):
    """Whatever state viewflow leaves the sign-off in, the page answers."""
    client = signed_in(city)
    task = waiting_task(notice)
    type(task).objects.filter(pk=task.pk).update(finished=task.created)  # no owner, finished
    assert client.get(f"/desk/notices/{notice.pk}/").status_code == 200
    signoff_process(notice).task_set.all().delete()  # a process with no steps at all
    assert client.get(f"/desk/notices/{notice.pk}/").status_code == 200
    signoff_process(notice).delete()  # no sign-off at all
    page = client.get(f"/desk/notices/{notice.pk}/")
    assert page.status_code == 200 and "重新送签" in page.content.decode()
    assert Notice.objects.get(pk=notice.pk).status == NoticeStatus.DRAFT
