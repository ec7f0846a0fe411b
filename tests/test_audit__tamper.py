"""The audit log is append-only and any tampering shows in `manage.py verify_audit`."""

import pytest
from django.db import DatabaseError, connection, transaction

from workflows import services as engine
from workflows.models import AuditEntry

from .factories import ApplicationFactory, attach_required
from .helpers import verify

TRIGGER = "workflows_auditentry_no_update"


def drop_update_trigger():
    """What someone with direct database access could do first (inside the test's transaction)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER {TRIGGER} ON workflows_auditentry")
            cursor.execute("DROP TRIGGER workflows_auditentry_no_delete ON workflows_auditentry")
        else:
            cursor.execute(f"DROP TRIGGER {TRIGGER}")


@pytest.mark.django_db
def test_intact_log_verifies(audited, capsys):
    ok, out = verify(capsys)
    assert ok and "3 entries verified" in out


@pytest.mark.django_db
def test_the_orm_refuses_to_change_or_delete_entries(audited):
    entry = AuditEntry.objects.get(subject=audited, seq=2)
    entry.comment = "篡改"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(subject=audited).update(comment="篡改")
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(subject=audited).delete()


@pytest.mark.django_db
def test_the_database_refuses_an_update(audited):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE workflows_auditentry SET comment = 'x' WHERE seq = 1")


@pytest.mark.django_db
def test_changed_content_is_detected(audited, capsys):
    drop_update_trigger()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE workflows_auditentry SET comment = '不同意' "
                       "WHERE subject_id = %s AND seq = 3", [audited.pk])
    ok, err = verify(capsys)
    assert not ok
    assert f"application {audited.pk}, entry #3: content does not match its hash" in err


@pytest.mark.django_db
def test_deleted_middle_entry_is_detected(audited, capsys):
    drop_update_trigger()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM workflows_auditentry WHERE subject_id = %s AND seq = 2",
                       [audited.pk])
    ok, err = verify(capsys)
    assert not ok and f"application {audited.pk}, entry #2: entry missing" in err


@pytest.mark.django_db
def test_deleted_last_entry_is_detected(audited, capsys):
    drop_update_trigger()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM workflows_auditentry WHERE subject_id = %s AND seq = 3",
                       [audited.pk])
    ok, err = verify(capsys)
    assert not ok and f"application {audited.pk}, head: expects 3 entries" in err


@pytest.mark.django_db
def test_postgres_refuses_deletes_too(audited):
    if connection.vendor != "postgresql":
        pytest.skip("the DELETE trigger exists on PostgreSQL, the production database")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM workflows_auditentry WHERE seq = 3")


@pytest.mark.django_db
def test_a_forged_entry_without_the_key_is_detected(audited, capsys, settings):
    from workflows.audit import hash_of

    drop_update_trigger()
    last = AuditEntry.objects.get(subject=audited, seq=3)
    last.comment = "伪造"
    real_key = settings.AUDIT_HMAC_KEY
    settings.AUDIT_HMAC_KEY = "a key the forger guessed"
    forged = hash_of(last)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE workflows_auditentry SET comment = %s, hash = %s WHERE id = %s",
                       ["伪造", forged, last.pk])
        cursor.execute("UPDATE subsidy_application SET audit_head = %s WHERE id = %s",
                       [forged, audited.pk])
    settings.AUDIT_HMAC_KEY = real_key
    ok, err = verify(capsys)
    assert not ok and "entry #3: content does not match its hash" in err


@pytest.mark.django_db
@pytest.mark.parametrize("column, value, problem", [
    ("state", "awaiting_disbursement", "state is 'awaiting_disbursement'"),
    ("approved_amount", "999999.00", "approved_amount is 999999.00"),
])
def test_changing_the_application_behind_the_log_is_detected(column, value, problem,
                                                              audited, city, capsys):
    engine.perform(audited, "approve", city)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE subsidy_application SET {column} = %s WHERE id = %s",
                       [value, audited.pk])
    ok, err = verify(capsys)
    assert not ok and problem in err


@pytest.mark.django_db
def test_the_approved_amount_is_recorded(audited, city):
    entry = engine.perform(audited, "approve", city, amount="800.00")
    assert entry.data == {"approved_amount": "800.00"}


@pytest.mark.django_db
def test_rewritten_chain_is_detected_by_the_head(audited, capsys):
    """Re-hashing a forged entry consistently still fails against the application's head."""
    from workflows.audit import hash_of

    drop_update_trigger()
    last = AuditEntry.objects.get(subject=audited, seq=3)
    last.comment = "伪造"
    forged = hash_of(last)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE workflows_auditentry SET comment = %s, hash = %s "
                       "WHERE id = %s", ["伪造", forged, last.pk])
    ok, err = verify(capsys)
    assert not ok and "head" in err


@pytest.mark.django_db
def test_first_broken_application_is_reported_first(programme, applicant, capsys):
    apps = []
    for _ in range(3):
        app = ApplicationFactory(programme=programme, organisation=applicant.organisation)
        attach_required(app)
        engine.perform(app, "submit", applicant)
        apps.append(app)
    drop_update_trigger()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM workflows_auditentry WHERE subject_id IN (%s, %s)",
                       [apps[1].pk, apps[2].pk])
    ok, err = verify(capsys)
    assert not ok
    assert f"application {apps[1].pk}," in err and f"application {apps[2].pk}," not in err
