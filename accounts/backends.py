"""Permissions that follow from a user's role (used by viewflow's task queues)."""

from .models import Role

#: Permissions each role holds by virtue of its role alone.
ROLE_PERMISSIONS = {
    Role.CITY: {"notices.view_noticeprocess", "notices.draft_notice"},
    Role.CHIEF: {"notices.view_noticeprocess", "notices.draft_notice", "notices.check_notice"},
    Role.LEADER: {"notices.view_noticeprocess", "notices.sign_notice"},
    Role.FINANCE: {"notices.view_noticeprocess", "notices.countersign_notice"},
}


class RolePermissionBackend:
    """Grants ROLE_PERMISSIONS[user.role]; authenticates nobody (ModelBackend does that)."""

    def authenticate(self, request, **credentials):
        return None

    def get_all_permissions(self, user, obj=None):
        if not user.is_active or user.is_anonymous:
            return set()
        return set(ROLE_PERMISSIONS.get(getattr(user, "role", None), ()))

    def has_perm(self, user, perm, obj=None):
        return perm in self.get_all_permissions(user, obj)

    def get_user(self, user_id):
        return None
