"""What production cannot run without: its keys and a cache every web server shares.

Settings do not fail on import without them, so commands that serve nothing (makemigrations,
check) still run on a bare checkout. The web and worker entry points refuse to start without
the keys, the audit log never writes without its key, and `check --deploy` reports all of it."""

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

REQUIRED = ("SECRET_KEY", "AUDIT_HMAC_KEY")


def missing_secrets() -> list[str]:
    """The required keys that are not set."""
    return [name for name in REQUIRED if not getattr(settings, name, "")]


def refuse_to_start_without_secrets() -> None:
    """Called by config/wsgi.py, asgi.py and celery.py before serving anything."""
    missing = missing_secrets()
    if missing:
        raise ImproperlyConfigured(
            "Set the " + " and ".join(missing) + " environment variable"
            + ("s" if len(missing) > 1 else "") + " (DEBUG is off).")


#: Cache backends that each process keeps to itself: the public forms' rate limits would count
#: per process (django-ratelimit's own E003 says the same; it is silenced for other commands).
PER_PROCESS_CACHES = ("django.core.cache.backends.locmem.LocMemCache",
                      "django.core.cache.backends.dummy.DummyCache")


@register(deploy=True)
def check_production(app_configs=None, **kwargs):
    errors = [Error(f"{name} is not set.", hint="Set it in the environment (see the README).",
                    id="zizhu.E010") for name in missing_secrets()]
    backend = settings.CACHES[getattr(settings, "RATELIMIT_USE_CACHE", "default")]["BACKEND"]
    if backend in PER_PROCESS_CACHES:
        errors.append(Error(
            f"cache backend {backend} is not a shared cache (django_ratelimit.E003): the "
            "public forms' rate limits would count per process.",
            hint="Set CACHE_URL, e.g. redis://127.0.0.1:6379/1.", id="zizhu.E011"))
    return errors
