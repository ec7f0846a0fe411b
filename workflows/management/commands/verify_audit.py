"""`manage.py verify_audit`: check every application's audit chain; exit 1 on the first break."""

from django.core.management.base import BaseCommand, CommandError

from workflows.audit import verify_all
from workflows.models import AuditEntry


class Command(BaseCommand):
    help = "Verify the hash chain of the audit log; report the first broken link."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true",
                            help="report every broken application, not just the first")

    def handle(self, *args, **options):
        broken = 0
        for link in verify_all():
            broken += 1
            self.stderr.write(f"BROKEN: {link}")
            if not options["all"]:
                break
        if broken:
            raise CommandError("audit log verification failed")
        total = AuditEntry.objects.count()
        self.stdout.write(self.style.SUCCESS(f"audit log intact: {total} entries verified"))
