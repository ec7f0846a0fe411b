from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubsidyConfig(AppConfig):
    name = "subsidy"
    verbose_name = _("资助项目")

    def ready(self):
        from . import rules  # noqa: F401  (registers permission rules and guards)
