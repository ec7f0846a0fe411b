"""In-app notifications (the e-mail copy is sent alongside by the messenger)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Reminder(models.Model):
    """One 催办: a run of the daily job (`sent_by` empty) or a person's reminder now. The
    digests it sent are its notifications; each names the applications it listed."""

    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                null=True, blank=True, related_name="reminders_sent",
                                verbose_name=_("催办人"))
    sent_at = models.DateTimeField(_("催办时间"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("催办")
        verbose_name_plural = _("催办")

    def __str__(self):
        return f"{self.sent_at:%Y-%m-%d %H:%M} {self.sent_by or '-'}"


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notifications", verbose_name=_("用户"))
    application = models.ForeignKey("subsidy.Application", on_delete=models.CASCADE,
                                    related_name="notifications", null=True, blank=True,
                                    verbose_name=_("申报"))
    audit_entry = models.ForeignKey("workflows.AuditEntry", on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="notifications",
                                    verbose_name=_("审计记录"))
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    #: the day of a reminder digest (one per person and day); empty for other notifications
    reminder_on = models.DateField(_("催办日期"), null=True, blank=True)
    #: the 催办 this digest belongs to, and the applications it listed
    reminder = models.ForeignKey(Reminder, on_delete=models.CASCADE, null=True, blank=True,
                                 related_name="notifications", verbose_name=_("催办"))
    reminded = models.ManyToManyField("subsidy.Application", blank=True,
                                      related_name="reminder_notifications",
                                      verbose_name=_("催办的申报"))

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]
        constraints = [
            models.UniqueConstraint(fields=["user", "audit_entry"],
                                    name="notification_once_per_entry"),
            models.UniqueConstraint(fields=["user", "reminder_on"],
                                    name="notification_one_reminder_a_day"),
        ]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")

    def __str__(self):
        return self.subject
