"""An issued notice is signed (PAdES) by each issuing organ with that organ's own key: the
signatures validate with `pyhanko sign validate` against the CA, an edited byte breaks
them, and production refuses to issue while an organ has no key, using no number."""

import hashlib
import io
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from pyhanko.pdf_utils.reader import PdfFileReader

from notices.models import DocumentSequence, Notice, NoticeStatus
from notices.services import draft_disbursement_notice, issue_notice
from subsidy.models import Application
from workflows.stages import State

from .factories import ApplicationFactory, OrganisationFactory, region

PYHANKO = shutil.which("pyhanko") or str(Path(__file__).resolve().parents[1]
                                         / ".venv" / "bin" / "pyhanko")


@pytest.fixture
def awaiting(programme):
    apps = [ApplicationFactory(programme=programme, title=f"贯标项目{i}",
                               organisation=OrganisationFactory(region=region("430405")),
                               approved_amount=Decimal("30000")) for i in range(2)]
    Application.objects.filter(pk__in=[a.pk for a in apps]).update(
        state=State.AWAITING_DISBURSEMENT)
    return apps


def issued(city, programme, awaiting) -> Notice:
    return issue_notice(city, draft_disbursement_notice(city, programme,
                                                        [a.pk for a in awaiting]))


def validate(path: Path, ca: Path) -> subprocess.CompletedProcess:
    return subprocess.run([PYHANKO, "sign", "validate", "--trust", str(ca), "--pretty-print",
                           str(path)], capture_output=True, text=True, timeout=120,
                          check=False)


@pytest.mark.django_db
def test_a_joint_notice_carries_one_signature_per_organ(signing_keys, city, programme,
                                                         awaiting, tmp_path):
    notice = issued(city, programme, awaiting)
    data = notice.pdf.read()
    assert hashlib.sha256(data).hexdigest() == notice.pdf_sha256  # the signed, frozen file
    signatures = PdfFileReader(io.BytesIO(data)).embedded_signatures
    assert len(signatures) == 2
    names = [sig.signer_cert.subject.native["common_name"] for sig in signatures]
    assert names == ["衡阳市市场监督管理局", "衡阳市财政局"]
    path = tmp_path / "issued.pdf"
    path.write_bytes(data)
    result = validate(path, signing_keys.ca_pem)
    assert result.returncode == 0, result.stdout + result.stderr
    # both signatures are judged, the first still valid under the second's revision
    assert result.stdout.count("The signature is judged VALID") == 2, result.stdout


@pytest.mark.django_db
def test_an_edited_byte_breaks_the_signatures(signing_keys, city, programme, awaiting,
                                              tmp_path):
    data = bytearray(issued(city, programme, awaiting).pdf.read())
    signature = PdfFileReader(io.BytesIO(bytes(data))).embedded_signatures[0]
    start, length = signature.byte_range[0], signature.byte_range[1]
    # a byte of the page content, well inside the signed range of the first signature
    position = bytes(data).index(b"stream", start + 200, start + length)
    data[position + 20] ^= 0x01
    path = tmp_path / "edited.pdf"
    path.write_bytes(bytes(data))
    result = validate(path, signing_keys.ca_pem)
    assert result.returncode != 0
    assert "INVALID" in result.stdout + result.stderr


@pytest.mark.django_db
def test_production_refuses_to_issue_without_every_organs_key(signing_keys, settings, city,
                                                              programme, awaiting):
    settings.NOTICE_SIGNATURES_REQUIRED = True
    settings.NOTICE_SIGNING_KEYS = {"衡阳市市场监督管理局":
                                    signing_keys.keys["衡阳市市场监督管理局"]}
    draft = draft_disbursement_notice(city, programme, [a.pk for a in awaiting])
    before = list(DocumentSequence.objects.values_list("prefix", "year", "last"))
    with pytest.raises(ValidationError) as refused:
        issue_notice(city, draft)
    assert "衡阳市财政局" in str(refused.value.messages)
    draft.refresh_from_db()
    assert draft.status == NoticeStatus.DRAFT and draft.serial is None and not draft.pdf
    assert list(DocumentSequence.objects.values_list("prefix", "year", "last")) == before
    assert all(a.state == State.AWAITING_DISBURSEMENT
               for a in Application.objects.filter(pk__in=[a.pk for a in awaiting]))
    # once the key is configured the same draft is issued with the next number
    settings.NOTICE_SIGNING_KEYS = signing_keys.keys
    assert issue_notice(city, draft).serial == 1


@pytest.mark.django_db
def test_a_key_that_cannot_be_opened_is_a_clear_refusal(signing_keys, monkeypatch, settings,
                                                        city, programme, awaiting):
    monkeypatch.setenv("ZIZHU_TEST_SIGNING_PASSPHRASE", "wrong")
    draft = draft_disbursement_notice(city, programme, [a.pk for a in awaiting])
    with pytest.raises(ValidationError) as refused:
        issue_notice(city, draft)
    assert "衡阳市市场监督管理局" in str(refused.value.messages)
    draft.refresh_from_db()
    assert draft.serial is None


@pytest.mark.django_db
def test_development_issues_unsigned_for_an_organ_without_a_key(city, programme, awaiting):
    notice = issued(city, programme, awaiting)
    assert notice.status == NoticeStatus.ISSUED
    assert PdfFileReader(io.BytesIO(notice.pdf.read())).embedded_signatures == []


def test_start_up_checks_find_an_unusable_key_where_signatures_are_required(
        settings, signing_keys, monkeypatch, tmp_path):
    from django.core.checks import run_checks

    settings.NOTICE_SIGNATURES_REQUIRED = True
    assert not [m for m in run_checks() if m.id.startswith("notices.")]
    settings.NOTICE_SIGNING_KEYS = {
        **signing_keys.keys, "衡阳市财政局": {"pkcs12": str(tmp_path / "gone.p12"),
                                         "passphrase_env": "ZIZHU_NOT_SET_ANYWHERE"}}
    settings.NOTICE_SIGNING_TRUST_ROOTS = []
    ids = {m.id for m in run_checks() if m.id.startswith("notices.")}
    assert ids == {"notices.E003", "notices.E004", "notices.W002"}


@pytest.mark.django_db
def test_a_signed_off_notice_missing_a_key_waits_on_its_page_unnumbered(
        signing_keys, settings, city, finance, programme, awaiting):
    """The sign-off completes; issuing is refused and the refusal shown on the notice's
    page (to retry once the key is configured), never a server error."""
    from accounts.models import Role
    from notices.models import RenderStatus
    from notices.signoff import start_signoff, take_step

    from .factories import UserFactory

    settings.NOTICE_SIGNATURES_REQUIRED = True
    settings.NOTICE_SIGNING_KEYS = {"衡阳市市场监督管理局":
                                    signing_keys.keys["衡阳市市场监督管理局"]}
    draft = draft_disbursement_notice(city, programme, [a.pk for a in awaiting])
    start_signoff(draft)
    take_step(UserFactory(role=Role.CHIEF), draft, True)
    take_step(UserFactory(role=Role.LEADER), draft, True)
    take_step(finance, draft, True)
    draft.refresh_from_db()
    assert draft.status == NoticeStatus.DRAFT and draft.serial is None
    assert draft.render_status == RenderStatus.FAILED and "衡阳市财政局" in draft.render_error
