"""Request and response shapes of the JSON API."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema

#: A database id: positive and within the 64-bit range every backend stores.
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]
#: Money in yuan: at most 12 digits before the point and 2 after, never negative.
Money = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]


class TokenIn(Schema):
    username: str
    password: str
    otp_token: str | None = None  # staff: the current code from their authenticator app


class TokenOut(Schema):
    token: str
    username: str
    role: str


class TokenListOut(Schema):
    """One of your tokens as listed: its name and dates, never the token."""

    id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime
    expired: bool


class TransitionOut(Schema):
    name: str
    label: str
    source: str
    target: str


class CategoryOut(Schema):
    code: str
    name: str
    name_en: str
    kind: str
    lifecycle: str
    applicant_types: list[str]
    funding_rule: str
    cap: Decimal | None
    states: list[str]
    transitions: list[TransitionOut]


class FormFieldOut(Schema):
    name: str
    label: str
    type: str
    required: bool
    help: str = ""


class AttachmentKindOut(Schema):
    kind: str
    label: str


class CategoryFormOut(Schema):
    code: str
    name: str
    fields: list[FormFieldOut]
    required_attachments: list[AttachmentKindOut]
    acceptance_attachments: list[AttachmentKindOut]


class ApplicationIn(Schema):
    programme: Id
    category: str = Field(..., description="category code, 01–23", max_length=4)
    title: str
    requested_amount: Money = Field(..., description="yuan, as a decimal string")
    form_data: dict = Field(default_factory=dict)


class ApplicationUpdateIn(Schema):
    title: str
    requested_amount: Money
    form_data: dict = Field(default_factory=dict)


class ApplicationOut(Schema):
    id: int
    number: str
    programme: int
    category: str
    organisation: str
    region: str
    title: str
    state: str
    state_label: str
    requested_amount: Decimal
    approved_amount: Decimal | None
    created_at: datetime


class FieldChangeOut(Schema):
    label: str
    old: str
    new: str


class AttachmentChangeOut(Schema):
    material: str
    id: int
    version: int
    original_name: str
    replaces_version: int | None


class ChangesOut(Schema):
    """What the applicant changed between a return for revision and this step."""

    returned_seq: int
    fields: list[FieldChangeOut]
    attachments: list[AttachmentChangeOut]


class HistoryOut(Schema):
    seq: int
    at: datetime
    actor: str | None
    transition: str
    label: str
    source: str
    target: str
    comment: str
    data: dict
    #: on the step that ended a revision round (resubmission, withdrawal)
    changes: ChangesOut | None = None


class AvailableOut(Schema):
    name: str
    label: str
    target: str
    ready: bool
    reason: str
    comment_required: bool
    params: list[str]


class BreakdownPartOut(Schema):
    label: str
    basis: str
    computed: Decimal
    cap: Decimal | None
    amount: Decimal


class BreakdownOut(Schema):
    """How a rule computed part by part (pledge financing, Madrid) reaches its amount."""

    parts: list[BreakdownPartOut]
    subtotal: Decimal
    cap: Decimal | None
    total: Decimal


class ApplicationDetailOut(ApplicationOut):
    lifecycle: str
    form_data: dict
    allowed_amount: Decimal | None
    breakdown: BreakdownOut | None = None
    transitions: list[AvailableOut]
    history: list[HistoryOut]


class TransitionIn(Schema):
    comment: str = Field("", max_length=5000)
    amount: Money | None = Field(None, description="yuan; approval only")
    completed_on: date | None = Field(None, description="acceptance request only")


class TransitionResultOut(Schema):
    id: int
    state: str
    state_label: str
    transition: str
    seq: int
    approved_amount: Decimal | None


class BulkTransitionIn(TransitionIn):
    ids: list[Id] = Field(..., min_length=1, max_length=5000)


class RefusalOut(Schema):
    id: int
    code: str
    detail: str


class BulkResultOut(Schema):
    moved: list[int]
    refused: list[RefusalOut]


class ReminderIn(Schema):
    ids: list[Id] = Field(..., min_length=1, max_length=5000)


class RecipientOut(Schema):
    username: str
    name: str
    role: str
    applications: list[int]


class ReminderOut(Schema):
    people: int = Field(description="how many people were reminded")
    reminded: list[RecipientOut]
    not_reminded: list[RefusalOut] = Field(
        description="applications nobody has to act on, or not found, with the reason")


class ErrorOut(Schema):
    code: str
    detail: str
    reasons: dict[str, str] = Field(default_factory=dict)
    errors: dict[str, list[str]] = Field(default_factory=dict)


class AttachmentOut(Schema):
    id: int
    stage: str
    kind: str
    version: int
    original_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime
    #: True when the upload was the current version again (nothing stored; 200, not 201)
    unchanged: bool = False
    detail: str = ""


class PaymentIn(Schema):
    paid_on: date = Field(..., description="not in the future, not before the notice")
    amount: Money = Field(..., description="yuan; with the earlier payments at most the "
                                           "approved amount")
    reference: str = Field(..., min_length=1, max_length=100)


class PaymentLineIn(PaymentIn):
    application: Id


class PaymentBatchIn(Schema):
    payments: list[PaymentLineIn] = Field(..., min_length=1, max_length=5000)


class PaymentOut(Schema):
    id: int
    paid_on: date
    amount: Decimal
    reference: str
    recorded_by: str | None
    recorded_at: datetime


class PaymentsOut(Schema):
    """An application's payments: what was approved, paid and is left."""

    id: int
    state: str
    state_label: str
    approved_amount: Decimal | None
    paid_amount: Decimal
    left: Decimal | None
    partially_paid: bool
    payments: list[PaymentOut]


class PaymentBatchOut(Schema):
    recorded: int
    applications: list[PaymentsOut]
