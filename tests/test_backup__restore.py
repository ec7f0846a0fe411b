"""The documented backup procedure works: scripts/backup.sh dumps the PostgreSQL database and
the uploaded files, scripts/restore.sh puts them into an empty database and directory, and
every application, attachment record (with its file) and audit entry is there, with the
audit chain still verifying."""

import hashlib
import os
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from subsidy.models import Application, Attachment
from workflows import services as engine
from workflows.models import AuditEntry

from .factories import ApplicationFactory, attach_required

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db(transaction=True)


def url(name: str) -> str:
    s = connection.settings_dict
    return (f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST'] or '127.0.0.1'}:"
            f"{s['PORT'] or 5432}/{name}")


def run(script, env):
    done = subprocess.run(["bash", str(ROOT / "scripts" / script), *env.pop("args")],
                          env={**os.environ, **env}, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def snapshot(rows_of):
    """What must survive, read through a query function: ids and their defining values."""
    return {
        "applications": rows_of("SELECT id, number, state, approved_amount FROM "
                                "subsidy_application ORDER BY id"),
        "attachments": rows_of("SELECT id, application_id, file, sha256 FROM "
                               "subsidy_attachment ORDER BY id"),
        "audit": rows_of("SELECT id, subject_id, seq, transition, hash FROM "
                         "workflows_auditentry ORDER BY id"),
    }


def test_a_restored_backup_has_every_application_attachment_and_audit_entry(
        programme, applicant, county, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the backup scripts are for the production database, PostgreSQL")
    for n in range(3):
        app = ApplicationFactory(programme=programme, organisation=applicant.organisation)
        attach_required(app)
        engine.perform(app, "submit", applicant)
        if n:
            engine.perform(app, "accept", county)
    assert AuditEntry.objects.count() == 5 and Attachment.objects.count() >= 3

    def live_rows(sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()

    before = snapshot(live_rows)
    backup, restored_media = tmp_path / "backup", tmp_path / "restored-media"
    run("backup.sh", {"args": [str(backup)], "DATABASE_URL": url(connection.settings_dict["NAME"]),
                      "MEDIA_ROOT": str(settings.MEDIA_ROOT)})

    target = f"{connection.settings_dict['NAME']}_restored"
    admin = psycopg.connect(url("postgres"), autocommit=True)
    admin.execute(f'DROP DATABASE IF EXISTS "{target}"')
    admin.execute(f'CREATE DATABASE "{target}"')
    try:
        run("restore.sh", {"args": [str(backup)], "DATABASE_URL": url(target),
                           "MEDIA_ROOT": str(restored_media)})
        with psycopg.connect(url(target)) as restored:
            after = snapshot(lambda sql: [tuple(r) for r in restored.execute(sql).fetchall()])
        assert after == before
        assert len(after["applications"]) == Application.objects.count() == 3
        for attachment in Attachment.objects.all():
            copy = restored_media / attachment.file.name
            assert hashlib.sha256(copy.read_bytes()).hexdigest() == attachment.sha256
        verified = subprocess.run(
            [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "verify_audit"], cwd=ROOT,
            env={**os.environ, "DATABASE_URL": url(target), "DJANGO_SETTINGS_MODULE":
                 "config.settings", "AUDIT_HMAC_KEY": settings.AUDIT_HMAC_KEY},
            capture_output=True, text=True, timeout=120)
        assert verified.returncode == 0, verified.stdout + verified.stderr
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        admin.close()


def test_the_command_line_wins_over_dot_env_and_backups_are_private(tmp_path):
    """An operator's DATABASE_URL=… on the command line is the database backed up (not the
    live one .env names), and the files are readable by the owner only."""
    root = tmp_path / "checkout"
    (root / "scripts").mkdir(parents=True)
    for name in ("backup.sh", "env.sh"):
        (root / "scripts" / name).write_text((ROOT / "scripts" / name).read_text())
    (root / ".env").write_text("DATABASE_URL=postgres://live-db/zizhu\nMEDIA_ROOT='/srv/x'\n")
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "pg_dump").write_text('#!/bin/sh\necho "$@" > "$DUMPED"\n'
                                  'for a; do case "$a" in --file=*) : > "${a#--file=}";; '
                                  'esac; done\n')
    (fake / "pg_dump").chmod(0o755)
    out, dumped = tmp_path / "out", tmp_path / "dumped"
    env = {**os.environ, "PATH": f"{fake}:{os.environ['PATH']}", "DUMPED": str(dumped),
           "DATABASE_URL": "postgres://other-db/zizhu_copy", "MEDIA_ROOT": str(tmp_path / "m")}
    done = subprocess.run(["bash", str(root / "scripts" / "backup.sh"), str(out)], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert dumped.read_text().split()[-1] == "postgres://other-db/zizhu_copy"
    assert oct(out.stat().st_mode & 0o777) == "0o700"
    assert {oct(f.stat().st_mode & 0o777) for f in out.iterdir()} == {"0o600"}
