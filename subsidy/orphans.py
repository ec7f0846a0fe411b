"""Stored files that no database row names: removed after a grace period.

Files are written inside the transaction that creates their row, and removed again when
that transaction fails (see attachments.add_attachment). A process killed mid-transaction
runs no clean-up code, though: the database rolls the row back and the file stays. The
sweep (`manage.py sweep_orphan_files`, and Celery beat daily) removes such files once they
are older than a grace period longer than any request can last, so a file whose transaction
is still open is never touched.

Temporary upload files are swept too: Django spools a big upload under FILE_UPLOAD_TEMP_DIR
and deletes it when the request ends, but a worker killed mid-upload leaves it there.
"""

from datetime import timedelta
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone

#: Folders of the media storage that hold FileField files (attachments, notices, objections).
SWEPT_DIRS = ("attachments", "notices", "objections")
#: Default grace period: far longer than a request (gunicorn kills a worker after 30 s).
DEFAULT_GRACE_SECONDS = 6 * 3600


def referenced_names() -> set[str]:
    """Every file name any FileField of any model stores (relative to MEDIA_ROOT)."""
    names = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                names.update(model._base_manager.exclude(**{field.attname: ""})
                             .values_list(field.attname, flat=True).iterator())
    return names


def stored_names(folder: str) -> list[str]:
    """Every file under `folder` of the media storage (any backend: disk, object store)."""
    if not default_storage.exists(folder):
        return []
    subfolders, files = default_storage.listdir(folder)
    return ([f"{folder}/{name}" for name in files]
            + [name for sub in subfolders for name in stored_names(f"{folder}/{sub}")])


def find_orphans(grace_seconds: int = DEFAULT_GRACE_SECONDS) -> list[str]:
    """Names of files in the swept folders older than `grace_seconds` that no row names."""
    cutoff = timezone.now() - timedelta(seconds=grace_seconds)
    candidates = [name for folder in SWEPT_DIRS for name in stored_names(folder)
                  if default_storage.get_modified_time(name) <= cutoff]
    if not candidates:
        return []
    known = referenced_names()  # read after listing: a row committed meanwhile still counts
    return sorted(name for name in candidates if name not in known)


def stale_temporary_uploads(grace_seconds: int = DEFAULT_GRACE_SECONDS) -> list[Path]:
    """Files in FILE_UPLOAD_TEMP_DIR older than `grace_seconds` (no request lasts that long)."""
    folder = Path(settings.FILE_UPLOAD_TEMP_DIR)
    if not folder.is_dir():
        return []
    cutoff = (timezone.now() - timedelta(seconds=grace_seconds)).timestamp()
    return sorted(path for path in folder.iterdir()
                  if path.is_file() and path.stat().st_mtime <= cutoff)


def sweep(grace_seconds: int = DEFAULT_GRACE_SECONDS, dry_run: bool = False) -> list[str]:
    """Remove orphan files and stale temporary uploads; returns the files found (media names,
    then temporary files' paths). Idempotent.

    Folders are left in place (an empty one is harmless, and removing it could race with an
    upload about to write into it).
    """
    orphans = find_orphans(grace_seconds)
    temporary = stale_temporary_uploads(grace_seconds)
    if not dry_run:
        for name in orphans:
            default_storage.delete(name)
        for path in temporary:
            path.unlink(missing_ok=True)
    return orphans + [str(path) for path in temporary]
