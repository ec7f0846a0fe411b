"""Permission rules and guards the lifecycle definitions name, registered with the engine.

Each returns (allowed, reason). Reasons are lazy translations so refusals read in Chinese
and English.
"""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from workflows.i18n import lazy_format
from workflows.registry import OK, guard, permission_rule
from workflows.stages import State

from .attachments import PRE_APPROVAL_STAGES, attachment_kinds, attachment_stage
from .funding import (
    HOLDING_BUDGET,
    allowed_amount,
    approval_amount,
    committed_amount,
    programme_category,
)
from .identifiers import IDENTIFIER_KINDS
from .models import (
    Application,
    Category,
    IdentifierClaim,
    OrgType,
    Programme,
    ProgrammeStatus,
    parse_date_param,
)
from .money import format_yuan
from .payments import paid_total

#: Roles of the city section that review and approve.
CITY_REVIEW_ROLES = frozenset({Role.CITY, Role.CHIEF})

#: States in which the applicant edits the application form (within what form_editing
#: leaves open).
EDITABLE_STATES = (State.DRAFT, State.RETURNED)
#: The form's fields every category has, besides the category's own.
COMMON_FORM_FIELDS = ("title", "requested_amount")


@dataclass(frozen=True)
class FormEditing:
    """What the applicant may change in the application form now, and why not the rest."""

    editable: frozenset[str]
    locked: frozenset[str]
    #: why the locked fields are locked ("" when none is)
    reason: str
    #: the applicant is at work on the application (draft or returned): a page says why
    #: part of it is locked rather than hiding the form
    applicants_turn: bool


def form_editing(application) -> FormEditing:
    """The one answer to "which form fields may the applicant change now" (portal form,
    API, services): all of them in a draft or an application returned before approval;
    none in other states; none either when a project that was approved and published is
    returned at acceptance: then only its acceptance materials (attachments) may change,
    not the title, the amounts or the form it was approved on."""
    names = frozenset((*COMMON_FORM_FIELDS,
                       *(field["name"] for field in application.category.form_fields)))
    if application.state not in EDITABLE_STATES:
        return FormEditing(frozenset(), names, _("当前状态下不能修改申报内容。"), False)
    if application.state == State.RETURNED \
            and application.returned_from not in PRE_APPROVAL_STAGES:
        return FormEditing(frozenset(), names, _(
            "项目已立项并公示，验收退回后只能补充或更换验收材料；项目名称、申请金额、核定金额和"
            "申报表已锁定。"), True)
    return FormEditing(names, frozenset(), "", True)


def _role(actor):
    return getattr(actor, "role", None) if getattr(actor, "is_authenticated", False) else None


@permission_rule("applicant_owner")
def applicant_owner(actor, application):
    if _role(actor) == Role.APPLICANT and actor.organisation_id == application.organisation_id:
        return OK
    return False, _("只有申报单位本单位的用户可以执行此操作。")


@permission_rule("county_reviewer")
def county_reviewer(actor, application):
    if _role(actor) == Role.COUNTY and actor.region_id == application.region_id:
        return OK
    return False, _("只有申报单位所在县市区的审核员可以执行此操作。")


@permission_rule("city_staff")
def city_staff(actor, application):
    if _role(actor) in CITY_REVIEW_ROLES:
        return OK
    return False, _("只有市局科室工作人员可以执行此操作。")


@permission_rule("finance")
def finance(actor, application):
    if _role(actor) == Role.FINANCE:
        return OK
    return False, _("只有财政局用户可以确认拨付。")


@guard("programme_accepting")
def programme_accepting(application, context):
    key = ("programme", application.programme_id)
    programme = context.cache.get(key)
    if programme is None:
        programme = context.cache[key] = Programme.objects.get(pk=application.programme_id)
    if programme.status != ProgrammeStatus.OPEN:
        return False, _("该资助计划当前不受理申报。")
    today = timezone.localdate()
    if programme.applications_open and today < programme.applications_open:
        return False, lazy_format(_("申报尚未开始（%(date)s 开始）。"),
                             {"date": programme.applications_open})
    if programme.applications_close and today > programme.applications_close:
        return False, lazy_format(_("申报已于 %(date)s 截止。"),
                                  {"date": programme.applications_close})
    return OK


@guard("applicant_type_allowed")
def applicant_type_allowed(application, context):
    pc = programme_category(application, context.cache)
    if pc is None:
        return False, _("该资助计划不包含此类别。")
    org_type = application.organisation.org_type
    if pc.category.accepts(org_type):
        return OK
    return False, lazy_format(_("“%(type)s”不属于该类别的申报主体。"),
                              {"type": OrgType(org_type).label})


@guard("required_attachments")
def required_attachments(application, context):
    pc = programme_category(application, context.cache)
    if pc is None:
        return False, _("该资助计划不包含此类别。")
    stage = attachment_stage(application)
    required = attachment_kinds(application, stage)
    if not required:
        return OK
    present = set(application.attachments.filter(stage=stage).values_list("kind", flat=True))
    missing = [item["label"] for item in required if item["kind"] not in present]
    if missing:
        return False, lazy_format(_("缺少必备附件：%(names)s"), {"names": "、".join(missing)})
    return OK


@guard("amount_within_rule")
def amount_within_rule(application, context):
    allowed = allowed_amount(application, context.cache)
    if allowed is None:
        return False, _("无法按资助规则计算可资助金额，请检查申报表中的计算依据。")
    if application.requested_amount > allowed:
        return False, lazy_format(_("申请金额 %(asked)s 元超过资助规则允许的 %(allowed)s 元。"), {
            "asked": format_yuan(application.requested_amount),
            "allowed": format_yuan(allowed)})
    return OK


@guard("approved_amount_within_rule")
def approved_amount_within_rule(application, context):
    amount = approval_amount(application, context)
    if amount is None or amount <= 0:
        return False, _("核定金额必须是大于零的金额。")
    allowed = allowed_amount(application, context.cache)
    if allowed is None:
        return False, _("无法按资助规则计算可资助金额，请检查申报表中的计算依据。")
    if amount > allowed:
        return False, lazy_format(_("核定金额 %(amount)s 元超过资助规则允许的 %(allowed)s 元。"), {
            "amount": format_yuan(amount), "allowed": format_yuan(allowed)})
    return OK


#: The identifier kinds rewarded once only (IdentifierKind.once).
ONCE_KINDS = tuple(key for key, kind in IDENTIFIER_KINDS.items() if kind.once)


@guard("rewarded_once")
def rewarded_once(application, context):
    """No number of a kind rewarded once (a certificate) that another application, of any
    programme, already holds approved money for; in a bulk approval, nor one approved
    earlier in the same call."""
    mine = list(application.identifier_claims.filter(kind__in=ONCE_KINDS)
                .values_list("kind", "number"))
    if not mine:
        return OK
    holding = Application.objects.filter(HOLDING_BUDGET).exclude(pk=application.pk)
    for kind, number in mine:
        other = context.cache.get(("rewarded_once", kind, number))
        if other is None:
            other = (IdentifierClaim.objects.filter(kind=kind, number=number,
                                                    application__in=holding.values("pk"))
                     .values_list("application__number", flat=True).first())
        if other is not None and other != application.number:
            return False, lazy_format(
                _("%(kind)s %(number)s 已在申报 %(other)s 中核定资助，同一编号只资助一次。"),
                {"kind": IDENTIFIER_KINDS[kind].label, "number": number, "other": other})
    if not context.checking_only:
        for kind, number in mine:
            context.cache[("rewarded_once", kind, number)] = application.number
    return OK


@guard("budget_available")
def budget_available(application, context):
    """The approved amount fits what is left of the category's and the programme's budget.

    The programme's row is locked (SELECT … FOR UPDATE) so two approvals cannot both spend
    the same money; in a bulk call the running totals live in the context's cache.
    """
    amount = approval_amount(application, context)
    if amount is None:
        return False, _("核定金额必须是大于零的金额。")
    pc = programme_category(application, context.cache)
    programme_key = ("programme_left", pc.programme_id)
    if programme_key not in context.cache:
        programmes = Programme.objects.only("total_budget")
        if not context.checking_only:  # taking it: serialise spending of this programme
            programmes = programmes.select_for_update()
        programme = programmes.get(pk=pc.programme_id)
        context.cache[programme_key] = programme.total_budget - committed_amount(pc.programme_id)
    category_key = ("category_left", pc.pk)
    if category_key not in context.cache:
        context.cache[category_key] = pc.budget - committed_amount(pc.programme_id,
                                                                   pc.category_id)
    category_left, programme_left = context.cache[category_key], context.cache[programme_key]
    if amount > category_left:
        return False, lazy_format(_("超出类别预算：核定 %(amount)s 元，类别预算 %(budget)s 元，"
                        "剩余 %(left)s 元。"), {"amount": format_yuan(amount),
                                                 "budget": format_yuan(pc.budget),
                                                 "left": format_yuan(category_left)})
    if amount > programme_left:
        return False, lazy_format(_("超出计划总预算：核定 %(amount)s 元，总预算剩余 %(left)s 元。"),
                                  {"amount": format_yuan(amount),
                                   "left": format_yuan(programme_left)})
    context.cache[category_key] = category_left - amount
    context.cache[programme_key] = programme_left - amount
    return OK


@guard("completed_within_window")
def completed_within_window(application, context):
    """The project was completed within the programme's implementation window (which may
    begin before the call was issued)."""
    completed = parse_date_param(context.params.get("completed_on"))
    if completed is None:
        if context.checking_only:
            return OK
        return False, _("请填写项目完成日期。")
    programme = Programme.objects.only("implementation_start", "implementation_end").get(
        pk=application.programme_id)
    if programme.implementation_start <= completed <= programme.implementation_end:
        return OK
    return False, lazy_format(_("项目完成日期须在实施期 %(start)s 至 %(end)s 之内。"), {
        "start": programme.implementation_start, "end": programme.implementation_end})


@guard("payments_complete")
def payments_complete(application, context):
    """已拨付 only when the recorded payments add up to the approved amount
    (subsidy.payments records them and takes this transition with the last one)."""
    paid = paid_total(application)
    if application.approved_amount is not None and paid == application.approved_amount:
        return OK
    return False, lazy_format(_("已拨付 %(paid)s 元，尚余 %(left)s 元未拨付：请登记拨付，"
                                "拨足核定金额后即为已拨付。"),
                              {"paid": format_yuan(paid),
                               "left": format_yuan((application.approved_amount or 0) - paid)})


@guard("not_yet_approved")
def not_yet_approved(application, context):
    if application.state != State.RETURNED or application.returned_from in PRE_APPROVAL_STAGES:
        return OK
    return False, _("项目已立项，不能撤回。")


@guard("expert_scores_complete")
def expert_scores_complete(application, context):
    """Approval after expert review needs the experts' scores: at least as many experts as
    the category asks for, and every assigned expert's scores submitted.

    The approval locks the application row; assigning, withdrawing and scoring take the
    same lock (`subsidy.experts`), so the counts cannot change while this judges them.
    """
    key = ("experts_required", application.category_id)
    if key not in context.cache:
        context.cache[key] = Category.objects.values_list("experts_required", flat=True).get(
            pk=application.category_id)
    required = context.cache[key]
    counts = application.expert_assignments.aggregate(
        assigned=Count("pk"), submitted=Count("pk", filter=Q(submitted_at__isnull=False)))
    missing = max(required, counts["assigned"]) - counts["submitted"]
    if missing <= 0:
        return OK
    return False, lazy_format(
        _("还需 %(missing)d 位专家提交评分（本类别至少需要 %(required)d 位专家评分；"
          "已指派 %(assigned)d 位，已提交 %(submitted)d 位）。"),
        {"missing": missing, "required": required, **counts})
