"""Refuse requests carrying NUL characters before any view sees them.

PostgreSQL cannot store U+0000 in text, so such input would otherwise fail deep inside a
query; no legitimate form field, query string or JSON text contains it. File uploads are not
inspected (binary files contain NUL bytes).
"""



import re
from urllib.parse import unquote

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





_FILENAME = re.compile(rb'filename(\*?)=("([^"]*)"|[^;\r\n]*)', re.IGNORECASE)


class _NameWatchingStream:
    """Passes the request body through unchanged, noting upload file names that carry a
    path. (Django's multipart parser strips paths before any view can see them, so the
    attempt would otherwise go unnoticed.)"""

    def __init__(self, stream, found: list):
        self._stream, self._found, self._tail = stream, found, b""

    def _scan(self, data: bytes) -> bytes:
        window = self._tail + data
        for match in _FILENAME.finditer(window):
            raw = match.group(3) if match.group(3) is not None else match.group(2)
            name = unquote(raw.decode("utf-8", "replace").split("''", 1)[-1])
            if ("/" in name or "\\" in name) and name not in self._found:
                self._found.append(name)
        self._tail = window[-512:]
        return data

    def __getattr__(self, name):
        # everything else (close, …) as the wrapped stream has it: reading request.body of a
        # multipart PUT closes the stream, which raised AttributeError (a 500) before
        return getattr(self._stream, name)

    def read(self, *args, **kwargs):
        return self._scan(self._stream.read(*args, **kwargs))

    def readline(self, *args, **kwargs):
        return self._scan(self._stream.readline(*args, **kwargs))


class UploadNameMiddleware:
    """Sets `request.upload_names_with_paths`: file names sent with a directory part."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.upload_names_with_paths = []
        if request.method in ("POST", "PUT", "PATCH") and request.META.get(
                "CONTENT_TYPE", "").startswith("multipart/form-data"):
            request._stream = _NameWatchingStream(request._stream,
                                                  request.upload_names_with_paths)
        return self.get_response(request)
