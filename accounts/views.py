"""The person's own account pages: their API tokens, listed and revoked."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from config.confirm import ask_to_confirm, confirmed

from .tokens import own_tokens, revoke


class TokensView(LoginRequiredMixin, View):
    """The API tokens the signed-in person holds; each can be revoked (asked first)."""

    access_rule = "signed in: the person's own tokens only"
    template = "accounts/tokens.html"

    def get(self, request):
        return render(request, self.template, {"tokens": own_tokens(request.user)})

    def post(self, request):
        token = next((t for t in own_tokens(request.user)
                      if str(t.pk) == request.POST.get("token")), None)
        if token is None:
            messages.error(request, _("未找到该令牌，可能已撤销。"))
            return HttpResponseRedirect(request.path, status=303)
        if not confirmed(request):
            return ask_to_confirm(
                request, template="portal/confirm_step.html", title=_("撤销 API 令牌"),
                button=_("确定撤销"), items=[token.name or token.key_hash[:8]],
                message=_("撤销后，使用该令牌的程序将无法再访问接口，需重新申请令牌。确定撤销？"))
        revoke(request.user, token.pk)
        messages.success(request, _("令牌已撤销。"))
        return HttpResponseRedirect(request.path, status=303)
