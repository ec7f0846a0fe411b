"""`verify_audit` on PostgreSQL detects an edited, deleted or inserted audit entry.

PostgreSQL's triggers refuse UPDATE and DELETE on the log, so editing or deleting needs the
triggers dropped first (someone with owner access); INSERT is allowed (the log is
append-only), so an inserted entry must be caught by the hash chain and the application's
head alone.
"""

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from workflows.audit import entry_hash, hash_of
from workflows.models import AuditEntry

from ..factories import ApplicationFactory
from ..helpers import verify
from . import postgres_only

pytestmark = [postgres_only, pytest.mark.django_db]


def insert(subject_id, seq, prev_hash, *, key_known=True, actor_id=None, transition="approve",
           source="city_review", target="approved", comment="伪造的批准"):
    """INSERT a forged entry with raw SQL. With `key_known` its hash is computed with the real
    key (an insider who has it); otherwise it is a plausible-looking made-up value."""
    at = timezone.now()
    fields = dict(subject_id=subject_id, seq=seq, actor_id=actor_id, at=at,
                  transition=transition, source=source, target=target, comment=comment,
                  data={}, prev_hash=prev_hash)
    digest = entry_hash(**fields) if key_known else "0" * 64
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO workflows_auditentry (subject_id, seq, actor_id, at, transition, "
            "source, target, comment, data, prev_hash, hash) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, '{}'::jsonb, %s, %s)",
            [subject_id, seq, actor_id, at, transition, source, target, comment, prev_hash,
             digest])


def drop_triggers():
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER workflows_auditentry_no_update ON workflows_auditentry")
        cursor.execute("DROP TRIGGER workflows_auditentry_no_delete ON workflows_auditentry")


def test_intact_log_verifies(audited, capsys):
    ok, out = verify(capsys)
    assert ok and "3 entries verified" in out


def test_the_database_refuses_edits_and_deletes(audited):
    for statement in ("UPDATE workflows_auditentry SET comment = 'x' WHERE seq = 2",
                      "DELETE FROM workflows_auditentry WHERE seq = 3"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as c:
            c.execute(statement)


def test_an_edited_entry_is_detected(audited, capsys):
    drop_triggers()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE workflows_auditentry SET comment = '不同意' "
                       "WHERE subject_id = %s AND seq = 3", [audited.pk])
    ok, err = verify(capsys)
    assert not ok and f"application {audited.pk}, entry #3: content does not match" in err


def test_a_deleted_entry_is_detected(audited, capsys):
    drop_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM workflows_auditentry WHERE subject_id = %s AND seq = 2",
                       [audited.pk])
    ok, err = verify(capsys)
    assert not ok and f"application {audited.pk}, entry #2: entry missing" in err


def test_an_entry_appended_with_the_real_key_is_detected_by_the_head(audited, capsys):
    """Even an insider with the HMAC key who appends a well-formed entry (no trigger needs
    dropping) is caught: the application's head still names entry #3."""
    last = AuditEntry.objects.get(subject=audited, seq=3)
    insert(audited.pk, 4, last.hash, target=last.target, source=last.target)
    ok, err = verify(capsys)
    assert not ok and f"application {audited.pk}, head: expects 3 entries" in err


def test_an_entry_appended_without_the_key_is_detected_by_its_hash(audited, capsys):
    last = AuditEntry.objects.get(subject=audited, seq=3)
    insert(audited.pk, 4, last.hash, key_known=False)
    ok, err = verify(capsys)
    assert not ok and f"application {audited.pk}, entry #4: content does not match" in err


def test_an_entry_inserted_in_the_middle_is_detected(audited, capsys):
    """Renumber #3 to #4 and slip a forged #3 (hashed with the real key) in before it: the
    old #3, now #4, no longer links to its predecessor."""
    drop_triggers()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE workflows_auditentry SET seq = 4 WHERE subject_id = %s "
                       "AND seq = 3", [audited.pk])
    second = AuditEntry.objects.get(subject=audited, seq=2)
    insert(audited.pk, 3, second.hash, source=second.target, target=second.target)
    ok, err = verify(capsys)
    assert not ok and f"application {audited.pk}, entry #4: does not link" in err


def test_an_entry_inserted_before_the_first_is_detected(audited, capsys):
    insert(audited.pk, 0, "", source="draft", target="draft")
    ok, err = verify(capsys)
    assert not ok and f"application {audited.pk}, entry #0: unexpected entry" in err


def test_an_entry_inserted_for_an_application_without_history_is_detected(
        programme, applicant, capsys):
    draft = ApplicationFactory(programme=programme, organisation=applicant.organisation)
    insert(draft.pk, 1, "", transition="submit", source="draft", target="submitted")
    ok, err = verify(capsys)
    assert not ok and f"application {draft.pk}, head: expects 0 entries" in err


def test_the_forged_entry_hash_matches_only_with_the_key(audited):
    """Sanity check of the helper: an entry hashed with the key verifies on its own."""
    last = AuditEntry.objects.get(subject=audited, seq=3)
    insert(audited.pk, 4, last.hash)
    assert hash_of(AuditEntry.objects.get(subject=audited, seq=4)) == \
        AuditEntry.objects.get(subject=audited, seq=4).hash
