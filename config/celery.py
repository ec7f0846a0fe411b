"""The Celery application. Tasks run eagerly unless CELERY_BROKER_URL is set."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("zizhu")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

