"""The review desk: inbox, application page with review actions, batch actions, budget and
expert scoring. Rendered inside viewflow's Material frontend (desk/site.py)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.functional import classproperty
from django.utils.translation import gettext as _
from django.views import View

from accounts.models import CITY_ROLES, Role, User
from config.confirm import ask_to_confirm, confirmed
from notifications.reminders import may_remind
from portal.actions import page_context, take_transition
from portal.views import page_size
from reports.exports import inbox_workbook
from reports.lists import budget_workbook, expert_workbook
from subsidy.attachments import file_response
from subsidy.excel import xlsx_response
from subsidy.experts import (
    assign_experts,
    assignment_status,
    assignments_of,
    available_experts,
    is_open,
    past_assignments,
    submit_scores,
    todo_assignments,
    withdraw_assignment,
)
from subsidy.flags import flags_for
from subsidy.funding import budget_overview
from subsidy.identifiers import parse_ids
from subsidy.models import ExpertAssignment, Programme
from subsidy.rules import CITY_REVIEW_ROLES
from subsidy.services import visible_applications
from workflows import services as engine
from workflows.lifecycle import lifecycles
from workflows.stages import State

from .filters import InboxFilter
from .reminding import remind

REVIEW_ROLES = frozenset({Role.COUNTY, Role.FINANCE, *CITY_ROLES})

#: What each role works on first: the states shown when the inbox opens unfiltered.
TODO_STATES = {
    Role.COUNTY: (State.SUBMITTED, State.COUNTY_REVIEW),
    Role.CITY: (State.CITY_REVIEW, State.EXPERT_REVIEW, State.APPROVED, State.APPROVAL_PUBLICITY,
                State.ACCEPTANCE_SUBMITTED, State.ACCEPTANCE_REVIEW, State.ACCEPTANCE_PASSED,
                State.ACCEPTANCE_PUBLICITY, State.AWAITING_DISBURSEMENT),
    Role.FINANCE: (State.DISBURSEMENT_NOTIFIED,),
}
TODO_STATES[Role.CHIEF] = TODO_STATES[Role.CITY]


class RoleRequiredMixin(LoginRequiredMixin):
    """Staff pages for `roles`; which applications they see is visible_applications' rule."""

    roles: frozenset = REVIEW_ROLES

    @classproperty
    def access_rule(cls) -> str:
        return "roles " + ", ".join(sorted(cls.roles)) + "; objects by visible_applications"

    @classmethod
    def refusal(cls, user) -> str:
        """Why signed-in `user` may not open this page ("" when they may): the one check
        the page and the links to it (desk/menu.py) ask."""
        if user.role not in cls.roles:
            return _("此页面仅供%(roles)s使用。") % {"roles": _("、").join(
                str(role.label) for role in Role if role in cls.roles)}
        return ""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            reason = self.refusal(request.user)
            if reason:
                raise PermissionDenied(reason)
        return super().dispatch(request, *args, **kwargs)

    def visible(self):
        return visible_applications(self.request.user).select_related(
            "category", "organisation", "region", "programme")


def batch_actions_for(user) -> list[tuple[str, str]]:
    """(name, label) of transitions a role may take in batches from its inbox."""
    names = {"county": ["accept", "recommend"],
             "city": ["send_to_experts", "approve", "close_publicity",
                      "open_acceptance_review", "pass_acceptance"],
             "finance": []}  # payments are recorded one by one (date, amount, reference)
    role = "city" if user.role in CITY_REVIEW_ROLES else user.role
    labels = {s.name: s.label for lc in lifecycles().values() for s in lc.transitions}
    return [(n, labels[n]) for n in names.get(role, [])]


class InboxView(RoleRequiredMixin, View):
    template = "desk/inbox.html"
    page_size = 50

    def listed(self):
        """(the applications the inbox lists with its current filters, the filters, whether
        everything is shown): shared by the page and its Excel export."""
        request = self.request
        qs = self.visible()
        todo = TODO_STATES.get(request.user.role)
        show_all = request.GET.get("all") == "1"
        bound = InboxFilter(request.GET, queryset=qs, user=request.user)
        filtering = any(request.GET.get(name) for name in bound.filters)
        filters = bound if filtering else InboxFilter(queryset=qs, user=request.user)
        if filtering:
            # a filter that does not read (a date such as 2021/13/45) lists nothing: its
            # error says why, rather than a list that silently ignores it
            qs = filters.qs if filters.is_valid() else qs.none()
        elif todo and not show_all:
            qs = qs.filter(state__in=todo)
        return qs.order_by("-updated_at", "-id"), filters, show_all

    def get(self, request):
        qs, filters, show_all = self.listed()
        page = Paginator(qs, page_size(request, self.page_size)).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return render(request, self.template, {
            "page": page, "filters": filters, "flags": flags_for(page.object_list),
            "batch_actions": batch_actions_for(request.user), "query": query.urlencode(),
            "show_all": show_all, "may_remind": may_remind(request.user)[0],
            # the finance bureau works on what was approved and paid, not what was asked for
            "payment_columns": request.user.role == Role.FINANCE,
        })

    def post(self, request):
        """A batch action: one transition with one opinion on the selected applications, or
        the 催办 of them."""
        name = request.POST.get("action", "")
        labels = dict(batch_actions_for(request.user))
        ids = parse_ids(request.POST.getlist("ids"))
        if request.POST.get("remind") and ids:
            return remind(request, visible_applications(request.user).filter(pk__in=ids),
                          request.get_full_path(), len(set(ids)))
        if name not in labels or not ids:
            messages.error(request, _("请选择申报和要执行的操作。"))
            return HttpResponseRedirect(request.get_full_path(), status=303)
        visible = visible_applications(request.user).filter(pk__in=ids)
        comment = request.POST.get("comment", "")
        if visible.exists() and not confirmed(request):
            return self.confirmation(visible, labels[name], comment, len(ids))
        numbers = dict(visible.values_list("pk", "number"))
        result = engine.perform_bulk(visible, name, request.user, comment=comment)
        if result.entries:
            messages.success(request, _("已办理 %(n)d 件。") % {"n": len(result.entries)})
        for pk, refusal in result.refused.items():
            messages.error(request, _("申报 %(number)s 未办理：%(reason)s") % {
                "number": numbers.get(pk, pk), "reason": refusal.reason})
        missing = len(set(ids) - set(numbers))
        if missing:
            messages.error(request, _("有 %(n)d 件申报不存在或不在您的范围内，未办理。") % {
                "n": missing})
        return HttpResponseRedirect(request.get_full_path(), status=303)

    def confirmation(self, visible, label, comment, selected):
        """The confirmation step of a batch action: which applications, which step, which
        opinion; those outside the user's range are counted, not shown."""
        rows = list(visible.select_related("organisation").order_by("number"))
        message = _("将对以下 %(n)d 件申报执行“%(action)s”，意见：%(comment)s。办理后申报转入"
                    "下一环节，不能撤销。确定执行？") % {
            "n": len(rows), "action": label, "comment": comment or _("（无）")}
        if selected > len(rows):
            message += " " + _("另有 %(n)d 件申报不存在或不在您的范围内，不会办理。") % {
                "n": selected - len(rows)}
        return ask_to_confirm(
            self.request, title=_("批量操作：%(action)s") % {"action": label},
            button=_("确定执行"), message=message,
            items=[f"{a.number}　{a.organisation.name}　{a.title}（{a.get_state_display()}）"
                   for a in rows])


class InboxExcelView(InboxView):
    """The inbox's list as it is filtered on screen (the link carries the query string)."""

    def get(self, request):
        qs, filters, show_all = self.listed()
        title = _("申报查询") if filters.is_bound or show_all else _("待办申报")
        return xlsx_response(inbox_workbook(qs, title), f"{title}.xlsx")

    def post(self, request):
        raise PermissionDenied


class ApplicationView(RoleRequiredMixin, View):
    template = "desk/application.html"

    def context(self, application, **extras):
        context = page_context(application, self.request.user, **extras)
        context["flags"] = flags_for([application]).get(application.pk, [])
        context["download_url_name"] = "desk:review:attachment"
        context["assignments"] = application.expert_assignments.select_related("expert")
        if application.state == State.EXPERT_REVIEW \
                and self.request.user.role in CITY_REVIEW_ROLES:
            context["manage_experts"] = True
            context["experts"] = available_experts().exclude(
                pk__in=context["assignments"].values("expert_id"))
        return context

    def get(self, request, pk):
        application = get_object_or_404(self.visible(), pk=pk)
        return render(request, self.template, self.context(application))

    def post(self, request, pk):
        application = get_object_or_404(self.visible(), pk=pk)
        if "assign_experts" in request.POST:
            ids = parse_ids(request.POST.getlist("experts"))
            try:
                assign_experts(request.user, application, User.objects.filter(pk__in=ids))
            except ValidationError as invalid:
                messages.error(request, " ".join(str(m) for m in invalid.messages))
            else:
                messages.success(request, _("已指派专家。"))
            return HttpResponseRedirect(request.path, status=303)
        if "withdraw_assignment" in request.POST:
            ids = parse_ids([request.POST.get("withdraw_assignment", "")])
            assignment = application.expert_assignments.filter(pk__in=ids).first()
            if assignment is None:
                messages.error(request, _("该指派不存在或已撤销。"))
                return HttpResponseRedirect(request.path, status=303)
            try:
                withdraw_assignment(request.user, assignment)
            except ValidationError as invalid:
                messages.error(request, " ".join(str(m) for m in invalid.messages))
            else:
                messages.success(request, _("已撤销指派。"))
            return HttpResponseRedirect(request.path, status=303)
        response, extras = take_transition(request, application)
        if response:
            return response
        status = extras.pop("status", 422)
        return render(request, self.template, self.context(application, **extras),
                      status=status)


class RemindView(RoleRequiredMixin, View):
    """POST: the 催办 of one application, from its page (desk/reminding.py)."""

    def get(self, request, pk):
        return HttpResponseRedirect(reverse("desk:review:detail", args=[pk]))

    def post(self, request, pk):
        application = get_object_or_404(self.visible(), pk=pk)
        return remind(request, self.visible().filter(pk=application.pk),
                      reverse("desk:review:detail", args=[pk]), 1)


class AttachmentView(RoleRequiredMixin, View):
    """A file of an application the user may see: downloaded, or with `?preview=1` shown
    in the browser when it is a PDF or an image (subsidy.attachments.file_response)."""

    roles = REVIEW_ROLES | {Role.EXPERT}

    def get(self, request, pk, attachment_pk):
        application = get_object_or_404(visible_applications(request.user), pk=pk)
        attachment = get_object_or_404(application.attachments, pk=attachment_pk)
        return file_response(attachment, preview=request.GET.get("preview") == "1")


def chosen_programme(request):
    """(every programme, the one `?programme=` names, else the latest)."""
    programmes = Programme.objects.order_by("-year", "title")
    chosen = parse_ids([request.GET.get("programme", "")])
    programme = (programmes.filter(pk=chosen[0]).first() if chosen else None) \
        or programmes.first()
    return programmes, programme


class BudgetView(RoleRequiredMixin, View):
    roles = CITY_ROLES | {Role.FINANCE}

    def get(self, request):
        programmes, programme = chosen_programme(request)
        overview = budget_overview(programme) if programme else None
        return render(request, "desk/budget.html", {"programmes": programmes,
                                                    "overview": overview})


class BudgetExcelView(RoleRequiredMixin, View):
    """The budget page as a workbook."""

    roles = BudgetView.roles

    def get(self, request):
        _programmes, programme = chosen_programme(request)
        if programme is None:
            raise Http404
        return xlsx_response(budget_workbook(budget_overview(programme)),
                             f"{programme.title} 预算执行.xlsx")


class ExpertInboxView(RoleRequiredMixin, View):
    """An expert's to-do list (open, not yet scored) and their history (scored, or ended)."""

    roles = frozenset({Role.EXPERT})

    def get(self, request):
        return render(request, "desk/expert_inbox.html", {
            "todo": todo_assignments(request.user),
            "history": [(a, assignment_status(a)) for a in past_assignments(request.user)],
        })


class ExpertInboxExcelView(ExpertInboxView):
    def get(self, request):
        assignments = assignments_of(request.user).order_by("submitted_at", "-assigned_at")
        return xlsx_response(expert_workbook(assignments), "评审任务.xlsx")


class ScoreView(RoleRequiredMixin, View):
    """The score sheet of one of the expert's assignments; once the application has left
    expert review, the submitted scores and a note that the review has ended."""

    roles = frozenset({Role.EXPERT})
    template = "desk/score.html"

    def assignment(self, pk):
        return get_object_or_404(
            ExpertAssignment.objects.select_related("application__category",
                                                    "application__organisation",
                                                    "application__programme",
                                                    "application__region"),
            pk=pk, expert=self.request.user)

    def render_page(self, assignment, errors=None, values=None, status=200):
        application = assignment.application
        context = page_context(application, self.request.user)
        context.update({"assignment": assignment, "errors": errors or {},
                        "open": is_open(assignment),
                        "download_url_name": "desk:experts:attachment",
                        "sheet": [{**item, "value": (values or assignment.scores).get(
                            item["key"], "")} for item in application.category.score_sheet],
                        "opinion": (values or {}).get("opinion", assignment.opinion)})
        return render(self.request, self.template, context, status=status)

    def get(self, request, pk):
        return self.render_page(self.assignment(pk))

    def post(self, request, pk):
        assignment = self.assignment(pk)
        values = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
        try:
            submit_scores(request.user, assignment, values, request.POST.get("opinion", ""))
        except ValidationError as invalid:
            if not is_open(assignment):
                messages.error(request, " ".join(str(m) for m in invalid.messages))
                return self.render_page(assignment, status=409)
            errors = getattr(invalid, "message_dict", {"__all__": invalid.messages})
            return self.render_page(assignment, errors, values, status=422)
        messages.success(request, _("评分已提交。"))
        return HttpResponseRedirect(request.path, status=303)
