"""Verifying a notice someone holds: an uploaded PDF (is it this office's frozen copy,
unaltered, signed by the organs' keys under the office's CA?) or a typed document number
(was it issued, is it still in force?). The public page and the API ask the same two
functions and show the same findings."""

import hashlib
import io
import logging
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from pyhanko.keys import load_certs_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from .models import Notice, NoticeStatus
from .signing import trust_roots

logger = logging.getLogger(__name__)


class Finding(models.TextChoices):
    ISSUED = "issued", _("本机关印发的公文，与留存原件完全一致")
    SUPERSEDED = "superseded", _("本机关印发的公文，与留存原件一致，但已被新公文替代（已撤销）")
    NUMBER_ISSUED = "number_issued", _("本机关印发过该文号的公文，现行有效")
    NUMBER_SUPERSEDED = ("number_superseded",
                         _("本机关印发过该文号的公文，但已被新公文替代（已撤销）"))
    ALTERED = "altered", _("文件已被改动：与本机关印发的原件不一致")
    OTHER_SIGNER = "other_signer", _("文件的电子签名不是本机关的签名密钥所签")
    UNKNOWN_DOCUMENT = "unknown_document", _("未找到该文件：不是本机关印发的公文")
    UNKNOWN_NUMBER = "unknown_number", _("本机关没有印发过该文号的公文")


GENUINE = {Finding.ISSUED, Finding.SUPERSEDED, Finding.NUMBER_ISSUED,
           Finding.NUMBER_SUPERSEDED}


@dataclass
class SignatureCheck:
    """One embedded signature as validated: by whom, and what holds."""

    signer: str
    intact: bool  # the signed bytes are those signed
    valid: bool  # ... and the signature over them is mathematically right
    trusted: bool  # ... by a key certified by the office's CA
    whole_file: bool  # nothing was added after it but later signatures

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.trusted


@dataclass
class Verdict:
    finding: str
    notice: Notice | None = None
    superseded_by: Notice | None = None
    claimed_number: str = ""
    sha256: str = ""
    signatures: list[SignatureCheck] = field(default_factory=list)

    @property
    def genuine(self) -> bool:
        return self.finding in GENUINE

    @property
    def label(self) -> str:
        return str(Finding(self.finding).label)

    def as_dict(self) -> dict:
        """What the API answers (the page shows the same)."""
        notice = self.notice
        return {
            "finding": self.finding, "label": self.label, "genuine": self.genuine,
            "number": notice.number if notice else self.claimed_number,
            "title": notice.title if notice else "",
            "issued_on": notice.issued_on.isoformat() if notice and notice.issued_on else None,
            "issuers": list(notice.issuers) if notice else [],
            "pdf_sha256": notice.pdf_sha256 if notice else "",
            "uploaded_sha256": self.sha256,
            "superseded_by": self.superseded_by.number if self.superseded_by else "",
            "signatures": [{"signer": s.signer, "intact": s.intact, "valid": s.valid,
                            "trusted": s.trusted, "ok": s.ok} for s in self.signatures]}


NOT_PDF = _("请上传 PDF 文件。")
#: 衡市监办〔2021〕68号, also typed with [] ［］ () （） 【】 and without 号 or with 第
NUMBER = re.compile(r"^(?P<prefix>[^\s〔\[［(（【]+)[〔\[［(（【](?P<year>\d{4})[〕\]］)）】]"
                    r"第?(?P<serial>\d{1,6})号?$")
NUMBER_IN_TEXT = re.compile(r"([^\s〔]{2,10})〔(\d{4})〕(\d{1,6})号")


def _successor(notice: Notice) -> Notice | None:
    return Notice.objects.filter(supersedes=notice, status=NoticeStatus.ISSUED).first()


def verify_number(text: str) -> Verdict:
    """What the office's register says of a document number."""
    typed = re.sub(r"\s+", "", text or "")
    match = NUMBER.match(typed)
    if not match:
        raise ValidationError(_("请按“衡市监办〔2021〕68号”的格式输入发文字号。"))
    notice = (Notice.objects.filter(number_prefix=match["prefix"], year=int(match["year"]),
                                    serial=int(match["serial"]),
                                    status__in=(NoticeStatus.ISSUED, NoticeStatus.REVOKED))
              .first())
    number = f"{match['prefix']}〔{match['year']}〕{int(match['serial'])}号"
    if notice is None:
        return Verdict(Finding.UNKNOWN_NUMBER, claimed_number=number)
    if notice.status == NoticeStatus.REVOKED:
        return Verdict(Finding.NUMBER_SUPERSEDED, notice, _successor(notice))
    return Verdict(Finding.NUMBER_ISSUED, notice)


def check_size(size: int) -> None:
    """ValidationError when a file of `size` bytes is more than the page accepts."""
    if size > settings.NOTICE_VERIFY_MAX_BYTES:
        raise ValidationError(_("文件过大（不能超过 %(mb)d MB）。")
                              % {"mb": settings.NOTICE_VERIFY_MAX_BYTES // (1024 * 1024)})


def check_pdf(data: bytes) -> None:
    """ValidationError unless `data` is a PDF of a size the page accepts."""
    check_size(len(data))
    if not data.startswith(b"%PDF-"):
        raise ValidationError(NOT_PDF)


def verify_file(data: bytes) -> Verdict:
    """What an uploaded PDF is: this office's frozen copy (and is it still in force), an
    altered copy, a copy signed by another key, or a document the office does not know."""
    check_pdf(data)
    digest = hashlib.sha256(data).hexdigest()
    notice = Notice.objects.filter(pdf_sha256=digest, status__in=(
        NoticeStatus.ISSUED, NoticeStatus.REVOKED)).first()
    try:
        signatures = check_signatures(data)
    except Exception:  # an uploaded file may break the parser in any way it likes
        logger.info("uploaded PDF could not be read for verification", exc_info=True)
        signatures = None
    if notice is not None and signatures is not None and all(s.ok for s in signatures):
        # the very bytes the office froze, every signature on them the office's
        if notice.status == NoticeStatus.REVOKED:
            return Verdict(Finding.SUPERSEDED, notice, _successor(notice), sha256=digest,
                           signatures=signatures)
        return Verdict(Finding.ISSUED, notice, sha256=digest, signatures=signatures)
    claimed = claimed_notice(data)
    verdict = Verdict(Finding.ALTERED, claimed, sha256=digest, signatures=signatures or [],
                      claimed_number=claimed.number if claimed else "")
    if signatures is None or any(not (s.intact and s.valid) for s in signatures):
        return verdict  # unreadable, or signed bytes changed
    if signatures and any(not s.trusted for s in signatures):
        verdict.finding = Finding.OTHER_SIGNER
        return verdict
    if signatures or claimed:
        return verdict  # our signatures, or our number, on a file we never issued
    verdict.finding = Finding.UNKNOWN_DOCUMENT
    return verdict


def validation_context() -> ValidationContext:
    """The office's CA as the only trust root; nothing is fetched from the network."""
    roots = list(load_certs_from_pemder(trust_roots())) if trust_roots() else []
    return ValidationContext(trust_roots=roots, allow_fetching=False)


def check_signatures(data: bytes) -> list[SignatureCheck]:
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    context = validation_context()
    checks = []
    for embedded in reader.embedded_signatures:
        status = validate_pdf_signature(embedded, context)
        checks.append(SignatureCheck(
            signer=embedded.signer_cert.subject.native.get("common_name", ""),
            intact=bool(status.intact), valid=bool(status.valid),
            trusted=bool(status.trusted),
            whole_file=status.coverage is not None and status.coverage.value >= 2))
    return checks


def claimed_notice(data: bytes) -> Notice | None:
    """The issued notice whose number the file's first page prints, if any."""
    try:
        text = PdfReader(io.BytesIO(data)).pages[0].extract_text() or ""
    except Exception:  # as in verify_file: any file, any failure
        return None
    for prefix, year, serial in NUMBER_IN_TEXT.findall(text.replace(" ", "")):
        notice = Notice.objects.filter(
            number_prefix=prefix, year=int(year), serial=int(serial),
            status__in=(NoticeStatus.ISSUED, NoticeStatus.REVOKED)).first()
        if notice:
            return notice
    return None
