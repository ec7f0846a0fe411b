"""Staff must have verified a second factor before using anything but the sign-in pages."""

from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from .twofactor import has_device, needs_two_factor

#: URL names an unverified staff user may still reach: signing in, enrolling, signing out.
OPEN_NAMESPACES = {"two_factor"}
OPEN_NAMES = {"login", "logout", "set_language"}


def _is_open(path: str) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return True  # a 404 page reveals nothing
    return match.url_name in OPEN_NAMES or bool(OPEN_NAMESPACES & set(match.namespaces))


class StaffTwoFactorMiddleware:
    """Send staff signed in with a password only to enrol (or verify) a TOTP device; API calls
    on such a session get 403. Bearer tokens are checked by the API itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (needs_two_factor(user) and not user.is_verified()
                and not _is_open(request.path_info)):
            if request.path_info.startswith("/api/"):
                return JsonResponse({"code": "two_factor_required",
                                     "detail": _("工作人员须先完成两步验证。")}, status=403)
            if has_device(user):
                # signed in without the code (e.g. before enrolling): sign in again with it
                logout(request)
                return redirect_to_login(request.get_full_path())
            return redirect("two_factor:setup")
        return self.get_response(request)
