"""The 催办 part of the desk's application page."""

from django import template
from django.utils.translation import gettext as _

from notifications.reminders import may_remind, plan_reminders, reminder_history

register = template.Library()


@register.inclusion_tag("applications/_remind.html", takes_context=True)
def application_reminders(context, application):
    """The application's latest 催办 (when, by whom, to whom) and, for the staff who may
    remind, who would be reminded now (or why nobody would)."""
    user = context.get("user")
    plan = None
    if may_remind(user)[0]:
        plan = plan_reminders(user, type(application).objects.filter(pk=application.pk))
    history = reminder_history(application)
    for item in history:
        item["names"] = _names(item["to"])
    return {"application": application, "history": history, "plan": plan,
            "names": _names(plan.recipients if plan else ())}


def _names(users) -> str:
    return _("、").join(user.get_full_name() or user.username for user in users)
