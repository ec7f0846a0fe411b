"""Taking sign-off steps from code (the JSON API, tests), as the task views do, and
recovering a draft whose sign-off was cancelled: restart it, or withdraw the draft."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.status import PROCESS, STATUS

from subsidy.rules import CITY_REVIEW_ROLES
from workflows.exceptions import ConcurrentUpdate

from .flows import AGREE, RETURN, DecisionForm, NoticeSignoffFlow, ResubmitForm
from .models import Notice, NoticeProcess, NoticeStatus, RenderStatus

WAITING = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)

#: How a step's status reads (viewflow's own labels are English words such as "New").
STEP_STATUS_LABELS = {
    STATUS.NEW: _("待认领"), STATUS.ASSIGNED: _("已认领，待办理"), STATUS.STARTED: _("办理中"),
    STATUS.DONE: _("已办理"), STATUS.CANCELED: _("已取消"), STATUS.ERROR: _("出错"),
    STATUS.REVIVED: _("已恢复"), STATUS.SCHEDULED: _("已排期")}
PROCESS_STATUS_LABELS = {PROCESS.NEW: _("进行中"), PROCESS.DONE: _("已完成"),
                         PROCESS.CANCELED: _("已取消")}
DECISION_LABELS = {AGREE: _("同意"), RETURN: _("退回")}


def decision_label(task) -> str:
    """What a finished step decided: 同意, 退回, or 重新提交 for the drafter's step."""
    decision = (task.data or {}).get("decision")
    if decision == AGREE and task.flow_task is NoticeSignoffFlow.revise:
        return str(_("重新提交"))
    return str(DECISION_LABELS.get(decision, ""))


def start_signoff(notice: Notice) -> NoticeProcess:
    """Send a drafted notice to the section chief."""
    return NoticeSignoffFlow.start.run(notice=notice)


def signoff_processes(notice: Notice):
    """Every sign-off the notice went through, oldest first (a restart adds one)."""
    return (NoticeProcess.objects.filter(
        artifact_content_type=ContentType.objects.get_for_model(Notice),
        artifact_object_id=notice.pk).order_by("pk"))


def signoff_process(notice: Notice) -> NoticeProcess | None:
    """The notice's current sign-off (the latest)."""
    return signoff_processes(notice).last()


def waiting_task(notice: Notice):
    """The human step the notice waits for, or None."""
    process = signoff_process(notice)
    if process is None:
        return None
    return process.task_set.filter(status__in=WAITING, flow_task_type="HUMAN").first()


NO_WAITING_STEP = _("该公文没有等待办理的签发环节（签发流程已取消或中断）。"
                    "请在公文页面重新送签，或撤回草稿。")


def take_step(user, notice: Notice, approve: bool, reason: str = ""):
    """Agree (or resubmit) / send back, as the user whose role holds the waiting step."""
    task = waiting_task(notice)
    if task is None:
        raise ValidationError(NO_WAITING_STEP)
    # the flow's own lock (SELECT … FOR UPDATE NOWAIT on the process) and a fresh task
    try:
        with task.activation() as activation:
            return _take(user, notice, task, activation, approve, reason)
    except FlowLockFailed:
        raise ConcurrentUpdate(_("该公文正由他人办理，请稍后再试。")) from None


def _take(user, notice, task, activation, approve, reason):
    with transaction.atomic():
        node = task.flow_task
        if task.status not in WAITING:
            raise ValidationError(_("该签发环节已办理，请刷新。"))
        if refusal := node.refusal(user, task):
            raise PermissionDenied(refusal)
        if task.owner_id is None and not node.can_assign(user, task):
            raise PermissionDenied(_("该签发环节不由您办理。"))
        if task.owner_id is not None and not node.can_execute(user, task):
            raise PermissionDenied(_("该签发环节已由他人办理。"))
        if task.owner_id is None:
            activation.assign(user)
        form_class = ResubmitForm if node is NoticeSignoffFlow.revise else DecisionForm
        process = NoticeProcess.objects.get(pk=task.process_id)
        # the caller's call is the confirmation an agreement on the desk asks for
        form = form_class({"decision": AGREE if approve else RETURN, "reason": reason,
                           "confirmed": True}, instance=process)
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        activation.start(None)
        process = form.save()
        activation.process.data = process.data
        activation.task.data = {"decision": form.cleaned_data["decision"],
                                "reason": form.cleaned_data["reason"]}
        activation.execute()
    return waiting_task(notice)


def editable_by(notice: Notice, user) -> bool:
    """The drafter may change a draft's text before anyone signed it, or when it was sent
    back; never after a signature and never once issued."""
    if notice.status != "draft" or user.pk != notice.created_by_id:
        return False
    task = waiting_task(notice)
    if task is None:
        return False
    if task.flow_task is NoticeSignoffFlow.revise:
        return True
    process = signoff_process(notice)
    signed = process.task_set.filter(flow_task_type="HUMAN", status=STATUS.DONE).exists()
    return task.flow_task is NoticeSignoffFlow.check and not signed


def stalled(notice: Notice) -> bool:
    """A draft whose sign-off no longer goes anywhere: no step waits, nothing is being
    issued (a step or the whole process was cancelled from the workflow pages)."""
    return (notice.status == NoticeStatus.DRAFT and waiting_task(notice) is None
            and notice.render_status == RenderStatus.NONE)


def restart_signoff(actor, notice: Notice) -> NoticeProcess:
    """Send a stalled draft to the section chief again, in a new sign-off."""
    if getattr(actor, "role", None) not in CITY_REVIEW_ROLES:
        raise PermissionDenied(_("只有市局科室工作人员可以重新送签。"))
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice.pk)
        if not stalled(notice):
            raise ValidationError(_("该公文的签发仍在进行中或已印发，不需要重新送签。"))
        return start_signoff(notice)


def withdraw_draft(actor, notice: Notice) -> Notice:
    """Withdraw a stalled draft: it is kept, marked withdrawn, and its items are free for
    another notice."""
    if getattr(actor, "role", None) not in CITY_REVIEW_ROLES:
        raise PermissionDenied(_("只有市局科室工作人员可以撤回公文草稿。"))
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice.pk)
        if not stalled(notice):
            raise ValidationError(_("只能撤回签发流程已取消或中断的草稿。"))
        notice.status = NoticeStatus.WITHDRAWN
        notice.save(update_fields=["status"])
    return notice
