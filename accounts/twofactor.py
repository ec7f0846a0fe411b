"""Who must sign in with a second factor, and checking a code outside the login pages."""

from django.conf import settings
from django_otp import devices_for_user, match_token

from .models import Role


def needs_two_factor(user) -> bool:
    """Staff (every role but applicants) and superusers, when STAFF_TWO_FACTOR is on."""
    if not settings.STAFF_TWO_FACTOR or not user.is_authenticated:
        return False
    return user.is_superuser or user.is_staff or user.role != Role.APPLICANT


def has_device(user) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


def code_matches(user, code: str | None) -> bool:
    """True when `code` is a current TOTP code (or an unused backup code) of the user."""
    return bool(code) and match_token(user, code.strip()) is not None
