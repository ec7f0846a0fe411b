"""API authentication: Django session (with CSRF) or `Authorization: Bearer <token>`."""

from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from accounts.models import ApiToken


class BearerToken(HttpBearer):
    """A per-user token issued by POST /api/v1/auth/token."""

    def authenticate(self, request, token):
        found = (ApiToken.objects.select_related("user")
                 .filter(key_hash=ApiToken.digest(token), user__is_active=True).first())
        if found is None:
            return None
        now = timezone.now()
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 300:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user


AUTH = [BearerToken(), SessionAuth()]
