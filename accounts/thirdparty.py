"""Chinese names for django-otp's and django-axes's models and fields.

django-otp marks none of its model or field names for translation and django-axes gives its
app no name, so the admin's columns, labels and filters, and the permission lists, read in
English whatever the language. They are named here, as translatable strings of ours, once
the apps are loaded (`AccountsConfig.ready`). Only names are set, which migrations do not
record; help texts, which they do, are given by the admin forms, and the records' own names
by the proxies in accounts/models.py. The strings django-axes does mark have their Chinese
in locale/zh_Hans."""

from django.apps import apps
from django.utils.translation import gettext_lazy as _

APP_NAMES = {
    "otp_totp": _("两步验证：身份验证器"),
    "otp_static": _("两步验证：备用验证码"),
    "axes": _("登录记录"),
}

_DEVICE_FIELDS = {
    "user": _("用户"),
    "name": _("名称"),
    "confirmed": _("已启用"),
    "created_at": _("创建时间"),
    "last_used_at": _("最近使用时间"),
    "throttling_failure_timestamp": _("最近一次验证失败时间"),
    "throttling_failure_count": _("连续验证失败次数"),
}

#: model → (verbose name, plural, field names)
MODEL_NAMES = {
    "otp_totp.TOTPDevice": (_("身份验证器"), _("身份验证器"), {
        **_DEVICE_FIELDS,
        "key": _("密钥"),
        "step": _("时间步长"),
        "t0": _("起始时间"),
        "digits": _("验证码位数"),
        "tolerance": _("容许偏差"),
        "drift": _("时钟偏移"),
        "last_t": _("最近验证的时间步"),
    }),
    "otp_static.StaticDevice": (_("备用验证码组"), _("备用验证码组"), _DEVICE_FIELDS),
    "otp_static.StaticToken": (_("备用验证码"), _("备用验证码"), {
        "device": _("备用验证码组"),
        "token": _("验证码"),
    }),
}


def name_third_party_models() -> None:
    for label, name in APP_NAMES.items():
        apps.get_app_config(label).verbose_name = name
    for label, (singular, plural, fields) in MODEL_NAMES.items():
        meta = apps.get_model(label)._meta
        meta.verbose_name, meta.verbose_name_plural = singular, plural
        for field, name in fields.items():
            meta.get_field(field).verbose_name = name
