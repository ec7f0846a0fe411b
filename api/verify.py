"""Public verification of notices, as on the page /verify/: a PDF's or a number's verdict
(`notices.verify`). No login; rate-limited per address like the page."""

from ninja import Field as SchemaField
from ninja import File, Query, Router, Schema, Status, UploadedFile

from notices.verify import check_size, verify_file, verify_number
from notices.views import too_many
from publicity import throttle

from .schemas import ErrorOut

router = Router(tags=["verify"], auth=None)


class SignatureOut(Schema):
    signer: str
    intact: bool
    valid: bool
    trusted: bool
    ok: bool


class VerdictOut(Schema):
    finding: str = SchemaField(description="issued, superseded, number_issued, "
                                           "number_superseded, altered, other_signer, "
                                           "unknown_document or unknown_number")
    label: str
    genuine: bool
    number: str
    title: str
    issued_on: str | None
    issuers: list[str]
    pdf_sha256: str = SchemaField(description="the frozen copy's hash")
    uploaded_sha256: str
    superseded_by: str = SchemaField(description="the number of the notice replacing it")
    signatures: list[SignatureOut]


class NumberIn(Schema):
    number: str = SchemaField(..., max_length=60, examples=["衡市监办〔2021〕68号"])


ANSWERS = {200: VerdictOut, 422: ErrorOut, 429: ErrorOut}


def _throttled():
    return Status(429, {"code": "too_many_requests", "detail": too_many()})


@router.post("", response=ANSWERS, summary="Verify a notice's PDF")
def verify_upload(request, file: File[UploadedFile]):
    if not throttle.allow("verify", request):
        return _throttled()
    check_size(file.size)
    return verify_file(file.read()).as_dict()


@router.get("", response=ANSWERS, summary="Look a document number up")
def verify_lookup(request, query: Query[NumberIn]):
    if not throttle.allow("verify", request):
        return _throttled()
    return verify_number(query.number).as_dict()
