"""The guard the lifecycles name for disbursement: only an issued notice notifies."""

from django.utils.translation import gettext_lazy as _

from workflows.registry import OK, guard

from .models import Notice, NoticeStatus


@guard("in_issued_notice")
def in_issued_notice(application, context):
    if Notice.objects.filter(applications=application, status=NoticeStatus.ISSUED).exists():
        return OK
    return False, _("资金下拨只能通过印发的拨款通知办理（在“公文”中起草并签发）。")
