from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("用户与权限")

    def ready(self):
        from config import production  # noqa: F401  (its deploy check)

        from . import tokens  # noqa: F401  (its receiver revokes tokens)
        from .thirdparty import name_third_party_models

        name_third_party_models()
