"""Official notices (公文): the fund disbursement notice and the publicity notice."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from viewflow import jsonstore
from viewflow.workflow.models import Process, Task

from config.append_only import AppendOnly
from subsidy.models import Application, Programme


class DocumentSequence(models.Model):
    """The last serial issued for one issuer prefix and year (衡市监办〔2021〕68号)."""

    prefix = models.CharField(_("机关代字"), max_length=40)
    year = models.PositiveIntegerField(_("年份"))
    last = models.PositiveIntegerField(_("已用到"), default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"],
                                               name="document_sequence_once")]
        verbose_name = _("发文字号序列")
        verbose_name_plural = _("发文字号序列")

    def __str__(self):
        return f"{self.prefix}〔{self.year}〕{self.last}号"

    @property
    def next_number(self) -> int:
        """The serial the next issued notice will get."""
        return self.last + 1


class DocumentNumberChange(AppendOnly):
    """One setting of a sequence's next number by an administrator: append-only, so the
    register shows why numbers jump (paper documents share the office's sequence)."""

    prefix = models.CharField(_("机关代字"), max_length=40)
    year = models.PositiveIntegerField(_("年份"))
    previous_next = models.PositiveIntegerField(_("原下一个序号"))
    next_number = models.PositiveIntegerField(_("设定的下一个序号"))
    reason = models.CharField(_("原因"), max_length=200)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("设定人"))
    changed_at = models.DateTimeField(_("设定时间"), auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("发文字号设定记录")
        verbose_name_plural = _("发文字号设定记录")

    def __str__(self):
        return f"{self.prefix}〔{self.year}〕 {self.previous_next} → {self.next_number}"


class NoticeKind(models.TextChoices):
    DISBURSEMENT = "disbursement", _("资金下拨通知")
    PUBLICITY = "publicity", _("公示通知")


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", _("起草")
    ISSUED = "issued", _("已印发")
    REVOKED = "revoked", _("已撤销（被新通知替代）")
    WITHDRAWN = "withdrawn", _("已撤回（草稿作废）")


class RenderStatus(models.TextChoices):
    NONE = "", _("—")
    QUEUED = "queued", _("排队中")
    RENDERING = "rendering", _("正在生成")
    FAILED = "failed", _("生成失败")


class Notice(models.Model):
    """One notice: its text, its items, and once issued its number and frozen PDF."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="notices",
                                  verbose_name=_("资助计划"))
    kind = models.CharField(_("类型"), max_length=20, choices=NoticeKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    title_lines = models.TextField(
        _("标题分行"), blank=True,
        help_text=_("可选：按印发时的分行逐行写出标题；留空则在词与词之间自动分行。"))
    addressees = models.TextField(_("主送机关"), blank=True,
                                  help_text=_("公示等没有主送机关的公文留空。"))
    body = models.TextField(_("正文"))
    attachment_title = models.CharField(_("附件名称"), max_length=200, blank=True)
    attachment_title_lines = models.TextField(
        _("附件标题分行"), blank=True,
        help_text=_("可选：按印发时的分行逐行写出附件标题；留空则自动分行。"))
    copy_to = models.TextField(_("抄送"), blank=True)
    contact = models.CharField(_("联系人及电话"), max_length=200, blank=True)
    issuers = models.JSONField(_("发文机关"), default=list)
    number_prefix = models.CharField(_("机关代字"), max_length=40)
    status = models.CharField(_("状态"), max_length=20, choices=NoticeStatus.choices,
                              default=NoticeStatus.DRAFT)
    year = models.PositiveIntegerField(_("年份"), null=True, blank=True)
    serial = models.PositiveIntegerField(_("序号"), null=True, blank=True)
    issued_on = models.DateField(_("成文日期"), null=True, blank=True)
    pdf = models.FileField(_("PDF"), upload_to="notices/", blank=True)
    pdf_sha256 = models.CharField(_("PDF 摘要（SHA-256）"), max_length=64, blank=True)
    render_status = models.CharField(_("PDF 生成"), max_length=20, choices=RenderStatus.choices,
                                     blank=True, default=RenderStatus.NONE)
    render_started_at = models.DateTimeField(_("开始生成"), null=True, blank=True)
    render_error = models.TextField(_("生成错误"), blank=True)
    supersedes = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="superseded_by", verbose_name=_("替代"))
    publicity_batch = models.ForeignKey("publicity.PublicityBatch", null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="notices",
                                        verbose_name=_("公示批次"))
    applications = models.ManyToManyField(Application, related_name="notices", blank=True,
                                          verbose_name=_("项目"))
    rows = models.JSONField(_("分配表（起草时定稿）"), default=list, blank=True,
                            help_text=_("起草时记录的各项目信息，签发后据此印发"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("起草人"))
    created_at = models.DateTimeField(_("起草时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(
            fields=["number_prefix", "year", "serial"], name="notice_number_once",
            condition=models.Q(serial__isnull=False))]
        verbose_name = _("公文")
        verbose_name_plural = _("公文")

    def __str__(self):
        return f"{self.number or '（草稿）'} {self.title}"

    @property
    def number(self) -> str:
        """衡市监办〔2021〕68号 once issued, empty before."""
        if self.serial is None:
            return ""
        return f"{self.number_prefix}〔{self.year}〕{self.serial}号"


class NoticeProcess(Process):
    """The sign-off of one notice (the notice is the process's artifact)."""

    approved = jsonstore.BooleanField(_("同意"), default=False)
    reason = jsonstore.TextField(_("意见"), blank=True)

    class Meta:
        proxy = True
        verbose_name = _("公文签发")
        verbose_name_plural = _("公文签发")


class SignoffStep(Task):
    """A step of a notice's sign-off, as the admin lists it: named by its notice and title
    (viewflow's own name reads "<noticesignoff.Check/2> - DONE")."""

    class Meta:
        proxy = True
        verbose_name = _("签发环节")
        verbose_name_plural = _("签发环节")

    def __str__(self):
        notice = self.process.artifact
        title = self.flow_task.task_title if self.flow_task else ""
        return f"{notice.title if notice else self.process_id} · {title}"
