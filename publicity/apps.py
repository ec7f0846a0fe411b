from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicityConfig(AppConfig):
    name = "publicity"
    verbose_name = _("公示与验收批次")

    def ready(self):
        from workcalendar.signals import schedule_changed

        from . import rules  # noqa: F401  (registers the publicity guards)
        from .services import recount_periods

        schedule_changed.connect(recount_periods, dispatch_uid="publicity.recount_periods")
