"""The 催办 part of the desk's application page."""

from django import template

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
    return {"application": application, "history": reminder_history(application),
            "plan": plan}
