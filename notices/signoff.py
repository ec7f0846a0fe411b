"""Taking sign-off steps from code (the JSON API, tests), as the task views do."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.status import STATUS

from workflows.exceptions import ConcurrentUpdate

from .flows import DecisionForm, NoticeSignoffFlow, ResubmitForm
from .models import Notice, NoticeProcess

WAITING = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


def start_signoff(notice: Notice) -> NoticeProcess:
    """Send a drafted notice to the section chief."""
    return NoticeSignoffFlow.start.run(notice=notice)


def signoff_process(notice: Notice) -> NoticeProcess | None:
    return (NoticeProcess.objects.filter(
        artifact_content_type=ContentType.objects.get_for_model(Notice),
        artifact_object_id=notice.pk).order_by("-pk").first())


def waiting_task(notice: Notice):
    """The human step the notice waits for, or None."""
    process = signoff_process(notice)
    if process is None:
        return None
    return process.task_set.filter(status__in=WAITING, flow_task_type="HUMAN").first()


def take_step(user, notice: Notice, approve: bool, reason: str = ""):
    """Agree (or resubmit) / send back, as the user whose role holds the waiting step."""
    task = waiting_task(notice)
    if task is None:
        raise ValidationError(_("该公文没有等待办理的签发环节。"))
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
        if task.owner_id is None and not node.can_assign(user, task):
            raise PermissionDenied(_("该签发环节不由您办理。"))
        if task.owner_id is not None and not node.can_execute(user, task):
            raise PermissionDenied(_("该签发环节已由他人办理。"))
        if task.owner_id is None:
            activation.assign(user)
        form_class = ResubmitForm if node is NoticeSignoffFlow.revise else DecisionForm
        process = NoticeProcess.objects.get(pk=task.process_id)
        form = form_class({"approved": approve, "reason": reason}, instance=process)
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        activation.start(None)
        process = form.save(commit=False)
        if form_class is ResubmitForm:
            process.approved = False
        process.save()
        activation.process.data = process.data
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
