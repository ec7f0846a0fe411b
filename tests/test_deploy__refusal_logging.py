"""A refusal (403) is logged in one line with the address, not with a traceback; a real
failure (500) keeps its traceback."""

import logging
import sys

import pytest
from django.conf import settings

from accounts.models import Role
from config.logging_filters import RefusalsInOneLine

from .factories import UserFactory
from .helpers import signed_in

pytestmark = pytest.mark.django_db


def as_the_project_logs(record: logging.LogRecord) -> str | None:
    """The line(s) the project's stderr handler writes for `record` (None: dropped)."""
    handler = settings.LOGGING["handlers"]["stderr"]
    assert handler["filters"] == ["refusals_in_one_line"]
    if not RefusalsInOneLine().filter(record):
        return None
    return logging.Formatter(settings.LOGGING["formatters"]["plain"]["format"]).format(record)


def test_a_refusal_is_one_line(reference, caplog):
    applicant = UserFactory(role=Role.APPLICANT)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert signed_in(applicant).get("/desk/review/").status_code == 403
    [record] = [r for r in caplog.records if r.name == "django.request"]
    line = as_the_project_logs(record)
    assert "Forbidden" in line and "/desk/review/" in line
    assert "Traceback" not in line and "\n" not in line


def test_a_failure_keeps_its_traceback():
    try:
        raise RuntimeError("the database went away")
    except RuntimeError:
        record = logging.LogRecord("django.request", logging.ERROR, __file__, 1,
                                   "Internal Server Error: %s", ("/desk/",), sys.exc_info())
    record.status_code = 500
    assert "Traceback" in as_the_project_logs(record)
