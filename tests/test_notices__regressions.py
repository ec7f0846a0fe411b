"""Defects found in review of the notices, kept fixed."""

import shutil
import subprocess
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Role
from notices.models import NoticeStatus, RenderStatus
from notices.services import draft_disbursement_notice, issue_notice
from notices.signoff import start_signoff, take_step
from subsidy.models import Application
from workflows.stages import State

from .api_client import ApiClient
from .factories import ApplicationFactory, UserFactory
from .helpers import sign_in


@pytest.mark.django_db
def test_no_disbursement_is_notified_without_an_issued_notice(waiting, city):
    response = ApiClient(city).transition(waiting[0].pk, "notify_disbursement")
    assert response.status_code == 422
    assert Application.objects.get(pk=waiting[0].pk).state == State.AWAITING_DISBURSEMENT


@pytest.mark.django_db
def test_items_cannot_be_in_two_notices(waiting, programme, city):
    draft_disbursement_notice(city, programme, [a.pk for a in waiting])
    with pytest.raises(ValidationError):
        draft_disbursement_notice(city, programme, [a.pk for a in waiting])


@pytest.mark.django_db
@pytest.mark.today(date(2021, 11, 1))  # a batch cannot start in the past
def test_a_publicity_batch_gets_one_notice(programme, city):
    from notices.services import draft_publicity_notice
    from publicity.models import BatchKind
    from publicity.services import create_batch

    app = ApplicationFactory(programme=programme, approved_amount=Decimal("1000"))
    Application.objects.filter(pk=app.pk).update(state=State.APPROVED)
    batch = create_batch(city, programme, BatchKind.APPROVAL, "公示", date(2021, 11, 1), 5,
                         [app.pk])
    draft_publicity_notice(city, batch)
    with pytest.raises(ValidationError):
        draft_publicity_notice(city, batch)


@pytest.mark.django_db
def test_a_failed_issue_is_shown_and_can_be_retried(waiting, programme, city, finance):
    notice = draft_disbursement_notice(city, programme, [a.pk for a in waiting])
    start_signoff(notice)
    take_step(UserFactory(role=Role.CHIEF), notice, True)
    take_step(UserFactory(role=Role.LEADER), notice, True)
    Application.objects.filter(pk=waiting[0].pk).update(state=State.WITHDRAWN)  # meanwhile
    take_step(finance, notice, True)  # no exception: the failure is recorded
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.DRAFT and notice.render_status == RenderStatus.FAILED
    Application.objects.filter(pk=waiting[0].pk).update(state=State.AWAITING_DISBURSEMENT)
    from django.test import Client

    client = Client()
    sign_in(client, city)
    assert "重新印发" in client.get(f"/desk/notices/{notice.pk}/").content.decode()
    client.post(f"/desk/notices/{notice.pk}/", {"retry_issue": "1"})
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.ISSUED


@pytest.mark.django_db
def test_a_superuser_cannot_sign_for_every_role(waiting, programme, city):
    notice = draft_disbursement_notice(city, programme, [a.pk for a in waiting])
    start_signoff(notice)
    boss = UserFactory(role=Role.CITY, is_superuser=True)
    with pytest.raises(PermissionDenied):
        take_step(boss, notice, True)


@pytest.mark.django_db
def test_only_the_drafter_resubmits(waiting, programme, city):
    notice = draft_disbursement_notice(city, programme, [a.pk for a in waiting])
    start_signoff(notice)
    take_step(UserFactory(role=Role.CHIEF), notice, False, "请修改")
    with pytest.raises(PermissionDenied):
        take_step(UserFactory(role=Role.CITY), notice, True, "别人改的")
    take_step(city, notice, True, "已修改")


@pytest.mark.django_db
@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_ampersands_in_the_body_are_printed_as_written(waiting, programme, city, tmp_path):
    notice = issue_notice(city, draft_disbursement_notice(city, programme,
                                                          [a.pk for a in waiting], "A&B"))
    path = tmp_path / "n.pdf"
    path.write_bytes(notice.pdf.read())
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "A&B" in text and "&amp;" not in text
