"""Desk pages for publicity batches, objections and acceptance batches (city section)."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from notices.services import draft_publicity_notice
from notices.signoff import start_signoff
from publicity.models import (
    AcceptanceBatch,
    BatchKind,
    BatchStatus,
    Objection,
    ObjectionStatus,
    PublicityBatch,
    UpheldOutcome,
)
from publicity.services import (
    close_batch,
    create_acceptance_batch,
    create_batch,
    handle_objection,
    publish_batch,
    ready_applications,
)
from reports.lists import acceptance_batches_workbook, publicity_batches_workbook
from subsidy.excel import xlsx_response
from subsidy.identifiers import parse_ids
from subsidy.models import Application, Programme
from subsidy.rules import CITY_REVIEW_ROLES
from workflows.exceptions import TransitionRefused
from workflows.stages import State

from .views import RoleRequiredMixin


def current_programme(request):
    chosen = parse_ids([request.GET.get("programme", "") or request.POST.get("programme", "")])
    programmes = Programme.objects.order_by("-year", "title")
    return (programmes.filter(pk=chosen[0]).first() if chosen else None) or programmes.first()


def programme_or_404(request):
    """The programme chosen in the request (or the newest); 404 when there is none."""
    programme = current_programme(request)
    if programme is None:
        raise Http404
    return programme


def messages_from(request, problem):
    for message in getattr(problem, "messages", [str(getattr(problem, "reason", problem))]):
        messages.error(request, message)


class PublicityBatchesView(RoleRequiredMixin, View):
    roles = CITY_REVIEW_ROLES
    template = "desk/publicity_batches.html"

    def context(self, programme, kind, values=None, errors=None):
        source = None
        if values and values.get("acceptance_batch"):
            source = AcceptanceBatch.objects.filter(pk__in=parse_ids(
                [values["acceptance_batch"]])).first()
        return {
            "programme": programme, "programmes": Programme.objects.order_by("-year"),
            "kind": kind, "kinds": BatchKind.choices,
            "batches": PublicityBatch.objects.filter(programme=programme),
            "ready": ready_applications(programme, kind) if programme else [],
            "values": {"workdays": 5, "start_date": timezone.localdate().isoformat(),
                       **(values.dict() if hasattr(values, "dict") else values or {})},
            "errors": errors or {}, "source": source,
            "preselected": {a.pk for a in source.applications.all()} if source else set(),
        }

    def get(self, request):
        kind = request.GET.get("kind") if request.GET.get("kind") in BatchKind.values \
            else BatchKind.APPROVAL
        return render(request, self.template,
                      self.context(current_programme(request), kind, request.GET or None))

    def post(self, request):
        programme = current_programme(request)
        kind = request.POST.get("kind") if request.POST.get("kind") in BatchKind.values \
            else BatchKind.APPROVAL
        try:
            start = date.fromisoformat(request.POST.get("start_date", ""))
            workdays = int(request.POST.get("workdays", "5"))
        except ValueError:
            errors = {"start_date": [_("请填写有效的开始日期和工作日天数。")]}
            return render(request, self.template,
                          self.context(programme, kind, request.POST, errors), status=422)
        source = AcceptanceBatch.objects.filter(
            pk__in=parse_ids([request.POST.get("acceptance_batch", "")])).first()
        try:
            batch = create_batch(request.user, programme, kind, request.POST.get("title", ""),
                                 start, workdays, parse_ids(request.POST.getlist("ids")),
                                 acceptance_batch=source)
        except ValidationError as invalid:
            errors = getattr(invalid, "message_dict", {"__all__": invalid.messages})
            return render(request, self.template,
                          self.context(programme, kind, request.POST, errors), status=422)
        messages.success(request, _("公示批次已建立，公示期至 %(end)s。核对无误后请发布。") % {
            "end": batch.end_date})
        return HttpResponseRedirect(f"{batch.pk}/", status=303)


class PublicityBatchesExcelView(RoleRequiredMixin, View):
    roles = CITY_REVIEW_ROLES

    def get(self, request):
        programme = programme_or_404(request)
        batches = (PublicityBatch.objects.filter(programme=programme)
                   .annotate(item_count=Count("applications")))
        return xlsx_response(publicity_batches_workbook(programme, batches),
                             f"{programme.title} 公示批次.xlsx")


class PublicityBatchView(RoleRequiredMixin, View):
    roles = CITY_REVIEW_ROLES

    def get(self, request, pk):
        batch = get_object_or_404(PublicityBatch, pk=pk)
        return render(request, "desk/publicity_batch.html", {
            "batch": batch,
            "items": batch.applications.select_related("organisation", "region", "category")
            .order_by("region__code", "number"),
            "objections": batch.objections.select_related("application", "handled_by"),
            "statuses": ObjectionStatus.choices, "outcomes": UpheldOutcome.choices,
            "period_over": batch.end_date < timezone.localdate(),
        })

    def post(self, request, pk):
        batch = get_object_or_404(PublicityBatch, pk=pk)
        try:
            if "publish" in request.POST:
                publish_batch(request.user, batch)
                messages.success(request, _("已发布公示。"))
            elif "close" in request.POST:
                counts = close_batch(batch, actor=request.user)
                messages.success(request, _("公示处理结果：通过 %(ok)d 件，撤出 %(removed)d 件，"
                                            "退回重审 %(review)d 件，待处理异议 %(waiting)d 件。")
                                 % {"ok": counts["close_publicity"],
                                    "removed": counts["uphold_objection"],
                                    "review": counts["reopen_review"],
                                    "waiting": counts["waiting"]})
            elif "notice" in request.POST:
                notice = draft_publicity_notice(request.user, batch)
                start_signoff(notice)
                messages.success(request, _("已起草公示公文并送科长审核。"))
                return HttpResponseRedirect(reverse("desk:notices:notice", args=[notice.pk]),
                                            status=303)
            elif "objection" in request.POST:
                objection = get_object_or_404(Objection, batch=batch, pk__in=parse_ids(
                    [request.POST["objection"]]) or [0])
                handle_objection(request.user, objection, request.POST.get("status", ""),
                                 request.POST.get("outcome", ""), request.POST.get("result", ""))
                messages.success(request, _("异议处理情况已记录。"))
        except (ValidationError, TransitionRefused) as problem:
            messages_from(request, problem)
        return HttpResponseRedirect(request.path, status=303)


class ObjectionEvidenceView(RoleRequiredMixin, View):
    """The evidence file an objector attached, for the staff handling it."""

    roles = CITY_REVIEW_ROLES

    def get(self, request, pk, objection_pk):
        objection = get_object_or_404(Objection, batch_id=pk, pk=objection_pk)
        if not objection.evidence:
            raise Http404
        return FileResponse(objection.evidence.open("rb"), as_attachment=True,
                            filename=objection.evidence_name or "evidence")


class AcceptanceBatchesView(RoleRequiredMixin, View):
    roles = CITY_REVIEW_ROLES

    def get(self, request):
        programme = current_programme(request)
        batches = AcceptanceBatch.objects.filter(programme=programme).prefetch_related(
            "applications__organisation", "publicity")
        passed = (Application.objects.filter(programme=programme,
                                             state=State.ACCEPTANCE_PASSED,
                                             acceptance_batches__isnull=True)
                  .select_related("organisation", "region", "category"))
        return render(request, "desk/acceptance_batches.html", {
            "programme": programme, "batches": batches, "passed": passed,
            "draft_status": BatchStatus.DRAFT})

    def post(self, request):
        programme = current_programme(request)
        try:
            batch = create_acceptance_batch(request.user, programme,
                                            parse_ids(request.POST.getlist("ids")))
        except ValidationError as invalid:
            messages_from(request, invalid)
        else:
            messages.success(request, _("已建立%(label)s验收批次。") % {"label": batch.label})
        return HttpResponseRedirect(request.get_full_path(), status=303)



class AcceptanceBatchesExcelView(RoleRequiredMixin, View):
    roles = CITY_REVIEW_ROLES

    def get(self, request):
        programme = programme_or_404(request)
        batches = AcceptanceBatch.objects.filter(programme=programme).prefetch_related(
            "applications__organisation")
        passed = (Application.objects.filter(programme=programme,
                                             state=State.ACCEPTANCE_PASSED,
                                             acceptance_batches__isnull=True)
                  .select_related("organisation", "region", "category"))
        return xlsx_response(acceptance_batches_workbook(programme, batches, passed),
                             f"{programme.title} 验收批次.xlsx")
