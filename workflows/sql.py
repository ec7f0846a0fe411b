"""The two statements of the transition hot path, built once from model metadata.

The ORM spends more time compiling `filter(...).update(...)` and `save()` than the database
spends running them (measured in bench/transitions.py), so the service issues these
parameterised statements through Django's cursor instead. Values still go through each
field's `get_db_prep_save`, so types are adapted exactly as the ORM would, and the model's
`auto_now` fields are set as `save()` would set them (a raw UPDATE skips them otherwise).
"""

from functools import cache

from django.db import connections
from django.utils import timezone


@cache
def _update_sql(model, names: tuple[str, ...], alias: str) -> str:
    quote = connections[alias].ops.quote_name
    meta = model._meta
    sets = ", ".join(f"{quote(meta.get_field(n).column)} = %s" for n in names)
    seq = quote(meta.get_field("audit_seq").column)
    where = f"{quote(meta.pk.column)} = %s AND {seq} = %s"
    # identifiers from the model's meta, quoted; every value is a %s parameter
    return f"UPDATE {quote(meta.db_table)} SET {sets} WHERE {where}"  # nosec B608


@cache
def _insert_sql(model, alias: str) -> tuple[str, tuple]:
    quote = connections[alias].ops.quote_name
    fields = tuple(f for f in model._meta.concrete_fields if not f.primary_key)
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    # identifiers from the model's meta, quoted; every value is a %s parameter
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"  # nosec B608
    return sql, fields


@cache
def _returning(model, alias: str) -> str:
    connection = connections[alias]
    if not connection.features.can_return_columns_from_insert:
        return ""
    return f" RETURNING {connection.ops.quote_name(model._meta.pk.column)}"


def _prep(model, name, value, connection):
    return model._meta.get_field(name).get_db_prep_save(value, connection)


@cache
def _auto_now_fields(model) -> tuple[str, ...]:
    """Names of the model's fields stamped on every save (`auto_now=True`)."""
    return tuple(f.name for f in model._meta.concrete_fields if getattr(f, "auto_now", False))


def _stamped(model, changes: dict, now) -> dict:
    """`changes` plus `now` for each auto_now field the caller did not set itself."""
    return {**{name: now for name in _auto_now_fields(model)}, **changes}


def update_if_unchanged(subject, expected_seq: int, changes: dict, using="default") -> int:
    """UPDATE the subject's row with `changes` only if its audit_seq is still `expected_seq`.

    Returns the number of rows changed (0 means someone else moved it first). On PostgreSQL
    the UPDATE takes the row lock, which is held until the transaction ends.
    """
    connection = connections[using]
    model = type(subject)
    changes = _stamped(model, changes, timezone.now())
    for name in _auto_now_fields(model):
        setattr(subject, name, changes[name])
    names = tuple(changes)
    params = [_prep(model, n, changes[n], connection) for n in names]
    params += [subject.pk, expected_seq]
    with connection.cursor() as cursor:
        cursor.execute(_update_sql(model, names, using), params)
        return cursor.rowcount


def update_rows(model, rows: list[tuple[int, int, dict]], using="default") -> int:
    """`update_if_unchanged` for many (pk, expected_seq, changes) rows with one executemany.

    All rows must change the same fields. Returns the total number of rows changed.
    """
    if not rows:
        return 0
    connection = connections[using]
    now = timezone.now()
    rows = [(pk, seq, _stamped(model, changes, now)) for pk, seq, changes in rows]
    names = tuple(rows[0][2])
    sql = _update_sql(model, names, using)
    params = [[*(_prep(model, n, changes[n], connection) for n in names), pk, seq]
              for pk, seq, changes in rows]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
        return cursor.rowcount


def insert_rows(instances: list, using="default") -> None:
    """INSERT model instances. A single instance gets its primary key back; with many (one
    executemany) primary keys are not read back."""
    if not instances:
        return
    connection = connections[using]
    model = type(instances[0])
    sql, fields = _insert_sql(model, using)
    params = [[f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
              for obj in instances]
    with connection.cursor() as cursor:
        if len(params) > 1:
            cursor.executemany(sql, params)
            return
        returning = _returning(model, using)
        cursor.execute(sql + returning, params[0])
        pk = cursor.fetchone()[0] if returning else cursor.lastrowid
    instance = instances[0]
    instance.pk = pk
    instance._state.adding = False
    instance._state.db = using
