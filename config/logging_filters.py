"""Log filters: a refusal (403) is an expected answer, logged in one line without the
traceback Django attaches to it (the traceback of a real failure, 500, stays)."""

import logging


class RefusalsInOneLine(logging.Filter):
    """Drops the traceback from django.request's records of 403 responses."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
