"""Programme and category configuration for the city section's administrators."""

from decimal import Decimal

from django import forms
from django.contrib import admin
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from workflows.lifecycle import lifecycles

from .models import (
    Application,
    Attachment,
    Category,
    Organisation,
    OrgType,
    Payment,
    Programme,
    ProgrammeCategory,
    Region,
)
from .money import format_rate, format_yuan
from .printed_form import category_rows
from .rules import COMMON_FORM_FIELDS, form_editing

_SHOWN = {}


def shown(model, name: str, formatter):
    """The admin column (and read-only field) showing `model`'s `name` through `formatter`,
    under the field's own label and sorted by it; one function per field, so the admin finds
    the same one in the fields and the read-only fields."""
    key = (model, name)
    if key not in _SHOWN:
        def show(obj):
            value = getattr(obj, name)
            return "—" if value is None else formatter(value)

        show.__name__ = name  # the admin's CSS class: field-<name>, as for the field itself
        _SHOWN[key] = admin.display(description=model._meta.get_field(name).verbose_name,
                                    ordering=name)(show)
    return _SHOWN[key]


class ReadableAmounts:
    """ModelAdmin mixin: the money (`yuan_fields`) and rate (`rate_fields`) fields as people
    read them everywhere else (180,000.00, 50%) in the list and wherever they are read-only;
    where they are edited they stay plain numbers."""

    yuan_fields: tuple[str, ...] = ()
    rate_fields: tuple[str, ...] = ()

    def readable(self, names):
        """`names` with each money or rate field replaced by the column that formats it."""
        out = []
        for name in names:
            if name in self.yuan_fields:
                name = shown(self.model, name, format_yuan)
            elif name in self.rate_fields:
                name = shown(self.model, name, format_rate)
            out.append(name)
        return out

    def get_list_display(self, request):
        return self.readable(super().get_list_display(request))

    def get_readonly_fields(self, request, obj=None):
        return self.readable(super().get_readonly_fields(request, obj))

    def _formatted(self, request, obj) -> set[str]:
        readonly = self.get_readonly_fields(request, obj)
        return {name for name in (*self.yuan_fields, *self.rate_fields)
                if shown(self.model, name, format_yuan if name in self.yuan_fields
                         else format_rate) in readonly}

    def get_exclude(self, request, obj=None):
        """A field shown formatted is not also a form field."""
        return [*(super().get_exclude(request, obj) or ()), *self._formatted(request, obj)]

    def get_fields(self, request, obj=None):
        formatted = self._formatted(request, obj)
        return [self.readable([f])[0] if f in formatted else f
                for f in super().get_fields(request, obj)]


class PercentField(forms.DecimalField):
    """A rate typed and shown as a percentage (50 for 50%), stored as the fraction (0.5000)."""

    def __init__(self, **kwargs):
        kwargs.update(max_digits=5, decimal_places=2,
                      validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))])
        for unused in ("max_value", "min_value"):
            kwargs.pop(unused, None)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return format_rate(value).removesuffix("%")
        return value

    def clean(self, value):
        percent = super().clean(value)
        return None if percent is None else (percent / 100).quantize(Decimal("0.0001"))


class RatesAsPercent:
    """ModelAdmin mixin: `rate` fields typed as percentages (比例（%）)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "rate":
            return PercentField(label=_("%(label)s（%%）") % {"label": db_field.verbose_name},
                                required=not db_field.blank,
                                help_text=_("填百分数：50 即按 50% 核定"))
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind")


def lifecycle_choices():
    """(key, label) of the lifecycle definitions: 项目制, 后补助, …"""
    return [(key, lc.label) for key, lc in sorted(lifecycles().items())]


class CategoryForm(forms.ModelForm):
    """The lifecycle and the applicant types chosen by name, not typed as keys."""

    lifecycle = forms.ChoiceField(label=_("生命周期"), choices=lifecycle_choices, help_text=_(
        "申报按哪一套流程办理；已创建的申报沿用创建时的流程。"))
    applicant_types = forms.MultipleChoiceField(
        label=_("申报主体类型"), choices=OrgType.choices, required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("不选表示不限"))


class LifecycleFilter(admin.SimpleListFilter):
    title = _("生命周期")
    parameter_name = "lifecycle"

    def lookups(self, request, model_admin):
        return lifecycle_choices()

    def queryset(self, request, queryset):
        return queryset.filter(lifecycle=self.value()) if self.value() else queryset


@admin.register(Category)
class CategoryAdmin(ReadableAmounts, RatesAsPercent, admin.ModelAdmin):
    form = CategoryForm
    list_display = ("code", "name", "lifecycle_label", "funding_rule", "cap", "rate",
                    "fixed_amount", "experts_required")
    yuan_fields = ("cap", "unit_amount", "fixed_amount")
    rate_fields = ("rate",)
    list_filter = (LifecycleFilter, "funding_rule")
    search_fields = ("code", "name", "name_en")

    @admin.display(description=_("生命周期"), ordering="lifecycle")
    def lifecycle_label(self, category):
        return dict(lifecycle_choices()).get(category.lifecycle, category.lifecycle)


class ProgrammeCategoryInline(RatesAsPercent, admin.TabularInline):
    model = ProgrammeCategory
    extra = 0
    fields = ("category", "budget", "cap", "rate", "unit_amount", "fixed_amount", "rule_settings")


@admin.register(Programme)
class ProgrammeAdmin(ReadableAmounts, admin.ModelAdmin):
    list_display = ("title", "year", "call_number", "status", "total_budget")
    yuan_fields = ("total_budget",)
    list_filter = ("status", "year")
    inlines = [ProgrammeCategoryInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "uscc", "org_type", "region")
    list_filter = ("org_type", "region")
    search_fields = ("name", "uscc")


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    can_delete = False
    fields = ("stage", "kind_label", "version", "original_name", "size", "sha256", "uploaded_at")
    readonly_fields = fields

    @admin.display(description=_("材料类型"))
    def kind_label(self, attachment):
        return attachment.application.category.attachment_labels.get(attachment.kind,
                                                                     attachment.kind)

    def has_add_permission(self, request, obj=None):
        return False


class PaymentInline(ReadableAmounts, admin.TabularInline):
    """The payments, as recorded by subsidy.payments (never changed afterwards)."""

    model = Payment
    yuan_fields = ("amount",)
    extra = 0
    can_delete = False
    fields = ("paid_on", "amount", "reference", "recorded_by", "recorded_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(ReadableAmounts, admin.ModelAdmin):
    """Read-mostly: states change only through the review desks and the API."""

    yuan_fields = ("requested_amount", "approved_amount", "paid_amount")
    list_display = ("number", "title", "organisation", "category", "state", "requested_amount",
                    "approved_amount")
    list_filter = ("state", "category", "region", "programme")
    search_fields = ("number", "title", "organisation__name")
    list_select_related = ("organisation", "category")
    # set only by the services: the transitions, the payments (paid_amount is their sum) and
    # the acceptance request
    readonly_fields = ("number", "programme", "category", "organisation", "region", "created_by",
                       "lifecycle_label", "state", "returned_from", "approved_amount",
                       "completed_on", "paid_amount", "paid_on", "payment_reference", "audit_seq",
                       "audit_head")
    # the lifecycle is the category's, fixed when the application is created (shown by name)
    exclude = ("lifecycle",)
    inlines = [AttachmentInline, PaymentInline]

    def get_readonly_fields(self, request, obj=None):
        """The title, the amount and the form change here only when the applicant could change
        them (subsidy.rules.form_editing): never after submission, so the admin cannot rename
        a project that was approved and published."""
        fixed = list(self.readonly_fields)
        if obj is not None:
            locked = form_editing(obj).locked
            fixed += [name for name in COMMON_FORM_FIELDS if name in locked]
            if locked - set(COMMON_FORM_FIELDS):
                fixed.append("form_contents")
        return self.readable(fixed)

    def get_fields(self, request, obj=None):
        """A locked form is shown as the category's labelled fields, not as stored JSON."""
        fields = [f for f in super().get_fields(request, obj) if f != "form_contents"]
        if "form_contents" in self.get_readonly_fields(request, obj):
            at = fields.index("form_data") if "form_data" in fields else len(fields)
            fields[at:at + 1] = ["form_contents"]
        return fields

    @admin.display(description=_("申报表内容"))
    def form_contents(self, application):
        rows = category_rows(application.category, application.form_data)
        return format_html_join("", "<div><strong>{}</strong>：{}</div>",
                                ((row.label, row.value) for row in rows)) or "—"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("生命周期"))
    def lifecycle_label(self, application):
        return dict(lifecycle_choices()).get(application.lifecycle, application.lifecycle)
