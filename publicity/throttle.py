"""The rate limit of the public forms (objection, objection lookup): so many uses from one
address within a window, counted in the database."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.lockout import client_address

from .models import PublicFormUse

#: form → (uses allowed from one address, within this window). Lodging allows for a few
#: corrected attempts; looking up is limited harder because each try guesses a pair.
LIMITS = {
    "objection": (10, timedelta(hours=1)),
    "objection_lookup": (10, timedelta(minutes=15)),
}


def wait_minutes(form: str) -> int:
    """How long someone who reached the limit waits at most, in whole minutes."""
    return int(LIMITS[form][1].total_seconds() // 60)


def allow(form: str, request) -> bool:
    """Count one use of `form` from the request's address; False once the limit is reached
    (a refused use is not counted, so the wait ends when the window has passed)."""
    limit, window = LIMITS[form]
    address = client_address(request) or ""
    since = timezone.now() - window
    with transaction.atomic():
        PublicFormUse.objects.filter(form=form, at__lt=since).delete()  # the table stays small
        if PublicFormUse.objects.filter(form=form, address=address,
                                        at__gte=since).count() >= limit:
            return False
        PublicFormUse.objects.create(form=form, address=address)
    return True
