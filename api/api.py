"""The JSON API, /api/v1/ (OpenAPI document at /api/v1/openapi.json)."""

from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.http.request import RawPostDataException
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer

from accounts.models import ApiToken
from accounts.tokens import own_tokens, revoke
from accounts.twofactor import code_matches, needs_two_factor
from workflows.exceptions import TransitionRefused

from .auth import AUTH
from .schemas import ErrorOut, TokenIn, TokenListOut, TokenOut


class UnicodeJSONRenderer(JSONRenderer):
    """JSON with Chinese text as UTF-8 rather than \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(title="Zizhu API", version="1", auth=AUTH, urls_namespace="api-v1",
               renderer=UnicodeJSONRenderer(), description="资助申报与审核流程的 JSON 接口。")


def error(request, status: int, code: str, detail: str, **extra):
    return api.create_response(request, {"code": code, "detail": detail, **extra}, status=status)


@api.exception_handler(TransitionRefused)
def on_refusal(request, exc: TransitionRefused):
    reasons = exc.reasons()
    return error(request, exc.status, exc.code, str(exc.reason), reasons=reasons)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        errors = {field: [str(m) for e in errs for m in e.messages]
                  for field, errs in exc.error_dict.items()}
    else:
        errors = {"__all__": [str(m) for m in exc.messages]}
    return error(request, 422, "invalid", _("提交的数据有误。"), errors=errors)


@api.exception_handler(NinjaValidationError)
def on_schema_error(request, exc: NinjaValidationError):
    errors = {}
    for item in exc.errors:
        where = ("body", "query", "path", "form", "file", "header", "cookie")
        field = ".".join(str(p) for p in item.get("loc", ()) if p not in where) or "__all__"
        errors.setdefault(field, []).append(item.get("msg", "invalid"))
    return error(request, 422, "invalid", _("提交的数据有误。"), errors=errors)


@api.exception_handler(RawPostDataException)
def on_form_body_for_json(request, exc):
    """A form-encoded (multipart) body sent to an operation that reads JSON."""
    return error(request, 415, "unsupported_media_type", _("请求体须为 JSON（application/json）。"))


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc):
    return error(request, 403, "forbidden", str(exc) or _("没有权限。"))


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return error(request, 404, "not_found", _("未找到。"))


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return error(request, 401, "unauthenticated", _("请先登录或提供有效的令牌。"))


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    detail = _("请求体不是有效的 JSON。") if exc.status_code == 400 else str(exc)
    return error(request, exc.status_code, "bad_request" if exc.status_code == 400 else "error",
                 detail)


@api.post("/auth/token", auth=None, response={200: TokenOut, 401: ErrorOut},
          tags=["auth"], summary="Exchange username and password for a bearer token")
def issue_token(request, body: TokenIn):
    user = authenticate(request, username=body.username, password=body.password)
    if user is None or not user.is_active:
        return Status(401, {"code": "bad_credentials", "detail": _("用户名或密码错误。")})
    if needs_two_factor(user) and not code_matches(user, body.otp_token):
        return Status(401, {"code": "two_factor_required",
                            "detail": _("工作人员须提供身份验证器中的动态验证码（otp_token）。")})
    _row, raw = ApiToken.issue(user, name="api")
    return {"token": raw, "username": user.username, "role": user.role}


@api.get("/auth/tokens", response=list[TokenListOut], tags=["auth"],
         summary="Your own API tokens (never the tokens themselves)")
def list_tokens(request):
    return own_tokens(request.auth)


@api.delete("/auth/tokens/{token_id}", response={204: None, 404: ErrorOut}, tags=["auth"],
            summary="Revoke one of your own API tokens")
def revoke_token(request, token_id: int):
    if not revoke(request.auth, token_id):
        return Status(404, {"code": "not_found", "detail": _("未找到该令牌，可能已撤销。")})
    return Status(204, None)


from . import applications, calendar, categories, notices, notifications  # noqa: E402  (routes on `api`)

api.add_router("/calendar", calendar.router)
api.add_router("/categories", categories.router)
api.add_router("/notifications", notifications.router)
api.add_router("/notices", notices.router)
api.add_router("/", applications.router)
