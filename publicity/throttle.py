"""The rate limits of the public forms (objection, objection lookup), counted by
django-ratelimit in the shared cache (see CACHES in the settings): per address, and for
objections per identity number too, with a challenge (CAPTCHA) once an address has lodged a
few."""

from django_ratelimit.core import get_usage, is_ratelimited

from subsidy.identifiers import normalise_uscc

#: form → (uses allowed, within so many minutes). Lodging allows for a few corrected
#: attempts; looking up is limited harder because each try guesses a pair; one identity
#: number may object a few times a day (generated numbers are stopped by the address limit
#: and the challenge).
LIMITS = {
    "objection": (10, 60),
    "objection_lookup": (10, 15),
    "objection_identity": (5, 24 * 60),
}

#: Objections an address lodges in the window of its limit before each further one asks for
#: the challenge.
UNCHALLENGED_OBJECTIONS = 3


def wait_minutes(form: str) -> int:
    """How long someone who reached the limit waits at most, in whole minutes."""
    return LIMITS[form][1]


def _rate(form: str) -> str:
    uses, minutes = LIMITS[form]
    return f"{uses}/{minutes}m"


def _identity(group, request) -> str:
    return normalise_uscc(request.POST.get("identity") or "")


def allow(form: str, request) -> bool:
    """Count one use of `form` from the request's address; False once the limit is reached."""
    return not is_ratelimited(request, group=f"public-{form}", key="ip", rate=_rate(form),
                              increment=True)


def allow_identity(request) -> bool:
    """Count one objection by the identity number it gives; False once that number reached
    its limit (a request without one is not counted: it is refused for the missing number)."""
    if not _identity(None, request):
        return True
    return not is_ratelimited(request, group="public-objection-identity", key=_identity,
                              rate=_rate("objection_identity"), increment=True)


def challenge_needed(request) -> bool:
    """Whether the request's address has lodged enough objections (counted by `allow`) that
    the next one must pass the challenge."""
    usage = get_usage(request, group="public-objection", key="ip", rate=_rate("objection"))
    return usage is not None and usage["count"] >= UNCHALLENGED_OBJECTIONS
