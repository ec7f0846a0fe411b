"""Database-level protection of the audit log: UPDATE of an audit entry is refused.

DELETE is left to the application layer (and the hash chain detects it) so that test
databases can still be flushed; the chain plus the subject's stored head catch any removal.
"""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER workflows_auditentry_no_update BEFORE UPDATE ON workflows_auditentry
       BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;""",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS workflows_auditentry_no_update;"]

POSTGRES = [
    """CREATE OR REPLACE FUNCTION workflows_auditentry_refuse_update() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit entries are append-only'; END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER workflows_auditentry_no_update BEFORE UPDATE ON workflows_auditentry
       FOR EACH ROW EXECUTE FUNCTION workflows_auditentry_refuse_update();""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS workflows_auditentry_no_update ON workflows_auditentry;",
    "DROP FUNCTION IF EXISTS workflows_auditentry_refuse_update();",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("workflows", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        ),
    ]
