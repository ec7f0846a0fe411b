"""`manage.py send_reminders`: today's reminders of overdue applications (also run by beat)."""

from django.core.management.base import BaseCommand

from notifications.reminders import send_overdue_reminders


class Command(BaseCommand):
    help = "Send today's digests of applications waiting beyond REPORTS_OVERDUE_WORKDAYS."

    def handle(self, *args, **options):
        sent = send_overdue_reminders()
        self.stdout.write(f"{sent} reminder(s) sent")
