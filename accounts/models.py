"""Users, their role in the programme, and API tokens."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


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

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    name = models.CharField(_("名称"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

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
