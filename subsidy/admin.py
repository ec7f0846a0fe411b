"""Programme and category configuration for the city section's administrators."""

from django import forms
from django.contrib import admin
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
from .rules import COMMON_FORM_FIELDS, form_editing


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
class CategoryAdmin(admin.ModelAdmin):
    form = CategoryForm
    list_display = ("code", "name", "lifecycle_label", "funding_rule", "cap", "fixed_amount",
                    "experts_required")
    list_filter = (LifecycleFilter, "funding_rule")
    search_fields = ("code", "name", "name_en")

    @admin.display(description=_("生命周期"), ordering="lifecycle")
    def lifecycle_label(self, category):
        return dict(lifecycle_choices()).get(category.lifecycle, category.lifecycle)


class ProgrammeCategoryInline(admin.TabularInline):
    model = ProgrammeCategory
    extra = 0
    fields = ("category", "budget", "cap", "rate", "unit_amount", "fixed_amount")


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ("title", "year", "call_number", "status", "total_budget")
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
    fields = ("stage", "kind", "version", "original_name", "size", "sha256", "uploaded_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class PaymentInline(admin.TabularInline):
    """The payments, as recorded by subsidy.payments (never changed afterwards)."""

    model = Payment
    extra = 0
    can_delete = False
    fields = ("paid_on", "amount", "reference", "recorded_by", "recorded_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Read-mostly: states change only through the review desks and the API."""

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
    inlines = [AttachmentInline, PaymentInline]

    def get_readonly_fields(self, request, obj=None):
        """The title, the amount and the form change here only when the applicant could change
        them (subsidy.rules.form_editing): never after submission, so the admin cannot rename
        a project that was approved and published."""
        fixed = list(self.readonly_fields)
        if obj is None:
            return fixed
        locked = form_editing(obj).locked
        fixed += [name for name in COMMON_FORM_FIELDS if name in locked]
        if locked - set(COMMON_FORM_FIELDS):
            fixed.append("form_data")
        return fixed

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("生命周期"))
    def lifecycle_label(self, application):
        return dict(lifecycle_choices()).get(application.lifecycle, application.lifecycle)
