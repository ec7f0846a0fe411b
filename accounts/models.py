"""Users, their role in the programme, and API tokens; the admin's names for django-axes's and
django-otp's records."""

import hashlib
import secrets

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice


class Role(models.TextChoices):
    APPLICANT = "applicant", _("申报单位")
    COUNTY = "county", _("县市区审核员")
    CITY = "city", _("市局科室工作人员")
    CHIEF = "chief", _("科长")
    LEADER = "leader", _("分管局领导")
    FINANCE = "finance", _("财政局")
    EXPERT = "expert", _("评审专家")
    ADMIN = "admin", _("系统管理员")


#: Roles of the city bureau who may act on applications from every county.
CITY_ROLES = frozenset({Role.CITY, Role.CHIEF, Role.LEADER, Role.ADMIN})


#: The account scheduled jobs act as (publicity.services.system_actor): never a person to
#: notify or remind.
SYSTEM_USERNAME = "system"


def people(*filters):
    """The active users matching `filters` who are people (not the scheduled jobs' account)."""
    return User.objects.filter(*filters, is_active=True).exclude(username=SYSTEM_USERNAME)


class User(AbstractUser):
    """A person using the system. Applicants belong to an organisation, county staff to a region."""

    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.APPLICANT)
    organisation = models.ForeignKey("subsidy.Organisation", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="users",
                                     verbose_name=_("所属单位"))
    region = models.ForeignKey("subsidy.Region", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="staff", verbose_name=_("所属县市区"))
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    @property
    def is_city_staff(self) -> bool:
        return self.role in CITY_ROLES


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its sha256 is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens",
                             verbose_name=_("用户"))
    key_hash = models.CharField(_("令牌摘要"), max_length=64, unique=True, editable=False)
    name = models.CharField(_("名称"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    def __str__(self):
        return f"{self.user} {self.name or self.key_hash[:8]}"

    @staticmethod
    def digest(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def issue(cls, user, name: str = "") -> tuple["ApiToken", str]:
        """Create a token for `user`; returns (row, raw token to hand out once)."""
        raw = "zz_" + secrets.token_urlsafe(32)
        return cls.objects.create(user=user, key_hash=cls.digest(raw), name=name), raw


# --- django-axes's records, as the admin lists them ---------------------------------------
# The admin lists django-axes's and django-otp's records through these proxies, named in the
# reader's language: the packages name them in English ("Access Log for admin @
# 2026-12-02 05:16:32.385770+00:00", "default (admin)"). See accounts/admin.py.

def _at(moment) -> str:
    return localtime(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


class LoginAttempt(AccessAttempt):
    """Failed logins counted for one username and address: what locks them out."""

    class Meta:
        proxy = True
        verbose_name = _("登录失败计数")
        verbose_name_plural = _("登录失败计数")

    def __str__(self):
        return _("%(username)s（%(address)s）登录失败 %(count)d 次") % {
            "username": self.username, "address": self.ip_address,
            "count": self.failures_since_start}


class LoginRecord(AccessLog):
    """A successful login (and its logout)."""

    class Meta:
        proxy = True
        verbose_name = _("登录记录")
        verbose_name_plural = _("登录记录")

    def __str__(self):
        return _("%(username)s 于 %(time)s 登录") % {"username": self.username,
                                                   "time": _at(self.attempt_time)}


class LoginFailure(AccessFailureLog):
    """One failed login."""

    class Meta:
        proxy = True
        verbose_name = _("登录失败记录")
        verbose_name_plural = _("登录失败记录")

    def __str__(self):
        return _("%(username)s 于 %(time)s 登录失败") % {"username": self.username,
                                                     "time": _at(self.attempt_time)}


# --- django-otp's devices, as the admin lists them -----------------------------------------
#: the names django-two-factor-auth gives the devices it creates (it finds them by name)
DEVICE_NAMES = {"default": _("身份验证器"), "backup": _("备用验证码")}


class DeviceNameMixin:
    def __str__(self):
        name = DEVICE_NAMES.get(self.name, self.name)
        return f"{name}（{self.user.get_full_name() or self.user.username}）"


class Authenticator(DeviceNameMixin, TOTPDevice):
    """An authenticator app's device (django-otp's reads "default (admin)")."""

    class Meta:
        proxy = True
        verbose_name = _("身份验证器")
        verbose_name_plural = _("身份验证器")


class BackupCodes(DeviceNameMixin, StaticDevice):
    """A user's set of backup codes."""

    class Meta:
        proxy = True
        verbose_name = _("备用验证码组")
        verbose_name_plural = _("备用验证码组")


class BackupToken(StaticToken):
    """One backup code (django-otp's reads "StaticToken object (1)")."""

    class Meta:
        proxy = True
        verbose_name = _("备用验证码")
        verbose_name_plural = _("备用验证码")

    def __str__(self):
        return str(self._meta.verbose_name)
