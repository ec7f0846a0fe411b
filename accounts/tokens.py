"""API tokens a person holds: listed and revoked by their owner, and revoked all at once when
the password changes or the account is deactivated (a token must not outlive the trust that
issued it)."""

from datetime import timedelta

from django.conf import settings
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import timezone

from .models import ApiToken, User


def own_tokens(user) -> list[ApiToken]:
    """The user's tokens, newest first, each with `expires_at`."""
    tokens = list(ApiToken.objects.filter(user=user).order_by("-created_at", "-id"))
    for token in tokens:
        token.expires_at = token.created_at + timedelta(days=settings.API_TOKEN_DAYS)
        token.expired = token.expires_at <= timezone.now()
    return tokens


def revoke(user, token_id: int) -> bool:
    """Revoke one of the user's own tokens; False when it is not theirs (or gone already)."""
    deleted, _per_model = ApiToken.objects.filter(user=user, pk=token_id).delete()
    return bool(deleted)


@receiver(pre_save, sender=User, dispatch_uid="revoke_tokens_when_trust_changes")
def revoke_tokens_when_trust_changes(sender, instance, update_fields=None, raw=False, **kwargs):
    """A new password or a deactivated account ends every API token the account holds."""
    if raw or instance.pk is None:
        return
    if update_fields is not None and not {"password", "is_active"} & set(update_fields):
        return  # e.g. last_login: nothing that matters here changed
    before = User.objects.filter(pk=instance.pk).values("password", "is_active").first()
    if before is None:
        return
    if before["password"] != instance.password or (before["is_active"]
                                                   and not instance.is_active):
        ApiToken.objects.filter(user_id=instance.pk).delete()
