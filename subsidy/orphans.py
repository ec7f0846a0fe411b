"""Files under MEDIA_ROOT that no database row names: removed after a grace period.

Files are written inside the transaction that creates their row, and removed again when
that transaction fails (see attachments.add_attachment). A process killed mid-transaction
runs no clean-up code, though: the database rolls the row back and the file stays. The
sweep (`manage.py sweep_orphan_files`, and Celery beat daily) removes such files once they
are older than a grace period longer than any request can last, so a file whose transaction
is still open is never touched.
"""

import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models

#: Folders of MEDIA_ROOT that hold FileField files (attachments, notices, objections).
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


def find_orphans(grace_seconds: int = DEFAULT_GRACE_SECONDS) -> list[Path]:
    """Files in the swept folders older than `grace_seconds` that no row names."""
    root = Path(settings.MEDIA_ROOT)
    cutoff = time.time() - grace_seconds
    candidates = [path for folder in SWEPT_DIRS for path in (root / folder).rglob("*")
                  if path.is_file() and path.stat().st_mtime <= cutoff]
    if not candidates:
        return []
    known = referenced_names()  # read after listing: a row committed meanwhile still counts
    return sorted(p for p in candidates if p.relative_to(root).as_posix() not in known)


def sweep(grace_seconds: int = DEFAULT_GRACE_SECONDS, dry_run: bool = False) -> list[Path]:
    """Remove orphan files; returns the files found. Idempotent.

    Folders are left in place (an empty one is harmless, and removing it could race with an
    upload about to write into it).
    """
    orphans = find_orphans(grace_seconds)
    if not dry_run:
        for path in orphans:
            path.unlink(missing_ok=True)
    return orphans
