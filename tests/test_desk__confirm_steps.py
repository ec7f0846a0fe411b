"""Irreversible desk steps ask first: a post without `confirm=1` changes nothing and answers
with what would happen (and a form posting the same again, confirmed); confirmed, it acts."""

import re
from datetime import date

import pytest

from notices.models import Notice
from publicity.models import (
    AcceptanceBatch,
    BatchKind,
    BatchStatus,
    Objection,
    ObjectionStatus,
    PublicityBatch,
)
from publicity.services import create_batch, lodge_objection, publish_batch
from subsidy.models import Application
from workflows.stages import State

from .factories import ApplicationFactory
from .helpers import at, signed_in, travel_to

TODAY = date(2021, 11, 1)  # a Monday
pytestmark = [pytest.mark.django_db, pytest.mark.today(TODAY)]


def published(programme, city, n=2):
    batch = draft(programme, city, n)
    publish_batch(city, batch)
    batch.refresh_from_db()
    return batch


def draft(programme, city, n=2, start=TODAY):
    apps = [ApplicationFactory(programme=programme, approved_amount=1000, title=f"拟资助{i}")
            for i in range(n)]
    Application.objects.filter(pk__in=[a.pk for a in apps]).update(state=State.APPROVED)
    return create_batch(city, programme, BatchKind.APPROVAL, "拟资助名单公示", start, 5,
                        [a.pk for a in apps])


def states(batch):
    return set(batch.applications.values_list("state", flat=True))


def asks(response, *fields):
    """The answer is the confirmation step, re-posting `fields` with confirm=1."""
    page = response.content.decode()
    assert response.status_code == 200 and 'role="alertdialog"' in page
    assert '<input type="hidden" name="confirm" value="1">' in page
    for name, value in fields:
        assert f'<input type="hidden" name="{name}" value="{value}">' in page
    return re.sub(r"\s+", " ", page)


def test_publishing_asks_first_saying_what_will_happen(programme, city):
    batch = draft(programme, city)
    client = signed_in(city)
    page = asks(client.post(f"/desk/publicity/{batch.pk}/", {"publish": "1"}), ("publish", 1))
    assert ("发布后公示期为 2021-11-01 至 2021-11-05（5 个工作日），以下 2 个项目的名单将在"
            "公示页面公开，不能再修改。确定发布？") in page
    assert "拟资助0" in page and "拟资助1" in page and "确定发布" in page
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DRAFT and states(batch) == {State.APPROVED}

    client.post(f"/desk/publicity/{batch.pk}/", {"publish": "1", "confirm": "1"})
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PUBLISHED
    assert states(batch) == {State.APPROVAL_PUBLICITY}


def test_a_batch_that_cannot_be_published_is_refused_without_asking(programme, city):
    with travel_to(date(2021, 10, 29)):
        batch = draft(programme, city, start=date(2021, 10, 29))
    response = signed_in(city).post(f"/desk/publicity/{batch.pk}/", {"publish": "1"},
                                    follow=True)
    page = response.content.decode()
    assert 'role="alertdialog"' not in page and "公示开始日期 2021-10-29 已过" in page
    assert PublicityBatch.objects.get(pk=batch.pk).status == BatchStatus.DRAFT


def test_closing_asks_first_with_what_each_item_will_get(programme, city):
    batch = published(programme, city, n=2)
    first, second = batch.applications.order_by("pk")
    lodge_objection(batch, {"application": str(first.pk), "name": "张三",
                            "identity": "11010519491231002X", "contact": "13800000000",
                            "reasons": "该单位申报的专利与本人专利相同，存在争议。"})
    with travel_to(date(2021, 11, 8)):
        client = signed_in(city)
        page = asks(client.post(f"/desk/publicity/{batch.pk}/", {"close": "1"}), ("close", 1))
        assert "1 个项目公示通过" in page and "1 个有未处理完的异议，暂不办理" in page
        assert states(batch) == {State.APPROVAL_PUBLICITY}
        client.post(f"/desk/publicity/{batch.pk}/", {"close": "1", "confirm": "1"})
    assert Application.objects.get(pk=second.pk).state == State.IMPLEMENTATION
    assert Application.objects.get(pk=first.pk).state == State.APPROVAL_PUBLICITY


def test_an_objection_decision_asks_first_progress_does_not(programme, city):
    batch = published(programme, city, n=1)
    item = batch.applications.get()
    objection, _created = lodge_objection(batch, {
        "application": str(item.pk), "name": "张三", "identity": "11010519491231002X",
        "contact": "13800000000", "reasons": "该单位申报的专利与本人专利相同，存在争议。"})
    client = signed_in(city)
    url = f"/desk/publicity/{batch.pk}/"
    client.post(url, {"objection": objection.pk, "status": "investigating", "result": ""})
    assert Objection.objects.get().status == ObjectionStatus.INVESTIGATING
    decision = {"objection": objection.pk, "status": "dismissed", "result": "经核实不属实"}
    page = asks(client.post(url, decision), ("status", "dismissed"))
    assert "作出结论：异议不成立" in page and "不能再修改" in page and "经核实不属实" in page
    assert Objection.objects.get().status == ObjectionStatus.INVESTIGATING
    client.post(url, {**decision, "confirm": "1"})
    assert Objection.objects.get().status == ObjectionStatus.DISMISSED


def test_deleting_and_drafting_the_notice_ask_first(programme, city):
    batch = draft(programme, city)
    client = signed_in(city)
    url = f"/desk/publicity/{batch.pk}/"
    asks(client.post(url, {"notice": "1"}), ("notice", 1))
    assert not Notice.objects.exists()
    asks(client.post(url, {"delete": "1"}), ("delete", 1))
    assert PublicityBatch.objects.filter(pk=batch.pk).exists()


def test_numbering_an_acceptance_batch_asks_first(programme, city):
    apps = [ApplicationFactory(programme=programme) for _ in range(2)]
    Application.objects.filter(pk__in=[a.pk for a in apps]).update(
        state=State.ACCEPTANCE_PASSED)
    client = signed_in(city)
    url = f"/desk/publicity/acceptance/?programme={programme.pk}"
    data = {"programme": programme.pk, "ids": [a.pk for a in apps]}
    page = asks(client.post(url, data), ("ids", apps[0].pk), ("ids", apps[1].pk))
    assert "将把以下 2 个项目编为第一批验收批次" in page and apps[1].number in page
    assert not AcceptanceBatch.objects.exists()
    client.post(url, {**data, "confirm": "1"})
    assert AcceptanceBatch.objects.get().applications.count() == 2


def test_an_inbox_batch_action_asks_first(programme, county):
    apps = [at(ApplicationFactory(programme=programme, organisation__region=county.region),
               State.COUNTY_REVIEW) for _ in range(2)]
    client = signed_in(county)
    data = {"action": "recommend", "comment": "同意推荐", "ids": [a.pk for a in apps]}
    page = asks(client.post("/desk/review/?all=1", data), ("action", "recommend"),
                ("comment", "同意推荐"))
    assert "将对以下 2 件申报执行“初审通过并推荐”，意见：同意推荐" in page
    assert all(a.number in page for a in apps)
    assert set(Application.objects.values_list("state", flat=True)) == {State.COUNTY_REVIEW}
    assert 'href="/desk/review/?all=1"' in page  # cancelling goes back to the same list
    done = client.post("/desk/review/?all=1", {**data, "confirm": "1"})
    assert done.status_code == 303 and done.url == "/desk/review/?all=1"
    assert set(Application.objects.values_list("state", flat=True)) == {State.CITY_REVIEW}


def test_results_before_the_period_ends_are_refused_without_asking(programme, city):
    batch = published(programme, city, n=1)
    client = signed_in(city)
    url = f"/desk/publicity/{batch.pk}/"
    assert "公示期满，办理结果" not in client.get(url).content.decode()
    page = client.post(url, {"close": "1"}, follow=True).content.decode()
    assert 'role="alertdialog"' not in page and "公示期至 2021-11-05 结束，期满后才能办理" in page
    assert states(batch) == {State.APPROVAL_PUBLICITY}
