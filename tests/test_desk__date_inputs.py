"""The desk's date boxes follow the interface language, not the browser's: text boxes whose
placeholder is 年/月/日 in Chinese (YYYY-MM-DD in English), read on the server in that
language's formats (ISO always); a date that does not read is refused with a message and
the typed text stays in the box (inbox filters, a payment, a publicity batch)."""

import re
from datetime import date

import pytest
from django.test import Client

from publicity.models import PublicityBatch
from workflows.stages import State

from .factories import ApplicationFactory, awaiting_payment
from .helpers import at, sign_in, signed_in

TODAY = date(2021, 11, 2)
pytestmark = [pytest.mark.django_db, pytest.mark.today(TODAY)]


def date_box(page: str, name: str) -> str:
    found = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    assert found, name
    return found.group(0)


@pytest.mark.parametrize("language,placeholder", [("zh-hans", "年/月/日"),
                                                  ("en", "YYYY-MM-DD")])
def test_the_inbox_date_boxes_show_the_interface_languages_format(city, language,
                                                                  placeholder):
    client = signed_in(city)
    client.cookies["django_language"] = language
    page = client.get("/desk/review/", HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    for name in ("submitted_after", "submitted_before"):
        box = date_box(page, name)
        assert 'type="text"' in box and f'placeholder="{placeholder}"' in box


def test_the_inbox_reads_chinese_and_iso_dates_and_keeps_a_bad_one(programme, city):
    at(ApplicationFactory(programme=programme, title="十一月的申报"), State.CITY_REVIEW)
    client = signed_in(city)
    for typed in ("2021/11/02", "2021-11-02"):
        page = client.get(f"/desk/review/?submitted_after={typed}").content.decode()
        assert "十一月的申报" in page, typed
        assert f'value="{typed}"' in date_box(page, "submitted_after")
    later = client.get("/desk/review/?submitted_after=2021/11/03").content.decode()
    assert "十一月的申报" not in later
    bad = client.get("/desk/review/?submitted_after=2021/13/45").content.decode()
    assert 'value="2021/13/45"' in date_box(bad, "submitted_after")
    assert "有效的日期" in bad and "十一月的申报" not in bad  # refused, not ignored


def test_a_payment_date_typed_in_chinese_is_read_and_a_bad_one_kept(programme, finance):
    app = awaiting_payment("30000.00", date(2021, 10, 15), programme=programme)
    client = sign_in(Client(), finance)
    page = client.get(f"/desk/review/{app.pk}/").content.decode()
    assert 'placeholder="年/月/日"' in date_box(page, "paid_on")
    asked = client.post(f"/desk/review/{app.pk}/payments/", {
        "paid_on": "2021/11/01", "amount": "30000", "reference": "衡财拨〔2021〕12号"})
    assert asked.status_code == 200 and "将登记 2021-11-01 拨付" in asked.content.decode()
    refused = client.post(f"/desk/review/{app.pk}/payments/", {
        "paid_on": "2021/11/31", "amount": "30000", "reference": "衡财拨〔2021〕12号"})
    assert refused.status_code == 422
    assert 'value="2021/11/31"' in date_box(refused.content.decode(), "paid_on")


def test_a_publicity_batch_starts_on_a_date_typed_in_chinese(programme, city):
    app = at(ApplicationFactory(programme=programme, approved_amount=1000), State.APPROVED)
    client = signed_in(city)
    page = client.get(f"/desk/publicity/?programme={programme.pk}").content.decode()
    assert 'value="2021/11/02"' in date_box(page, "start_date")  # today, in Chinese
    assert 'placeholder="年/月/日"' in date_box(page, "start_date")
    form = {"programme": programme.pk, "kind": "approval", "title": "拟资助名单公示",
            "workdays": "5", "ids": [app.pk]}
    refused = client.post("/desk/publicity/", {**form, "start_date": "2021/11/32"})
    assert refused.status_code == 422
    assert 'value="2021/11/32"' in date_box(refused.content.decode(), "start_date")
    client.post("/desk/publicity/", {**form, "start_date": "2021/11/03"})
    assert PublicityBatch.objects.get().start_date == date(2021, 11, 3)


def test_english_reads_iso_dates(city, programme):
    at(ApplicationFactory(programme=programme, title="十一月的申报"), State.CITY_REVIEW)
    client = signed_in(city)
    client.cookies["django_language"] = "en"
    page = client.get("/desk/review/?submitted_after=2021-11-02").content.decode()
    assert "十一月的申报" in page and 'value="2021-11-02"' in page
