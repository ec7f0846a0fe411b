"""`manage.py render_notice <id> --out file.pdf`: render any notice (drafts watermarked)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from notices.models import Notice
from notices.pdf import render_pdf


class Command(BaseCommand):
    help = "Render a notice to PDF; an issued notice's frozen file is copied unchanged."

    def add_arguments(self, parser):
        parser.add_argument("notice_id", type=int)
        parser.add_argument("--out", required=True)

    def handle(self, *args, notice_id, out, **options):
        notice = Notice.objects.filter(pk=notice_id).first()
        if notice is None:
            raise CommandError(f"no notice {notice_id}")
        if notice.pdf:
            data = notice.pdf.read()
        else:
            data = render_pdf(notice)
        Path(out).write_bytes(data)
        self.stdout.write(self.style.SUCCESS(f"{out}: {len(data)} bytes"))
