"""`manage.py seed_demo`: reference data, the demo's people and two programme years in
flight (see subsidy.demo)."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from subsidy.demo import seed
from workcalendar.workdays import ScheduleMissing


class Command(BaseCommand):
    help = ("Load the 13 regions, 23 categories, the demo's organisations and users, and the "
            "current and previous programme years with their applications.")

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true",
                            help="run even when DEBUG is off; the demo users then get no "
                                 "password (set one with changepassword)")
        parser.add_argument("--without-applications", action="store_true",
                            help="only the reference data, programmes, organisations and users")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError("DEBUG is off: refusing to create demo users with a known "
                               "password. Use --force to load the demo without passwords.")
        started = time.monotonic()
        try:
            # with DEBUG off no account gets a known password, even when forced
            counts = seed(history=not options["without_applications"],
                          known_passwords=settings.DEBUG)
        except ScheduleMissing as missing:
            raise CommandError(str(missing.message)) from None
        self.stdout.write(self.style.SUCCESS(
            "demo data loaded in {seconds:.1f} s: {programmes} programmes with {applications} "
            "applications, {organisations} organisations, {users} users ({passwords})".format(
                seconds=time.monotonic() - started, **counts,
                passwords="password from DEMO_PASSWORD" if settings.DEBUG
                else "no passwords: set them with manage.py changepassword")))
        story = counts["story"]
        if story and story.message:
            self.stdout.write(self.style.WARNING(str(story.message)))
