"""Funding rules: how much an application may receive, and the budget left.

All money is Decimal yuan, rounded to the fen.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db.models import Q, Sum

from workflows.stages import State

from .models import BUDGET_COMMITTED_STATES, Application, FundingRule, ProgrammeCategory

FEN = Decimal("0.01")
#: Applications whose approved amount counts against the budget (an approved application
#: returned for revision from acceptance still holds its money).
HOLDING_BUDGET = Q(state__in=BUDGET_COMMITTED_STATES) | Q(
    state=State.RETURNED, returned_from__in=BUDGET_COMMITTED_STATES)


def to_money(value) -> Decimal | None:
    """`value` as a Decimal rounded to the fen, or None when it is not a number."""
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value)).quantize(FEN, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return None


def programme_category(application, cache: dict | None = None) -> ProgrammeCategory | None:
    """The ProgrammeCategory of an application (with its category), cached in `cache` if given."""
    key = ("programme_category", application.programme_id, application.category_id)
    if cache is not None and key in cache:
        return cache[key]
    found = (ProgrammeCategory.objects.select_related("category")
             .filter(programme_id=application.programme_id,
                     category_id=application.category_id).first())
    if cache is not None:
        cache[key] = found
    return found


def rule_maximum(pc: ProgrammeCategory, form_data: dict) -> Decimal | None:
    """The most the category's rule allows for this form data; None if it cannot be computed.

    - capped request: the cap (the requested amount must not exceed it)
    - percentage: base × rate, not above the cap
    - per item: count × unit amount, not above the cap
    - fixed: the fixed amount
    """
    rule = pc.category.funding_rule
    cap = pc.figure("cap")
    if rule == FundingRule.FIXED:
        return pc.figure("fixed_amount")
    if rule == FundingRule.CAPPED_REQUEST:
        return cap
    base = to_money(form_data.get(pc.category.rule_field))
    if base is None or base < 0:
        return None
    factor = pc.figure("rate") if rule == FundingRule.PERCENTAGE else pc.figure("unit_amount")
    if factor is None:
        return None
    amount = (base * factor).quantize(FEN, rounding=ROUND_HALF_UP)
    return min(amount, cap) if cap is not None else amount


def allowed_amount(application, cache: dict | None = None) -> Decimal | None:
    """The amount the rule gives this application: its request, limited by the rule's maximum."""
    pc = programme_category(application, cache)
    if pc is None:
        return None
    maximum = rule_maximum(pc, application.form_data)
    if maximum is None:
        return None
    if pc.category.funding_rule == FundingRule.FIXED:
        return maximum
    return min(maximum, application.requested_amount)


def approval_amount(application, context) -> Decimal | None:
    """The amount an approval sets: the one given, else what the rule allows."""
    given = context.params.get("amount")
    if given not in (None, ""):
        return to_money(given)
    return allowed_amount(application, context.cache)


def payment_amount(application, context) -> Decimal | None:
    """The amount a payment records: the one given, else the approved amount."""
    given = context.params.get("amount")
    if given not in (None, ""):
        return to_money(given)
    return application.approved_amount


def committed_amount(programme_id: int, category_id: int | None = None) -> Decimal:
    """Approved amounts already counted against the budget (programme, or one category).

    An approved application returned for revision (from acceptance) still holds its money.
    """
    qs = Application.objects.filter(HOLDING_BUDGET, programme_id=programme_id)
    if category_id is not None:
        qs = qs.filter(category_id=category_id)
    total = qs.aggregate(total=Sum("approved_amount"))["total"] or Decimal(0)
    return total.quantize(FEN)  # SQLite sums NUMERIC columns as floats: back to the fen


def budget_overview(programme) -> dict:
    """Budget, committed and left for the programme and each of its categories (2 queries)."""
    committed = dict(Application.objects.filter(HOLDING_BUDGET, programme=programme)
                     .values_list("category_id").annotate(total=Sum("approved_amount")))
    rows = []
    for pc in programme.programme_categories.select_related("category").order_by(
            "category__code"):
        used = (committed.get(pc.category_id) or Decimal(0)).quantize(FEN)
        rows.append({"category": pc.category, "budget": pc.budget, "committed": used,
                     "left": pc.budget - used})
    used = sum((r["committed"] for r in rows), Decimal(0))
    return {"programme": programme, "rows": rows, "budget": programme.total_budget,
            "committed": used, "left": programme.total_budget - used}


def rule_summary(pc: ProgrammeCategory) -> str:
    """The category's funding rule with this programme's figures, in words."""
    from django.utils.translation import gettext as _

    rule, cap = pc.category.funding_rule, pc.figure("cap")
    cap_text = _("，上限 %(cap)s 元") % {"cap": f"{cap:,.0f}"} if cap is not None else ""
    if rule == FundingRule.FIXED:
        return _("定额 %(amount)s 元") % {"amount": f"{pc.figure('fixed_amount'):,.0f}"}
    if rule == FundingRule.PERCENTAGE:
        return _("按 %(rate)s%% 核定") % {"rate": f"{pc.figure('rate') * 100:g}"} + cap_text
    if rule == FundingRule.PER_ITEM:
        return _("每件 %(unit)s 元") % {"unit": f"{pc.figure('unit_amount'):,.0f}"} + cap_text
    return _("按申请金额核定") + cap_text
