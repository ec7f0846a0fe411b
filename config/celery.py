"""The Celery application. Tasks run eagerly unless CELERY_BROKER_URL is set."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("zizhu")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _schedule_housekeeping(sender, **kwargs):
    """Daily removal of stored files no row names (see subsidy/orphans.py). Kept here, not in
    CELERY_BEAT_SCHEDULE, so the settings need not know about it."""
    sender.add_periodic_task(24 * 60 * 60, sender.signature("subsidy.tasks.sweep_orphan_files"),
                             name="sweep-orphan-files")
