"""催办 from the desk: city staff remind whoever must act on one application (its page) or on
the applications ticked in the inbox, after a confirmation naming who will be reminded.
Who may remind and who is reminded is notifications.reminders' rule."""

from collections import defaultdict

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from config.confirm import ask_to_confirm, confirmed
from notifications.reminders import plan_reminders, remind_now


def person(user) -> str:
    """A recipient as the confirmation and the messages name them: name (role, where)."""
    where = [str(user.get_role_display())]
    where += [place.name for place in (user.region, user.organisation) if place]
    return _("%(name)s（%(where)s）") % {"name": user.get_full_name() or user.username,
                                       "where": " · ".join(where)}


def _numbers(apps) -> str:
    return _("、").join(a.number for a in apps)


def _report_nobody(request, plan) -> None:
    """One message per reason: which applications nobody has to act on, and why."""
    by_reason = defaultdict(list)
    for app, reason in plan.nobody:
        by_reason[reason].append(app)
    for reason, apps in by_reason.items():
        messages.warning(request, _("未催办 %(numbers)s：%(reason)s") % {
            "numbers": _numbers(apps), "reason": reason})


def remind(request, applications, back: str, selected: int):
    """The 催办 of `applications` (already limited to what the user may see; `selected` is
    how many were asked for): refused with the reason unless the user may remind, a
    confirmation first, then the reminder and a message saying how many were reminded."""
    plan = plan_reminders(request.user, applications)
    missing = selected - len(plan.applications) - len(plan.nobody)
    outside = _("有 %(n)d 件申报不存在或不在您的范围内，未催办。") % {"n": missing}
    if plan.recipients and not confirmed(request):
        people = len(plan.recipients)
        items = [_("%(person)s：%(numbers)s") % {"person": person(user), "numbers": _numbers(apps)}
                 for user, apps in plan.recipients.items()]
        items += [_("不催办 %(number)s：%(reason)s") % {"number": app.number, "reason": reason}
                  for app, reason in plan.nobody]
        message = ngettext(
            "将向以下 %(n)d 人发送催办（站内通知和电子邮件），列出各自需要办理的申报。",
            "将向以下 %(n)d 人发送催办（站内通知和电子邮件），列出各自需要办理的申报。",
            people) % {"n": people}
        return ask_to_confirm(request, title=_("催办"), button=_("发送催办"), cancel_url=back,
                              items=items, message=f"{message} {outside}" if missing > 0
                              else message)
    if plan.recipients:
        plan = remind_now(request.user, applications)
    people = len(plan.recipients)
    if people:
        messages.success(request, ngettext(
            "已催办 %(n)d 人（%(apps)s）：%(names)s。",
            "已催办 %(n)d 人（%(apps)s）：%(names)s。", people) % {
            "n": people, "names": _("、").join(person(u) for u in plan.recipients),
            "apps": ngettext("%(n)d 件申报", "%(n)d 件申报", len(plan.applications)) % {
                "n": len(plan.applications)}})
    elif plan.nobody:
        messages.warning(request, _("所选申报当前都没有需要办理的人，未发送催办。"))
    _report_nobody(request, plan)
    if missing > 0:
        messages.error(request, outside)
    return HttpResponseRedirect(back, status=303)
