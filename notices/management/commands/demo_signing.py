"""`manage.py demo_signing`: the demo's signing material: a test CA, a key and certificate
per issuing organ (PKCS#12 under var/demo-signing/, never committed) and specimen seals
marked 样章 for organs that have none. Development reads them through
NOTICE_SIGNING_KEYS_FILE; `scripts/run.sh` runs this before `seed_demo`."""

import json
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError

from notices.models import IssuingOrgan
from notices.specimens import specimen_seal, write_keys
from subsidy.demo.reference import PROGRAMME
from subsidy.models import Programme


def organ_names() -> list[str]:
    """The organs of the demo's programmes and of every programme in the database."""
    names = list(PROGRAMME["issuers"])
    for issuers in Programme.objects.values_list("issuers", flat=True):
        names += [name for name in issuers or () if name not in names]
    return names


class Command(BaseCommand):
    help = ("Create the demo's test CA, one signing key per issuing organ (not for real "
            "documents) and specimen seals marked 样章.")

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true",
                            help="run even when DEBUG is off")
        parser.add_argument("--renew", action="store_true",
                            help="make a new CA and keys even if the demo has them")
        parser.add_argument("--dir", help="where to write them (default: the directory of "
                                          "NOTICE_SIGNING_KEYS_FILE, else var/demo-signing)")

    def handle(self, *args, force, renew, dir, **options):
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG is off: refusing to create test signing keys. "
                               "Use --force if you really mean it.")
        default = (Path(settings.NOTICE_SIGNING_KEYS_FILE).parent
                   if settings.NOTICE_SIGNING_KEYS_FILE
                   else settings.BASE_DIR / "var" / "demo-signing")
        directory = Path(dir) if dir else default
        names = organ_names()
        listing = directory / "keys.json"
        known = (json.loads(listing.read_text(encoding="utf-8")).get("keys", {})
                 if listing.is_file() else {})
        if renew or any(name not in known for name in names):
            write_keys(directory, names)
            self.stdout.write(f"test CA and {len(names)} specimen keys in {directory}")
        sealed = 0
        for name in names:
            organ, _created = IssuingOrgan.objects.get_or_create(name=name)
            if not organ.seal:
                organ.seal.save("specimen.png", ContentFile(specimen_seal(name)))
                sealed += 1
        self.stdout.write(self.style.SUCCESS(
            f"{len(names)} issuing organs, {sealed} specimen seals (样章) added"))
