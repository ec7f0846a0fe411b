"""Expert review: assigning experts and recording their scores on the category's sheet.

An assignment is open while its application is in expert review; once the application
leaves that stage (approved, returned, rejected, withdrawn) the assignment has ended: it
leaves the expert's to-do list, stays in their history, and takes no more scores.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from workflows.i18n import lazy_format
from workflows.stages import State

from .models import Application, ExpertAssignment
from .rules import CITY_REVIEW_ROLES

#: Assignments whose application is still in expert review.
OPEN = Q(application__state=State.EXPERT_REVIEW)

ENDED_MESSAGE = _("该申报已不在专家评审阶段，评审已结束。")
WITHDRAWN_MESSAGE = _("市局已撤销对您的这项评审指派。")


def _locked_state(application_id) -> str:
    """The application's state, read under its row lock (the lock approval takes), so an
    assignment or a score cannot slip in behind a decision."""
    return (Application.objects.select_for_update().values_list("state", flat=True)
            .get(pk=application_id))


def assign_experts(actor, application, experts) -> list[ExpertAssignment]:
    """City staff ask the given experts to score an application in expert review."""
    if getattr(actor, "role", None) not in CITY_REVIEW_ROLES:
        raise PermissionDenied(_("只有市局科室工作人员可以指派专家。"))
    experts = [e for e in experts if e.role == Role.EXPERT and e.is_active]
    if not experts:
        raise ValidationError({"experts": [_("请至少选择一位评审专家。")]})
    with transaction.atomic():
        if _locked_state(application.pk) != State.EXPERT_REVIEW:
            raise ValidationError(_("只有处于专家评审阶段的申报可以指派专家。"))
        return [ExpertAssignment.objects.get_or_create(
            application=application, expert=e, defaults={"assigned_by": actor})[0]
            for e in experts]


def withdraw_assignment(actor, assignment: ExpertAssignment) -> None:
    """City staff take back an assignment the expert has not scored yet (the expert cannot
    take part), so that approval does not wait for scores that will not come."""
    if getattr(actor, "role", None) not in CITY_REVIEW_ROLES:
        raise PermissionDenied(_("只有市局科室工作人员可以撤销指派。"))
    with transaction.atomic():
        if _locked_state(assignment.application_id) != State.EXPERT_REVIEW:
            raise ValidationError(_("只有处于专家评审阶段的申报可以撤销指派。"))
        if ExpertAssignment.objects.filter(pk=assignment.pk,
                                           submitted_at__isnull=False).exists():
            raise ValidationError(_("该专家已提交评分，不能撤销指派。"))
        ExpertAssignment.objects.filter(pk=assignment.pk).delete()


def is_open(assignment: ExpertAssignment) -> bool:
    """Whether the expert may still score: the application is in expert review."""
    return assignment.application.state == State.EXPERT_REVIEW


def assignment_status(assignment: ExpertAssignment) -> str:
    """What the expert's lists say about an assignment."""
    if not is_open(assignment):
        return _("已结束")
    return _("已提交") if assignment.submitted_at else _("待评分")


def assignments_of(expert):
    """An expert's assignments, with what the lists show."""
    return (ExpertAssignment.objects.filter(expert=expert)
            .select_related("application__category", "application__organisation"))


def todo_assignments(expert):
    """What the expert still has to do: open assignments not yet scored, oldest first."""
    return assignments_of(expert).filter(OPEN, submitted_at__isnull=True).order_by(
        "assigned_at", "pk")


def past_assignments(expert):
    """The expert's history: scores submitted (revisable while open) and ended reviews."""
    return assignments_of(expert).exclude(OPEN & Q(submitted_at__isnull=True)).order_by(
        "-assigned_at", "-pk")


def available_experts():
    return User.objects.filter(role=Role.EXPERT, is_active=True).order_by("username")


def submit_scores(expert, assignment: ExpertAssignment, raw: dict, opinion: str):
    """Record an expert's scores (each within its item's maximum) and opinion."""
    if assignment.expert_id != expert.pk:
        raise PermissionDenied(_("只能填写指派给您的评审。"))
    if not is_open(assignment):
        raise ValidationError(ENDED_MESSAGE)
    sheet = assignment.application.category.score_sheet
    scores, errors = {}, {}
    for item in sheet:
        try:
            value = Decimal(str(raw.get(item["key"], "")).strip())
        except InvalidOperation:
            errors[item["key"]] = [_("请填写分数。")]
            continue
        if not value.is_finite() or not (0 <= value <= item["max"]):
            errors[item["key"]] = [lazy_format(_("分数应在 0 到 %(max)s 之间。"),
                                               {"max": item["max"]})]
            continue
        scores[item["key"]] = str(value)
    if not (opinion or "").strip():
        errors["opinion"] = [_("请填写评审意见。")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if _locked_state(assignment.application_id) != State.EXPERT_REVIEW:
            raise ValidationError(ENDED_MESSAGE)
        if not ExpertAssignment.objects.filter(pk=assignment.pk).exists():
            raise ValidationError(WITHDRAWN_MESSAGE)
        assignment.scores = scores
        assignment.total = sum(Decimal(v) for v in scores.values())
        assignment.opinion = opinion.strip()
        assignment.submitted_at = timezone.now()
        assignment.save(update_fields=["scores", "total", "opinion", "submitted_at"])
    return assignment
