"""Document numbers: one gapless sequence per issuer prefix and year."""

from django.db import IntegrityError, transaction
from django.db.models import F

from .models import DocumentSequence


def allocate(prefix: str, year: int) -> int:
    """The next serial for (prefix, year). Call inside the issuing transaction: the row stays
    locked until it commits, and a rollback gives the number back, so there are no gaps."""
    if not transaction.get_connection().in_atomic_block:  # not an assert: -O must keep it
        raise RuntimeError("allocate inside the issuing transaction")
    for _attempt in range(2):
        updated = DocumentSequence.objects.filter(prefix=prefix, year=year).update(
            last=F("last") + 1)
        if updated:
            return DocumentSequence.objects.values_list("last", flat=True).get(
                prefix=prefix, year=year)
        try:
            with transaction.atomic():
                DocumentSequence.objects.create(prefix=prefix, year=year, last=0)
        except IntegrityError:
            pass  # created meanwhile by a concurrent issue: update it on the next round
    raise RuntimeError("could not allocate a document number")
