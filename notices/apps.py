from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = _("公文")

    def ready(self):
        from . import checks, rules  # noqa: F401  (system checks; the notice guard)
