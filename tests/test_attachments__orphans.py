"""No stored file without its row: a failed upload removes its file, and the sweep removes
what a killed process leaves (see subsidy/orphans.py; the SIGKILL proof is in
tests/reliability/test_crash.py)."""

import os
from datetime import date
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import IntegrityError

from subsidy.attachments import add_attachment
from subsidy.models import Attachment
from subsidy.orphans import find_orphans

from .factories import ApplicationFactory, AttachmentFactory
from .helpers import local_time

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def files_under(root) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()]


#: The sweep's "now" in test_the_sweep_removes_old_orphans_only (a Monday, 09:00).
TODAY = date(2021, 11, 1)


def age(path: Path, seconds: int) -> None:
    """Date the file's modification `seconds` before 09:00 TODAY. Every file the test
    sweeps is dated so: the file system's own stamp comes from the kernel's clock, which need
    not be the process's (under faketime it is not: a file just written would look months
    old)."""
    then = local_time(TODAY).timestamp() - seconds
    os.utime(path, (then, then))


@pytest.mark.django_db
def test_a_failed_upload_transaction_leaves_no_file(programme, applicant, settings,
                                                    monkeypatch):
    draft = ApplicationFactory(programme=programme, organisation=applicant.organisation)

    def fail(self, *args, **kwargs):
        raise IntegrityError("the row could not be written")

    monkeypatch.setattr(Attachment, "save", fail)
    with pytest.raises(IntegrityError):
        add_attachment(applicant, draft, "application_form", ContentFile(PDF, name="a.pdf"))
    assert files_under(settings.MEDIA_ROOT) == []


@pytest.mark.django_db
@pytest.mark.today(TODAY)
def test_the_sweep_removes_old_orphans_only(programme, settings, capsys):
    kept = AttachmentFactory(application__programme=programme)
    root = Path(settings.MEDIA_ROOT)
    old = root / "attachments" / str(kept.application_id) / "deadbeef"
    young = root / "notices" / "draft.pdf"
    elsewhere = root / "exports" / "report.xlsx"  # not a FileField folder: left alone
    for path in (old, young, elsewhere):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
    for path in (old, elsewhere, Path(kept.file.path)):
        age(path, 7 * 3600)  # older than the 6-hour grace period
    age(young, 60)  # written a minute ago: its transaction may still be open

    assert find_orphans() == [old.relative_to(root).as_posix()]
    call_command("sweep_orphan_files", "--dry-run")
    assert "would remove" in capsys.readouterr().out and old.exists()
    call_command("sweep_orphan_files")
    assert not old.exists() and young.exists() and elsewhere.exists()
    assert Path(kept.file.path).exists()
    call_command("sweep_orphan_files")  # idempotent
    assert "0 orphan file(s)" in capsys.readouterr().out.splitlines()[-1]
    call_command("sweep_orphan_files", "--grace-seconds=0")
    assert not young.exists() and Path(kept.file.path).exists()


@pytest.mark.today(TODAY)
def test_the_sweep_removes_temporary_uploads_a_killed_worker_left(settings, capsys):
    folder = Path(settings.FILE_UPLOAD_TEMP_DIR)
    left, current = folder / "tmp3f9a.upload.pdf", folder / "tmp77b1.upload.pdf"
    for path in (left, current):
        path.write_bytes(b"%PDF-1.4\n" + b"0" * 3 * 1024 * 1024)
    age(left, 7 * 3600)
    age(current, 30)  # an upload still arriving
    call_command("sweep_orphan_files")
    assert str(left) in capsys.readouterr().out
    assert not left.exists() and current.exists()


def test_big_uploads_are_spooled_under_the_projects_own_directory():
    from config.settings import base  # as configured, before the tests' own folder

    assert Path(base.FILE_UPLOAD_TEMP_DIR).is_relative_to(base.BASE_DIR)


def test_celery_beat_runs_the_sweep_daily():
    from config.celery import app

    entry = app.conf.beat_schedule["sweep-orphan-files"]
    assert entry["task"] == "subsidy.tasks.sweep_orphan_files"
    assert entry["schedule"] == 24 * 60 * 60
    assert "close-due-publicity" in app.conf.beat_schedule


@pytest.mark.django_db
def test_the_sweep_works_on_any_storage(programme, settings):
    """With an object store (here Django's in-memory storage) there is no MEDIA_ROOT to walk."""
    from django.core.files.storage import default_storage

    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.InMemoryStorage"}}
    kept = AttachmentFactory(application__programme=programme)
    orphan = default_storage.save("attachments/1/orphan.pdf", ContentFile(b"x"))
    assert find_orphans(0) == [orphan]
    call_command("sweep_orphan_files", "--grace-seconds=0")
    assert not default_storage.exists(orphan) and default_storage.exists(kept.file.name)
