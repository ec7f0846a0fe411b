"""What the applicant portal and the review desk share: the application page's content and
taking a transition from a form. Views stay thin; the rules live in the services."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _

from subsidy.attachments import PREVIEW_TYPES, UPLOAD_STATES, attachment_kinds, attachment_stage
from subsidy.funding import allowed_amount, application_breakdown
from subsidy.guidance import NEXT_STEP
from subsidy.money import format_yuan
from subsidy.payments import COMPLETING_TRANSITION
from subsidy.printed_form import content_code, madrid_text
from subsidy.revisions import revision_rounds
from subsidy.rules import form_editing
from subsidy.services import sees_applicant_contact
from workflows import services as engine
from workflows.exceptions import TransitionRefused

from .forms import AttachmentForm, TransitionForm


def form_rows(application) -> list[tuple[str, str]]:
    """(label, value) for each field of the category form, in definition order."""
    rows = []
    for field in application.category.form_fields:
        value = application.form_data.get(field["name"], "")
        if field.get("type") == "madrid_registrations" and isinstance(value, list):
            value = "；".join(madrid_text(item) for item in value)
        elif isinstance(value, list):
            value = "、".join(value)
        elif field.get("type") == "decimal" and value not in ("", None):
            value = format_yuan(value)
        rows.append((field["label"], value))
    return rows


def page_context(application, user, *, transition_form=None, refused=None,
                 attachment_form=None) -> dict:
    """Everything the application page shows: form, attachments, timeline, next step and the
    actions `user` may take now (each with its own form)."""
    history = list(application.audit_entries.select_related("actor").order_by("seq"))
    rounds = revision_rounds(application, history)
    for item in rounds:
        if item.closed_by is not None:  # the timeline shows a round under the step ending it
            item.closed_by.revision_round = item
    # the page shows the latest round while it is open or just ended (until the next step)
    latest = rounds[-1] if rounds and rounds[-1].closed_by in (None, history[-1]) else None
    # payments are recorded in their own part of the page (applications/_payments.html),
    # which takes the completing transition with the last one
    actions = [item for item in engine.available_transitions(application, user)
               if item["spec"].name != COMPLETING_TRANSITION]
    forms = {}
    for item in actions:
        name = item["spec"].name
        if transition_form is not None and transition_form.prefix == name:
            forms[name] = transition_form
        else:
            initial = {}
            if "amount" in item["spec"].params:
                initial["amount"] = allowed_amount(application)
            forms[name] = TransitionForm(initial=initial, prefix=name)
    for item in actions:
        item["form"] = forms[item["spec"].name]
    stage = attachment_stage(application)
    can_upload = (getattr(user, "organisation_id", None) == application.organisation_id
                  and application.state in UPLOAD_STATES)
    return {
        "application": application,
        "form_rows": form_rows(application),
        "attachments": application.attachments.select_related("uploaded_by").order_by(
            "stage", "kind", "-version"),
        "attachment_kinds": application.category.attachment_labels,
        "attachment_form": attachment_form or (
            AttachmentForm(kinds=attachment_kinds(application, stage)) if can_upload else None),
        "preview_types": PREVIEW_TYPES,
        "content_code": content_code(application),
        "history": history,
        "latest_round": latest,
        "actions": actions,
        "refused": refused,
        "next_step": NEXT_STEP.get(application.state, ""),
        "allowed_amount": allowed_amount(application),
        "breakdown": application_breakdown(application),
        "editing": form_editing(application),
        "show_contact": sees_applicant_contact(user, application),
    }


def final_step(application, user, name: str):
    """The transition `name` when `user` may take it now and it ends the application (its
    target is a terminal state of the lifecycle, e.g. 撤回申报): the portal asks before it
    takes such a step. None otherwise (including when it would be refused: the refusal
    then says why, without a question first)."""
    lifecycle = application.lifecycle_definition
    for item in engine.available_transitions(application, user):
        spec = item["spec"]
        if spec.name == name and item["ready"] and spec.target in lifecycle.terminal:
            return spec
    return None


def take_transition(request, application):
    """Handle a posted TransitionForm. Returns (response, None) on success, or (None, context
    extras) to show the page again with the refusal and the values the user typed."""
    name = request.POST.get("action", "")
    form = TransitionForm(request.POST, prefix=name)
    if not form.is_valid():
        return None, {"transition_form": form, "refused": _("请检查填写的内容。")}
    params = {key: form.cleaned_data[key]
              for key in ("amount", "completed_on")
              if form.cleaned_data.get(key) not in (None, "")}
    try:
        engine.perform(application, name, request.user,
                       comment=form.cleaned_data["comment"], **params)
    except TransitionRefused as refusal:
        return None, {"transition_form": form, "refused": str(refusal.reason),
                      "status": refusal.status}
    messages.success(request, _("已完成：%(action)s。") % {
        "action": next((str(s.label) for s in application.lifecycle_definition.transitions
                        if s.name == name), name)})
    return HttpResponseRedirect(request.path, status=303), None
