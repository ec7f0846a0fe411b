"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_asgi_application()

from config.production import refuse_to_start_without_secrets  # noqa: E402  (settings loaded)

refuse_to_start_without_secrets()
