"""After PostgreSQL restarts, a web worker's kept connection is dead; with CONN_HEALTH_CHECKS
the next request finds that out and reconnects instead of answering 500. Here the server
ends the worker's connection (as a restart does) between two requests, served the way
gunicorn serves them: Django's WSGI handler in one thread, whose request signals keep or
check the connection (the test client switches those off)."""

import psycopg
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import RequestFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
]


def end_the_server_side_of(db_connection) -> None:
    """What a restart does to every open connection, from another session."""
    pid = db_connection.connection.info.backend_pid
    params = db_connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])


@pytest.fixture
def kept_connections():
    """The production set-up: connections kept between requests."""
    saved = {key: connection.settings_dict[key] for key in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS")}
    connection.close()

    def keep(health_checks: bool):
        connection.settings_dict.update(CONN_MAX_AGE=600, CONN_HEALTH_CHECKS=health_checks)

    yield keep
    connection.close()
    connection.settings_dict.update(saved)


def serve(path: str) -> int:
    """The status a worker answers GET `path` with."""
    statuses = []
    body = WSGIHandler()(RequestFactory().get(path).environ,
                         lambda status, headers, exc_info=None: statuses.append(status))
    b"".join(body)
    body.close()  # request_finished: Django keeps, or drops a broken, connection
    return int(statuses[0].split()[0])


@pytest.mark.parametrize("health_checks, answer", [(True, 200), (False, 500)])
def test_requests_after_a_restart(kept_connections, health_checks, answer, reference):
    kept_connections(health_checks)
    assert serve("/publicity/") == 200
    end_the_server_side_of(connection)
    assert serve("/publicity/") == answer  # without the check: the 500 the probe saw
    assert serve("/publicity/") == 200  # that failure made Django drop the connection
