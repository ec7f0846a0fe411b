"""Records that are written once and never changed: the model refuses updates and deletes,
and the database refuses them too (a trigger each migration adds with `refuse_changes`)."""

from django.db import migrations, models


class AppendOnly(models.Model):
    """A row that is added, then only read."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError(f"{self._meta.label} rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError(f"{self._meta.label} rows are append-only")


def refuse_changes(table: str) -> migrations.RunPython:
    """A migration operation: UPDATE of `table` refused on both databases, DELETE on
    PostgreSQL as well (SQLite test databases are flushed row by row)."""
    forward = {
        "sqlite": [f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
                       BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;"""],
        "postgresql": [
            f"""CREATE OR REPLACE FUNCTION {table}_refuse() RETURNS trigger AS $$
                BEGIN RAISE EXCEPTION '{table} is append-only'; END; $$ LANGUAGE plpgsql;""",
            f"""CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table}
                FOR EACH ROW EXECUTE FUNCTION {table}_refuse();"""],
    }
    reverse = {
        "sqlite": [f"DROP TRIGGER IF EXISTS {table}_no_update;"],
        "postgresql": [f"DROP TRIGGER IF EXISTS {table}_no_change ON {table};",
                       f"DROP FUNCTION IF EXISTS {table}_refuse();"],
    }

    def run(statements):
        def apply(apps, schema_editor):
            for sql in statements.get(schema_editor.connection.vendor, []):
                schema_editor.execute(sql)
        return apply

    return migrations.RunPython(run(forward), run(reverse))
