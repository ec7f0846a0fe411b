"""Issuing big notices in the background (Celery): numbering, rendering and freezing the PDF
take seconds for hundreds of rows, so the sign-off step does not wait for them."""

import logging

from celery import shared_task
from django.utils import timezone

from .models import Notice, RenderStatus

logger = logging.getLogger(__name__)


@shared_task
def issue_in_background(notice_id: int) -> str:
    """Issue a notice whose sign-off is complete; its page shows the progress."""
    from .services import issue_notice

    notice = Notice.objects.get(pk=notice_id)
    Notice.objects.filter(pk=notice_id).update(render_status=RenderStatus.RENDERING,
                                               render_started_at=timezone.now())
    try:
        issued = issue_notice(notice.created_by, notice)
    except Exception as problem:
        logger.exception("issuing notice %s failed", notice_id)
        Notice.objects.filter(pk=notice_id).update(render_status=RenderStatus.FAILED,
                                                   render_error=str(problem)[:2000])
        return ""
    Notice.objects.filter(pk=notice_id).update(render_status=RenderStatus.NONE)
    return issued.number
