"""Base settings, read from environment variables (see README, "Configuration")."""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Off unless asked for: the quick start (scripts/run.sh) and the tests turn it on explicitly.
DEBUG = env.bool("DEBUG", default=False)
# Without DEBUG there is no default: the web and worker entry points refuse to start without
# it (config/production.py), while commands that need no secret (makemigrations, check) still run.
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-change-me" if DEBUG else "")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_filters",
    "django_ratelimit",
    "captcha",
    # django-ninja as an app: its API docs page then serves Swagger UI from these static
    # files, not from a public CDN
    "ninja",
    "viewflow",
    "viewflow.workflow",
    "workflows",
    "workcalendar",
    "accounts",
    "subsidy",
    "notifications",
    "api",
    "publicity",
    "notices",
    "portal",
    "reports",
    "desk",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "two_factor",
    "axes",  # last, as django-axes asks
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.api_errors.ApiErrorsAsJsonMiddleware",  # sees every error response of the API
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # before anything reads the request body:
    "config.middleware.UploadNameMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "config.middleware.RejectNulMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.StaffTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.unread_notifications",
                "workcalendar.context_processors.schedule_alert",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# DATABASE_URL selects the database; the default is a SQLite file in the project.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}


def _tune_sqlite(db: dict) -> None:
    """WAL, a busy timeout and BEGIN IMMEDIATE, so concurrent writers queue instead of failing;
    a 64 MB page cache, memory-mapped reads and in-memory temporary tables, so the reports'
    grouped scans do not reread the file through the default 2 MB cache (the dashboard at
    50,000 applications: about 6% faster).

    IMMEDIATE matters: a deferred transaction that read first and writes later cannot wait for
    the lock (SQLite answers "database is locked" at once), an immediate one waits `timeout`.
    """
    options = db.setdefault("OPTIONS", {})
    options.setdefault("timeout", env.int("SQLITE_TIMEOUT", default=20))
    options.setdefault("transaction_mode", "IMMEDIATE")
    options.setdefault(
        "init_command",
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        " PRAGMA cache_size=-65536; PRAGMA mmap_size=268435456; PRAGMA temp_store=MEMORY;",
    )


if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    _tune_sqlite(DATABASES["default"])
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    # a kept connection is checked before a request uses it: after a database restart the
    # first request of each idle worker reconnects instead of failing with a 500
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": env.int("PASSWORD_MIN_LENGTH", default=10)}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language and time ----------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# the empty choice of every list filter (the desk's and viewflow's): "全部", not "---------"
FILTERS_EMPTY_CHOICE_LABEL = _("全部")
FIXTURE_DIRS = [BASE_DIR / "fixtures"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
# Uploaded files live outside any public web root and are served through permission checks.
# Several web servers need one shared storage: a shared mount for MEDIA_ROOT, or an object
# store through MEDIA_STORAGE_BACKEND (e.g. storages.backends.s3.S3Storage, with its options
# as JSON in MEDIA_STORAGE_OPTIONS).
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
WHITENOISE_AUTOREFRESH = DEBUG  # development: serve from the app directories as they change
WHITENOISE_USE_FINDERS = DEBUG
STORAGES = {
    "default": {
        "BACKEND": env.str("MEDIA_STORAGE_BACKEND",
                           default="django.core.files.storage.FileSystemStorage"),
        "OPTIONS": env.json("MEDIA_STORAGE_OPTIONS", default={}),
    },
    # Production serves static files from the web process with WhiteNoise (compressed,
    # hashed names, cached forever); `collectstatic` runs before the server starts.
    "staticfiles": {
        "BACKEND": ("django.contrib.staticfiles.storage.StaticFilesStorage" if DEBUG
                    else "config.storage.StaticStorage"),
    },
}

# --- Cache --------------------------------------------------------------------------
# The public forms' rate limits (django-ratelimit) count in the default cache, so every web
# server must share it: CACHE_URL (e.g. redis://127.0.0.1:6379/1) is required in production,
# where django-ratelimit's check refuses a per-process cache. In development one process
# serves, and its memory cache counts every request.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
RATELIMIT_IP_META_KEY = "accounts.lockout.client_address"  # behind PROXY_COUNT proxies
# The public objection form's challenge (publicity/challenge.py): a small sum to work out,
# drawn on the server; good long enough to write an objection before answering it.
CAPTCHA_CHALLENGE_FUNCT = "captcha.helpers.math_challenge"
CAPTCHA_MATH_CHALLENGE_OPERATOR = "×"
CAPTCHA_FONT_SIZE = 32
CAPTCHA_TIMEOUT = 30  # minutes
CAPTCHA_2X_IMAGE = False
SILENCED_SYSTEM_CHECKS = [
    # django-ratelimit lists django-redis but not Django's own RedisCache, which increments
    # atomically (INCR) as it needs
    "django_ratelimit.W001",
    # a per-process cache: reported by `check --deploy` instead (config/production.py), so
    # commands that serve nothing run without a cache server
    "django_ratelimit.E003",
]

# --- E-mail -----------------------------------------------------------------
# Console backend unless EMAIL_URL (e.g. smtp+tls://user:pass@host:587) is given.
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = env.str("EMAIL_BACKEND",
                            default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="zizhu@localhost")

# --- Celery -------------------------------------------------------------------
# Without a broker, tasks run eagerly in the calling process (after the transaction commits).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE

# --- The lifecycle engine ----------------------------------------------------
WORKFLOWS_SUBJECT_MODEL = "subsidy.Application"
WORKFLOWS_LIFECYCLE_DIRS = [BASE_DIR / "workflows" / "lifecycles"]
# Key of the audit log's HMAC chain. Keep it outside the database (and its backups); changing
# it makes every existing entry fail verification.
# Required once DEBUG is off (never silently the SECRET_KEY, which rotates for other reasons).
AUDIT_HMAC_KEY = env.str("AUDIT_HMAC_KEY", default=SECRET_KEY if DEBUG else "")

# --- Demo data ------------------------------------------------------------------
DEMO_PASSWORD = env.str("DEMO_PASSWORD", default="zizhu-demo-2021")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
STATICFILES_DIRS = [BASE_DIR / "static"]

# --- Attachments ------------------------------------------------------------------
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=20 * 1024 * 1024)
#: A zip (or Office file) may expand to at most this much, and at most this ratio per entry.
ATTACHMENT_MAX_UNZIPPED_BYTES = env.int("ATTACHMENT_MAX_UNZIPPED_BYTES", default=200 * 1024 * 1024)
ATTACHMENT_MAX_ZIP_RATIO = env.int("ATTACHMENT_MAX_ZIP_RATIO", default=100)
#: A form's fields other than files: the longest (an application's form, an objection's
#: 5,000 characters of reasons) are far below it; a bigger body is refused unread (400).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=1024 * 1024)
#: Files are counted while they arrive and dropped past ATTACHMENT_MAX_BYTES (config/uploads.py);
#: big ones are spooled under the project's own directory, where sweep_orphan_files looks.
FILE_UPLOAD_HANDLERS = [
    "config.uploads.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FILE_UPLOAD_TEMP_DIR = env.str("FILE_UPLOAD_TEMP_DIR", default=str(BASE_DIR / "var" / "uploads"))
Path(FILE_UPLOAD_TEMP_DIR).mkdir(parents=True, exist_ok=True)  # Django checks that it exists

# Celery beat: close publicity batches after their period (also `manage.py close_publicity`),
# sweep orphan files daily (also `manage.py sweep_orphan_files`).
CELERY_BEAT_SCHEDULE = {
    "close-due-publicity": {"task": "publicity.tasks.close_due_publicity",
                            "schedule": 60 * 60},
    # stored files no row names (left by a killed worker), older than a grace period
    "sweep-orphan-files": {"task": "subsidy.tasks.sweep_orphan_files",
                           "schedule": 24 * 60 * 60},
    # reminders of overdue applications, each working day at 08:30 (also `send_reminders`)
    "overdue-reminders": {"task": "notifications.tasks.send_overdue_reminders",
                          "schedule": crontab(hour=8, minute=30)},
}

# --- Official notices (PDF) ------------------------------------------------------------
# Font stacks per role (GB/T 9704 names the faces; these are the free substitutes Debian
# ships). An office that owns 方正小标宋 / 仿宋_GB2312 puts them first.
NOTICE_FONTS = {
    "title": env.list("NOTICE_FONT_TITLE", default=["Noto Serif CJK SC"]),
    "body": env.list("NOTICE_FONT_BODY", default=["Noto Serif CJK SC"]),
    "heiti": env.list("NOTICE_FONT_HEITI", default=["Noto Sans CJK SC"]),
    "kaiti": env.list("NOTICE_FONT_KAITI", default=["LXGW WenKai", "Noto Serif CJK SC"]),
}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out logins
    "django.contrib.auth.backends.ModelBackend",
    "accounts.backends.RolePermissionBackend",
]
#: Notices with more rows than this are issued (numbered, rendered, frozen) by a Celery worker.
NOTICE_BACKGROUND_ROWS = env.int("NOTICE_BACKGROUND_ROWS", default=200)
#: Notices whose allocation table has at least this many rows are rendered in two parts on
#: two cores (notices/parallel.py; from 100 rows it is faster, the file a little bigger);
#: 0 renders every notice in one process.
NOTICE_PARALLEL_ROWS = env.int("NOTICE_PARALLEL_ROWS", default=100)

# --- Seals and digital signatures of issued notices (notices/signing.py) -------------------
#: Each issuing organ's signing key, by the organ's name (or the key reference set on the
#: organ in the admin): a PKCS#12 file {"pkcs12": "/etc/zizhu/keys/scjgj.p12",
#: "passphrase_env": "ZIZHU_SCJGJ_KEY_PASSPHRASE"} or a PKCS#11 token {"pkcs11": {"module":
#: "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so", "token": "czj", "key": "seal"},
#: "pin_env": "ZIZHU_CZJ_PIN"}. The passphrase or PIN is read from the environment variable
#: named there, never written here. JSON in NOTICE_SIGNING_KEYS.
NOTICE_SIGNING_KEYS = env.json("NOTICE_SIGNING_KEYS", default={})
#: A JSON file of more keys in the same shape, and "trust_roots"; development reads the one
#: `manage.py demo_signing` writes (a test CA and specimen keys, clearly not real).
NOTICE_SIGNING_KEYS_FILE = env.str(
    "NOTICE_SIGNING_KEYS_FILE",
    default=str(BASE_DIR / "var" / "demo-signing" / "keys.json") if DEBUG else "")
#: PEM files of the CA certificates the verification page accepts (the office's CA).
NOTICE_SIGNING_TRUST_ROOTS = env.list("NOTICE_SIGNING_TRUST_ROOTS", default=[])
#: Production refuses to issue a notice while an organ on it has no configured key.
NOTICE_SIGNATURES_REQUIRED = env.bool("NOTICE_SIGNATURES_REQUIRED", default=not DEBUG)
#: The verification page takes PDFs up to this size.
NOTICE_VERIFY_MAX_BYTES = env.int("NOTICE_VERIFY_MAX_BYTES", default=20 * 1024 * 1024)

# --- HTTPS and cookies ---------------------------------------------------------------
# On by default whenever DEBUG is off. The web server sits behind a TLS-terminating proxy
# that sets X-Forwarded-Proto (and strips it from clients).
SECURE_HTTPS = env.bool("SECURE_HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = SECURE_HTTPS
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
if SECURE_HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 60 * 60)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy on every page (django-csp): scripts only from the site's own files
# (no inline script anywhere: behaviour comes from static/js/zizhu.js and data attributes),
# nothing loaded from elsewhere. Styles may be inline: viewflow's Material components and
# the admin set style attributes. A served attachment keeps its own stricter policy.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Sessions end after SESSION_IDLE_MINUTES without a request, and at the latest when the
# browser closes.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=120) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Logging: everything to stderr, where gunicorn, Celery and systemd collect it ------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"refusals_in_one_line": {"()": "config.logging_filters.RefusalsInOneLine"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain",
                            "filters": ["refusals_in_one_line"]}},
    "root": {"handlers": ["stderr"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"},
                "fontTools": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

# --- Login throttling (django-axes) and two-factor authentication (django-otp, TOTP) ---------
# After AXES_FAILURE_LIMIT failed logins for one username from one address, that pair is
# locked out for AXES_COOLOFF_MINUTES (the database records attempts: every web server agrees).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_address"
# the admin lists django-axes's records through accounts' proxies, named in Chinese
AXES_ENABLE_ADMIN = False
#: Reverse proxies in front of the web servers, each appending the address it received the
#: request from to X-Forwarded-For: the client is the PROXY_COUNT-th entry from the right.
#: 0: the client is the connection's address (X-Forwarded-For is ignored: clients forge it).
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
#: API tokens expire this many days after they were issued (ask for a new one).
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=90)
#: Staff (every role but applicants) must sign in with a TOTP code from an authenticator app;
#: on by default whenever DEBUG is off.
STAFF_TWO_FACTOR = env.bool("STAFF_TWO_FACTOR", default=not DEBUG)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Zizhu 资助")
TWO_FACTOR_REMEMBER_COOKIE_AGE = None

# --- Reports ------------------------------------------------------------------------------
#: The dashboard flags an application that has waited in its current stage for more than
#: this many working days (the office's service standard; the dashboard can override it).
REPORTS_OVERDUE_WORKDAYS = env.int("REPORTS_OVERDUE_WORKDAYS", default=10)
