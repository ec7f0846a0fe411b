"""PostgreSQL refuses DELETE of audit entries too (TRUNCATE, used to reset test databases, is
not a row delete). SQLite, the embedded development database, relies on the hash chain."""

from django.db import migrations

FORWARD = [
    """CREATE OR REPLACE FUNCTION workflows_auditentry_refuse_change() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit entries are append-only'; END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER workflows_auditentry_no_delete BEFORE DELETE ON workflows_auditentry
       FOR EACH ROW EXECUTE FUNCTION workflows_auditentry_refuse_change();""",
]
REVERSE = [
    "DROP TRIGGER IF EXISTS workflows_auditentry_no_delete ON workflows_auditentry;",
    "DROP FUNCTION IF EXISTS workflows_auditentry_refuse_change();",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("workflows", "0002_audit_append_only")]

    operations = [migrations.RunPython(run(FORWARD), run(REVERSE))]
