from django import forms
from django.contrib import admin
from django.core.files.base import ContentFile
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process, Task

from config.readonly_admin import ReadOnly, ReadOnlyAdmin

from .models import DocumentSequence, IssuingOrgan, Notice, NoticeProcess, SignoffStep
from .organs import seal_for
from .seals import clean_seal
from .signing import missing_keys
from .signoff import PROCESS_STATUS_LABELS, STEP_STATUS_LABELS, decision_label


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    """Read-only: notices are drafted, signed off and issued on the desk."""

    list_display = ("title", "kind", "status", "year", "serial", "issued_on")
    list_filter = ("kind", "status", "year")
    search_fields = ("title",)
    exclude = ("rows",)
    readonly_fields = ("allocation",)

    @admin.display(description=_("分配表（起草时定稿）"))
    def allocation(self, notice):
        """The items as recorded when the notice was drafted, as a table (not its JSON)."""
        head = format_html_join("", "<th>{}</th>", ((label,) for label in (
            _("申报编号"), _("县市区"), _("单位名称"), _("项目名称"), _("资助类别"),
            _("金额（元）"))))
        body = format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
                                "<td>{}</td><td>{}</td></tr>",
                                ((r["number"], r["county"], r["organisation"], r["title"],
                                  r["category"], r["amount"]) for r in notice.rows))
        return format_html("<table><thead><tr>{}</tr></thead><tbody>{}</tbody></table>",
                           head, body)


@admin.register(DocumentSequence)
class DocumentSequenceAdmin(admin.ModelAdmin):
    list_display = ("prefix", "year", "last")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class IssuingOrganForm(forms.ModelForm):
    class Meta:
        model = IssuingOrgan
        fields = ("name", "seal", "key_name")

    def clean_seal(self):
        """The upload checked to be a red round seal in PNG, kept as Pillow writes it anew."""
        seal = self.cleaned_data.get("seal")
        if not seal or "seal" not in self.files:
            return seal
        return ContentFile(clean_seal(seal.read()), name="seal.png")


@admin.register(IssuingOrgan)
class IssuingOrganAdmin(admin.ModelAdmin):
    """The organs' seals (red, round, PNG) and which configured key each signs with."""

    form = IssuingOrganForm
    list_display = ("name", "has_seal", "key_status", "updated_at")
    readonly_fields = ("preview", "key_status")
    search_fields = ("name",)

    @admin.display(description=_("印章"), boolean=True)
    def has_seal(self, organ):
        return bool(organ.seal)

    @admin.display(description=_("印章预览"))
    def preview(self, organ):
        url = seal_for(organ.name) if organ.pk else None
        if not url:
            return _("（未上传：公文中仍为印章留出位置）")
        return format_html('<img src="{}" alt="" style="width: 160px; height: 160px">', url)

    @admin.display(description=_("签名密钥"))
    def key_status(self, organ):
        if not organ.pk:
            return "—"
        return (_("已配置") if not missing_keys([organ.name])
                else _("未配置（生产环境中不能以该机关名义印发公文）"))


# --- viewflow's processes and tasks: here only the notices' sign-offs ---------------------
# Listed as the sign-offs and their steps, read-only, named by their notice and read
# through the sign-off's own labels (viewflow's admin shows "<noticesignoff.Check/2> -
# DONE", JSON data and flow-class paths). Steps are taken and recovered on the desk
# (notices/signoff.py).

def _when(moment):
    return localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "—"


class StatusFilter(admin.SimpleListFilter):
    title = _("状态")
    parameter_name = "status"
    labels: dict = {}

    def lookups(self, request, model_admin):
        return list(self.labels.items())

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() else queryset


class ProcessStatusFilter(StatusFilter):
    labels = PROCESS_STATUS_LABELS


class StepStatusFilter(StatusFilter):
    labels = STEP_STATUS_LABELS


class StepColumns:
    @admin.display(description=_("环节"))
    def step(self, task):
        return task.flow_task.task_title if task.flow_task else "—"

    @admin.display(description=_("状态"))
    def step_status(self, task):
        return STEP_STATUS_LABELS.get(task.status, task.status)

    @admin.display(description=_("办理人"))
    def person(self, task):
        return (task.owner.get_full_name() or task.owner.username) if task.owner else "—"

    @admin.display(description=_("结果"))
    def decision(self, task):
        return decision_label(task) or "—"

    @admin.display(description=_("创建"))
    def since(self, task):
        return _when(task.created)

    @admin.display(description=_("完成"))
    def done_at(self, task):
        return _when(task.finished)


class StepInline(ReadOnly, StepColumns, admin.TabularInline):
    model = SignoffStep
    fields = readonly_fields = ("step", "step_status", "person", "decision", "since", "done_at")
    extra = 0
    verbose_name, verbose_name_plural = _("环节"), _("环节")


admin.site.unregister(Process)
admin.site.unregister(Task)


@admin.register(NoticeProcess)
class SignoffAdmin(ReadOnlyAdmin):
    list_display = ("number", "notice", "state", "since", "done_at")
    fields = readonly_fields = ("notice", "state", "since", "done_at")
    list_filter = (ProcessStatusFilter,)
    inlines = [StepInline]

    @admin.display(description=_("编号"), ordering="pk")
    def number(self, process):
        return process.pk

    @admin.display(description=_("公文"))
    def notice(self, process):
        return process.artifact.title if process.artifact else "—"

    @admin.display(description=_("状态"))
    def state(self, process):
        return PROCESS_STATUS_LABELS.get(process.status, process.status)

    since, done_at = StepColumns.since, StepColumns.done_at


@admin.register(SignoffStep)
class StepAdmin(StepColumns, ReadOnlyAdmin):
    list_display = ("number", "notice", "step", "step_status", "person", "decision", "since",
                    "done_at")
    fields = readonly_fields = ("notice", "step", "step_status", "person", "decision", "since",
                                "done_at")
    list_filter = (StepStatusFilter,)
    list_select_related = ("owner", "process")

    @admin.display(description=_("编号"), ordering="pk")
    def number(self, task):
        return task.pk

    @admin.display(description=_("公文"))
    def notice(self, task):
        return task.process.artifact.title if task.process.artifact else "—"
