"""Celery tasks of the subsidy app (scheduled by Celery beat, see config/celery.py)."""

from celery import shared_task

from .orphans import sweep


@shared_task
def sweep_orphan_files() -> int:
    """Remove stored files no row names (older than the grace period); returns how many."""
    return len(sweep())
