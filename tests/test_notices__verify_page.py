"""The public verification page /verify/ and the API's /verify: an issued notice's frozen
file, an altered copy, a copy signed by another CA's key, an unknown document, an unknown
number and a superseded notice are each told apart; uploads must be PDFs of a bounded
size; too many checks from one address are answered 429."""

import io
from decimal import Decimal

import pytest
from django.test import Client
from pyhanko.pdf_utils.generic import pdf_string
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pypdf import PdfWriter

from notices.models import NoticeStatus
from notices.pdf import render_pdf
from notices.services import draft_disbursement_notice, issue_notice, supersede_notice
from notices.signing import sign_notice
from publicity import throttle
from subsidy.models import Application
from workflows.stages import State

from .factories import ApplicationFactory, OrganisationFactory, region
from .signing_keys import configure

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(signing_keys, city, programme):
    apps = [ApplicationFactory(programme=programme, title=f"贯标项目{i}",
                               organisation=OrganisationFactory(region=region("430405")),
                               approved_amount=Decimal("30000")) for i in range(2)]
    Application.objects.filter(pk__in=[a.pk for a in apps]).update(
        state=State.AWAITING_DISBURSEMENT)
    return issue_notice(city, draft_disbursement_notice(city, programme,
                                                        [a.pk for a in apps]))


def upload(data: bytes, client=None, name="notice.pdf"):
    return (client or Client()).post("/verify/", {"file": _named(data, name)})


def _named(data, name):
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def finding(response) -> str:
    html = response.content.decode()
    marker = 'data-finding="'
    return html[html.index(marker) + len(marker):].split('"', 1)[0]


def test_the_frozen_copy_is_an_issued_unaltered_notice(issued):
    response = upload(issued.pdf.read())
    assert response.status_code == 200 and finding(response) == "issued"
    html = response.content.decode()
    assert issued.number in html and issued.pdf_sha256 in html
    assert html.count("衡阳市财政局") >= 1 and "签名后内容未改动" in html


def edited(frozen: bytes) -> bytes:
    """The file with one byte of its first page's content changed."""
    data = bytearray(frozen)
    data[frozen.index(b"stream", 2000) + 30] ^= 0x01
    return bytes(data)


def test_an_edited_byte_makes_an_altered_copy(issued):
    response = upload(edited(issued.pdf.read()))
    assert response.status_code == 200 and finding(response) == "altered"


def test_a_revision_appended_after_signing_is_altered(issued):
    """Every signature stays intact under an appended revision, but the file is not the
    frozen copy: still altered."""
    writer = IncrementalPdfFileWriter(io.BytesIO(issued.pdf.read()))
    writer.root["/Lang"] = pdf_string("en")  # any change after the last signature
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    response = upload(out.getvalue())
    assert finding(response) == "altered"
    assert issued.number in response.content.decode()  # the number it claims is told


def test_a_copy_signed_by_another_key_is_told_apart(issued, foreign_signing_keys, settings,
                                                   monkeypatch, session_signing_keys):
    unsigned = render_pdf(issued, draft=False)
    configure(settings, monkeypatch, foreign_signing_keys)
    forged = sign_notice(unsigned, issued.issuers)
    configure(settings, monkeypatch, session_signing_keys)  # the office trusts its own CA
    response = upload(forged)
    assert response.status_code == 200 and finding(response) == "other_signer"


def test_a_document_of_no_notice_is_unknown(issued):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    assert finding(upload(out.getvalue())) == "unknown_document"


def test_numbers_issued_unknown_and_malformed(issued):
    client = Client()
    found = client.get("/verify/", {"number": issued.number})
    assert found.status_code == 200 and finding(found) == "number_issued"
    typed = issued.number.replace("〔", "[").replace("〕", "]")  # as typed on a keyboard
    assert finding(client.get("/verify/", {"number": typed})) == "number_issued"
    unknown = client.get("/verify/", {"number": f"衡市监办〔{issued.year}〕999号"})
    assert unknown.status_code == 200 and finding(unknown) == "unknown_number"
    malformed = client.get("/verify/", {"number": "68号"})
    assert malformed.status_code == 422 and "衡市监办〔2021〕68号" in malformed.content.decode()


def test_a_superseded_notice_names_the_one_replacing_it(issued, city):
    old_file = issued.pdf.read()
    new = issue_notice(city, supersede_notice(city, issued))
    issued.refresh_from_db()
    assert issued.status == NoticeStatus.REVOKED
    response = upload(old_file)
    assert finding(response) == "superseded" and new.number in response.content.decode()
    by_number = Client().get("/verify/", {"number": issued.number})
    assert finding(by_number) == "number_superseded" and new.number in \
        by_number.content.decode()
    assert finding(upload(new.pdf.read())) == "issued"


def test_only_pdfs_of_a_bounded_size_are_taken(issued, settings):
    not_pdf = upload(b"<html>not a pdf</html>", name="notice.pdf")
    assert not_pdf.status_code == 422 and "PDF" in not_pdf.content.decode()
    settings.NOTICE_VERIFY_MAX_BYTES = 1024
    too_big = upload(issued.pdf.read())
    assert too_big.status_code == 422 and "文件过大" in too_big.content.decode()
    nothing = Client().post("/verify/", {})
    assert nothing.status_code == 422


def test_the_page_is_public_and_linked_from_the_publicity_list(db):
    page = Client().get("/verify/")
    assert page.status_code == 200 and "公文真伪核验" in page.content.decode()
    assert 'href="/verify/"' in Client().get("/publicity/").content.decode()


def test_too_many_checks_are_answered_429(issued, monkeypatch):
    monkeypatch.setitem(throttle.LIMITS, "verify", (2, 10))
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(2):
        assert client.get("/verify/", {"number": issued.number}).status_code == 200
    refused = client.get("/verify/", {"number": issued.number})
    assert refused.status_code == 429 and "查询过于频繁" in refused.content.decode()
    assert upload(issued.pdf.read(), client).status_code == 429
    api = client.get("/api/v1/verify", {"number": issued.number})
    assert api.status_code == 429 and api.json()["code"] == "too_many_requests"
    # another address is not held back
    assert Client(REMOTE_ADDR="203.0.113.10").get(
        "/verify/", {"number": issued.number}).status_code == 200


def test_the_api_answers_the_same(issued, city):
    client = Client()
    frozen = issued.pdf.read()
    found = client.post("/api/v1/verify", {"file": _named(frozen, "n.pdf")})
    assert found.status_code == 200, found.content
    body = found.json()
    assert body["finding"] == "issued" and body["genuine"] and body["number"] == issued.number
    assert [s["ok"] for s in body["signatures"]] == [True, True]
    altered = client.post("/api/v1/verify", {"file": _named(edited(frozen), "n.pdf")}).json()
    assert altered["finding"] == "altered" and not altered["genuine"]
    lookup = client.get("/api/v1/verify", {"number": issued.number}).json()
    assert lookup["finding"] == "number_issued" and lookup["pdf_sha256"] == issued.pdf_sha256
    unknown = client.get("/api/v1/verify", {"number": "衡市监办〔2020〕999号"}).json()
    assert unknown["finding"] == "unknown_number"
    refused = client.post("/api/v1/verify", {"file": _named(b"GIF89a", "n.pdf")})
    assert refused.status_code == 422
