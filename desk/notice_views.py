"""Desk pages for official notices: draft a disbursement notice, preview, issue, download."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from accounts.models import Role
from notices.models import Notice, NoticeStatus, RenderStatus
from notices.pdf import render_pdf
from notices.services import draft_disbursement_notice, issue_notice, supersede_notice
from notices.signoff import (
    STEP_STATUS_LABELS,
    decision_label,
    editable_by,
    restart_signoff,
    signoff_process,
    signoff_processes,
    stalled,
    start_signoff,
    waiting_task,
    withdraw_draft,
)
from notices.titles import hint_matches
from reports.lists import notices_workbook
from subsidy.excel import xlsx_response
from subsidy.identifiers import parse_ids
from subsidy.models import Application
from subsidy.rules import CITY_REVIEW_ROLES
from workflows.exceptions import TransitionRefused
from workflows.stages import State

from .publicity_views import current_programme, programme_or_404
from .views import RoleRequiredMixin

NOTICE_READERS = CITY_REVIEW_ROLES | {Role.LEADER, Role.FINANCE}


def pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


class NoticesView(RoleRequiredMixin, View):
    roles = NOTICE_READERS

    def get(self, request, refused=None):
        programme = current_programme(request)
        waiting = (Application.objects.filter(programme=programme,
                                              state=State.AWAITING_DISBURSEMENT)
                   .exclude(notices__status="draft")
                   .select_related("organisation", "region").order_by("region__code", "number"))
        return render(request, "desk/notices.html", {
            "programme": programme, "notices": Notice.objects.filter(programme=programme),
            "waiting": waiting, "can_draft": request.user.role in CITY_REVIEW_ROLES,
            # a refused draft shows the form as it was sent: the same ticks, the same label
            "refused": refused, "ticked": set(refused["ids"]) if refused else None,
        }, status=422 if refused else 200)

    def post(self, request):
        programme = current_programme(request)
        if request.user.role not in CITY_REVIEW_ROLES:
            messages.error(request, _("只有市局科室工作人员可以起草公文。"))
            return HttpResponseRedirect(request.get_full_path(), status=303)
        ids = parse_ids(request.POST.getlist("ids"))
        label = request.POST.get("label", "").strip()[:40]
        try:
            notice = draft_disbursement_notice(request.user, programme, ids, label)
        except ValidationError as invalid:
            return self.get(request, refused={"messages": invalid.messages, "ids": ids,
                                              "label": label})
        start_signoff(notice)
        messages.success(request, _("已起草公文并送科长审核。"))
        return HttpResponseRedirect(f"{notice.pk}/", status=303)


class NoticesExcelView(RoleRequiredMixin, View):
    """The notices list (and the items awaiting one) as a workbook."""

    roles = NOTICE_READERS

    def get(self, request):
        programme = programme_or_404(request)
        notices = Notice.objects.filter(programme=programme).order_by("-created_at")
        waiting = (Application.objects.filter(programme=programme,
                                              state=State.AWAITING_DISBURSEMENT)
                   .select_related("organisation", "region").order_by("region__code", "number"))
        return xlsx_response(notices_workbook(programme, notices, waiting),
                             f"{programme.title} 公文.xlsx")


class NoticeTextForm(forms.ModelForm):
    """The parts of a draft the drafter writes (the items and numbers come from the data)."""

    class Meta:
        model = Notice
        fields = ["title", "title_lines", "addressees", "body", "attachment_title",
                  "attachment_title_lines", "copy_to", "contact"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14}),
                   "title_lines": forms.Textarea(attrs={"rows": 2}),
                   "attachment_title_lines": forms.Textarea(attrs={"rows": 2}),
                   "addressees": forms.Textarea(attrs={"rows": 2}),
                   "copy_to": forms.Textarea(attrs={"rows": 2})}


    def clean(self):
        """Line breaks a drafter gives must spell the title they break, character for
        character (else the printed title would differ from the one signed off)."""
        data = super().clean()
        for title, lines in (("title", "title_lines"),
                             ("attachment_title", "attachment_title_lines")):
            if not hint_matches(data.get(title, ""), data.get(lines, "")):
                self.add_error(lines, _("分行后的文字须与标题完全一致（只能在标题中间换行）。"))
        return data


#: Measured render cost per allocation-table row (bench/notice.py), for the time estimate.
SECONDS_PER_ROW = 0.007


def render_progress(notice, rows: int) -> dict | None:
    """Elapsed and expected seconds while a worker renders the notice, else None."""
    if notice.render_status not in (RenderStatus.QUEUED, RenderStatus.RENDERING):
        return None
    started = notice.render_started_at
    return {"status": notice.get_render_status_display(),
            "elapsed": int((timezone.now() - started).total_seconds()) if started else 0,
            "expected": int(rows * SECONDS_PER_ROW) + 1}


def signoff_history(notice) -> list[dict]:
    """Every finished step of every sign-off of the notice, in order, as people read it:
    the step, who took it (nobody for a cancelled one), the decision and its reason."""
    rows = []
    for process in signoff_processes(notice):
        for task in (process.task_set.filter(flow_task_type="HUMAN", finished__isnull=False)
                     .select_related("owner").order_by("finished", "pk")):
            rows.append({
                "step": task.flow_task.task_title if task.flow_task else "",
                "person": (task.owner.get_full_name() or task.owner.username)
                if task.owner else "",
                "status": STEP_STATUS_LABELS.get(task.status, task.status),
                "decision": decision_label(task),
                "reason": (task.data or {}).get("reason", ""), "finished": task.finished})
    return rows


class NoticeView(RoleRequiredMixin, View):
    roles = NOTICE_READERS

    def get(self, request, pk, text_form=None, confirm_withdraw=False):
        notice = get_object_or_404(Notice, pk=pk)
        editable = editable_by(notice, request.user)
        items = notice.applications.select_related("organisation", "region").order_by(
            "region__code", "number")
        total = sum((a.approved_amount or 0) for a in items)
        process = signoff_process(notice)
        may_recover = stalled(notice) and request.user.role in CITY_REVIEW_ROLES
        return render(request, "desk/notice.html", {
            "notice": notice, "items": items, "total": total,
            "waiting": waiting_task(notice), "process": process,
            "history": signoff_history(notice),
            "stalled": stalled(notice), "may_recover": may_recover,
            "confirm_withdraw": confirm_withdraw and may_recover,
            "can_supersede": request.user.role in CITY_REVIEW_ROLES
            and notice.status == "issued",
            "progress": render_progress(notice, len(items)),
            "can_retry": notice.render_status == RenderStatus.FAILED
            and notice.status == NoticeStatus.DRAFT and waiting_task(notice) is None
            and request.user.role in CITY_REVIEW_ROLES,
            "text_form": text_form or (NoticeTextForm(instance=notice) if editable else None)})

    def post(self, request, pk):
        """Edit a draft's text, or supersede an issued notice (a new draft revoking it)."""
        notice = get_object_or_404(Notice, pk=pk)
        if "save_text" in request.POST:
            return self.save_text(request, notice)
        if "retry_issue" in request.POST:
            return self.retry_issue(request, notice)
        if "restart_signoff" in request.POST:
            return self.recover(request, notice, restart_signoff,
                                _("已重新送科长审核。"))
        if "withdraw" in request.POST:
            if "confirmed" not in request.POST:
                return self.get(request, notice.pk, confirm_withdraw=True)
            return self.recover(request, notice, withdraw_draft,
                                _("草稿已撤回，所列项目可以重新起草公文。"))
        try:
            new = supersede_notice(request.user, notice)
        except ValidationError as invalid:
            for message in invalid.messages:
                messages.error(request, message)
            return HttpResponseRedirect(request.path, status=303)
        start_signoff(new)
        messages.success(request, _("已起草替代公文并送科长审核；印发后原公文即废止。"))
        return HttpResponseRedirect(f"../{new.pk}/", status=303)

    def recover(self, request, notice, action, done):
        """Restart a stalled sign-off, or withdraw the stalled draft."""
        try:
            action(request.user, notice)
        except (ValidationError, PermissionDenied) as refused:
            for message in getattr(refused, "messages", None) or [str(refused)]:
                messages.error(request, message)
        else:
            messages.success(request, done)
        return HttpResponseRedirect(request.path, status=303)

    def retry_issue(self, request, notice):
        """Issue a signed-off notice whose issuing failed (e.g. an item changed meanwhile)."""
        if not (notice.render_status == RenderStatus.FAILED and waiting_task(notice) is None
                and request.user.role in CITY_REVIEW_ROLES):
            messages.error(request, _("该公文不需要重新印发。"))
            return HttpResponseRedirect(request.path, status=303)
        try:
            issue_notice(notice.created_by, notice)
        except (ValidationError, TransitionRefused) as problem:
            for message in getattr(problem, "messages", [str(getattr(problem, "reason", ""))]):
                messages.error(request, message)
        else:
            Notice.objects.filter(pk=notice.pk).update(render_status=RenderStatus.NONE,
                                                       render_error="")
            messages.success(request, _("公文已印发。"))
        return HttpResponseRedirect(request.path, status=303)

    def save_text(self, request, notice):
        if not editable_by(notice, request.user):
            messages.error(request, _("只有起草人可以在签发前（或被退回后）修改公文文字。"))
            return HttpResponseRedirect(request.path, status=303)
        form = NoticeTextForm(request.POST, instance=notice)
        if not form.is_valid():
            response = self.get(request, notice.pk, text_form=form)
            response.status_code = 422
            return response
        form.save()
        messages.success(request, _("公文文字已保存。"))
        return HttpResponseRedirect(request.path, status=303)


class NoticePdfView(RoleRequiredMixin, View):
    """The frozen PDF of an issued notice, or a watermarked draft rendered now."""

    roles = NOTICE_READERS

    def get(self, request, pk):
        notice = get_object_or_404(Notice, pk=pk)
        if notice.pdf:
            return pdf_response(notice.pdf.read(), f"{notice.number}.pdf")
        return pdf_response(render_pdf(notice), f"draft-{notice.pk}.pdf")
