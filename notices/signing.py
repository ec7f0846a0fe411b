"""Digital signatures of issued notices: one PAdES signature (baseline B-B) per issuing
organ, each with that organ's own key, added one after the other as incremental updates so
that every earlier signature stays valid.

Keys are configured, never stored in the database: NOTICE_SIGNING_KEYS (and the JSON file
NOTICE_SIGNING_KEYS_FILE) map an organ's key reference (its name, or the key name set on
its `IssuingOrgan`) to a PKCS#12 file or a PKCS#11 token; the passphrase or PIN comes from
the environment variable the entry names. See the README, "Signing keys"."""

import io
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from pkcs11 import PKCS11Error
from pyhanko.config.pkcs11 import PKCS11SignatureConfig, TokenCriteria
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.pkcs11 import PKCS11SigningContext

from .models import IssuingOrgan

logger = logging.getLogger(__name__)

REASON = "发文机关电子签章"


class SigningUnavailable(ValidationError):
    """An organ on the notice cannot sign: no key is configured, or its key cannot be
    used. Issuing stops (and rolls back) with this, naming the organ."""


@dataclass(frozen=True)
class KeyConfig:
    """One organ's configured key: a PKCS#12 file, or a PKCS#11 token's key."""

    reference: str
    pkcs12: str = ""
    pkcs11: dict | None = None
    secret_env: str = ""

    def secret(self) -> str | None:
        """The passphrase or PIN from the environment variable named in the settings."""
        if not self.secret_env:
            return None
        value = os.environ.get(self.secret_env)
        if value is None:
            raise SigningUnavailable(
                _("“%(organ)s”的签名密钥口令未提供（环境变量 %(env)s 未设置）。")
                % {"organ": self.reference, "env": self.secret_env})
        return value


def _keys_file() -> dict:
    path = settings.NOTICE_SIGNING_KEYS_FILE
    if not path or not Path(path).is_file():
        return {}
    return json.loads(Path(path).read_text(encoding="utf-8"))


def configured_keys() -> dict[str, KeyConfig]:
    """Every configured key by reference: the keys file's, then NOTICE_SIGNING_KEYS over it."""
    entries = {**_keys_file().get("keys", {}), **settings.NOTICE_SIGNING_KEYS}
    return {reference: KeyConfig(
        reference=reference, pkcs12=entry.get("pkcs12", ""), pkcs11=entry.get("pkcs11"),
        secret_env=entry.get("passphrase_env") or entry.get("pin_env") or "")
        for reference, entry in entries.items()}


def trust_roots() -> list[str]:
    """PEM files of the CAs whose signatures are this office's (the verification page's)."""
    return [*settings.NOTICE_SIGNING_TRUST_ROOTS, *_keys_file().get("trust_roots", [])]


def key_references(names) -> dict[str, str]:
    """Each organ's key reference: the key name set on its IssuingOrgan, else its name."""
    set_on_organs = dict(IssuingOrgan.objects.filter(name__in=names)
                         .exclude(key_name="").values_list("name", "key_name"))
    return {name: set_on_organs.get(name, name) for name in names}


def keys_for(names) -> dict[str, KeyConfig | None]:
    keys = configured_keys()
    return {name: keys.get(reference) for name, reference in key_references(names).items()}


def missing_keys(names) -> list[str]:
    """The organs among `names` without a configured key."""
    return [name for name, key in keys_for(names).items() if key is None]


def refuse_without_keys(names) -> None:
    """With NOTICE_SIGNATURES_REQUIRED (production), SigningUnavailable naming every organ
    of `names` that has no configured key."""
    missing = missing_keys(names)
    if missing and settings.NOTICE_SIGNATURES_REQUIRED:
        raise SigningUnavailable(
            _("发文机关“%(organ)s”未配置签名密钥，公文不能印发。请管理员配置该机关的密钥后再印发。")
            % {"organ": "”“".join(missing)})


def sign_notice(pdf: bytes, names) -> bytes:
    """The PDF signed by each organ of `names` in turn (each signature a new revision).
    With NOTICE_SIGNATURES_REQUIRED an organ without a key stops it (SigningUnavailable,
    naming the organ); otherwise that organ does not sign."""
    refuse_without_keys(names)
    keys = keys_for(names)
    for index, name in enumerate(names, 1):
        if keys[name] is not None:
            pdf = _sign_once(pdf, name, keys[name], f"Signature{index}")
    return pdf


def _metadata(name: str, field_name: str) -> signers.PdfSignatureMetadata:
    return signers.PdfSignatureMetadata(
        field_name=field_name, name=name, reason=REASON, md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES)


def _sign_once(pdf: bytes, name: str, key: KeyConfig, field_name: str) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    try:
        if key.pkcs11:
            return _sign_with_token(writer, name, key, field_name)
        signer = _pkcs12_signer(name, key)
        return signers.sign_pdf(writer, _metadata(name, field_name), signer=signer).getvalue()
    except (SigningError, PKCS11Error) as failed:
        # PKCS#11 errors often carry no text: their class is the reason (PinIncorrect, ...)
        reason = f"{type(failed).__name__} {failed}".strip()
        logger.error("signing for %s failed: %s", name, reason)
        raise SigningUnavailable(_("“%(organ)s”的签名失败，公文未印发：%(error)s")
                                 % {"organ": name, "error": reason}) from None


def _pkcs12_signer(name: str, key: KeyConfig):
    try:
        data = Path(key.pkcs12).read_bytes()
    except OSError:
        raise SigningUnavailable(_("“%(organ)s”的签名密钥文件无法读取：%(path)s")
                                 % {"organ": name, "path": key.pkcs12}) from None
    secret = key.secret()
    try:
        return signers.SimpleSigner.load_pkcs12_data(
            data, other_certs=[], passphrase=secret.encode() if secret is not None else None)
    except ValueError:
        raise SigningUnavailable(_("“%(organ)s”的签名密钥无法打开（文件或口令不对）。")
                                 % {"organ": name}) from None


def _sign_with_token(writer, name: str, key: KeyConfig, field_name: str) -> bytes:
    """Sign with a key that never leaves its PKCS#11 token (module, token label, key label;
    optionally the certificate's label and "raw")."""
    token = key.pkcs11
    # "raw": the token signs a digest hashed here (some, SoftHSM among them, offer only raw
    # ECDSA); "cert": the certificate's label when it differs from the key's
    config = PKCS11SignatureConfig(
        module_path=token["module"], token_criteria=TokenCriteria(label=token.get("token")),
        key_label=token["key"], cert_label=token.get("cert", token["key"]),
        raw_mechanism=bool(token.get("raw", False)))
    with PKCS11SigningContext(config, user_pin=key.secret()) as signer:
        return signers.sign_pdf(writer, _metadata(name, field_name), signer=signer).getvalue()
