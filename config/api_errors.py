"""The API answers every error in JSON, whatever produced it: a URL under /api/ that does not
exist, a method an operation does not take, a body too big, an unhandled exception (500).
The operations' own errors are JSON already (api/api.py); this catches the rest, which
Django and django-ninja answer with an HTML page or plain text."""

from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _

API_PREFIX = "/api/"

#: status → (code, what the client is told)
ERRORS = {
    400: ("bad_request", _("请求有误。")),
    403: ("forbidden", _("没有权限。")),
    404: ("not_found", _("未找到。")),
    405: ("method_not_allowed", _("该地址不支持此请求方法。")),
    413: ("too_large", _("请求体过大。")),
    500: ("server_error", _("服务器内部错误，已记录，请稍后再试。")),
}


class ApiErrorsAsJsonMiddleware:
    """Outermost for /api/: an error response that is not JSON becomes {"code", "detail"}."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (request.path.startswith(API_PREFIX) and response.status_code >= 400
                and not response.get("Content-Type", "").startswith("application/json")):
            code, detail = ERRORS.get(response.status_code, ("error", _("请求未能完成。")))
            answer = JsonResponse({"code": code, "detail": str(detail)},
                                  status=response.status_code,
                                  json_dumps_params={"ensure_ascii": False})
            if "Allow" in response:  # a 405 names the methods the address takes
                answer["Allow"] = response["Allow"]
            return answer
        return response
