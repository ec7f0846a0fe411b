"""Guards the lifecycles name for publicity: only through a published batch, only after
the period, never against a standing objection, and objections decide removals."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.i18n import lazy_format
from workflows.registry import OK, guard

from .models import (
    OPEN_OBJECTION,
    BatchStatus,
    Objection,
    ObjectionStatus,
    PublicityBatch,
    UpheldOutcome,
)


def current_batch(application):
    """The published batch the application is under publicity in, if any."""
    return (PublicityBatch.objects.filter(applications=application,
                                          status=BatchStatus.PUBLISHED)
            .order_by("-end_date", "-id").first())


def batch_objections(application, batch):
    return Objection.objects.filter(application=application, batch=batch)


@guard("in_publicity_batch")
def in_publicity_batch(application, context):
    if current_batch(application) is not None:
        return OK
    return False, _("公示只能随公示批次整批发布（在“公示与验收批次”中建立并发布）。")


@guard("publicity_period_over")
def publicity_period_over(application, context):
    batch = current_batch(application)
    if batch is None:
        return False, _("该申报不在已发布的公示批次中。")
    if batch.end_date < timezone.localdate():
        return OK
    return False, lazy_format(_("公示期至 %(date)s 结束，期满后才能办理。"),
                              {"date": batch.end_date})


@guard("no_standing_objection")
def no_standing_objection(application, context):
    """Neither an objection still being handled nor an upheld one stands against it."""
    batch = current_batch(application)
    objections = batch_objections(application, batch) if batch else Objection.objects.none()
    if objections.filter(status__in=OPEN_OBJECTION).exists():
        return False, _("该项目有尚未处理完的异议，处理完毕前不能通过。")
    if objections.filter(status=ObjectionStatus.UPHELD).exists():
        return False, _("该项目有成立的异议，不能通过。")
    return OK


def _upheld(application, outcome):
    batch = current_batch(application)
    return batch is not None and batch_objections(application, batch).filter(
        status=ObjectionStatus.UPHELD, outcome=outcome).exists()


@guard("objection_upheld_remove")
def objection_upheld_remove(application, context):
    if _upheld(application, UpheldOutcome.REMOVE):
        return OK
    return False, _("只有异议成立且决定撤出名单的项目才能撤出。")


@guard("objection_upheld_review")
def objection_upheld_review(application, context):
    if _upheld(application, UpheldOutcome.REVIEW):
        return OK
    return False, _("只有异议成立且决定退回重审的项目才能退回重审。")
