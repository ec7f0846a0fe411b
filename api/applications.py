"""Applications: create, list, read, edit drafts, print (the 申报书 PDF), take transitions (one
or in bulk), remind whoever must act on them (催办), and record and list payments."""

from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Path, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from config.uploads import oversize_message, oversize_uploads
from notifications.reminders import remind_now
from portal.documents import application_form_response
from subsidy.attachments import UnchangedUpload, add_attachment
from subsidy.funding import allowed_amount, application_breakdown
from subsidy.models import Application, Category, Programme
from subsidy.payments import (
    PaymentLine,
    PaymentsRefused,
    left_to_pay,
    partially_paid,
    record_payment,
    record_payments,
)
from subsidy.revisions import revision_rounds
from subsidy.services import create_application, update_application, visible_applications
from workflows import services as engine
from workflows.stages import State, state_label, transition_label

from .schemas import (
    ApplicationDetailOut,
    ApplicationIn,
    ApplicationOut,
    ApplicationUpdateIn,
    AttachmentOut,
    BulkResultOut,
    BulkTransitionIn,
    ErrorOut,
    Id,
    PaymentBatchIn,
    PaymentBatchOut,
    PaymentIn,
    PaymentsOut,
    ReminderIn,
    ReminderOut,
    TransitionIn,
    TransitionResultOut,
)

router = Router(tags=["applications"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class ApplicationFilter(Schema):
    state: State | None = None
    category: str | None = Field(None, max_length=4)
    programme: Id | None = None


def application_out(app: Application) -> dict:
    return {
        "id": app.pk, "number": app.number, "programme": app.programme_id,
        "category": app.category.code, "organisation": app.organisation.name,
        "region": app.region.name, "title": app.title, "state": app.state,
        "state_label": state_label(app.state), "requested_amount": app.requested_amount,
        "approved_amount": app.approved_amount, "created_at": app.created_at,
    }


def round_out(found) -> dict:
    """A revision round (subsidy.revisions.Round) as ChangesOut."""
    return {"returned_seq": found.returned.seq,
            "fields": [{"label": str(label), "old": old, "new": new}
                       for label, old, new in found.fields],
            "attachments": [{"material": str(material), "id": new.pk, "version": new.version,
                             "original_name": new.original_name,
                             "replaces_version": old.version if old else None}
                            for material, new, old in found.attachments]}


def application_detail(app: Application, user) -> dict:
    history = list(app.audit_entries.select_related("actor").order_by("seq"))
    rounds = {r.closed_by.seq: round_out(r) for r in revision_rounds(app, history)
              if r.closed_by is not None}
    return {
        **application_out(app),
        "lifecycle": app.lifecycle,
        "form_data": app.form_data,
        "allowed_amount": allowed_amount(app),
        "breakdown": application_breakdown(app),
        "transitions": [
            {"name": t["spec"].name, "label": t["spec"].label, "target": t["spec"].target,
             "ready": t["ready"], "reason": str(t["reason"]),
             "comment_required": t["spec"].comment_required, "params": list(t["spec"].params)}
            for t in engine.available_transitions(app, user)
        ],
        "history": [
            {"seq": e.seq, "at": e.at, "actor": e.actor.username if e.actor else None,
             "transition": e.transition, "label": transition_label(e.transition),
             "source": e.source, "target": e.target, "comment": e.comment, "data": e.data,
             "changes": rounds.get(e.seq)}
            for e in history
        ],
    }


def _visible(request):
    return visible_applications(request.auth).select_related("category", "organisation", "region")


def _get_visible(request, application_id: Path[Id]) -> Application:
    """The application if the caller may see it; 404 otherwise (its existence is not revealed)."""
    return get_object_or_404(_visible(request), pk=application_id)


def _form_payload(body) -> dict:
    return {"title": body.title, "requested_amount": str(body.requested_amount), **body.form_data}


@router.post("/applications", response={201: ApplicationDetailOut, **ERRORS},
             summary="Create a draft application")
def create(request, body: ApplicationIn):
    programme = get_object_or_404(Programme, pk=body.programme)
    category = get_object_or_404(Category, code=body.category)
    app = create_application(request.auth, programme, category, _form_payload(body))
    return Status(201, application_detail(_get_visible(request, app.pk), request.auth))


@router.get("/applications", response=list[ApplicationOut], summary="Applications you may see")
@paginate(PageNumberPagination, page_size=50, max_page_size=200)
def list_applications(request, filters: Query[ApplicationFilter]):
    qs = _visible(request)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.category:
        qs = qs.filter(category__code=filters.category)
    if filters.programme:
        qs = qs.filter(programme_id=filters.programme)
    return [application_out(app) for app in qs.order_by("-created_at", "-id")]


# before the routes with {application_id}, which would take "reminders" for an id
@router.post("/applications/reminders", response={200: ReminderOut, **ERRORS},
             summary="Remind whoever must act on these applications now (催办, city staff)")
def remind(request, body: ReminderIn):
    plan = remind_now(request.auth, visible_applications(request.auth).filter(pk__in=body.ids))
    found = {a.pk for a in plan.applications} | {a.pk for a, _reason in plan.nobody}
    refused = [{"id": a.pk, "code": "nobody_to_remind", "detail": reason}
               for a, reason in plan.nobody]
    refused += [{"id": pk, "code": "not_found", "detail": _("未找到。")}
                for pk in dict.fromkeys(body.ids) if pk not in found]
    return {"people": len(plan.recipients), "not_reminded": refused,
            "reminded": [{"username": user.username, "name": user.get_full_name(),
                          "role": user.role, "applications": [a.pk for a in apps]}
                         for user, apps in plan.recipients.items()]}


@router.get("/applications/{application_id}", response={200: ApplicationDetailOut, **ERRORS},
            summary="State, the transitions you may take now, and the history")
def detail(request, application_id: Path[Id]):
    return application_detail(_get_visible(request, application_id), request.auth)


@router.put("/applications/{application_id}", response={200: ApplicationDetailOut, **ERRORS},
            summary="Edit a draft or returned application")
def update(request, application_id: Path[Id], body: ApplicationUpdateIn):
    app = _get_visible(request, application_id)
    update_application(request.auth, app, _form_payload(body))
    return application_detail(app, request.auth)


@router.post("/applications/{application_id}/transitions/{name}",
             response={200: TransitionResultOut, **ERRORS}, summary="Take one transition")
def take_transition(request, application_id: Path[Id], name: str, body: TransitionIn):
    app = _get_visible(request, application_id)
    params = {k: v for k, v in (("amount", body.amount), ("completed_on", body.completed_on))
              if v is not None}
    entry = engine.perform(app, name, request.auth, comment=body.comment, **params)
    return {"id": app.pk, "state": app.state, "state_label": state_label(app.state),
            "transition": name, "seq": entry.seq, "approved_amount": app.approved_amount}


@router.post("/applications/transitions/{name}", response={200: BulkResultOut, **ERRORS},
             summary="Take one transition on many applications in one step")
def take_bulk_transition(request, name: str, body: BulkTransitionIn):
    params = {"amount": body.amount} if body.amount is not None else {}
    visible = visible_applications(request.auth).filter(pk__in=body.ids)
    result = engine.perform_bulk(visible, name, request.auth, comment=body.comment, **params)
    found = {e.subject_id for e in result.entries} | set(result.refused)
    refused = [{"id": pk, "code": r.code, "detail": str(r.reason)}
               for pk, r in result.refused.items()]
    refused += [{"id": pk, "code": "not_found", "detail": _("未找到。")}
                for pk in body.ids if pk not in found]
    return {"moved": [e.subject_id for e in result.entries], "refused": refused}


@router.post("/applications/{application_id}/attachments",
             response={200: AttachmentOut, 201: AttachmentOut, **ERRORS},
             summary="Add an attachment (multipart); the current version again is not stored "
                     "(200, unchanged)")
def upload_attachment(request, application_id: Path[Id], kind: Form[str],
                      file: File[UploadedFile] = None):
    app = _get_visible(request, application_id)
    if file is None:  # dropped while it arrived (config/uploads.py), or not sent at all
        raise ValidationError({"file": [oversize_message() if "file" in oversize_uploads(request)
                                        else _("请选择要上传的文件。")]})
    sent_name = next(iter(getattr(request, "upload_names_with_paths", [])), None)
    try:
        return Status(201, add_attachment(request.auth, app, kind, file, sent_name=sent_name))
    except UnchangedUpload as unchanged:
        current = unchanged.current
        current.unchanged, current.detail = True, " ".join(unchanged.messages)
        return Status(200, current)


@router.get("/applications/{application_id}/form.pdf", response={200: None, **ERRORS},
            summary="The printable 申报书 (PDF) of an application you may see")
def application_form_pdf(request, application_id: Path[Id]):
    return application_form_response(request.auth, application_id)


@router.get("/applications/{application_id}/attachments", response=list[AttachmentOut],
            summary="Every version of every attachment")
def list_attachments(request, application_id: Path[Id]):
    return list(_get_visible(request, application_id).attachments.order_by("kind", "-version"))


@router.get("/applications/{application_id}/attachments/{attachment_id}",
            summary="Download one attachment", response={200: None, **ERRORS})
def download_attachment(request, application_id: Path[Id], attachment_id: Path[Id]):
    app = _get_visible(request, application_id)
    attachment = get_object_or_404(app.attachments, pk=attachment_id)
    return FileResponse(attachment.file.open("rb"), as_attachment=True,
                        filename=attachment.original_name, content_type=attachment.content_type)


def payments_out(app: Application) -> dict:
    return {
        "id": app.pk, "state": app.state, "state_label": state_label(app.state),
        "approved_amount": app.approved_amount, "paid_amount": app.paid_amount or 0,
        "left": left_to_pay(app), "partially_paid": partially_paid(app),
        "payments": [{"id": p.pk, "paid_on": p.paid_on, "amount": p.amount,
                      "reference": p.reference, "recorded_at": p.recorded_at,
                      "recorded_by": p.recorded_by.username if p.recorded_by else None}
                     for p in app.payments.select_related("recorded_by")],
    }


@router.get("/applications/{application_id}/payments",
            response={200: PaymentsOut, **ERRORS}, summary="The payments made, and what is left")
def list_payments(request, application_id: Path[Id]):
    return payments_out(_get_visible(request, application_id))


@router.post("/applications/{application_id}/payments",
             response={201: PaymentsOut, **ERRORS},
             summary="Record one payment (the one that completes the approved amount makes "
                     "the application paid)")
def add_payment(request, application_id: Path[Id], body: PaymentIn):
    app = _get_visible(request, application_id)
    record_payment(request.auth, app, paid_on=body.paid_on, amount=body.amount,
                   reference=body.reference)
    return Status(201, payments_out(app))


@router.post("/payments", response={201: PaymentBatchOut, **ERRORS},
             summary="Record several payments at once: all of them, or none")
def add_payments(request, body: PaymentBatchIn):
    ids = {line.application for line in body.payments}
    found = {app.pk: app for app in _visible(request).filter(pk__in=ids)}
    missing = [i for i, line in enumerate(body.payments) if line.application not in found]
    if missing:
        return Status(404, {"code": "not_found", "detail": _("未找到。"),
                            "errors": {f"payments.{i}": [_("未找到。")] for i in missing}})
    try:
        recorded = record_payments(request.auth, [
            PaymentLine(found[line.application], line.paid_on, line.amount, line.reference)
            for line in body.payments])
    except PaymentsRefused as refused:
        return Status(refused.status, {
            "code": refused.code, "detail": _("未登记任何拨付。"),
            "errors": {f"payments.{i}": [str(r.reason)] for i, r in refused.errors}})
    return Status(201, {"recorded": len(recorded),
                        "applications": [payments_out(app) for app in found.values()]})
