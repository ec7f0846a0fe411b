"""Staff must have verified a second factor before using anything but the sign-in pages."""

from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from .twofactor import has_device, needs_two_factor

#: What a signed-in but unverified staff member may still reach: signing in and out.
SIGN_IN = {"login", "logout", "set_language"}
#: ...and, only while they have no device yet, enrolling one.
ENROL = {"two_factor:setup", "two_factor:qr"}


def _url_name(path: str) -> str | None:
    """'namespace:name' of the URL, or None when nothing matches (a 404 reveals nothing)."""
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


class StaffTwoFactorMiddleware:
    """Staff signed in with a password only: those without a device are sent to enrol one,
    those with one (a session from before they enrolled) are signed out to sign in with the
    code; API calls on such a session get 403. Bearer tokens are checked by the API itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if needs_two_factor(user) and not user.is_verified():
            name = _url_name(request.path_info)
            if name is not None and name.rsplit(":", 1)[-1] not in SIGN_IN:
                if has_device(user):
                    logout(request)
                    return redirect_to_login(request.get_full_path())
                if name not in ENROL:
                    if request.path_info.startswith("/api/"):
                        return JsonResponse({"code": "two_factor_required",
                                             "detail": _("工作人员须先完成两步验证。")},
                                            status=403)
                    return redirect("two_factor:setup")
        return self.get_response(request)
