"""How sign-off states read on the workflow pages: their Chinese labels, never raw values."""

from django import template

from notices.signoff import PROCESS_STATUS_LABELS, STEP_STATUS_LABELS, decision_label

register = template.Library()


@register.filter
def step_status(task) -> str:
    """'待认领', '已办理', … for a sign-off step."""
    return STEP_STATUS_LABELS.get(task.status, task.status)


@register.filter
def process_status(process) -> str:
    """'进行中', '已完成', '已取消' for a sign-off."""
    return PROCESS_STATUS_LABELS.get(process.status, process.status)


@register.filter
def step_decision(task) -> str:
    """'同意', '退回' or '重新提交' for a finished step, '' otherwise."""
    return decision_label(task)


@register.filter
def person(user) -> str:
    """A user as people read them: full name, else the username; '' for nobody."""
    if not user:
        return ""
    return user.get_full_name() or user.username


@register.filter
def refusal_for(task, user) -> str:
    """Why `user` may not take this step (four eyes), '' when they may."""
    refusal = getattr(task.flow_task, "refusal", None)
    return (refusal(user, task) or "") if refusal else ""
