"""Official notices for staff: draft, read, download the PDF, issue."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Router, Schema, Status

from desk.notice_views import NOTICE_READERS
from notices.models import Notice
from notices.pdf import render_pdf
from notices.services import draft_disbursement_notice, supersede_notice
from notices.signoff import (
    restart_signoff,
    start_signoff,
    take_step,
    waiting_task,
    withdraw_draft,
)
from subsidy.models import Programme

from .schemas import ErrorOut, Id

router = Router(tags=["notices"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class NoticeIn(Schema):
    """A disbursement notice (publicity notices are drafted from their batch)."""

    programme: Id
    application_ids: list[Id] = Field(default_factory=list, max_length=5000,
                                      description="at least one; none is refused")
    label: str = Field("", max_length=40)


class NoticeOut(Schema):
    id: int
    kind: str
    title: str
    status: str
    number: str
    items: int
    pdf_sha256: str
    waiting_for: str = Field("", description="the sign-off step it waits for")


class SignoffIn(Schema):
    approve: bool = Field(..., description="true: agree (or resubmit); false: send back, "
                                           "which needs a reason")
    reason: str = Field("", max_length=2000)


def notice_out(notice: Notice) -> dict:
    task = waiting_task(notice)
    return {"id": notice.pk, "kind": notice.kind, "title": notice.title,
            "status": notice.status, "number": notice.number,
            "items": notice.applications.count(), "pdf_sha256": notice.pdf_sha256,
            "waiting_for": str(task.flow_task.task_title) if task else ""}


def _readable(request, notice_id) -> Notice:
    """Staff who read notices see them; to anyone else they do not exist."""
    if getattr(request.auth, "role", None) not in NOTICE_READERS:
        raise Http404
    return get_object_or_404(Notice, pk=notice_id)


@router.post("", response={201: NoticeOut, **ERRORS}, summary="Draft a disbursement notice")
def create(request, body: NoticeIn):
    programme = get_object_or_404(Programme, pk=body.programme)
    notice = draft_disbursement_notice(request.auth, programme, body.application_ids,
                                       body.label)
    start_signoff(notice)
    return Status(201, notice_out(notice))


@router.get("/{notice_id}", response={200: NoticeOut, **ERRORS}, summary="A notice's state")
def detail(request, notice_id: Path[Id]):
    return notice_out(_readable(request, notice_id))


@router.get("/{notice_id}/pdf", response={200: None, **ERRORS},
            summary="The PDF: frozen once issued, a watermarked draft before")
def pdf(request, notice_id: Path[Id]):
    notice = _readable(request, notice_id)
    data = notice.pdf.read() if notice.pdf else render_pdf(notice)
    return HttpResponse(data, content_type="application/pdf")


@router.post("/{notice_id}/supersede", response={201: NoticeOut, **ERRORS},
             summary="Draft a notice that revokes and replaces an issued one")
def supersede(request, notice_id: Path[Id]):
    new = supersede_notice(request.auth, _readable(request, notice_id))
    start_signoff(new)
    return Status(201, notice_out(new))


@router.post("/{notice_id}/signoff", response={200: NoticeOut, **ERRORS},
             summary="Take the sign-off step your role holds (agree, or send back with a reason)")
def signoff(request, notice_id: Path[Id], body: SignoffIn):
    notice = _readable(request, notice_id)
    take_step(request.auth, notice, body.approve, body.reason)
    notice.refresh_from_db()
    return notice_out(notice)


@router.post("/{notice_id}/restart-signoff", response={200: NoticeOut, **ERRORS},
             summary="Send a draft whose sign-off was cancelled to the section chief again")
def restart(request, notice_id: Path[Id]):
    notice = _readable(request, notice_id)
    restart_signoff(request.auth, notice)
    return notice_out(notice)


@router.post("/{notice_id}/withdraw", response={200: NoticeOut, **ERRORS},
             summary="Withdraw a draft whose sign-off was cancelled; its items are freed")
def withdraw(request, notice_id: Path[Id]):
    return notice_out(withdraw_draft(request.auth, _readable(request, notice_id)))
