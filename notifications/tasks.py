"""Celery tasks of the notifications app."""

from celery import shared_task
from django.core.mail import EmailMessage, get_connection

from .messenger import deliver


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def deliver_transition_notifications(entry_keys: list[list[int]]) -> int:
    """Notify everyone concerned by these committed audit entries, given as (subject, seq)."""
    return deliver(entry_keys)


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def send_emails(subject: str, body: str, addresses: list[str]) -> int:
    """One e-mail to each address (no one sees the others'); returns how many were sent."""
    messages = [EmailMessage(subject, body, to=[address]) for address in addresses]
    return get_connection().send_messages(messages) or 0


@shared_task
def send_overdue_reminders() -> int:
    """Once a working day: digests of overdue applications to whoever must act on them."""
    from .reminders import send_overdue_reminders as send

    return send()
