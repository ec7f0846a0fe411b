"""The office's 文号 register: an administrator sets where a year's sequence continues.

The office numbers paper documents from the same sequence (the call itself was
衡市监办〔2021〕68号), so the system must start, or continue, after the numbers used on
paper. Numbers the system issued are never handed out again: the next number can be raised
freely and lowered only down to just after the highest one the system used.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from accounts.models import Role

from .models import DocumentNumberChange, DocumentSequence, Notice


def may_set_numbers(user) -> bool:
    """Only the system administrator keeps the register."""
    return bool(user and user.is_authenticated
                and (user.is_superuser or getattr(user, "role", None) == Role.ADMIN))


def highest_issued(prefix: str, year: int) -> int:
    """The highest serial the system issued for (prefix, year), 0 when none."""
    return Notice.objects.filter(number_prefix=prefix, year=year, serial__isnull=False
                                 ).aggregate(top=Max("serial"))["top"] or 0


def set_next_number(actor, prefix: str, year: int, next_number: int,
                    reason: str) -> DocumentSequence:
    """Make `next_number` the serial of the next notice issued under (prefix, year), recorded
    with who, when and why; refused below a number the system already issued."""
    if not may_set_numbers(actor):
        raise PermissionDenied(_("只有系统管理员可以设定发文字号。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请写明设定原因（例如：纸质公文已用到第67号）。")})
    with transaction.atomic():
        DocumentSequence.objects.get_or_create(prefix=prefix, year=year)
        # the lock waits for an issue in progress, so its number counts as used
        sequence = DocumentSequence.objects.select_for_update().get(prefix=prefix, year=year)
        check_next_number(prefix, year, next_number)
        previous = sequence.next_number
        sequence.last = next_number - 1
        sequence.save(update_fields=["last"])
        DocumentNumberChange.objects.create(prefix=prefix, year=year, previous_next=previous,
                                            next_number=next_number, reason=reason,
                                            changed_by=actor)
    return sequence


def check_next_number(prefix: str, year: int, next_number: int) -> None:
    """Refuse a next number the system already issued, or one that changes nothing."""
    if next_number < 1:
        raise ValidationError({"next_number": _("序号从1开始。")})
    used = highest_issued(prefix, year)
    if next_number <= used:
        raise ValidationError({"next_number": _(
            "本系统已印发%(prefix)s〔%(year)s〕%(used)s号，下一个序号不能小于%(least)s。") % {
                "prefix": prefix, "year": year, "used": used, "least": used + 1}})
    current = (DocumentSequence.objects.filter(prefix=prefix, year=year)
               .values_list("last", flat=True).first() or 0) + 1
    if next_number == current:
        raise ValidationError({"next_number": _("下一个序号已经是%(n)s，无需设定。") % {
            "n": next_number}})
