"""Programmes, categories, regions, organisations, applications and their attachments."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflows.lifecycle import get_lifecycle
from workflows.models import LifecycleModel
from workflows.stages import State

from .identifiers import is_valid_uscc, normalise_uscc

MONEY = {"max_digits": 14, "decimal_places": 2}


class RegionKind(models.TextChoices):
    DISTRICT = "district", _("市辖区")
    COUNTY = "county", _("县")
    COUNTY_CITY = "county-level city", _("县级市")
    PARK = "park", _("园区")


class Region(models.Model):
    """A county-level unit (县市区/园区) whose office does the preliminary review."""

    code = models.CharField(_("代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=50)
    kind = models.CharField(_("类型"), max_length=30, choices=RegionKind.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("县市区")
        verbose_name_plural = _("县市区")

    def __str__(self):
        return self.name


class OrgType(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    UNIVERSITY = "university", _("高校")
    SERVICE_AGENCY = "service_agency", _("知识产权服务机构")
    ASSOCIATION = "association", _("协会、商会")
    PUBLIC_INSTITUTION = "public_institution", _("事业单位")
    COUNTY_GOVERNMENT = "county_government", _("县市区政府及部门")


class FundingRule(models.TextChoices):
    CAPPED_REQUEST = "capped_request", _("按申请金额，不超过上限")
    PERCENTAGE = "percentage", _("按比例，不超过上限")
    PER_ITEM = "per_item", _("按件计，不超过上限")
    FIXED = "fixed", _("定额")
    COMPONENTS = "components", _("分项按比例，各项和合计不超过上限")
    PER_COUNTRY = "per_country", _("按每件指定国家（地区）数计，不超过上限")


class Category(models.Model):
    """One of the call's subsidy categories, with its lifecycle, applicants, rule and form."""

    code = models.CharField(_("编号"), max_length=4, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    name_en = models.CharField(_("英文名称"), max_length=150)
    lifecycle = models.CharField(_("生命周期"), max_length=40,
                                 help_text=_("workflows/lifecycles/ 下的定义名，"
                                             "如 project、reward"))
    applicant_types = models.JSONField(_("申报主体类型"), default=list,
                                       help_text=_("OrgType 值的列表；空列表表示不限"))
    funding_rule = models.CharField(_("资助方式"), max_length=20, choices=FundingRule.choices)
    rule_field = models.CharField(_("计算依据字段"), max_length=40, blank=True,
                                  help_text=_("按比例时为基数字段，按件时为件数字段"))
    cap = models.DecimalField(_("默认上限（元）"), **MONEY, null=True, blank=True)
    rate = models.DecimalField(_("默认比例"), max_digits=5, decimal_places=4, null=True, blank=True)
    unit_amount = models.DecimalField(_("默认每件金额（元）"), **MONEY, null=True, blank=True)
    fixed_amount = models.DecimalField(_("默认定额（元）"), **MONEY, null=True, blank=True)
    rule_settings = models.JSONField(
        _("资助规则参数"), default=dict, blank=True,
        help_text=_("分项按比例时：{\"components\": [{\"key\", \"label\", \"field\", "
                    "\"rate\", \"cap\"}]}；按指定国家数时：{\"max_countries\": 每件最多计的"
                    "国家数}"))
    description = models.TextField(_("资助内容"), blank=True)
    form_fields = models.JSONField(_("表单字段"), default=list, blank=True)
    required_attachments = models.JSONField(_("申报必备附件"), default=list, blank=True)
    acceptance_attachments = models.JSONField(_("验收必备附件"), default=list, blank=True)
    score_sheet = models.JSONField(_("专家评分表"), default=list, blank=True,
                                   help_text=_("[{key, label, max}]，专家评审类别使用"))
    experts_required = models.PositiveSmallIntegerField(
        _("所需专家评分人数"), default=3, validators=[MinValueValidator(1)],
        help_text=_("专家评审类别使用：核定前至少需要这么多位专家提交评分"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("资助类别")
        verbose_name_plural = _("资助类别")

    def __str__(self):
        return f"{self.code} {self.name}"

    def clean(self):
        try:
            get_lifecycle(self.lifecycle)
        except ValueError as problem:
            raise ValidationError({"lifecycle": str(problem)}) from None
        unknown = set(self.applicant_types) - set(OrgType.values)
        if unknown:
            raise ValidationError({"applicant_types": _("未知的主体类型：%s") % ", ".join(unknown)})
        from .forms import validate_form_definition

        problems = validate_form_definition(self.form_fields)
        if problems:
            raise ValidationError({"form_fields": problems})
        from .funding import validate_rule_settings

        problems = validate_rule_settings(self.funding_rule, self.rule_settings,
                                          self.form_fields)
        if problems:
            raise ValidationError({"rule_settings": problems})

    @property
    def kind(self) -> str:
        return get_lifecycle(self.lifecycle).kind

    @property
    def attachment_labels(self) -> dict[str, str]:
        """Each attachment kind the category asks for (application and acceptance) → label."""
        return {item["kind"]: item["label"]
                for item in self.required_attachments + self.acceptance_attachments}

    @property
    def applicant_type_labels(self) -> list[str]:
        return [str(OrgType(t).label) for t in self.applicant_types]

    def accepts(self, org_type: str) -> bool:
        return not self.applicant_types or org_type in self.applicant_types


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", _("草拟中")
    OPEN = "open", _("受理申报")
    CLOSED = "closed", _("申报截止")
    ARCHIVED = "archived", _("已归档")


#: The office this installation was first built for, when a programme names no issuer.
DEFAULT_ISSUER = "衡阳市市场监督管理局"


class Programme(models.Model):
    """An annual call (申报通知) with its budget, dates and categories.

    The implementation window may start before the call date: work done before the call
    counts (2021: call in July, window 2021-01-01 to 2021-11-30).
    """

    year = models.PositiveIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=200)
    call_title = models.CharField(_("申报通知标题"), max_length=200, blank=True)
    call_number = models.CharField(_("申报通知文号"), max_length=60, blank=True)
    issuers = models.JSONField(_("发文机关"), default=list,
                               help_text=_("联合发文时依次列出各机关"))
    call_date = models.DateField(_("通知印发日期"), null=True, blank=True)
    applications_open = models.DateField(_("申报开始"), null=True, blank=True)
    applications_close = models.DateField(_("申报截止"), null=True, blank=True)
    implementation_start = models.DateField(_("实施期开始"))
    implementation_end = models.DateField(_("实施期结束"))
    total_budget = models.DecimalField(_("资金总额（元）"), **MONEY,
                                       validators=[MinValueValidator(Decimal(0))])
    status = models.CharField(_("状态"), max_length=20, choices=ProgrammeStatus.choices,
                              default=ProgrammeStatus.DRAFT)
    management_rules = models.CharField(
        _("管理办法"), max_length=200, blank=True, default="衡阳市知识产权培育资助资金管理办法",
        help_text=_("拨款通知引用的管理办法名称（不含书名号）"))
    notice_contact = models.CharField(_("公文联系人及电话"), max_length=200, blank=True)
    office_phone = models.CharField(_("联系电话"), max_length=60, blank=True,
                                    help_text=_("公示页面及其打印版给出的科室联系电话"))
    office_address = models.CharField(_("通讯地址"), max_length=200, blank=True,
                                      help_text=_("公示页面及其打印版给出的书面异议递交地址"))
    disbursement_notice_template = models.TextField(
        _("拨款通知正文模板"), blank=True,
        help_text=_("Django 模板语法；留空则用默认模板。可用变量：programme、label、accepted、"
                    "total（附件所列合计，如 210.73万元）、total_capital（人民币大写）、"
                    "total_wan（旧模板用的万元数）"))
    categories = models.ManyToManyField(Category, through="ProgrammeCategory",
                                        related_name="programmes", verbose_name=_("资助类别"))

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("资助计划")
        verbose_name_plural = _("资助计划")

    def __str__(self):
        return self.title

    @property
    def office_contact(self) -> list[str]:
        """The office's contact lines the public lists give (phone, address; those set)."""
        lines = [(_("联系电话"), self.office_phone), (_("通讯地址"), self.office_address)]
        return [f"{label}：{value}" for label, value in lines if value]

    def clean(self):
        errors = {}
        if self.implementation_end and self.implementation_start \
                and self.implementation_end < self.implementation_start:
            errors["implementation_end"] = _("实施期结束不能早于开始。")
        if self.applications_close and self.applications_open \
                and self.applications_close < self.applications_open:
            errors["applications_close"] = _("申报截止不能早于申报开始。")
        if errors:
            raise ValidationError(errors)

    @property
    def jointly_issued(self) -> bool:
        return len(self.issuers) > 1

    @property
    def lead_organ(self) -> str:
        """The organ that issues on its own (a 公示, the public list): the first issuer."""
        return (self.issuers or [DEFAULT_ISSUER])[0]


class ProgrammeCategory(models.Model):
    """A category as funded in one programme: its budget and the rule's figures."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE,
                                  related_name="programme_categories",
                                  verbose_name=_("资助计划"))
    category = models.ForeignKey(Category, on_delete=models.PROTECT,
                                 related_name="programme_categories",
                                 verbose_name=_("资助类别"))
    budget = models.DecimalField(_("类别预算（元）"), **MONEY,
                                 validators=[MinValueValidator(Decimal(0))])
    cap = models.DecimalField(_("上限（元）"), **MONEY, null=True, blank=True)
    rate = models.DecimalField(_("比例"), max_digits=5, decimal_places=4, null=True, blank=True)
    unit_amount = models.DecimalField(_("每件金额（元）"), **MONEY, null=True, blank=True)
    fixed_amount = models.DecimalField(_("定额（元）"), **MONEY, null=True, blank=True)
    rule_settings = models.JSONField(_("资助规则参数"), null=True, blank=True,
                                     help_text=_("本计划的分项比例、上限等；留空则用类别的默认参数"))
    last_number = models.PositiveIntegerField(_("已用编号"), default=0, editable=False)

    class Meta:
        ordering = ["programme", "category__code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "category"],
                                    name="programme_category_unique"),
        ]
        verbose_name = _("计划类别")
        verbose_name_plural = _("计划类别")

    def __str__(self):
        return f"{self.programme} / {self.category}"

    def figure(self, name: str):
        """The programme's own figure for `name` (cap, rate, rule_settings…), else the
        category default."""
        own = getattr(self, name)
        return own if own is not None else getattr(self.category, name)

    def clean(self):
        if self.rule_settings is None or not self.category_id:
            return
        from .funding import validate_rule_settings

        problems = validate_rule_settings(self.category.funding_rule, self.rule_settings,
                                          self.category.form_fields)
        if problems:
            raise ValidationError({"rule_settings": problems})


class Organisation(models.Model):
    """An applicant organisation, identified by its unified social credit code."""

    name = models.CharField(_("单位名称"), max_length=200)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    org_type = models.CharField(_("单位类型"), max_length=30, choices=OrgType.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="organisations",
                               verbose_name=_("所在县市区"))
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("申报单位")
        verbose_name_plural = _("申报单位")

    def __str__(self):
        return self.name

    def clean(self):
        self.uscc = normalise_uscc(self.uscc)
        if not is_valid_uscc(self.uscc):
            raise ValidationError({"uscc": _("统一社会信用代码无效（校验位不符）。")})


def parse_date_param(value):
    """A date from a transition parameter (a date or an ISO string), else None."""
    from datetime import date

    if isinstance(value, date) or value is None:
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


#: States in which an application's approved amount counts against the budget.
BUDGET_COMMITTED_STATES = (
    State.APPROVED, State.ACCEPTANCE_PASSED, State.APPROVAL_PUBLICITY, State.IMPLEMENTATION,
    State.ACCEPTANCE_SUBMITTED,
    State.ACCEPTANCE_REVIEW, State.ACCEPTANCE_PUBLICITY, State.AWAITING_DISBURSEMENT,
    State.DISBURSEMENT_NOTIFIED, State.PAID,
)


class Application(LifecycleModel):
    """One organisation's application in one category of a programme."""

    number = models.CharField(_("申报编号"), max_length=30, unique=True)
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT,
                                  related_name="applications", verbose_name=_("资助计划"))
    category = models.ForeignKey(Category, on_delete=models.PROTECT,
                                 related_name="applications", verbose_name=_("资助类别"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                     related_name="applications", verbose_name=_("申报单位"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="applications",
                               verbose_name=_("县市区"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="applications", verbose_name=_("填报人"))
    title = models.CharField(_("项目名称"), max_length=200)
    requested_amount = models.DecimalField(_("申请金额（元）"), **MONEY,
                                           validators=[MinValueValidator(Decimal("0.01"))])
    approved_amount = models.DecimalField(_("核定金额（元）"), **MONEY, null=True, blank=True)
    completed_on = models.DateField(_("项目完成日期"), null=True, blank=True)
    paid_amount = models.DecimalField(_("拨付金额（元）"), **MONEY, null=True, blank=True)
    paid_on = models.DateField(_("拨付日期"), null=True, blank=True)
    payment_reference = models.CharField(_("拨付凭证号"), max_length=100, blank=True)
    form_data = models.JSONField(_("申报表内容"), default=dict, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    # set by the transition service (transition_times) to the time of the latest approval
    # and disbursement notice, for the dashboard's burn-down
    approved_at = models.DateTimeField(_("核定时间"), null=True, blank=True, editable=False)
    notified_at = models.DateTimeField(_("拨付通知时间"), null=True, blank=True, editable=False)

    transition_times = {"approve": "approved_at", "notify_disbursement": "notified_at"}

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["region", "state"], name="app_region_state"),
            models.Index(fields=["organisation", "-created_at"], name="app_org_created"),
            models.Index(fields=["programme", "category", "state"], name="app_prog_cat_state"),
            # the "same organisation, same category" flag looks applications up by these and
            # checks their state without reading the rows; the dashboard's flag counts group
            # by them, for a county too (the region)
            models.Index(fields=["programme", "category", "organisation", "state", "region"],
                         name="app_prog_cat_org_st_reg"),
            # the dashboard's waiting times: per state, by when it was entered (then by id,
            # so the median's OFFSET walks the index in the order it ranks by)
            models.Index(fields=["programme", "state", "state_changed_at", "id"],
                         name="app_prog_state_changed_id"),
            # the dashboard's money (subsidy.funding.money_by) and burn-down read only this
            # index: grouped in its order by category, county, state, with the amounts and
            # the times the burn-down counts by month
            models.Index(fields=["programme", "category", "region", "state", "returned_from",
                                 "requested_amount", "approved_amount", "paid_amount",
                                 "approved_at", "notified_at", "paid_on", "updated_at"],
                         name="app_dashboard_money"),
        ]
        verbose_name = _("申报")
        verbose_name_plural = _("申报")

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_state_display(self):
        """The state as this application's lifecycle names it (a reward's publicity is
        拟奖励公示, a project's 立项公示)."""
        return self.state_label(self.state)

    def transition_effects(self, spec, context) -> dict:
        """Approval sets the approved amount (default: what the funding rule allows); the
        acceptance request records when the project was completed; the payment that
        completes the approved amount records the total paid and the latest payment."""
        effects = {}
        if spec.name == "confirm_payment":
            from .payments import settled_effects

            effects.update(settled_effects(self))
        elif "amount" in spec.params:
            from .funding import approval_amount

            effects["approved_amount"] = approval_amount(self, context)
        if "completed_on" in spec.params:
            effects["completed_on"] = parse_date_param(context.params.get("completed_on"))
        return effects


class AttachmentStage(models.TextChoices):
    APPLICATION = "application", _("申报材料")
    ACCEPTANCE = "acceptance", _("验收材料")


def attachment_path(instance, filename):
    """Stored name: by application and a random id, with the extension the content agreed
    with (subsidy.uploads.check_upload names it); the original name is kept in a field."""
    import uuid
    from pathlib import PurePosixPath

    suffix = PurePosixPath(filename).suffix.lower()
    return f"attachments/{instance.application_id}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    """A file attached to an application. Never overwritten: a new upload is a new version."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT,
                                    related_name="attachments", verbose_name=_("申报"))
    stage = models.CharField(_("阶段"), max_length=20, choices=AttachmentStage.choices,
                             default=AttachmentStage.APPLICATION)
    kind = models.CharField(_("材料类型"), max_length=40)
    version = models.PositiveIntegerField(_("版本"), default=1)
    file = models.FileField(_("文件"), upload_to=attachment_path)
    original_name = models.CharField(_("文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256 摘要"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("上传人"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["application", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["application", "kind", "version"],
                                    name="attachment_unique_version"),
        ]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self):
        return f"{self.original_name} (v{self.version})"


class IdentifierKindChoice(models.TextChoices):
    """The kinds of subsidy.identifiers.IDENTIFIER_KINDS, for the claim's column."""

    PATENT = "patent", _("专利")
    TRADEMARK = "trademark", _("商标注册号")
    MADRID = "madrid", _("马德里国际注册号")
    CERTIFICATE = "certificate", _("认证证书编号")


class IdentifierClaim(models.Model):
    """A patent, trademark, Madrid registration or certificate number an application claims
    (normalised), to spot the same one claimed twice (subsidy.flags)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="identifier_claims", verbose_name=_("申报"))
    kind = models.CharField(_("编号类型"), max_length=20, choices=IdentifierKindChoice.choices,
                            default=IdentifierKindChoice.PATENT)
    number = models.CharField(_("编号"), max_length=60)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "kind", "number"],
                                    name="identifier_claim_once"),
        ]
        # the shared-number flag looks claims up by number within a kind
        indexes = [models.Index(fields=["kind", "number"], name="identifier_claim_number")]
        verbose_name = _("申报所用编号")
        verbose_name_plural = _("申报所用编号")

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"


class ExpertAssignment(models.Model):
    """An expert asked to score an application on its category's score sheet."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="expert_assignments", verbose_name=_("申报"))
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="expert_assignments", verbose_name=_("专家"))
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("指派人"))
    assigned_at = models.DateTimeField(_("指派时间"), auto_now_add=True)
    scores = models.JSONField(_("评分"), default=dict, blank=True)
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=2, null=True, blank=True)
    opinion = models.TextField(_("评审意见"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    class Meta:
        ordering = ["application", "assigned_at"]
        constraints = [
            models.UniqueConstraint(fields=["application", "expert"], name="expert_once"),
        ]
        verbose_name = _("专家评审")
        verbose_name_plural = _("专家评审")

    def __str__(self):
        return f"{self.application_id} / {self.expert_id}"


class Revision(models.Model):
    """One round of revision: what a returned application looked like when it was returned
    (`before`), what it looks like after the applicant's changes (`after`, the same fields)
    and the attachment versions uploaded meanwhile. Written by the services that change a
    returned application, before their first change of the round, so `before` is the
    application as returned; a round without changes has no row."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="revisions", verbose_name=_("申报"))
    #: the audit entry number of the return that opened the round
    returned_seq = models.PositiveIntegerField(_("退回记录序号"))
    before = models.JSONField(_("退回时内容"), default=dict)
    after = models.JSONField(_("修改后内容"), default=dict)
    new_attachments = models.ManyToManyField(Attachment, blank=True, related_name="+",
                                             verbose_name=_("新上传的附件"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "returned_seq"],
                                    name="revision_once_per_return"),
        ]
        verbose_name = _("退回修改记录")
        verbose_name_plural = _("退回修改记录")

    def __str__(self):
        return f"{self.application_id}#{self.returned_seq}"


class Payment(models.Model):
    """One sum the finance bureau paid against an application's approved amount (an
    instalment, or a later payment making up a shortfall). Recorded only by
    subsidy.payments.record_payments, which keeps Application.paid_amount (their sum, read
    by the dashboard's index), paid_on and payment_reference (the latest payment's) in step;
    rows are never changed afterwards."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT,
                                    related_name="payments", verbose_name=_("申报"))
    paid_on = models.DateField(_("拨付日期"))
    amount = models.DecimalField(_("拨付金额（元）"), **MONEY,
                                 validators=[MinValueValidator(Decimal("0.01"))])
    reference = models.CharField(_("拨付凭证号"), max_length=100)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, related_name="+", verbose_name=_("登记人"))
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        ordering = ["application", "paid_on", "id"]
        # the half-year summary and the burn-down sum payments by date
        indexes = [models.Index(fields=["paid_on", "application"], name="payment_paid_on")]
        verbose_name = _("拨付记录")
        verbose_name_plural = _("拨付记录")

    def __str__(self):
        return f"{self.application_id} {self.paid_on} {self.amount}"
