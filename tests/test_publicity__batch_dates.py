"""Publicity periods cannot be defeated: no start in the past, the end always counted from
the start in working days, and a published batch's dates fixed by every path (desk, admin,
model, service)."""

from datetime import date

import pytest
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Role
from publicity.models import BatchKind, PublicityBatch
from publicity.services import create_batch, publish_batch, update_draft_batch
from subsidy.models import Application
from workflows.stages import State

from .factories import ApplicationFactory, UserFactory
from .helpers import signed_in, travel_to

#: A Tuesday; the week before has no holiday, National Day (1–7 October) is long past.
TODAY = date(2021, 11, 2)
pytestmark = [pytest.mark.django_db, pytest.mark.today(TODAY)]


@pytest.fixture
def admin(reference):
    return UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)


def approved(programme, n=2):
    apps = [ApplicationFactory(programme=programme, approved_amount=1000) for _ in range(n)]
    Application.objects.filter(pk__in=[a.pk for a in apps]).update(state=State.APPROVED)
    return apps


def draft(programme, city, start=TODAY, workdays=5, n=2):
    apps = approved(programme, n)
    return create_batch(city, programme, BatchKind.APPROVAL, "2021年度拟资助名单公示", start,
                        workdays, [a.pk for a in apps])


def test_the_desk_refuses_a_start_in_the_past_and_keeps_what_was_typed(programme, city):
    app = approved(programme, 1)[0]
    response = signed_in(city).post("/desk/publicity/", {
        "programme": programme.pk, "kind": "approval", "title": "拟资助名单公示（补）",
        "start_date": "2021-11-01", "workdays": "7", "ids": [app.pk]})
    page = response.content.decode()
    assert response.status_code == 422
    assert "公示开始日期 2021-11-01 早于今天（2021-11-02）" in page
    assert 'value="拟资助名单公示（补）"' in page and 'value="2021-11-01"' in page
    assert 'value="7"' in page and f'value="{app.pk}" checked' in page
    assert not PublicityBatch.objects.exists()


def test_the_service_refuses_a_past_start_and_accepts_today(programme, city):
    with pytest.raises(ValidationError) as refused:
        draft(programme, city, start=date(2021, 11, 1))
    assert "早于今天" in str(refused.value.message_dict["start_date"])
    assert draft(programme, city, start=TODAY).end_date == date(2021, 11, 8)


def test_the_end_date_is_counted_from_the_start_whatever_is_given(programme, city):
    with travel_to(date(2021, 9, 28)):
        batch = draft(programme, city, start=date(2021, 9, 28))
        assert batch.end_date == date(2021, 10, 9)  # National Day skipped, 9 October worked
    batch.end_date = date(2030, 1, 1)
    batch.save()
    batch.refresh_from_db()
    assert batch.end_date == date(2021, 10, 9)
    forged = PublicityBatch.objects.create(
        programme=programme, kind=BatchKind.APPROVAL, title="手填截止日", created_by=city,
        start_date=date(2021, 11, 2), workdays=3, end_date=date(2021, 11, 30))
    assert forged.end_date == date(2021, 11, 4)


def test_the_admin_cannot_set_an_end_date(programme, city, admin):
    batch = draft(programme, city)
    client = signed_in(admin)
    url = f"/admin/publicity/publicitybatch/{batch.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="end_date"' not in page and 'name="start_date"' in page
    response = client.post(url, {"title": "改过的标题", "start_date": "2021-11-03",
                                 "workdays": "3", "end_date": "2021-12-31",
                                 "objection_contact": batch.objection_contact})
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.title == "改过的标题" and batch.end_date == date(2021, 11, 5)
    assert client.get("/admin/publicity/publicitybatch/add/").status_code == 403


def test_the_admin_refuses_a_past_start_with_the_reason(programme, city, admin):
    batch = draft(programme, city)
    response = signed_in(admin).post(
        f"/admin/publicity/publicitybatch/{batch.pk}/change/",
        {"title": batch.title, "start_date": "2021-10-20", "workdays": "5",
         "objection_contact": batch.objection_contact})
    assert response.status_code == 200 and "早于今天" in response.content.decode()
    batch.refresh_from_db()
    assert batch.start_date == TODAY


def test_a_published_batchs_dates_cannot_be_changed_in_the_admin(programme, city, admin):
    batch = draft(programme, city)
    publish_batch(city, batch)
    client = signed_in(admin)
    url = f"/admin/publicity/publicitybatch/{batch.pk}/change/"
    assert 'name="start_date"' not in client.get(url).content.decode()
    client.post(url, {"title": batch.title, "start_date": "2026-12-02", "workdays": "1",
                      "end_date": "2026-11-20", "objection_contact": "x"})
    batch.refresh_from_db()
    assert (batch.start_date, batch.end_date, batch.workdays) == (TODAY, date(2021, 11, 8), 5)
    assert client.get(f"/admin/publicity/publicitybatch/{batch.pk}/delete/").status_code == 403
    assert PublicityBatch.objects.filter(pk=batch.pk).exists()


def test_a_published_batch_is_fixed_in_the_model_and_the_service(programme, city):
    batch = draft(programme, city)
    publish_batch(city, batch)
    batch.refresh_from_db()
    batch.start_date, batch.end_date = date(2026, 12, 2), date(2026, 11, 20)
    with pytest.raises(ValidationError, match="不能再修改"):
        batch.save()
    batch.refresh_from_db()
    other, item = approved(programme, 1)[0], batch.applications.first()
    with pytest.raises(ValidationError, match="不能再修改"), transaction.atomic():
        batch.applications.add(other)
    with pytest.raises(ValidationError, match="不能再修改"), transaction.atomic():
        item.publicity_batches.remove(batch)
    with pytest.raises(ValidationError, match="不能再修改"):
        update_draft_batch(city, batch, "新标题", date(2021, 11, 3), 5,
                           batch.applications.values_list("pk", flat=True))
    with pytest.raises(ValidationError):
        batch.delete()
    batch.refresh_from_db()
    assert (batch.start_date, batch.end_date, batch.applications.count()) == (
        TODAY, date(2021, 11, 8), 2)
    batch.status = "closed"
    batch.save(update_fields=["status"])  # what closing does still works


def test_an_import_cannot_store_an_end_date_or_move_a_published_batch(programme, city):
    batch = draft(programme, city)
    forged = serializers.serialize("json", [batch]).replace("2021-11-08", "2030-01-01")
    for row in serializers.deserialize("json", forged):
        row.save()  # what loaddata does: a raw save
    batch.refresh_from_db()
    assert batch.end_date == date(2021, 11, 8)
    publish_batch(city, batch)
    moved = serializers.serialize("json", [PublicityBatch.objects.get()]).replace(
        "2021-11-02", "2021-11-20")
    with pytest.raises(ValidationError), transaction.atomic():
        for row in serializers.deserialize("json", moved):
            row.save()
    assert PublicityBatch.objects.get().start_date == TODAY
