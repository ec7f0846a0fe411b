"""The challenge (CAPTCHA, django-simple-captcha: images drawn on the server, nothing loaded
from elsewhere) an address must pass once it has lodged a few objections."""

from captcha.fields import CaptchaField
from django import forms
from django.utils.translation import gettext_lazy as _


class ChallengeForm(forms.Form):
    captcha = CaptchaField(label=_("验证码"), error_messages={
        "invalid": _("验证码不正确或已过期，请按新图片重新输入。"),
        "required": _("请输入图片中算式的结果。")})
