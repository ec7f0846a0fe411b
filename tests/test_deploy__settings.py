"""Production settings: `check --deploy` is clean with them, and uploaded files go through the
configured storage (so several web servers can share an object store)."""

import os
import secrets
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.files.storage import InMemoryStorage
from django.core.files.uploadedfile import SimpleUploadedFile

from subsidy.models import Attachment

from .factories import ApplicationFactory
from .helpers import signed_in

ROOT = Path(__file__).resolve().parent.parent
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def production_env(**extra) -> dict:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("DJANGO_", "SECURE_", "STAFF_"))}
    return {**env, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50), "AUDIT_HMAC_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "zizhu.example.gov.cn",
            "CSRF_TRUSTED_ORIGINS": "https://zizhu.example.gov.cn",
            "CACHE_URL": "redis://127.0.0.1:6379/1", **extra}


def manage(*args, env):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_check_deploy_is_clean_with_production_settings(session_signing_keys):
    # production trusts the office's CA on the verification page
    done = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(
        NOTICE_SIGNING_TRUST_ROOTS=str(session_signing_keys.ca_pem)))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def serve(env) -> subprocess.CompletedProcess:
    """Load the WSGI application as gunicorn does."""
    return subprocess.run([sys.executable, "-c", "import config.wsgi"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("key", ["SECRET_KEY", "AUDIT_HMAC_KEY"])
def test_production_refuses_to_serve_without_its_keys(key):
    """Never silently a default (the audit key is never the SECRET_KEY, which may rotate);
    commands that serve nothing still run, and `check --deploy` names what is missing."""
    env = production_env()
    del env[key]
    started = serve(env)
    assert started.returncode != 0 and key in started.stderr
    deploy = manage("check", "--deploy", env=env)
    assert deploy.returncode != 0 and key in deploy.stderr
    assert manage("makemigrations", "--check", "--dry-run", env=env).returncode == 0
    assert serve(production_env()).returncode == 0


def test_debug_is_off_unless_asked_for():
    env = production_env()
    del env["DEBUG"]
    code = "from django.conf import settings as s; print(s.DEBUG)"
    done = manage("shell", "-c", code, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-1] == "False"


def test_kept_database_connections_are_checked_before_use():
    code = ("from django.conf import settings as s; d = s.DATABASES['default']; "
            "print(d['CONN_MAX_AGE'] > 0, d['CONN_HEALTH_CHECKS'])")
    done = manage("shell", "-c", code, env=production_env(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/zizhu"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-2:] == ["True", "True"]


def test_production_refuses_a_cache_each_process_keeps_to_itself():
    """The public forms' rate limits count in the cache: every web server must share it."""
    done = manage("check", "--deploy", env=production_env(CACHE_URL="locmemcache://"))
    assert done.returncode != 0 and "django_ratelimit.E003" in done.stderr


def test_production_turns_on_https_two_factor_and_hashed_static_files():
    code = ("from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, "
            "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0, "
            "s.STAFF_TWO_FACTOR, s.STORAGES['staticfiles']['BACKEND'])")
    done = manage("shell", "-c", code, env=production_env())
    assert done.stdout.split()[-6:] == ["True", "True", "True", "True", "True",
                                        "config.storage.StaticStorage"]


@pytest.mark.django_db
def test_uploads_go_through_the_configured_storage(programme, applicant, settings):
    settings.STORAGES = {**settings.STORAGES, "default": {  # (Django resets its storages)
        "BACKEND": "django.core.files.storage.InMemoryStorage"}}
    draft = ApplicationFactory(programme=programme, organisation=applicant.organisation)
    client = signed_in(applicant)
    response = client.post(f"/applications/{draft.pk}/", {
        "kind": "application_form", "file": SimpleUploadedFile("申报书.pdf", PDF)})
    assert response.status_code == 303
    attachment = Attachment.objects.get(application=draft)
    assert isinstance(attachment.file.storage, InMemoryStorage)
    assert not (Path(settings.MEDIA_ROOT) / attachment.file.name).exists()
    download = client.get(f"/applications/{draft.pk}/attachments/{attachment.pk}/")
    assert b"".join(download.streaming_content) == PDF


def test_collectstatic_hashes_files_and_survives_a_missing_font(tmp_path, settings):
    """viewflow's bundled CSS names font files it does not ship; the production storage keeps
    such a reference instead of failing the release step."""
    from django.core.management import call_command

    source = tmp_path / "source" / "pkg"
    source.mkdir(parents=True)
    (source / "present.woff2").write_bytes(b"font")
    (source / "fonts.css").write_text(
        '@font-face { src: url("present.woff2"); } @font-face { src: url("missing.woff2"); }')
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATICFILES_DIRS = [tmp_path / "source"]
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "config.storage.StaticStorage"}}
    call_command("collectstatic", interactive=False, verbosity=0)
    [css] = [p for p in (tmp_path / "static" / "pkg").glob("fonts.*.css")]
    text = css.read_text()
    assert 'url("present.' in text and 'url("present.woff2")' not in text  # hashed
    assert 'url("missing.woff2")' in text  # kept as written
    assert (tmp_path / "static" / "staticfiles.json").exists()


def test_the_audit_log_never_chains_with_an_empty_key(settings):
    from django.core.exceptions import ImproperlyConfigured

    from workflows.audit import entry_hash

    settings.AUDIT_HMAC_KEY = ""
    with pytest.raises(ImproperlyConfigured, match="AUDIT_HMAC_KEY"):
        entry_hash(subject_id=1, seq=1, actor_id=None, at=datetime.now(UTC),
                   transition="submit", source="draft", target="submitted", comment="",
                   data={}, prev_hash="")
