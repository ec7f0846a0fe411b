"""The answer to a locked-out login (django-axes calls it)."""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_response(request, *args, **kwargs):
    """429 with the wait time: JSON for the API, a page otherwise."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    detail = _("登录失败次数过多，已暂时锁定，请 %(minutes)d 分钟后再试。") % {"minutes": minutes}
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "locked_out", "detail": detail}, status=429)
    return render(request, "accounts/locked_out.html", {"detail": detail}, status=429)
