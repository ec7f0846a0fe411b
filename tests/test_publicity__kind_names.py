"""Rewards after the fact (后补助) are published apart from projects, under their own name
(拟奖励（后补助）名单公示, not 立项): on the desk, the public pages, the print sheet, the Excel
list and the publicity notice, and their items' state reads 拟奖励公示; batches made before
keep working."""

import io
from datetime import date
from importlib import import_module

import pytest
from django.apps import apps as installed_apps
from django.core.exceptions import ValidationError
from django.test import Client
from openpyxl import load_workbook

from notices.services import draft_publicity_notice
from publicity.models import BatchKind, BatchStatus, PublicityBatch
from publicity.services import (
    close_batch,
    create_batch,
    publicity_kind,
    publish_batch,
    ready_applications,
)
from subsidy.models import Application
from workflows.stages import State

from .factories import ApplicationFactory, category
from .helpers import signed_in, travel_to

TODAY = date(2021, 11, 1)  # a Monday
REWARD_NAME = "拟奖励（后补助）名单公示"
pytestmark = [pytest.mark.django_db, pytest.mark.today(TODAY)]


def approved(programme, code, n=1):
    apps = [ApplicationFactory(programme=programme, category=category(code),
                               approved_amount=30000, title=f"{code}项目{i}") for i in range(n)]
    Application.objects.filter(pk__in=[a.pk for a in apps]).update(state=State.APPROVED)
    return [Application.objects.get(pk=a.pk) for a in apps]


def test_rewards_and_projects_wait_for_their_own_kind_of_list(programme, city):
    (project,), (reward,) = approved(programme, "01"), approved(programme, "21")
    assert (publicity_kind(project), publicity_kind(reward)) == (BatchKind.APPROVAL,
                                                                 BatchKind.REWARD)
    assert list(ready_applications(programme, BatchKind.APPROVAL)) == [project]
    assert list(ready_applications(programme, BatchKind.REWARD)) == [reward]
    with pytest.raises(ValidationError) as refused:
        create_batch(city, programme, BatchKind.APPROVAL, "拟立项名单公示", TODAY, 5, [reward.pk])
    assert REWARD_NAME in str(refused.value.messages)
    batch = create_batch(city, programme, BatchKind.REWARD, "拟奖励名单公示", TODAY, 5,
                         [reward.pk, project.pk])  # the project is not a reward: left out
    assert list(batch.applications.all()) == [reward]
    assert not ready_applications(programme, BatchKind.REWARD).exists()


def test_a_reward_list_runs_its_course_like_any_other(programme, city):
    rewards = approved(programme, "21", n=2)
    batch = create_batch(city, programme, BatchKind.REWARD, "拟奖励名单公示", TODAY, 5,
                         [a.pk for a in rewards])
    publish_batch(city, batch)
    assert set(Application.objects.values_list("state", flat=True)) == {
        State.APPROVAL_PUBLICITY}
    batch.refresh_from_db()
    with travel_to(date(2021, 11, 8)):
        counts = close_batch(batch, actor=city)
    assert counts["close_publicity"] == 2
    assert set(Application.objects.values_list("state", flat=True)) == {
        State.AWAITING_DISBURSEMENT}


def test_the_reward_list_is_named_for_what_it_is_everywhere(programme, city):
    rewards = approved(programme, "21", n=2)
    batch = create_batch(city, programme, BatchKind.REWARD,
                         "2021年度知识产权培育资助拟奖励（后补助）项目名单公示", TODAY, 5,
                         [a.pk for a in rewards])
    staff = signed_in(city)
    desk_list = staff.get(f"/desk/publicity/?programme={programme.pk}").content.decode()
    assert f"<td>{REWARD_NAME}</td>" in desk_list
    assert REWARD_NAME in staff.get(f"/desk/publicity/{batch.pk}/").content.decode()
    publish_batch(city, batch)

    public = Client()
    assert REWARD_NAME in public.get("/publicity/").content.decode()
    page = public.get(f"/publicity/{batch.pk}/").content.decode()
    assert REWARD_NAME in page and "拟奖励金额（元）" in page and "立项" not in page
    printed = public.get(f"/publicity/{batch.pk}/print/").content.decode()
    assert f"公示类型：{REWARD_NAME}" in printed and "拟奖励金额（元）" in printed
    sheet = load_workbook(io.BytesIO(public.get(f"/publicity/{batch.pk}/excel/").content)).active
    cells = [c.value for row in sheet.iter_rows() for c in row]
    assert f"公示类型：{REWARD_NAME}" in cells and "拟奖励金额（元）" in cells

    notice = draft_publicity_notice(city, batch)
    assert "拨付奖励资金" in notice.body and "立项" not in notice.body
    assert notice.attachment_title == "2021年度知识产权培育资助拟奖励（后补助）项目名单"

    # the items' state, on the desk and on the applicant's page with its timeline
    desk_page = staff.get(f"/desk/publicity/{batch.pk}/").content.decode()
    applicant_page = signed_in(rewards[0].created_by).get(
        f"/applications/{rewards[0].pk}/").content.decode()
    for shown in (desk_page, applicant_page):
        assert "拟奖励公示" in shown and "立项公示" not in shown
    assert "审核通过，待公示 → 拟奖励公示" in applicant_page


def test_a_project_list_keeps_its_name_and_says_the_projects_are_set_up(programme, city):
    projects = approved(programme, "01")
    batch = create_batch(city, programme, BatchKind.APPROVAL, "拟立项项目名单", TODAY, 5,
                         [a.pk for a in projects])
    publish_batch(city, batch)
    page = Client().get(f"/publicity/{batch.pk}/").content.decode()
    assert "拟资助（立项）名单公示" in page and "拟资助金额（元）" in page
    assert "立项公示" in signed_in(city).get(f"/desk/publicity/{batch.pk}/").content.decode()
    assert "予以立项" in draft_publicity_notice(city, batch).body


def test_the_desk_offers_each_kind_with_a_title_to_match(programme, city):
    staff = signed_in(city)
    page = staff.get(f"/desk/publicity/?programme={programme.pk}&kind=reward").content.decode()
    assert f'<option value="reward" selected>{REWARD_NAME}</option>' in page
    assert 'value="2021年度知识产权培育资助拟奖励（后补助）项目名单公示"' in page
    page = staff.get(f"/desk/publicity/?programme={programme.pk}").content.decode()
    assert 'value="2021年度知识产权培育资助拟立项项目名单公示"' in page


def test_batches_made_before_become_reward_lists_when_they_hold_only_rewards(programme, city):
    """The migration that adds the kind: a batch of rewards alone is a reward list; one that
    mixes projects and rewards stays an approval list."""
    rewards, (project,) = approved(programme, "21", n=2), approved(programme, "01")

    def old_batch(items, status):
        batch = PublicityBatch.objects.create(
            programme=programme, kind=BatchKind.APPROVAL, title="拟资助名单公示",
            start_date=TODAY, workdays=5, created_by=city)
        batch.applications.set(items)
        PublicityBatch.objects.filter(pk=batch.pk).update(status=status)
        return batch

    only_rewards = old_batch(rewards[:1], BatchStatus.CLOSED)
    mixed = old_batch([rewards[1], project], BatchStatus.PUBLISHED)
    migration = import_module("publicity.migrations.0003_reward_publicity_kind")
    migration.reward_batches_by_their_items(installed_apps, None)
    kinds = dict(PublicityBatch.objects.values_list("pk", "kind"))
    assert (kinds[only_rewards.pk], kinds[mixed.pk]) == (BatchKind.REWARD, BatchKind.APPROVAL)
    only_rewards.refresh_from_db()
    assert only_rewards.get_kind_display() == REWARD_NAME
