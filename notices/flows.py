"""The sign-off of a notice (viewflow.workflow): drafted by section staff → checked by the
section chief → signed off (签发) by the bureau leader → countersigned by the finance bureau
→ issued. Any step can send it back, with a reason, to the drafter, who resubmits it.
Whoever drafted a notice takes no step but the resubmission (four eyes)."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import render
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import act, flow, lock
from viewflow.workflow.base import Edge
from viewflow.workflow.flow import utils, views

from workflows.exceptions import TransitionRefused

from .models import Notice, NoticeProcess, RenderStatus
from .rules import four_eyes_refusal
from .services import notice_summary

AGREE, RETURN = "agree", "return"

#: What the cards and lists show for a process or a step: the notice, not "#1/2".
NOTICE_BRIEF = ("{{ process.artifact.title }}{% if process.artifact.number %}"
                "（{{ process.artifact.number }}）{% endif %}")


class DecisionForm(forms.ModelForm):
    """Agree, or send back with a reason: the button pressed is the decision."""

    decision = forms.ChoiceField(
        choices=[(AGREE, _("同意")), (RETURN, _("退回"))], widget=forms.HiddenInput,
        error_messages={"required": _("请点击“同意”或“退回”作出决定。"),
                        "invalid_choice": _("请点击“同意”或“退回”作出决定。")})
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = NoticeProcess
        fields = ["reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["reason"] = ""  # each step writes its own opinion, not the last one's

    def clean(self):
        data = super().clean()
        if data.get("decision") == RETURN and not (data.get("reason") or "").strip():
            self.add_error("reason", _("退回时必须写明理由。"))
        return data

    @property
    def agrees(self) -> bool:
        return self.cleaned_data.get("decision") == AGREE

    def save(self, commit=True):
        self.instance.approved = self.agrees
        return super().save(commit)


class ResubmitForm(DecisionForm):
    """The drafter sends the revised notice to the chief again (the only choice)."""

    decision = forms.ChoiceField(choices=[(AGREE, _("重新提交"))], widget=forms.HiddenInput,
                                 error_messages=DecisionForm.base_fields["decision"]
                                 .error_messages)

    def save(self, commit=True):
        process = super().save(commit=False)
        process.approved = False  # the next gateway reads the chief's decision, not this
        if commit:
            process.save()
        return process


def refused(request, reason: str):
    """The page saying why this person may not take this step."""
    return render(request, "notices/signoff_refused.html",
                  {"reason": reason, "task": request.activation.task,
                   "notice": request.activation.process.artifact}, status=403)


class StepMessageMixin:
    """The message after a step names the step and the notice (viewflow's says "#2")."""

    def get_success_message(self, cleaned_data):
        activation = self.request.activation
        return format_html(str(self.success_message), step=activation.flow_task.task_title,
                           notice=activation.process.artifact.title)


class DecisionView(StepMessageMixin, views.UpdateProcessView):
    """The decision form; an agreement the step marks irreversible is confirmed first."""

    form_class = DecisionForm
    success_message = _("已办理“{step}”：{notice}")

    def dispatch(self, request, *args, **kwargs):
        node = request.activation.flow_task
        reason = node.refusal(request.user, request.activation.task)
        if reason:
            return refused(request, reason)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        notice = self.request.activation.process.artifact
        context.update(notice=notice, summary=notice_summary(notice),
                       confirmation=self.request.activation.flow_task.confirmation)
        return context

    def form_valid(self, form):
        node = self.request.activation.flow_task
        if form.agrees and node.confirmation and not form.cleaned_data["confirmed"]:
            return self.render_to_response(self.get_context_data(form=form, confirming=True))
        # each step keeps its own decision (the process holds only the latest)
        self.request.activation.task.data = {"decision": form.cleaned_data["decision"],
                                             "reason": form.cleaned_data["reason"]}
        return super().form_valid(form)


class ResubmitView(DecisionView):
    form_class = ResubmitForm


class SignoffAssignView(StepMessageMixin, views.AssignTaskView):
    """Taking a step: refused with the reason when the four-eyes rule forbids it."""

    success_message = _("已认领“{step}”：{notice}")

    def dispatch(self, request, *args, **kwargs):
        reason = request.activation.flow_task.refusal(request.user, request.activation.task)
        if reason:
            return refused(request, reason)
        return super().dispatch(request, *args, **kwargs)


class RoleView(flow.View):
    """A human step taken only by the role its permission names, and (unless it is the
    drafter's own step) never by the notice's drafter."""

    # viewflow sets this only in .Permission(); a step without one (revise) would otherwise
    # fail with AttributeError when a task URL is opened under its name
    _owner_permission_obj = None
    assign_view_class = SignoffAssignView
    #: the drafter may not take this step
    four_eyes = True
    #: what agreeing sets in motion, shown for confirmation first ("" = no confirmation)
    confirmation = ""
    confirm_label = ""

    def Confirm(self, text, label=""):
        """Ask for confirmation before an agreement, saying what it sets in motion."""
        self.confirmation, self.confirm_label = text, label
        return self

    def OpenToDrafter(self):
        self.four_eyes = False
        return self

    def refusal(self, user, task) -> str | None:
        """Why `user` may not take this step (four eyes), or None."""
        if not self.four_eyes:
            return None
        return four_eyes_refusal(user, task.process.artifact)

    def holds_role(self, user, task) -> bool:
        from accounts.backends import RolePermissionBackend

        return (not task.owner_permission
                or task.owner_permission in RolePermissionBackend().get_all_permissions(user))

    def can_assign(self, user, task):
        return (super().can_assign(user, task) and self.holds_role(user, task)
                and not self.refusal(user, task))

    def may_open_assign(self, user, task):
        """The assign page opens to whoever may assign, and to whom it explains a refusal."""
        return self.can_assign(user, task) or bool(
            self.holds_role(user, task) and self.refusal(user, task))

    @property
    def assign_path(self):
        return path(f"<int:process_pk>/{self.name}/<int:task_pk>/assign/",
                    utils.wrap_task_view(self, self.assign_view,
                                         permission=self.may_open_assign),
                    name="assign")


ROUTE_TITLE = _("按意见流转")


class Route(flow.If):
    """viewflow's If gateway with its two ways named as the decision reads on the chart:
    同意 and 退回, not "yes" and "no"."""

    def _outgoing(self):
        names = {"cond_true": _("同意"), "cond_false": _("退回")}
        for edge in super()._outgoing():
            yield Edge(src=edge.src, dst=edge.dst, edge_class=edge.edge_class,
                       label=names.get(edge.edge_class, edge.label))


def step(title, permission, confirmation="", confirm_label=""):
    return (RoleView(DecisionView.as_view())
            .Annotation(title=title, summary_template=NOTICE_BRIEF)
            .Permission(permission).Confirm(confirmation, confirm_label))


class NoticeSignoffFlow(flow.Flow):
    process_class = NoticeProcess
    process_title = _("公文签发")
    process_description = _("科长审核 → 局领导签发 → 财政局会签 → 印发；任一环节可退回修改。")
    process_summary_template = NOTICE_BRIEF
    lock_impl = lock.select_for_update_lock

    start = (flow.StartHandle(this.start_signoff).Annotation(title=_("起草送签"))
             .Next(this.check))

    check = step(_("科长审核"), "notices.check_notice").Next(this.after_check)
    after_check = (Route(act.process.approved).Annotation(title=ROUTE_TITLE)
                   .Then(this.sign).Else(this.revise))

    sign = step(_("局领导签发"), "notices.sign_notice", _(
        "签发后公文送财政局会签，会签同意即编号并印发为 PDF，所列项目转入下一步。"
        "签发不能撤回。"), _("确认签发")).Next(this.after_sign)
    after_sign = (Route(act.process.approved).Annotation(title=ROUTE_TITLE)
                  .Then(this.countersign).Else(this.revise))

    countersign = step(_("财政局会签"), "notices.countersign_notice", _(
        "会签同意后公文立即取得文号并印发为 PDF，所列项目转入下一步。"
        "此操作不能撤销。"), _("确认会签并印发")).Next(this.after_countersign)
    after_countersign = (Route(act.process.approved).Annotation(title=ROUTE_TITLE)
                         .Then(this.issue).Else(this.revise))

    revise = (RoleView(ResubmitView.as_view())
              .Annotation(title=_("修改后重新提交"), summary_template=NOTICE_BRIEF)
              .OpenToDrafter()
              .Assign(lambda activation: activation.process.artifact.created_by)
              .Next(this.check))

    issue = flow.Function(this.issue_notice).Annotation(title=_("印发")).Next(this.end)
    end = flow.End().Annotation(title=_("结束"))

    def start_signoff(self, activation, notice):
        activation.process.artifact = notice
        return activation.process

    def issue_notice(self, activation):
        """Issue now, or, for a big notice, in the background after this step commits."""
        from .services import issue_notice, issues_in_background
        from .tasks import issue_in_background

        notice = activation.process.artifact
        if issues_in_background(notice):
            Notice.objects.filter(pk=notice.pk).update(render_status=RenderStatus.QUEUED)
            transaction.on_commit(lambda: issue_in_background.delay(notice.pk))
            return
        try:
            with transaction.atomic():
                issue_notice(notice.created_by, notice)
        except (ValidationError, TransitionRefused) as problem:
            # signed off but not issuable now: kept visible on the notice page, to retry
            Notice.objects.filter(pk=notice.pk).update(
                render_status=RenderStatus.FAILED,
                render_error="; ".join(getattr(problem, "messages", [str(problem)])))

    def has_view_permission(self, user, obj=None):
        return user.is_authenticated and user.has_perm("notices.view_noticeprocess")
