"""The public objection form withstands abuse: lodging is limited per address and per
identity number, an address that lodged a few must pass a challenge (CAPTCHA, drawn on the
server), every field and the body are capped, an oversize file is dropped while it arrives,
and the same objection submitted again is recorded once. Every refusal keeps what was typed."""

import re

import pytest
from captcha.models import CaptchaStore
from django.core import mail
from django.core.files.uploadhandler import FileUploadHandler
from django.test import Client

from publicity.models import Objection
from publicity.throttle import LIMITS, UNCHALLENGED_OBJECTIONS

from .publicity_data import TODAY, objection_data, published_batch

pytestmark = [pytest.mark.django_db, pytest.mark.today(TODAY)]
#: identity numbers with valid checksums, one per objector
IDENTITIES = ["110101199003070118", "110101199003070222", "110101199003070337",
              "110101199003070441", "110101199003070556", "110101199003070660",
              "110101199003070775"]


@pytest.fixture
def batch_and_apps(programme, city):
    return published_batch(programme, city)


def page_of(batch) -> str:
    return f"/publicity/{batch.pk}/"


def errors(response) -> str:
    return " ".join(re.findall(r'<ul class="errorlist"><li>(.*?)</li>', response.content.decode())
                    + re.findall(r'class="alert alert-error"[^>]*>(.*?)</div>',
                                 response.content.decode(), re.S))


def answer(page: str) -> dict:
    """What a person reads off the challenge image the page shows: its key and the sum."""
    key = re.search(r'name="captcha_0" value="(\w+)"', page).group(1)
    return {"captcha_0": key, "captcha_1": CaptchaStore.objects.get(hashkey=key).response}


def lodge(client, batch, app, n, **extra):
    """The n-th distinct objection (its own identity number and text)."""
    return client.post(page_of(batch), objection_data(
        app, identity=IDENTITIES[n % len(IDENTITIES)],
        reasons=f"第{n}条：该单位申报的专利与本人专利相同，存在争议。", **extra))


def test_after_a_few_from_one_address_each_objection_needs_the_challenge(batch_and_apps):
    batch, apps = batch_and_apps
    client = Client(REMOTE_ADDR="203.0.113.20")
    assert 'name="captcha_1"' not in client.get(page_of(batch)).content.decode()
    for n in range(UNCHALLENGED_OBJECTIONS):
        assert lodge(client, batch, apps[0], n).status_code == 303
    page = client.get(page_of(batch)).content.decode()
    assert 'name="captcha_1"' in page and 'src="/captcha/image/' in page
    image = client.get(re.search(r'src="(/captcha/image/\w+/)"', page).group(1))
    assert image.status_code == 200 and image["Content-Type"] == "image/png"  # served here

    refused = lodge(client, batch, apps[0], 10, captcha_0="nokey", captcha_1="7")
    assert refused.status_code == 422 and "验证码不正确" in errors(refused)
    assert "第10条" in refused.content.decode()  # what was typed is kept
    assert Objection.objects.count() == UNCHALLENGED_OBJECTIONS

    passed = lodge(client, batch, apps[0], 10, **answer(refused.content.decode()))
    assert passed.status_code == 303
    assert Objection.objects.count() == UNCHALLENGED_OBJECTIONS + 1
    other_address = Client(REMOTE_ADDR="198.51.100.20")
    assert 'name="captcha_1"' not in other_address.get(page_of(batch)).content.decode()


def test_lodging_is_limited_per_address(batch_and_apps):
    batch, apps = batch_and_apps
    limit, _minutes = LIMITS["objection"]
    client = Client(REMOTE_ADDR="203.0.113.21")
    for n in range(limit):
        page = client.get(page_of(batch)).content.decode()
        solved = answer(page) if 'name="captcha_1"' in page else {}  # as a person would
        assert lodge(client, batch, apps[0], n, **solved).status_code == 303
    refused = lodge(client, batch, apps[0], 99, contact="139001")
    assert refused.status_code == 429 and "提交过于频繁" in errors(refused)
    assert "139001" in refused.content.decode()
    assert Objection.objects.count() == limit


def test_lodging_is_limited_per_identity_number_whatever_the_address(batch_and_apps):
    batch, apps = batch_and_apps
    limit, _minutes = LIMITS["objection_identity"]
    for n in range(limit):
        client = Client(REMOTE_ADDR=f"198.51.100.{n + 1}")
        assert client.post(page_of(batch), objection_data(
            apps[n % 3], reasons=f"第{n}条：该单位申报的专利与本人专利相同。")).status_code == 303
    refused = Client(REMOTE_ADDR="198.51.100.200").post(page_of(batch), objection_data(
        apps[0], reasons="又一条：该单位申报的专利与本人专利相同。"))
    assert refused.status_code == 429 and "今日提交的异议已达上限" in errors(refused)
    assert Objection.objects.count() == limit


def test_every_field_is_capped_and_refused_not_cut(batch_and_apps):
    batch, apps = batch_and_apps
    long_reasons = "异" * 5001
    refused = Client().post(page_of(batch), objection_data(
        apps[0], reasons=long_reasons, name="张" * 101, contact="1" * 101))
    assert refused.status_code == 422
    text = errors(refused)
    assert "最多 5000 个字，现为 5001 个字" in text and "最多 100 个字，现为 101 个字" in text
    assert long_reasons in refused.content.decode()  # kept for the objector to shorten
    assert not Objection.objects.exists()
    accepted = Client().post(page_of(batch), objection_data(apps[0], reasons="异" * 5000))
    assert accepted.status_code == 303 and len(Objection.objects.get().reasons) == 5000


def test_a_body_of_megabytes_is_refused_unread(batch_and_apps, settings):
    batch, apps = batch_and_apps
    response = Client().post(page_of(batch), objection_data(
        apps[0], reasons="异" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 3 + 10)))
    assert response.status_code == 400
    assert not Objection.objects.exists()


class Received(FileUploadHandler):
    """Counts the bytes of each file that reach the handlers after the cap."""

    seen: list = []

    def receive_data_chunk(self, raw_data, start):
        Received.seen.append(len(raw_data))
        return raw_data

    def file_complete(self, file_size):
        return None


def test_an_oversize_file_is_dropped_while_it_arrives(batch_and_apps, settings, tmp_path):
    batch, apps = batch_and_apps
    settings.ATTACHMENT_MAX_BYTES = 256 * 1024
    settings.FILE_UPLOAD_HANDLERS = ["config.uploads.CappedUploadHandler",
                                     "tests.test_objections__abuse.Received",
                                     *settings.FILE_UPLOAD_HANDLERS[1:]]
    Received.seen = []
    big = tmp_path / "证明.pdf"
    big.write_bytes(b"%PDF-1.4\n" + b"0" * (3 * 1024 * 1024))
    with big.open("rb") as upload:
        refused = Client().post(page_of(batch), {**objection_data(apps[0]), "evidence": upload})
    assert refused.status_code == 422 and "证明材料须为 256.0\xa0KB 以内" in errors(refused)
    assert "该单位申报的专利" in refused.content.decode()  # the text fields were still read
    assert sum(Received.seen) <= settings.ATTACHMENT_MAX_BYTES  # never passed on whole
    assert not Objection.objects.exists()
    assert list((tmp_path / "uploads").iterdir()) == []


def test_the_same_objection_twice_is_recorded_once(batch_and_apps,
                                                   django_capture_on_commit_callbacks):
    batch, apps = batch_and_apps
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(page_of(batch), objection_data(apps[0]), follow=True)
    told = len(mail.outbox)
    again = objection_data(apps[0], reasons="该单位申报的专利与本人专利相同，\n存在争议。 ")
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(page_of(batch), again, follow=True)
    objection = Objection.objects.get()
    assert objection.receipt in first.content.decode()
    assert objection.receipt in second.content.decode()
    assert "未重复登记" in second.content.decode()
    assert len(mail.outbox) == told  # staff are not told twice
    other_item = client.post(page_of(batch), objection_data(apps[1]))
    assert other_item.status_code == 303 and Objection.objects.count() == 2
