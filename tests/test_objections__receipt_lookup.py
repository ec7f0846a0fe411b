"""The objector gets a receipt number (year and a random part) and, with it and the identity
number they gave, reads the outcome on the public page. A wrong pair gets one answer
whichever part was wrong; looking up is rate-limited per address (lodging:
test_objections__abuse)."""

import re

import pytest
from django.test import Client

from publicity.models import RECEIPT_ALPHABET, Objection, ObjectionStatus, UpheldOutcome
from publicity.services import handle_objection, lodge_objection
from publicity.throttle import LIMITS

from .publicity_data import OTHER_ID, TODAY, VALID_ID, objection_data, published_batch

pytestmark = [pytest.mark.django_db, pytest.mark.today(TODAY)]
LOOKUP = "/publicity/objections/"
RECEIPT = re.compile(rf"^2021-[{RECEIPT_ALPHABET}]{{8}}$")


@pytest.fixture
def batch_and_apps(programme, city):
    return published_batch(programme, city)


def lookup(client, receipt, identity):
    return client.post(LOOKUP, {"receipt": receipt, "identity": identity})


def alert(response) -> str:
    return re.search(r'class="alert alert-error"[^>]*>(.*?)</div>',
                     response.content.decode(), re.S).group(1)


def test_the_objector_sees_the_receipt_number_once(batch_and_apps):
    batch, apps = batch_and_apps
    client = Client()
    response = client.post(f"/publicity/{batch.pk}/", objection_data(apps[0]), follow=True)
    receipt = Objection.objects.get().receipt
    page = response.content.decode()
    assert RECEIPT.match(receipt)
    assert "异议受理编号" in page and receipt in page and "异议已收到" in page
    assert receipt not in client.get(f"/publicity/{batch.pk}/").content.decode()
    assert receipt not in Client().get(f"/publicity/{batch.pk}/").content.decode()


def test_receipts_are_unique_and_cannot_be_counted(batch_and_apps):
    batch, apps = batch_and_apps
    texts = [f"第{n}条异议：专利权属存在争议。" for n in range(30)]
    receipts = [lodge_objection(batch, objection_data(apps[0], reasons=text))[0].receipt
                for text in texts]
    assert len(set(receipts)) == 30 and all(RECEIPT.match(r) for r in receipts)
    tails = sorted(r[5:] for r in receipts)
    assert len({t[:4] for t in tails}) > 20  # random, not a counter with a fixed prefix


def test_receipt_and_identity_show_the_outcome(batch_and_apps, city):
    batch, apps = batch_and_apps
    objection, _created = lodge_objection(batch, objection_data(apps[1]))
    client = Client()
    pending = lookup(client, objection.receipt, VALID_ID)
    assert pending.status_code == 200
    page = pending.content.decode()
    assert "已收到" in page and "正在办理" in page and apps[1].title in page

    handle_objection(city, objection, ObjectionStatus.UPHELD, UpheldOutcome.REMOVE,
                     "经核实，该项目专利权属存在争议，撤出名单。")
    # typed loosely: lower case, spaces, a full-width dash, a lower-case x
    loose = " " + objection.receipt.lower().replace("-", "－") + " "
    decided = lookup(client, loose, VALID_ID.lower()).content.decode()
    assert "异议成立" in decided and "撤出名单" in decided
    assert "经核实，该项目专利权属存在争议，撤出名单。" in decided
    assert "正在办理" not in decided


def test_a_wrong_pair_gets_one_generic_answer(batch_and_apps):
    batch, apps = batch_and_apps
    objection, _created = lodge_objection(batch, objection_data(apps[0]))
    other, _created = lodge_objection(batch, objection_data(apps[2], identity=OTHER_ID))
    client = Client()
    answers = [lookup(client, objection.receipt, OTHER_ID),  # someone else's identity
               lookup(client, "2021-ABCDEFGH", VALID_ID),  # a receipt that does not exist
               lookup(client, other.receipt, VALID_ID),  # another objection's receipt
               lookup(client, "", "")]
    assert {a.status_code for a in answers} == {404}
    assert len({alert(a) for a in answers}) == 1
    assert "未查到" in alert(answers[0])
    for answer in answers:
        page = answer.content.decode()
        assert apps[0].title not in page and apps[2].title not in page
        assert "处理状态" not in page


def test_looking_up_is_rate_limited_per_address(batch_and_apps):
    batch, apps = batch_and_apps
    objection, _created = lodge_objection(batch, objection_data(apps[0]))
    limit, _window = LIMITS["objection_lookup"]
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(limit):
        assert lookup(client, "2021-ABCDEFGH", VALID_ID).status_code == 404
    refused = lookup(client, objection.receipt, VALID_ID)  # even the right pair now
    assert refused.status_code == 429 and "提交过于频繁" in alert(refused)
    assert objection.receipt in refused.content.decode()  # what was typed is kept
    assert "处理状态" not in refused.content.decode()
    elsewhere = lookup(Client(REMOTE_ADDR="198.51.100.2"), objection.receipt, VALID_ID)
    assert elsewhere.status_code == 200
