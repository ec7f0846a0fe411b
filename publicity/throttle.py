"""The rate limits of the public forms (objection, objection lookup, notice verification),
counted by django-ratelimit per address in the shared cache (see CACHES in the settings)."""

from django_ratelimit.core import is_ratelimited

from accounts.lockout import client_address

#: form → (uses allowed from one address, within so many minutes). Lodging allows for a few
#: corrected attempts; looking up is limited harder because each try guesses a pair.
LIMITS = {
    "objection": (10, 60),
    "objection_lookup": (10, 15),
    # each check validates signatures (CPU) or guesses a number; a reader checks a few
    "verify": (20, 10),
}


def wait_minutes(form: str) -> int:
    """How long someone who reached the limit waits at most, in whole minutes."""
    return LIMITS[form][1]


def no_address(group: str, request) -> str:
    return "unknown"


def allow(form: str, request) -> bool:
    """Count one use of `form` from the request's address (django-ratelimit's "ip": behind
    PROXY_COUNT proxies, IPv6 by its /64); requests that carry no address (a WSGI caller
    that sets no REMOTE_ADDR) share one count rather than fail."""
    uses, minutes = LIMITS[form]
    key = "ip" if client_address(request) else no_address
    return not is_ratelimited(request, group=f"public-{form}", key=key,
                              rate=f"{uses}/{minutes}m", increment=True)
