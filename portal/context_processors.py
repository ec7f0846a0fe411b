from notifications.models import Notification


def unread_notifications(request):
    """The signed-in user's number of unread notifications, for the header."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": Notification.objects.filter(
        user=user, read_at__isnull=True).count()}
