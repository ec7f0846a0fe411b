"""The Celery application. Tasks run eagerly unless CELERY_BROKER_URL is set."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("zizhu")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.worker_init.connect
def _refuse_without_secrets(**kwargs):
    from config.production import refuse_to_start_without_secrets

    refuse_to_start_without_secrets()

