"""Reliability proofs: races, crashes and tampering, on PostgreSQL (the production database).

Every module here is marked `postgres_only`: on SQLite (which serialises all writers, so a
race proves little) the tests are skipped with the reason shown. `.ci/run` runs the whole
`tests/` tree a second time with DATABASE_URL on PostgreSQL, which runs them.
"""

import pytest
from django.conf import settings

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"

postgres_only = pytest.mark.skipif(
    not ON_POSTGRES,
    reason="reliability proofs run on PostgreSQL only: set DATABASE_URL=postgres://… "
           "(.ci/run does, in its second pass)")


def in_batches(func, items, threads: int):
    """A callable per thread that applies `func` to its share of `items` one by one,
    collecting results or exceptions: many operations through a bounded number of
    connections (PostgreSQL's max_connections is 100 on a shared server)."""
    shares = [items[i::threads] for i in range(threads)]

    def worker(share):
        def go():
            out = []
            for item in share:
                try:
                    out.append(func(item))
                except Exception as exc:  # asserted on by the caller
                    out.append(exc)
            return out
        return go

    return [worker(share) for share in shares if share]
