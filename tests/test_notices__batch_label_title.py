"""A disbursement notice's title names the acceptance batch its items share
(关于下拨2021年度第三批验收通过的…), nothing when they come from several, and the drafter's
own label only as an override."""

from decimal import Decimal

import pytest

from notices.services import draft_disbursement_notice
from publicity.models import AcceptanceBatch
from subsidy.models import Application
from workflows.stages import State

from .factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def awaiting(programme, n):
    apps = [ApplicationFactory(programme=programme, approved_amount=Decimal("10000"))
            for _ in range(n)]
    Application.objects.filter(pk__in=[a.pk for a in apps]).update(
        state=State.AWAITING_DISBURSEMENT)
    return apps


def accepted_in(programme, city, number, apps):
    batch = AcceptanceBatch.objects.create(programme=programme, number=number, created_by=city)
    batch.applications.set(apps)


def test_the_shared_acceptance_batch_names_the_notice(programme, city):
    apps = awaiting(programme, 3)
    accepted_in(programme, city, 3, apps)
    notice = draft_disbursement_notice(city, programme, [a.pk for a in apps])
    year = programme.year
    assert notice.title == f"关于下拨{year}年度第三批验收通过的知识产权培育资助项目资金的通知"
    assert notice.attachment_title == f"{year}年度第三批验收通过的知识产权培育资助项目资金分配表"
    assert "第三批验收通过的知识产权培育资助项目资金共计" in notice.body


def test_items_from_several_batches_name_none(programme, city):
    apps = awaiting(programme, 2)
    accepted_in(programme, city, 1, apps[:1])
    accepted_in(programme, city, 2, apps[1:])
    notice = draft_disbursement_notice(city, programme, [a.pk for a in apps])
    assert notice.title == f"关于下拨{programme.year}年度知识产权培育资助项目资金的通知"


def test_the_drafters_label_overrides_the_batch(programme, city):
    apps = awaiting(programme, 2)
    accepted_in(programme, city, 3, apps)
    notice = draft_disbursement_notice(city, programme, [a.pk for a in apps], "第二次")
    assert notice.title == f"关于下拨{programme.year}年度第二次知识产权培育资助项目资金的通知"
