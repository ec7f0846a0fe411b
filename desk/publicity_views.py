"""Desk pages for publicity batches, objections and acceptance batches (city section)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from config.confirm import ask_to_confirm, confirmed
from config.dateinput import date_placeholder, parse_date, show_date
from notices.services import draft_publicity_notice
from notices.signoff import start_signoff
from publicity.models import (
    OPEN_OBJECTION,
    AcceptanceBatch,
    BatchKind,
    BatchStatus,
    Objection,
    ObjectionStatus,
    PublicityBatch,
    UpheldOutcome,
)
from publicity.numerals import batch_label
from publicity.services import (
    check_closable,
    check_publishable,
    close_batch,
    closing_plan,
    create_acceptance_batch,
    create_batch,
    delete_draft_batch,
    editable_applications,
    handle_objection,
    handle_objections_in_bulk,
    next_acceptance_number,
    publish_batch,
    ready_applications,
    suggested_title,
    unbatched_passed,
    update_draft_batch,
)
from reports.lists import acceptance_batches_workbook, publicity_batches_workbook
from subsidy.attachments import stored_file_response
from subsidy.excel import xlsx_response
from subsidy.identifiers import parse_ids
from subsidy.models import Programme
from subsidy.rules import CITY_REVIEW_ROLES
from subsidy.uploads import detect_type
from workflows.exceptions import TransitionRefused

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


def ticked(values, source) -> set:
    """The applications ticked in the new-batch form: as posted, else those of the acceptance
    batch it is made from."""
    if hasattr(values, "getlist") and "ids" in values:
        return set(parse_ids(values.getlist("ids")))
    return {a.pk for a in source.applications.all()} if source else set()


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
            "has_drafts": PublicityBatch.objects.filter(programme=programme, kind=kind,
                                                        status=BatchStatus.DRAFT).exists(),
            "ready": ready_applications(programme, kind) if programme else [],
            "values": {"workdays": 5, "start_date": show_date(timezone.localdate()),
                       "title": suggested_title(programme, kind),
                       **(values.dict() if hasattr(values, "dict") else values or {})},
            "date_placeholder": date_placeholder(),
            "errors": errors or {}, "source": source,
            "suggested_title": suggested_title(programme, kind),
            "preselected": ticked(values, source),
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
        source = AcceptanceBatch.objects.filter(
            pk__in=parse_ids([request.POST.get("acceptance_batch", "")])).first()
        try:
            start, workdays = parse_period(request.POST)
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


def parse_period(data):
    """(start date, working days) typed in a batch form; ValidationError when unreadable."""
    try:
        return parse_date(data.get("start_date", "")), int(data.get("workdays", "5"))
    except (ValueError, ValidationError):
        raise ValidationError({"start_date": [_("请填写有效的开始日期和工作日天数。")]}) \
            from None


def item_line(application) -> str:
    return f"{application.number}　{application.organisation.name}　{application.title}"


class PublicityBatchView(RoleRequiredMixin, View):
    """One batch: a draft is edited, deleted or published here; a published one's objections
    are handled and its results taken after the period. Irreversible steps ask first."""

    roles = CITY_REVIEW_ROLES
    template = "desk/publicity_batch.html"

    def items(self, batch):
        return (batch.applications.select_related("organisation", "region", "category")
                .order_by("region__code", "number"))

    def render_page(self, batch, values=None, errors=None, status=200):
        context = {
            "batch": batch, "items": self.items(batch),
            "objections": batch.objections.select_related("application", "handled_by")
            .prefetch_related("handlings__handled_by"),
            "statuses": ObjectionStatus.choices, "outcomes": UpheldOutcome.choices,
            "open_statuses": OPEN_OBJECTION,
            "period_over": batch.end_date < timezone.localdate(),
        }
        if batch.is_draft:
            chosen = (set(parse_ids(values.getlist("ids"))) if values is not None
                      else {a.pk for a in context["items"]})
            context.update({
                "choices": editable_applications(batch).order_by("region__code", "number"),
                "chosen": chosen, "errors": errors or {},
                "values": values or {"title": batch.title, "workdays": batch.workdays,
                                     "start_date": show_date(batch.start_date)},
                "date_placeholder": date_placeholder(),
            })
        return render(self.request, self.template, context, status=status)

    def get(self, request, pk):
        return self.render_page(get_object_or_404(PublicityBatch, pk=pk))

    def post(self, request, pk):
        batch = get_object_or_404(PublicityBatch, pk=pk)
        if "save" in request.POST:
            return self.save_draft(request, batch)
        try:
            if "delete" in request.POST:
                return self.delete_draft(request, batch)
            if "publish" in request.POST:
                return self.publish(request, batch)
            if "close" in request.POST:
                return self.close(request, batch)
            if "notice" in request.POST:
                return self.notice(request, batch)
            if "objection" in request.POST:
                return self.objection(request, batch)
            if "bulk_objections" in request.POST:
                return self.bulk_objections(request, batch)
        except (ValidationError, TransitionRefused) as problem:
            messages_from(request, problem)
        return HttpResponseRedirect(request.path, status=303)

    def save_draft(self, request, batch):
        try:
            start, workdays = parse_period(request.POST)
            update_draft_batch(request.user, batch, request.POST.get("title", ""), start,
                               workdays, parse_ids(request.POST.getlist("ids")))
        except ValidationError as invalid:
            if not batch.is_draft:  # the page has no form to show it in: say it on top
                messages_from(request, invalid)
                return HttpResponseRedirect(request.path, status=303)
            errors = getattr(invalid, "message_dict", {"__all__": invalid.messages})
            return self.render_page(batch, request.POST, errors, status=422)
        batch.refresh_from_db()
        messages.success(request, _("公示批次已保存，公示期为 %(start)s 至 %(end)s。") % {
            "start": batch.start_date, "end": batch.end_date})
        return HttpResponseRedirect(request.path, status=303)

    def delete_draft(self, request, batch):
        count = batch.applications.count()
        if batch.is_draft and not confirmed(request):
            return ask_to_confirm(
                request, title=_("删除公示批次"), button=_("确定删除"),
                items=[item_line(a) for a in self.items(batch)],
                message=_("删除“%(title)s”后，本批次的 %(n)d 个申报回到待公示名单，可编入新的"
                          "批次。删除不能撤销。确定删除？") % {"title": batch.title, "n": count})
        count = delete_draft_batch(request.user, batch)
        messages.success(request, _("公示批次已删除，%(n)d 个申报回到待公示名单。") % {"n": count})
        return HttpResponseRedirect(
            f"{reverse('desk:publicity:index')}?programme={batch.programme_id}"
            f"&kind={batch.kind}", status=303)

    def publish(self, request, batch):
        check_publishable(batch)
        if not confirmed(request):
            return ask_to_confirm(
                request, title=_("发布公示"), button=_("确定发布"),
                items=[item_line(a) for a in self.items(batch)],
                message=_("发布后公示期为 %(start)s 至 %(end)s（%(workdays)d 个工作日），"
                          "以下 %(n)d 个项目的名单将在公示页面公开，不能再修改。确定发布？") % {
                    "start": batch.start_date, "end": batch.end_date,
                    "workdays": batch.workdays, "n": batch.applications.count()})
        publish_batch(request.user, batch)
        messages.success(request, _("已发布公示。"))
        return HttpResponseRedirect(request.path, status=303)

    def close(self, request, batch):
        check_closable(batch)
        if not confirmed(request):
            plan = closing_plan(batch)
            return ask_to_confirm(
                request, title=_("公示期满，办理结果"), button=_("确定办理"),
                message=_("将按异议处理结论办理：%(ok)d 个项目公示通过，%(removed)d 个撤出名单，"
                          "%(review)d 个退回重新审核；%(waiting)d 个有未处理完的异议，暂不办理。"
                          "办理后不能撤销。确定办理？") % {
                    "ok": plan["close_publicity"], "removed": plan["uphold_objection"],
                    "review": plan["reopen_review"], "waiting": plan["waiting"]})
        counts = close_batch(batch, actor=request.user)
        messages.success(request, _("公示处理结果：通过 %(ok)d 件，撤出 %(removed)d 件，"
                                    "退回重审 %(review)d 件，待处理异议 %(waiting)d 件。")
                         % {"ok": counts["close_publicity"],
                            "removed": counts["uphold_objection"],
                            "review": counts["reopen_review"],
                            "waiting": counts["waiting"]})
        return HttpResponseRedirect(request.path, status=303)

    def notice(self, request, batch):
        if not confirmed(request):
            return ask_to_confirm(
                request, title=_("起草公示公文"), button=_("确定起草"),
                message=_("将按“%(title)s”起草公示公文（PDF）并送科长审核；每个公示批次只起草一份"
                          "公文。确定起草？") % {"title": batch.title})
        notice = draft_publicity_notice(request.user, batch)
        start_signoff(notice)
        messages.success(request, _("已起草公示公文并送科长审核。"))
        return HttpResponseRedirect(reverse("desk:notices:notice", args=[notice.pk]),
                                    status=303)

    def objection(self, request, batch):
        objection = get_object_or_404(Objection, batch=batch, pk__in=parse_ids(
            [request.POST["objection"]]) or [0])
        status = request.POST.get("status", "")
        outcome = request.POST.get("outcome", "")
        if status in DECISIONS and not confirmed(request):
            decision = ObjectionStatus(status).label
            if status == ObjectionStatus.UPHELD and outcome in UpheldOutcome.values:
                decision = f"{decision}（{UpheldOutcome(outcome).label}）"
            return ask_to_confirm(
                request, title=_("作出异议处理结论"), button=_("确定作出结论"),
                items=[_("处理意见：%(result)s") % {"result": request.POST.get("result", "")}],
                message=_("对 %(name)s 就 %(number)s 提出的异议作出结论：%(decision)s。结论作出后"
                          "不能再修改，公示期满时据此办理。确定？") % {
                    "name": objection.name, "number": objection.application.number,
                    "decision": decision})
        handle_objection(request.user, objection, status, outcome,
                         request.POST.get("result", ""))
        messages.success(request, _("异议处理情况已记录。"))
        return HttpResponseRedirect(request.path, status=303)


    def bulk_objections(self, request, batch):
        """Several objections handled in one step with one opinion; a decision asks first,
        naming each objection it will decide."""
        ids = parse_ids(request.POST.getlist("objections"))
        status = request.POST.get("status", "")
        outcome = request.POST.get("outcome", "")
        result = request.POST.get("result", "")
        chosen = list(batch.objections.filter(pk__in=ids).select_related("application"))
        if chosen and status in DECISIONS and not confirmed(request):
            decision = ObjectionStatus(status).label
            if status == ObjectionStatus.UPHELD and outcome in UpheldOutcome.values:
                decision = f"{decision}（{UpheldOutcome(outcome).label}）"
            return ask_to_confirm(
                request, title=_("批量作出异议处理结论"), button=_("确定作出结论"),
                items=[f"{o.receipt}　{o.name}　{o.application.number}" for o in chosen],
                message=_("对以下 %(n)d 条异议作出同一结论：%(decision)s；处理意见：%(result)s。"
                          "每条异议分别记录，结论作出后不能再修改。确定？") % {
                    "n": len(chosen), "decision": decision, "result": result})
        handled, refused = handle_objections_in_bulk(request.user, batch, ids, status,
                                                     outcome, result)
        if handled:
            messages.success(request, _("已处理 %(n)d 条异议，每条分别记录。") % {
                "n": len(handled)})
        for objection, reason in refused.items():
            messages.error(request, _("异议 %(receipt)s 未处理：%(reason)s") % {
                "receipt": objection.receipt, "reason": reason})
        return HttpResponseRedirect(request.path, status=303)


#: Objection statuses that decide (final): recording one asks first.
DECISIONS = (ObjectionStatus.UPHELD, ObjectionStatus.DISMISSED)


class ObjectionEvidenceView(RoleRequiredMixin, View):
    """The evidence file an objector attached, for the staff handling it."""

    roles = CITY_REVIEW_ROLES

    def get(self, request, pk, objection_pk):
        objection = get_object_or_404(Objection, batch_id=pk, pk=objection_pk)
        if not objection.evidence:
            raise Http404
        handle = objection.evidence.open("rb")
        return stored_file_response(handle, objection.evidence_name or "evidence",
                                    detect_type(handle))


class AcceptanceBatchesView(RoleRequiredMixin, View):
    roles = CITY_REVIEW_ROLES

    def get(self, request):
        programme = current_programme(request)
        batches = AcceptanceBatch.objects.filter(programme=programme).prefetch_related(
            "applications__organisation", "publicity")
        return render(request, "desk/acceptance_batches.html", {
            "programme": programme, "batches": batches,
            "passed": unbatched_passed(programme), "draft_status": BatchStatus.DRAFT})

    def post(self, request):
        programme = current_programme(request)
        ids = parse_ids(request.POST.getlist("ids"))
        chosen = list(unbatched_passed(programme).filter(pk__in=ids))
        if chosen and not confirmed(request):
            label = batch_label(next_acceptance_number(programme))
            return ask_to_confirm(
                request, title=_("编为验收批次"), button=_("确定编批"),
                items=[item_line(a) for a in chosen],
                message=_("将把以下 %(n)d 个项目编为%(label)s验收批次。批次号按顺序分配，编批后"
                          "不能撤销。确定编批？") % {"n": len(chosen), "label": label})
        try:
            batch = create_acceptance_batch(request.user, programme, ids)
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
        return xlsx_response(acceptance_batches_workbook(programme, batches,
                                                         unbatched_passed(programme)),
                             f"{programme.title} 验收批次.xlsx")
