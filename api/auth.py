"""API authentication: Django session (with CSRF) or `Authorization: Bearer <token>`."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from accounts.models import ApiToken


class BearerToken(HttpBearer):
    """A per-user token issued by POST /api/v1/auth/token, valid for API_TOKEN_DAYS."""

    def authenticate(self, request, token):
        now = timezone.now()
        found = (ApiToken.objects.select_related("user")
                 .filter(key_hash=ApiToken.digest(token), user__is_active=True,
                         created_at__gte=now - timedelta(days=settings.API_TOKEN_DAYS))
                 .first())
        if found is None:
            return None
        if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 300:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        return found.user


AUTH = [BearerToken(), SessionAuth()]
