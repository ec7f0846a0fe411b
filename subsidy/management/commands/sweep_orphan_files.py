"""`manage.py sweep_orphan_files`: remove stored files that no database row names."""

from django.core.management.base import BaseCommand

from subsidy.orphans import DEFAULT_GRACE_SECONDS, sweep


class Command(BaseCommand):
    help = "Remove stored files that no row names and that are older than a grace period."

    def add_arguments(self, parser):
        parser.add_argument("--grace-seconds", type=int, default=DEFAULT_GRACE_SECONDS,
                            help=f"leave younger files alone (default {DEFAULT_GRACE_SECONDS})")
        parser.add_argument("--dry-run", action="store_true", help="list, do not remove")

    def handle(self, *args, **options):
        found = sweep(options["grace_seconds"], dry_run=options["dry_run"])
        for path in found:
            self.stdout.write(f"{'would remove' if options['dry_run'] else 'removed'}: {path}")
        self.stdout.write(f"{len(found)} orphan file(s)")
