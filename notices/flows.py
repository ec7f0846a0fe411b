"""The sign-off of a notice (viewflow.workflow): drafted by section staff → checked by the
section chief → signed off (签发) by the bureau leader → countersigned by the finance bureau
→ issued. Any step can send it back, with a reason, to the drafter, who resubmits it."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import act, flow, lock
from viewflow.workflow.flow import views

from workflows.exceptions import TransitionRefused

from .models import Notice, NoticeProcess, RenderStatus


class DecisionForm(forms.ModelForm):
    """Agree, or send back with a reason."""

    class Meta:
        model = NoticeProcess
        fields = ["approved", "reason"]

    def clean(self):
        data = super().clean()
        if not data.get("approved") and not (data.get("reason") or "").strip():
            self.add_error("reason", _("退回时必须写明理由。"))
        return data


class DecisionView(views.UpdateProcessView):
    form_class = DecisionForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["notice"] = self.request.activation.process.artifact
        return context


class ResubmitForm(forms.ModelForm):
    class Meta:
        model = NoticeProcess
        fields = ["reason"]


class ResubmitView(DecisionView):
    form_class = ResubmitForm

    def form_valid(self, form):
        form.instance.approved = False
        return super().form_valid(form)


class RoleView(flow.View):
    """A human step taken only by the role its permission names (superusers included)."""

    # viewflow sets this only in .Permission(); a step without one (revise) would otherwise
    # fail with AttributeError when a task URL is opened under its name
    _owner_permission_obj = None

    def can_assign(self, user, task):
        from accounts.backends import RolePermissionBackend

        return super().can_assign(user, task) and (
            not task.owner_permission
            or task.owner_permission in RolePermissionBackend().get_all_permissions(user))


def step(title, permission, view=DecisionView):
    return (RoleView(view.as_view()).Annotation(title=title)
            .Permission(permission))


class NoticeSignoffFlow(flow.Flow):
    process_class = NoticeProcess
    process_title = _("公文签发")
    process_description = _("科长审核 → 局领导签发 → 财政局会签 → 印发；任一环节可退回修改。")
    lock_impl = lock.select_for_update_lock

    start = flow.StartHandle(this.start_signoff).Next(this.check)

    check = step(_("科长审核"), "notices.check_notice").Next(this.after_check)
    after_check = flow.If(act.process.approved).Then(this.sign).Else(this.revise)

    sign = step(_("局领导签发"), "notices.sign_notice").Next(this.after_sign)
    after_sign = flow.If(act.process.approved).Then(this.countersign).Else(this.revise)

    countersign = step(_("财政局会签"), "notices.countersign_notice").Next(
        this.after_countersign)
    after_countersign = flow.If(act.process.approved).Then(this.issue).Else(this.revise)

    revise = (RoleView(ResubmitView.as_view()).Annotation(title=_("修改后重新提交"))
              .Assign(lambda activation: activation.process.artifact.created_by)
              .Next(this.check))

    issue = flow.Function(this.issue_notice).Annotation(title=_("印发")).Next(this.end)
    end = flow.End()

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
