"""Publicity batches (公示), objections (异议) and numbered acceptance batches (验收批次)."""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import m2m_changed, pre_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.append_only import AppendOnly
from subsidy.models import Application, Programme
from workcalendar.workdays import period_end


class BatchKind(models.TextChoices):
    """What a batch publishes, named as the office names the list: projects to be set up
    (立项), rewards after the fact (后补助: the review was also the acceptance), projects
    that passed acceptance."""

    APPROVAL = "approval", _("拟资助（立项）名单公示")
    REWARD = "reward", _("拟奖励（后补助）名单公示")
    ACCEPTANCE = "acceptance", _("验收通过名单公示")


#: The amount column of each kind of list: what the money is.
AMOUNT_HEADING = {
    BatchKind.APPROVAL: _("拟资助金额（元）"),
    BatchKind.REWARD: _("拟奖励金额（元）"),
    BatchKind.ACCEPTANCE: _("资助金额（元）"),
}


class BatchStatus(models.TextChoices):
    DRAFT = "draft", _("待发布")
    PUBLISHED = "published", _("公示中")
    CLOSED = "closed", _("已结束")


class AcceptanceBatch(models.Model):
    """Applications accepted together: 第一批, 第二批, … numbered per programme."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT,
                                  related_name="acceptance_batches", verbose_name=_("资助计划"))
    number = models.PositiveIntegerField(_("批次"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("创建人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    applications = models.ManyToManyField(Application, related_name="acceptance_batches",
                                          verbose_name=_("申报"))

    class Meta:
        ordering = ["programme", "number"]
        constraints = [models.UniqueConstraint(fields=["programme", "number"],
                                               name="acceptance_batch_number_once")]
        verbose_name = _("验收批次")
        verbose_name_plural = _("验收批次")

    def __str__(self):
        return f"{self.programme.year}年度 {self.label}"

    @property
    def label(self) -> str:
        from .numerals import batch_label

        return batch_label(self.number)


class PublicityBatch(models.Model):
    """A list published for public scrutiny for a number of working days."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT,
                                  related_name="publicity_batches", verbose_name=_("资助计划"))
    kind = models.CharField(_("类型"), max_length=20, choices=BatchKind.choices)
    title = models.CharField(_("公示标题"), max_length=200)
    start_date = models.DateField(_("公示开始日期"))
    workdays = models.PositiveSmallIntegerField(_("公示期（工作日）"), default=5)
    end_date = models.DateField(_("公示截止日期"))
    objection_contact = models.TextField(
        _("异议受理方式"),
        default="对公示名单有异议的，请在公示期内通过本页面提交书面异议。单位异议须提供统一社会信用"
                "代码，个人异议须提供真实姓名和身份证号码；匿名或逾期异议不予受理。")
    status = models.CharField(_("状态"), max_length=20, choices=BatchStatus.choices,
                              default=BatchStatus.DRAFT)
    acceptance_batch = models.ForeignKey(AcceptanceBatch, null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="publicity",
                                         verbose_name=_("验收批次"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("创建人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    applications = models.ManyToManyField(Application, related_name="publicity_batches",
                                          verbose_name=_("申报"))

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("公示批次")
        verbose_name_plural = _("公示批次")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.keep_period_rules() and kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "end_date"}
        super().save(*args, **kwargs)

    def keep_period_rules(self) -> bool:
        """A draft's end date is always counted from its start (never typed); once published,
        the period and the programme the public was given never change, by any path.
        Returns whether the end date was counted (the batch is new or a draft)."""
        stored = (PublicityBatch.objects.filter(pk=self.pk)
                  .values("status", *FIXED_ONCE_PUBLISHED).first() if self.pk else None)
        if stored is None or stored["status"] == BatchStatus.DRAFT:
            start = self._meta.get_field("start_date").to_python(self.start_date)
            self.end_date = period_end(start, self.workdays)
            return True
        if any(stored[name] != self._meta.get_field(name).to_python(getattr(self, name))
               for name in FIXED_ONCE_PUBLISHED):
            raise ValidationError(PUBLISHED_IS_FIXED)
        return False

    def delete(self, *args, **kwargs):
        if PublicityBatch.objects.filter(pk=self.pk).exclude(status=BatchStatus.DRAFT).exists():
            raise ValidationError(PUBLISHED_IS_FIXED)
        return super().delete(*args, **kwargs)

    @property
    def is_draft(self) -> bool:
        return self.status == BatchStatus.DRAFT

    @property
    def amount_heading(self):
        return AMOUNT_HEADING[self.kind]


#: What a published batch told the public: fixed from publication on.
FIXED_ONCE_PUBLISHED = ("programme_id", "kind", "start_date", "workdays", "end_date",
                        "acceptance_batch_id")
PUBLISHED_IS_FIXED = _("公示批次已经发布：公示期和名单已向社会公开，不能再修改或删除。")


@receiver(pre_save, sender=PublicityBatch, dispatch_uid="publicity.period_rules_on_load")
def period_rules_on_load(sender, instance, raw, **kwargs):
    """loaddata saves rows raw, past save(): what it loads keeps the same rules."""
    if raw:
        instance.keep_period_rules()


@receiver(m2m_changed, sender=PublicityBatch.applications.through,
          dispatch_uid="publicity.items_fixed_once_published")
def items_fixed_once_published(sender, instance, action, reverse, pk_set, **kwargs):
    """The list of a published batch is what the public saw: no item joins or leaves it."""
    if action not in ("pre_add", "pre_remove", "pre_clear"):
        return
    if reverse:  # application.publicity_batches.add/remove(...)
        batches = (PublicityBatch.objects.filter(pk__in=pk_set) if pk_set is not None
                   else instance.publicity_batches.all())
    else:
        batches = PublicityBatch.objects.filter(pk=instance.pk)
    if batches.exclude(status=BatchStatus.DRAFT).exists():
        raise ValidationError(PUBLISHED_IS_FIXED)


class ObjectionStatus(models.TextChoices):
    RECEIVED = "received", _("已收到")
    INVESTIGATING = "investigating", _("调查核实中")
    UPHELD = "upheld", _("异议成立")
    DISMISSED = "dismissed", _("异议不成立")


class UpheldOutcome(models.TextChoices):
    REMOVE = "remove", _("撤出名单（不予支持）")
    REVIEW = "review", _("退回重新审核")


OPEN_OBJECTION = (ObjectionStatus.RECEIVED, ObjectionStatus.INVESTIGATING)

#: Letters and digits no one misreads (no 0/O, 1/I/L): the random part of a receipt number.
RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RECEIPT_RANDOM_LENGTH = 8


def objection_receipt(year: int | None = None) -> str:
    """A new receipt number (异议受理编号): the year (this year unless told), then 8 random
    characters (31**8, about 8.5e11 a year), so no one reaches another's objection by counting."""
    random_part = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_RANDOM_LENGTH))
    return f"{year or timezone.localdate().year}-{random_part}"


class Objection(models.Model):
    """A written, signed objection to one item of a publicity batch."""

    batch = models.ForeignKey(PublicityBatch, on_delete=models.PROTECT,
                              related_name="objections", verbose_name=_("公示批次"))
    receipt = models.CharField(_("异议受理编号"), max_length=20, unique=True,
                               default=objection_receipt, editable=False)
    application = models.ForeignKey(Application, on_delete=models.PROTECT,
                                    related_name="objections", verbose_name=_("异议对象"))
    name = models.CharField(_("异议人（单位）名称"), max_length=100)
    identity = models.CharField(_("身份证号或统一社会信用代码"), max_length=18)
    contact = models.CharField(_("联系方式"), max_length=100)
    reasons = models.TextField(_("异议理由"))
    evidence = models.FileField(_("证明材料"), upload_to="objections/", blank=True)
    evidence_name = models.CharField(_("证明材料文件名"), max_length=255, blank=True)
    #: the item, identity number and text hashed (services.objection_fingerprint): the same
    #: objection submitted again is found, not recorded twice
    fingerprint = models.CharField(_("异议指纹"), max_length=64, blank=True, db_index=True,
                                   editable=False)
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    status = models.CharField(_("处理状态"), max_length=20, choices=ObjectionStatus.choices,
                              default=ObjectionStatus.RECEIVED)
    outcome = models.CharField(_("处理结果"), max_length=20, choices=UpheldOutcome.choices,
                               blank=True)
    result = models.TextField(_("处理意见"), blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("处理人"))
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("异议")
        verbose_name_plural = _("异议")

    def __str__(self):
        return f"{self.application} / {self.name}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_OBJECTION


class ObjectionHandling(AppendOnly):
    """One handling of an objection as it was recorded (progress or the decision): kept, never
    edited, so the objection's history shows every step and who took it."""

    objection = models.ForeignKey(Objection, on_delete=models.PROTECT, related_name="handlings",
                                  verbose_name=_("异议"))
    status = models.CharField(_("处理状态"), max_length=20, choices=ObjectionStatus.choices)
    outcome = models.CharField(_("处理结果"), max_length=20, choices=UpheldOutcome.choices,
                               blank=True)
    result = models.TextField(_("处理意见"), blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("处理人"))
    handled_at = models.DateTimeField(_("处理时间"), auto_now_add=True)
    in_bulk = models.BooleanField(_("批量处理"), default=False)

    class Meta:
        ordering = ["handled_at", "id"]
        verbose_name = _("异议处理记录")
        verbose_name_plural = _("异议处理记录")

    def __str__(self):
        return f"{self.objection.receipt} {self.get_status_display()}"
