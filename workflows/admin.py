from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from config.readonly_admin import ReadOnlyAdmin

from .models import AuditEntry
from .stages import TRANSITION_LABELS, State


class LabelFilter(admin.SimpleListFilter):
    """A filter over a field of names, offering their labels."""

    labels: dict = {}

    def lookups(self, request, model_admin):
        return [(name, str(label)) for name, label in self.labels.items()]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{self.parameter_name: self.value()})
        return queryset


class TransitionFilter(LabelFilter):
    title, parameter_name, labels = _("操作"), "transition", TRANSITION_LABELS


class TargetFilter(LabelFilter):
    title, parameter_name, labels = _("新状态"), "target", dict(State.choices)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Read-only view of the audit log, transitions and states by their labels."""

    list_display = ("subject", "seq", "transition_name", "source_name", "target_name", "actor",
                    "at")
    list_filter = (TransitionFilter, TargetFilter)
    fields = ("subject", "seq", "actor", "at", "transition_name", "source_name", "target_name",
              "comment", "values", "prev_hash", "hash")
    readonly_fields = fields
    search_fields = ("subject__number", "comment")
    list_select_related = ("actor",)

    @admin.display(description=_("操作"), ordering="transition")
    def transition_name(self, entry):
        return entry.transition_label

    @admin.display(description=_("原状态"), ordering="source")
    def source_name(self, entry):
        return entry.source_label

    @admin.display(description=_("新状态"), ordering="target")
    def target_name(self, entry):
        return entry.target_label

    @admin.display(description=_("数据"))
    def values(self, entry):
        """The values the transition set, named as the subject's fields are (not JSON)."""
        subject = type(entry.subject)._meta
        names = {f.name: f.verbose_name for f in subject.get_fields() if hasattr(f, "verbose_name")}
        return format_html_join("", "<div>{}：{}</div>", (
            (names.get(key, key), value) for key, value in entry.data.items())) or "—"
