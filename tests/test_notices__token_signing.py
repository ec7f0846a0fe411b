"""An organ whose key lives on a PKCS#11 token (module, token label, key label, PIN from the
environment) signs the notice from the token: here SoftHSM, with a throwaway key of the
session's test CA imported into a fresh token."""

import io
import os
import subprocess
from decimal import Decimal
from pathlib import Path

import pkcs11
import pytest
from asn1crypto.core import Integer
from cryptography.hazmat.primitives import serialization
from pkcs11 import Attribute, CertificateType, KeyType, ObjectClass
from pkcs11.util.ec import encode_named_curve_parameters
from pyhanko.pdf_utils.reader import PdfFileReader

from notices.services import draft_disbursement_notice, issue_notice
from notices.specimens import make_ca, make_signer, pem
from notices.verify import Finding, verify_file
from subsidy.models import Application
from workflows.stages import State

from .factories import ApplicationFactory, OrganisationFactory, region

MODULE = next((path for path in ("/usr/lib/softhsm/libsofthsm2.so",
                                 "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so")
               if Path(path).exists()), None)
pytestmark = pytest.mark.skipif(MODULE is None,
                                reason="SoftHSM (softhsm2) not installed (scripts/setup.sh does)")
TOKEN, KEY, PIN = "zizhu-test", "czj-seal", "123456"  # nosec B105: a throwaway token's PIN


@pytest.fixture(scope="module")
def token(tmp_path_factory):
    """A SoftHSM token holding the finance bureau's key and certificate, and the CA."""
    directory = tmp_path_factory.mktemp("softhsm")
    (directory / "tokens").mkdir()
    conf = directory / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {directory / 'tokens'}\nobjectstore.backend = file\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)  # read by the library when it is initialised
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", TOKEN,
                    "--pin", PIN, "--so-pin", "654321"], check=True, capture_output=True)
    ca_key, ca_cert = make_ca("Zizhu token test CA")
    key, cert = make_signer(ca_key, ca_cert, "衡阳市财政局")
    with pkcs11.lib(MODULE).get_token(token_label=TOKEN).open(user_pin=PIN, rw=True) as session:
        session.create_object({
            Attribute.CLASS: ObjectClass.PRIVATE_KEY, Attribute.KEY_TYPE: KeyType.EC,
            Attribute.EC_PARAMS: encode_named_curve_parameters("1.2.840.10045.3.1.7"),
            Attribute.VALUE: key.private_numbers().private_value.to_bytes(32, "big"),
            Attribute.LABEL: KEY, Attribute.ID: b"\x01", Attribute.TOKEN: True,
            Attribute.PRIVATE: True, Attribute.SIGN: True, Attribute.SENSITIVE: True})
        session.create_object({
            Attribute.CLASS: ObjectClass.CERTIFICATE,
            Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
            Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER),
            Attribute.SUBJECT: cert.subject.public_bytes(),
            Attribute.ISSUER: cert.issuer.public_bytes(),
            Attribute.SERIAL_NUMBER: Integer(cert.serial_number).dump(),
            Attribute.LABEL: KEY, Attribute.ID: b"\x01", Attribute.TOKEN: True})
    ca_pem = directory / "ca.pem"
    ca_pem.write_bytes(pem(ca_cert))
    return ca_pem


@pytest.mark.django_db
def test_an_organ_signs_with_its_key_on_a_token(token, signing_keys, settings, monkeypatch,
                                                city, programme):
    settings.NOTICE_SIGNING_KEYS = {
        "衡阳市市场监督管理局": signing_keys.keys["衡阳市市场监督管理局"],
        # SoftHSM offers raw ECDSA only: the digest is hashed by pyHanko
        "衡阳市财政局": {"pkcs11": {"module": MODULE, "token": TOKEN, "key": KEY, "raw": True},
                       "pin_env": "ZIZHU_TEST_TOKEN_PIN"}}
    settings.NOTICE_SIGNING_TRUST_ROOTS = [str(signing_keys.ca_pem), str(token)]
    monkeypatch.setenv("ZIZHU_TEST_TOKEN_PIN", PIN)
    app = ApplicationFactory(programme=programme, approved_amount=Decimal("30000"),
                             organisation=OrganisationFactory(region=region("430405")))
    Application.objects.filter(pk=app.pk).update(state=State.AWAITING_DISBURSEMENT)
    notice = issue_notice(city, draft_disbursement_notice(city, programme, [app.pk]))
    data = notice.pdf.read()
    signers = [s.signer_cert.subject.native["common_name"]
               for s in PdfFileReader(io.BytesIO(data)).embedded_signatures]
    assert signers == ["衡阳市市场监督管理局", "衡阳市财政局"]
    verdict = verify_file(data)
    assert verdict.finding == Finding.ISSUED and all(s.ok for s in verdict.signatures)


@pytest.mark.django_db
def test_a_wrong_pin_is_a_clear_refusal(token, signing_keys, settings, monkeypatch, city,
                                        programme):
    from django.core.exceptions import ValidationError

    settings.NOTICE_SIGNING_KEYS = {
        "衡阳市财政局": {"pkcs11": {"module": MODULE, "token": TOKEN, "key": KEY},
                       "pin_env": "ZIZHU_TEST_TOKEN_PIN"}}
    monkeypatch.setenv("ZIZHU_TEST_TOKEN_PIN", "000000")
    app = ApplicationFactory(programme=programme, approved_amount=Decimal("30000"),
                             organisation=OrganisationFactory(region=region("430405")))
    Application.objects.filter(pk=app.pk).update(state=State.AWAITING_DISBURSEMENT)
    draft = draft_disbursement_notice(city, programme, [app.pk])
    with pytest.raises(ValidationError) as refused:
        issue_notice(city, draft)
    assert "衡阳市财政局" in str(refused.value.messages)
    draft.refresh_from_db()
    assert draft.serial is None
