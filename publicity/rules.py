"""Guards the lifecycles name for publicity: only through a batch, only after the period,
never with an open objection."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.i18n import lazy_format
from workflows.registry import OK, guard

from .models import OPEN_OBJECTION, BatchStatus, Objection, PublicityBatch


@guard("in_publicity_batch")
def in_publicity_batch(application, context):
    if PublicityBatch.objects.filter(applications=application,
                                     status=BatchStatus.DRAFT).exists():
        return OK
    return False, _("请先将该申报编入公示批次，再发布公示。")


@guard("publicity_period_over")
def publicity_period_over(application, context):
    batch = (PublicityBatch.objects.filter(applications=application,
                                           status=BatchStatus.PUBLISHED)
             .order_by("-end_date").first())
    if batch is None:
        return OK
    if batch.end_date < timezone.localdate():
        return OK
    return False, lazy_format(_("公示期至 %(date)s 结束，期满后才能通过。"),
                              {"date": batch.end_date})


@guard("no_open_objection")
def no_open_objection(application, context):
    if Objection.objects.filter(application=application, status__in=OPEN_OBJECTION).exists():
        return False, _("该项目有尚未处理完的异议，处理完毕前不能通过。")
    return OK
