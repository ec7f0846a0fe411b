"""Refuse requests carrying NUL characters before any view sees them.

PostgreSQL cannot store U+0000 in text, so such input would otherwise fail deep inside a
query; no legitimate form field, query string or JSON text contains it. File uploads are not
inspected (binary files contain NUL bytes).
"""



from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext_lazy as _

NUL = "\x00"


def _has_nul(request) -> bool:
    if NUL in request.path or NUL in request.META.get("QUERY_STRING", "") \
            or any(NUL in v for values in request.GET.lists() for v in values[1]):
        return True
    content_type = request.META.get("CONTENT_TYPE", "")
    if request.method in ("POST", "PUT", "PATCH"):
        if content_type.startswith("application/json"):
            return b"\\u0000" in request.body or b"\x00" in request.body
        if content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
            return any(NUL in v for values in request.POST.lists() for v in values[1])
    return False


class RejectNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            message = str(_("请求中含有不允许的空字符（U+0000）。"))
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "invalid", "detail": message}, status=400,
                                    json_dumps_params={"ensure_ascii": False})
            return HttpResponseBadRequest(message)
        return self.get_response(request)



