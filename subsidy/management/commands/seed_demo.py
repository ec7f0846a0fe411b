"""`manage.py seed_demo`: load reference data, the demo programme, organisations and users."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from subsidy.demo import seed


class Command(BaseCommand):
    help = "Load the 13 regions, 23 categories, the 2021 demo programme and one user per role."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true",
                            help="run even when DEBUG is off (demo users have known passwords)")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError("DEBUG is off: refusing to create demo users with a known "
                               "password. Use --force if you really mean it.")
        counts = seed()
        self.stdout.write(self.style.SUCCESS(
            "demo data loaded: {regions} regions, {categories} categories, {organisations} "
            "organisations, {users} users (password from DEMO_PASSWORD)".format(**counts)))
