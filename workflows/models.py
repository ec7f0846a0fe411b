"""The lifecycle base model (state machine fields and transition methods) and the audit log."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, FSMField, FSMModelMixin, transition

from .lifecycle import get_lifecycle
from .stages import TRANSITION_NAMES, State, state_label, transition_label


def _lifecycle_transition(name: str):
    """A django-fsm transition method for `name`, available where the lifecycle defines it.

    The method is called with the lifecycle's TransitionSpec and returns its target; the
    transition service is its only caller.
    """

    def allowed_by_lifecycle(instance) -> bool:
        return instance.lifecycle_definition.find(name, instance.state) is not None

    def move(self, spec):
        return spec.resolve_target(self.returned_from)

    move.__name__ = move.__qualname__ = name
    move.__doc__ = f"Take the {name!r} transition as the lifecycle defines it."
    return transition(
        field="state",
        source="*",
        target=RETURN_VALUE(*State.values),
        conditions=[allowed_by_lifecycle],
    )(move)


class LifecycleModel(FSMModelMixin, models.Model):
    """Abstract base for anything that moves through a lifecycle definition.

    `state` can only change through `workflows.services` (it is protected); `audit_seq` and
    `audit_head` are the number and hash of the latest audit entry, used both for the
    optimistic concurrency check and to detect a deleted last entry. `state_changed_at` is
    the time of that entry (the creation time before the first one): when the subject
    entered its current state, kept on the row so reports need not search the log.
    """

    #: {transition name: field}: fields that keep when the subject last took a transition,
    #: set by the service to the audit entry's time in the same UPDATE (subclasses fill it).
    transition_times: dict[str, str] = {}

    lifecycle = models.CharField(_("生命周期"), max_length=40)
    state = FSMField(_("状态"), choices=State.choices, default=State.DRAFT, protected=True,
                     db_index=True)
    returned_from = models.CharField(_("退回前阶段"), max_length=40, blank=True)
    audit_seq = models.PositiveIntegerField(_("审计序号"), default=0, editable=False)
    audit_head = models.CharField(_("最新审计摘要"), max_length=64, blank=True, editable=False)
    state_changed_at = models.DateTimeField(_("进入当前状态时间"), default=timezone.now,
                                            editable=False)

    class Meta:
        abstract = True

    @property
    def lifecycle_definition(self):
        return get_lifecycle(self.lifecycle)

    def transition_effects(self, spec, context) -> dict:
        """Domain fields a transition sets besides the state, as {field: value}.

        Subclasses override this (e.g. the approved amount on approval); the service applies
        the values in the same UPDATE as the state change.
        """
        return {}

    def state_label(self, value: str) -> str:
        """The label of state `value` as this subject's lifecycle names it."""
        return state_label(value, self.lifecycle_definition.kind)

    @property
    def returned_from_label(self) -> str:
        return str(State(self.returned_from).label) if self.returned_from else ""


for _name in TRANSITION_NAMES:
    setattr(LifecycleModel, _name, _lifecycle_transition(_name))
del _name


class AuditQuerySet(models.QuerySet):
    """The audit log is append-only: bulk updates and deletes are refused."""

    def update(self, **kwargs):
        raise PermissionError("audit entries cannot be changed")

    def delete(self):
        raise PermissionError("audit entries cannot be deleted")


class AuditEntry(models.Model):
    """One transition taken, chained by hash to the previous entry of the same subject."""

    subject = models.ForeignKey(settings.WORKFLOWS_SUBJECT_MODEL, on_delete=models.PROTECT,
                                related_name="audit_entries", verbose_name=_("申报"))
    seq = models.PositiveIntegerField(_("序号"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("操作人"))
    at = models.DateTimeField(_("时间"))
    transition = models.CharField(_("操作"), max_length=40)
    source = models.CharField(_("原状态"), max_length=40)
    target = models.CharField(_("新状态"), max_length=40)
    comment = models.TextField(_("意见"), blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)
    prev_hash = models.CharField(_("上一条摘要"), max_length=64, blank=True)
    hash = models.CharField(_("摘要"), max_length=64)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["subject_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["subject", "seq"], name="audit_entry_unique_seq"),
        ]
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")

    def __str__(self):
        return f"{self.subject_id}#{self.seq} {self.transition_label}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("audit entries cannot be deleted")

    @property
    def transition_label(self) -> str:
        return transition_label(self.transition)

    @property
    def source_label(self) -> str:
        return self.subject.state_label(self.source)

    @property
    def target_label(self) -> str:
        return self.subject.state_label(self.target)
