"""`manage.py close_publicity`: close publicity batches whose period has ended (for cron)."""

from django.core.management.base import BaseCommand

from publicity.services import close_due_batches


class Command(BaseCommand):
    help = "Move items of publicity batches whose period has ended; safe to run repeatedly."

    def handle(self, *args, **options):
        results = close_due_batches()
        for batch, counts in results:
            self.stdout.write(f"{batch.title}: {counts}")
        self.stdout.write(self.style.SUCCESS(f"{len(results)} batch(es) due"))
