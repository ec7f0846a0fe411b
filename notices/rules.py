"""The guard the lifecycles name for disbursement: only an issued notice notifies."""

from django.utils.translation import gettext_lazy as _

from workflows.registry import OK, guard

from .models import Notice, NoticeStatus


@guard("in_issued_notice")
def in_issued_notice(application, context):
    if Notice.objects.filter(applications=application, status=NoticeStatus.ISSUED).exists():
        return OK
    return False, _("资金下拨只能通过印发的拨款通知办理（在“公文”中起草并签发）。")


def four_eyes_refusal(user, notice) -> str | None:
    """Why `user` may not check, sign or countersign `notice` (they drafted it), or None.
    The drafter only resubmits their own notice; the other steps need a second person."""
    if user is not None and user.pk == notice.created_by_id:
        return _("四眼原则：公文起草人不能审核、签发或会签自己起草的公文，请由其他人员办理。")
    return None
