from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin as BaseStaticDeviceAdmin
from django_otp.plugins.otp_static.admin import StaticTokenInline
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin as BaseTOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import (
    DEVICE_NAMES,
    ApiToken,
    Authenticator,
    BackupCodes,
    BackupToken,
    LoginAttempt,
    LoginFailure,
    LoginRecord,
    User,
)

#: The permissions Django (and viewflow: manage) create for every model; their names are
#: stored in English ("Can add …") when the tables are created, so they are named here.
DEFAULT_ACTIONS = {"add": _("可添加%(model)s"), "change": _("可修改%(model)s"),
                   "delete": _("可删除%(model)s"), "view": _("可查看%(model)s"),
                   "manage": _("可管理%(model)s")}


def permission_label(permission) -> str:
    """A permission as the selection lists show it, in the reader's language."""
    action, _sep, model_name = permission.codename.partition("_")
    model = permission.content_type.model_class()
    if action in DEFAULT_ACTIONS and model is not None and model._meta.model_name == model_name:
        name = DEFAULT_ACTIONS[action] % {"model": model._meta.verbose_name}
    else:
        name = gettext(permission.name)
    return f"{permission.content_type} | {name}"


#: Apps whose rows no person is given rights over: django-simple-captcha's challenges are
#: made and checked by the public objection form alone.
UNGRANTED_APPS = ("captcha",)


class PermissionLabelsMixin:
    """Permission choices read "用户与权限 | 用户 | 可添加用户", not "Can add 用户", and leave
    out what no one is granted."""

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name in ("permissions", "user_permissions"):
            field.label_from_instance = permission_label
            field.queryset = field.queryset.exclude(
                content_type__app_label__in=UNGRANTED_APPS)
        return field


@admin.register(User)
class UserAdmin(PermissionLabelsMixin, BaseUserAdmin):
    list_display = ("username", "first_name", "role", "organisation", "region", "is_active")
    list_filter = ("role", "region", "is_active")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("角色与归属"), {"fields": ("role", "organisation", "region", "phone")}),
    )
    autocomplete_fields = ("organisation",)


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(PermissionLabelsMixin, BaseGroupAdmin):
    pass


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "created_at", "last_used_at")
    readonly_fields = ("key_hash", "created_at", "last_used_at")


# django-axes's records (AXES_ENABLE_ADMIN is off: these proxies name them in Chinese)
@admin.register(LoginAttempt)
class LoginAttemptAdmin(AccessAttemptAdmin):
    """django-axes's admin, its two computed columns named."""

    @admin.display(description=_("状态"))
    def status(self, obj):
        return super().status(obj)

    @admin.display(description=_("失效时间"))
    def expiration(self, obj):
        return super().expiration(obj)


admin.site.register(LoginRecord, AccessLogAdmin)
admin.site.register(LoginFailure, AccessFailureLogAdmin)


# --- django-otp's devices, in the reader's language (field names: accounts/thirdparty.py) --
DEVICE_FIELDSETS = {"Identity": _("设备"), "Timestamps": _("时间"), "Configuration": _("参数"),
                    "State": _("状态"), "Throttling": _("验证失败限制")}
DEVICE_HELP = {
    "user": _("设备所属的用户。"),
    "name": _("便于辨认的设备名称。"),
    "confirmed": _("设备是否已可使用。"),
    "key": _("十六进制编码的密钥，最长 40 字节。"),
    "step": _("每个验证码的有效时间，单位为秒。"),
    "t0": _("开始计算时间步的时刻（Unix 时间戳）。"),
    "digits": _("验证码的位数。"),
    "tolerance": _("允许前后相差的时间步数。"),
    "drift": _("设备时钟与服务器时钟相差的时间步数。"),
    "throttling_failure_timestamp": _("最近一次验证失败的时间；上次验证成功则为空。"),
    "throttling_failure_count": _("连续验证失败的次数。"),
}
#: read-only timestamps, shown without django-otp's English help texts
DEVICE_TIMES = {"created_at": "created", "last_used_at": "last_used"}


class DeviceAdminMixin:
    """Fieldsets, help texts and search hint in the reader's language."""

    search_help_text = _("按用户名或电子邮箱搜索")

    def get_list_display(self, request):
        return ["device_name" if f == "name" else f for f in super().get_list_display(request)]

    @admin.display(description=_("名称"), ordering="name")
    def device_name(self, device):
        return DEVICE_NAMES.get(device.name, device.name)

    def get_readonly_fields(self, request, obj=None):
        return [DEVICE_TIMES.get(f, f) for f in super().get_readonly_fields(request, obj)]

    def get_fieldsets(self, request, obj=None):
        return [(DEVICE_FIELDSETS.get(name, name),
                 {**options, "fields": [DEVICE_TIMES.get(f, f) for f in options["fields"]]})
                for name, options in super().get_fieldsets(request, obj)]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and db_field.name in DEVICE_HELP:
            field.help_text = DEVICE_HELP[db_field.name]
        return field

    @admin.display(description=_("创建时间"))
    def created(self, device):
        return device.created_at or self.get_empty_value_display()

    @admin.display(description=_("最近使用时间"))
    def last_used(self, device):
        return device.last_used_at or self.get_empty_value_display()


# listed through accounts' proxies, named in Chinese
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


@admin.register(Authenticator)
class TOTPDeviceAdmin(DeviceAdminMixin, BaseTOTPDeviceAdmin):
    @admin.display(description=_("二维码"))
    def qrcode_link(self, device):
        return format_html('<a href="{}">{}</a>', reverse("admin:otp_totp_totpdevice_config",
                                                          kwargs={"pk": device.pk}),
                           gettext("显示二维码"))


class BackupTokenInline(StaticTokenInline):
    model = BackupToken


@admin.register(BackupCodes)
class StaticDeviceAdmin(DeviceAdminMixin, BaseStaticDeviceAdmin):
    inlines = [BackupTokenInline]
