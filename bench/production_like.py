"""Import first in a benchmark: Django set up with the production settings (DEBUG off, two
factor, throttling, sessions), plain HTTP for the test client and static files served
uncollected."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench")
os.environ.setdefault("AUDIT_HMAC_KEY", "bench")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_HTTPS", "false")  # the test client speaks plain HTTP

import django

django.setup()

from django.conf import settings
from django.test.utils import override_settings

# DEBUG is off (as in production) but there is no collectstatic here: plain static storage
override_settings(WHITENOISE_AUTOREFRESH=True, STORAGES={**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
