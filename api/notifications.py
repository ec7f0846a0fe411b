"""The caller's own in-app notifications."""

from datetime import datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Path, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from notifications.models import Notification

from .schemas import Id

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    application: int | None
    subject: str
    body: str
    created_at: datetime
    read_at: datetime | None


def _out(n: Notification) -> dict:
    return {"id": n.pk, "application": n.application_id, "subject": n.subject, "body": n.body,
            "created_at": n.created_at, "read_at": n.read_at}


@router.get("", response=list[NotificationOut], summary="Your notifications, newest first")
@paginate(PageNumberPagination, page_size=50, max_page_size=200)
def list_notifications(request, unread: bool = False):
    qs = Notification.objects.filter(user=request.auth)
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return [_out(n) for n in qs]


@router.post("/{notification_id}/read", response=NotificationOut, summary="Mark as read")
def mark_read(request, notification_id: Path[Id]):
    notification = get_object_or_404(Notification, pk=notification_id, user=request.auth)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return _out(notification)
