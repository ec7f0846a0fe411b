"""Settings for the test suite: the base settings with a fast password hasher.

The suite runs as development does (pyproject.toml's pytest `env` turns DEBUG on before the
settings load, so the development keys apply; Django's test runner still serves pages with
DEBUG off), with the production security features on."""

from .base import *  # noqa: F403
from .base import BASE_DIR, DATABASES, env

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = ""

# SQLite test databases are files (not in-memory) so that WAL and the busy timeout apply and
# threads in the concurrency tests really compete for one database.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASES["default"]["TEST"] = {
        "NAME": env.str("SQLITE_TEST_NAME", default=str(BASE_DIR / "var" / "test.sqlite3")),
    }

# Threads in the tests (live server, races) must not keep connections past their requests,
# or the PostgreSQL test database cannot be dropped at the end.
DATABASES["default"]["CONN_MAX_AGE"] = 0

# The suite runs with the production security features on.
STAFF_TWO_FACTOR = True
