from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process, Task

from config.readonly_admin import ReadOnly, ReadOnlyAdmin

from .models import DocumentNumberChange, DocumentSequence, Notice, NoticeProcess, SignoffStep
from .register import check_next_number, may_set_numbers, set_next_number
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


class SequenceForm(forms.ModelForm):
    """Sets where a year's sequence continues; the register service decides whether it may."""

    next_number = forms.IntegerField(label=_("下一个序号"), min_value=1, help_text=_(
        "本系统印发的下一份公文使用的序号。纸质公文与本系统共用文号序列：纸质公文已用到"
        "第67号时填68。可以调高；调低不能低于本系统已印发的序号。"))
    reason = forms.CharField(label=_("设定原因"), max_length=200)

    class Meta:
        model = DocumentSequence
        fields = ("prefix", "year")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["next_number"].initial = self.instance.next_number
        else:
            self.fields["year"].initial = timezone.localdate().year

    def clean(self):
        """The register's rule, so a refusal comes back on the form with the values kept."""
        cleaned = super().clean()
        for name in ("prefix", "year"):  # shown read-only once the sequence exists
            cleaned.setdefault(name, getattr(self.instance, name))
        if all(cleaned.get(name) for name in ("prefix", "year", "next_number")):
            try:
                check_next_number(cleaned["prefix"], cleaned["year"], cleaned["next_number"])
            except ValidationError as refusal:
                self.add_error(None, refusal)
        return cleaned


@admin.register(DocumentSequence)
class DocumentSequenceAdmin(admin.ModelAdmin):
    """The office's 文号 register: administrators set a year's next number, with a reason."""

    form = SequenceForm
    list_display = ("prefix", "year", "last", "next_number")
    fields = ("prefix", "year", "last", "next_number", "reason", "changes")
    readonly_fields = ("last", "changes")

    def get_readonly_fields(self, request, obj=None):
        return ("prefix", "year", *self.readonly_fields) if obj else self.readonly_fields

    @admin.display(description=_("下一个序号"))
    def next_number(self, sequence):
        return sequence.next_number

    @admin.display(description=_("设定记录"))
    def changes(self, sequence):
        """Every setting of this sequence, from the append-only record."""
        records = DocumentNumberChange.objects.filter(prefix=sequence.prefix, year=sequence.year)
        if not records:
            return "—"
        head = format_html_join("", "<th>{}</th>", ((label,) for label in (
            _("设定时间"), _("设定人"), _("原下一个序号"), _("设定的下一个序号"), _("原因"))))
        body = format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
                                "<td>{}</td></tr>",
                                ((_when(r.changed_at), r.changed_by.get_full_name() or r.changed_by,
                                  r.previous_next,
                                  r.next_number, r.reason) for r in records))
        return format_html("<table><thead><tr>{}</tr></thead><tbody>{}</tbody></table>",
                           head, body)

    def has_module_permission(self, request):
        return may_set_numbers(request.user) or super().has_module_permission(request)

    def has_add_permission(self, request):
        return may_set_numbers(request.user)

    def has_change_permission(self, request, obj=None):
        return may_set_numbers(request.user)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, sequence, form, change):
        """Through the register service, so the rule and the record are the same as anywhere."""
        saved = set_next_number(request.user, form.cleaned_data["prefix"],
                                form.cleaned_data["year"], form.cleaned_data["next_number"],
                                form.cleaned_data["reason"])
        sequence.pk, sequence.last = saved.pk, saved.last  # the admin's history links to it


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
