"""Staff draft, preview and issue a disbursement notice on the desk and through the API."""


import pytest
from django.test import Client

from accounts.models import Role
from notices.models import Notice, NoticeStatus
from notices.signoff import take_step
from subsidy.models import Application
from workflows.stages import State

from .api_client import ApiClient
from .factories import UserFactory
from .helpers import sign_in


@pytest.mark.django_db
def test_draft_preview_and_issue_on_the_desk(waiting, programme, city, finance):
    client = Client()
    sign_in(client, city)
    page = client.get(f"/desk/notices/?programme={programme.pk}").content.decode()
    assert waiting[0].number in page
    drafted = client.post(f"/desk/notices/?programme={programme.pk}", {
        "programme": programme.pk, "label": "第三批", "ids": [a.pk for a in waiting]})
    notice = Notice.objects.get()
    assert drafted.status_code == 303 and notice.status == NoticeStatus.DRAFT
    preview = client.get(f"/desk/notices/{notice.pk}/pdf/")
    assert preview.status_code == 200 and preview.content.startswith(b"%PDF")
    assert "科长审核" in client.get(f"/desk/notices/{notice.pk}/").content.decode()
    for role in (Role.CHIEF, Role.LEADER):
        take_step(UserFactory(role=role), notice, True)
    take_step(finance, notice, True)
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.ISSUED and notice.number.endswith("1号")
    assert client.get(f"/desk/notices/{notice.pk}/pdf/").content == notice.pdf.open("rb").read()
    reader = Client()
    sign_in(reader, finance)
    page = reader.get(f"/desk/notices/{notice.pk}/").content.decode()
    assert "财政局会签" in page and notice.number in page
    assert set(Application.objects.values_list("state", flat=True)) == {
        State.DISBURSEMENT_NOTIFIED}


@pytest.mark.django_db
def test_notices_through_the_api(waiting, programme, city, finance, applicant):
    staff = ApiClient(city)
    created = staff.post("/notices", {"programme": programme.pk,
                                      "application_ids": [a.pk for a in waiting]})
    assert created.status_code == 201 and created.json()["status"] == "draft"
    assert created.json()["waiting_for"] == "科长审核"
    notice_id = created.json()["id"]
    draft_pdf = staff.get(f"/notices/{notice_id}/pdf")
    assert draft_pdf.status_code == 200 and draft_pdf.content.startswith(b"%PDF")
    for user in (UserFactory(role=Role.CHIEF), UserFactory(role=Role.LEADER), finance):
        step = ApiClient(user).post(f"/notices/{notice_id}/signoff", {"approve": True})
        assert step.status_code == 200, step.json()
    issued = staff.get(f"/notices/{notice_id}").json()
    assert issued["status"] == "issued" and "〔" in issued["number"]
    again = ApiClient(finance).post(f"/notices/{notice_id}/signoff", {"approve": True})
    assert again.status_code == 422
    assert ApiClient(applicant).get(f"/notices/{notice_id}").status_code == 404
    assert ApiClient(applicant).post("/notices", {
        "programme": programme.pk, "application_ids": [waiting[0].pk]}).status_code == 403


@pytest.mark.django_db
def test_supersede_on_the_desk_and_through_the_api(waiting, programme, city, finance):
    from notices.services import draft_disbursement_notice, issue_notice

    old = issue_notice(city, draft_disbursement_notice(city, programme,
                                                       [a.pk for a in waiting]))
    client = Client()
    sign_in(client, city)
    assert "起草替代公文" in client.get(f"/desk/notices/{old.pk}/").content.decode()
    response = client.post(f"/desk/notices/{old.pk}/")
    new = Notice.objects.get(supersedes=old)
    assert response.status_code == 303 and new.status == NoticeStatus.DRAFT
    assert ApiClient(city).post(f"/notices/{old.pk}/supersede").status_code == 422
    for user in (UserFactory(role=Role.CHIEF), UserFactory(role=Role.LEADER), finance):
        take_step(user, new, True)
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.status, new.status) == (NoticeStatus.REVOKED, NoticeStatus.ISSUED)


@pytest.mark.django_db
def test_the_drafter_edits_the_text_before_signatures_or_when_sent_back(waiting, programme,
                                                                          city):
    from notices.services import draft_disbursement_notice
    from notices.signoff import start_signoff

    notice = draft_disbursement_notice(city, programme, [a.pk for a in waiting])
    start_signoff(notice)
    client = Client()
    sign_in(client, city)
    data = {"save_text": "1", "title": "关于下拨资金的通知", "addressees": "各县市区财政局：",
            "body": "一、资金拨付\n请按时拨付。", "attachment_title": "资金分配表",
            "copy_to": "市审计局。", "contact": "王科员 0734-8000000"}
    assert client.post(f"/desk/notices/{notice.pk}/", {**data, "title": ""}).status_code == 422
    assert client.post(f"/desk/notices/{notice.pk}/", data).status_code == 303
    notice.refresh_from_db()
    assert (notice.title, notice.contact) == ("关于下拨资金的通知", "王科员 0734-8000000")

    colleague = Client()
    sign_in(colleague, UserFactory(role=Role.CITY))
    colleague.post(f"/desk/notices/{notice.pk}/", {**data, "title": "同事改的"})
    chief, leader = UserFactory(role=Role.CHIEF), UserFactory(role=Role.LEADER)
    take_step(chief, notice, True)
    client.post(f"/desk/notices/{notice.pk}/", {**data, "title": "签后改的"})
    notice.refresh_from_db()
    assert notice.title == "关于下拨资金的通知"  # not by a colleague, not after a signature
    take_step(leader, notice, False, "标题有误")
    client.post(f"/desk/notices/{notice.pk}/", {**data, "title": "退回后改正"})
    notice.refresh_from_db()
    assert notice.title == "退回后改正"  # sent back: the drafter corrects it
