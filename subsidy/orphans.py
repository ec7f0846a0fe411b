"""Stored files that no database row names: removed after a grace period.

Files are written inside the transaction that creates their row, and removed again when
that transaction fails (see attachments.add_attachment). A process killed mid-transaction
runs no clean-up code, though: the database rolls the row back and the file stays. The
sweep (`manage.py sweep_orphan_files`, and Celery beat daily) removes such files once they
are older than a grace period longer than any request can last, so a file whose transaction
is still open is never touched.
"""

from datetime import timedelta

from django.apps import apps
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


def sweep(grace_seconds: int = DEFAULT_GRACE_SECONDS, dry_run: bool = False) -> list[str]:
    """Remove orphan files; returns the files found. Idempotent.

    Folders are left in place (an empty one is harmless, and removing it could race with an
    upload about to write into it).
    """
    orphans = find_orphans(grace_seconds)
    if not dry_run:
        for name in orphans:
            default_storage.delete(name)
    return orphans
