from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("通知")

    def ready(self):
        from workflows.signals import transitions_committed

        from .messenger import queue_transition_notifications

        transitions_committed.connect(queue_transition_notifications,
                                      dispatch_uid="notifications.transitions")
