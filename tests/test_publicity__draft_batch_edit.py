"""A draft publicity batch is edited (title, dates, items) and deleted on the desk, its items
freed for a new batch; a published one refuses both and says why."""

from datetime import date

import pytest

from publicity.models import BatchKind, BatchStatus, PublicityBatch
from publicity.services import create_batch, publish_batch, ready_applications
from subsidy.models import Application
from workflows.stages import State

from .factories import ApplicationFactory
from .helpers import signed_in

TODAY = date(2021, 11, 1)  # a Monday
pytestmark = [pytest.mark.django_db, pytest.mark.today(TODAY)]


@pytest.fixture
def batch(programme, city):
    apps = [ApplicationFactory(programme=programme, approved_amount=1000, title=f"拟资助{i}")
            for i in range(3)]
    Application.objects.filter(pk__in=[a.pk for a in apps]).update(state=State.APPROVED)
    return create_batch(city, programme, BatchKind.APPROVAL, "拟资助名单公示", TODAY, 5,
                        [a.pk for a in apps])


def items(batch):
    return sorted(batch.applications.values_list("pk", flat=True))


def test_a_draft_is_edited_title_dates_and_items(batch, city):
    kept, dropped = items(batch)[:2], items(batch)[2]
    client = signed_in(city)
    page = client.get(f"/desk/publicity/{batch.pk}/").content.decode()
    assert "修改待发布的批次" in page and "删除批次" in page
    response = client.post(f"/desk/publicity/{batch.pk}/", {
        "save": "1", "title": "2021年度拟资助名单公示（修订）", "start_date": "2021-11-03",
        "workdays": "3", "ids": kept})
    assert response.status_code == 303
    batch.refresh_from_db()
    assert batch.title == "2021年度拟资助名单公示（修订）"
    assert (batch.start_date, batch.workdays, batch.end_date) == (
        date(2021, 11, 3), 3, date(2021, 11, 5))
    assert items(batch) == kept
    assert dropped in ready_applications(batch.programme, BatchKind.APPROVAL).values_list(
        "pk", flat=True)
    assert "公示期为 2021-11-03 至 2021-11-05" in client.get(response.url).content.decode()


def test_a_refused_edit_shows_why_and_keeps_what_was_typed(batch, city):
    before = items(batch)
    response = signed_in(city).post(f"/desk/publicity/{batch.pk}/", {
        "save": "1", "title": "", "start_date": "2021-10-29", "workdays": "4",
        "ids": before[:1]})
    page = response.content.decode()
    assert response.status_code == 422
    assert "请填写公示标题" in page and "早于今天" in page
    assert 'value="2021-10-29"' in page and 'value="4"' in page
    assert f'value="{before[0]}" checked' in page and f'value="{before[1]}" checked' not in page
    batch.refresh_from_db()
    assert batch.title == "拟资助名单公示" and items(batch) == before


def test_deleting_a_draft_frees_its_items_for_a_new_batch(batch, programme, city):
    freed = items(batch)
    client = signed_in(city)
    assert not ready_applications(programme, BatchKind.APPROVAL).exists()
    asked = client.post(f"/desk/publicity/{batch.pk}/", {"delete": "1"})
    assert asked.status_code == 200 and PublicityBatch.objects.filter(pk=batch.pk).exists()
    assert "3 个申报回到待公示名单" in asked.content.decode()
    done = client.post(f"/desk/publicity/{batch.pk}/", {"delete": "1", "confirm": "1"},
                       follow=True)
    assert "公示批次已删除，3 个申报回到待公示名单" in done.content.decode()
    assert not PublicityBatch.objects.filter(pk=batch.pk).exists()
    again = client.post("/desk/publicity/", {
        "programme": programme.pk, "kind": "approval", "title": "重新编批的公示",
        "start_date": "2021-11-01", "workdays": "5", "ids": freed})
    assert again.status_code == 303
    assert items(PublicityBatch.objects.get()) == freed


def test_a_published_batch_cannot_be_edited_or_deleted_and_says_why(batch, city):
    publish_batch(city, batch)
    client = signed_in(city)
    page = client.get(f"/desk/publicity/{batch.pk}/").content.decode()
    assert "修改待发布的批次" not in page and "删除批次" not in page
    assert "不能再修改或删除" in page
    edited = client.post(f"/desk/publicity/{batch.pk}/", {
        "save": "1", "title": "改标题", "start_date": "2021-11-20", "workdays": "1",
        "ids": items(batch)}, follow=True)
    assert "已向社会公开，不能再修改" in edited.content.decode()
    deleted = client.post(f"/desk/publicity/{batch.pk}/", {"delete": "1", "confirm": "1"},
                          follow=True)
    assert "已向社会公开，不能删除" in deleted.content.decode()
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PUBLISHED and batch.title == "拟资助名单公示"
    assert (batch.start_date, batch.end_date, len(items(batch))) == (
        TODAY, date(2021, 11, 5), 3)
