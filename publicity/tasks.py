"""Celery tasks of the publicity app (scheduled by Celery beat, see settings)."""

from celery import shared_task

from .services import close_due_batches


@shared_task
def close_due_publicity() -> int:
    """Close publicity batches whose period has ended; returns how many were due."""
    return len(close_due_batches())
