"""Funding rules: how much an application may receive, and the budget left.

All money is Decimal yuan, rounded to the fen.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db.models import Count, Exists, OuterRef, Q, Sum

from workflows.models import AuditEntry
from workflows.stages import State

from .models import (
    BUDGET_COMMITTED_STATES,
    Application,
    FundingRule,
    Payment,
    ProgrammeCategory,
)
from .money import FEN, format_rate, format_yuan, parse_yuan, round_fen

#: Applications whose approved amount counts against the budget (an approved application
#: returned for revision from acceptance still holds its money).
HOLDING_BUDGET = Q(state__in=BUDGET_COMMITTED_STATES) | Q(
    state=State.RETURNED, returned_from__in=BUDGET_COMMITTED_STATES)
#: Approved amounts the finance bureau has been notified of (a disbursement notice issued).
NOTIFIED = Q(state__in=(State.DISBURSEMENT_NOTIFIED, State.PAID))
#: What counts as an application in every figure: not a draft, nor a draft withdrawn
#: before it was ever submitted (an application imported with no history counts).
COUNTED = ~Q(state=State.DRAFT) & ~(Q(state=State.WITHDRAWN) & ~Q(Exists(
    AuditEntry.objects.filter(subject_id=OuterRef("pk"), transition="submit"))))
MONEY_KEYS = ("requested", "approved", "notified", "paid")


def to_money(value) -> Decimal | None:
    """`value` as a Decimal rounded to the fen, or None when it is not a number (text may be
    grouped by thousands, 180,000.00, as subsidy.money.parse_yuan reads it)."""
    if value is None or value == "":
        return None
    try:
        number = parse_yuan(value) if isinstance(value, str) else None
        if number is None:
            number = Decimal(str(value))
        return round_fen(number) if number.is_finite() else None
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


@dataclass(frozen=True)
class Part:
    """One line of a computed subsidy: what it is for, how it is worked out (in words), the
    product before its own cap, the cap and what it gives."""

    label: str
    basis: str
    computed: Decimal
    cap: Decimal | None
    amount: Decimal


@dataclass(frozen=True)
class Breakdown:
    """A subsidy computed part by part: the parts, their sum, the category's cap on the
    total and the total the rule gives (the sum, not above the cap)."""

    parts: tuple[Part, ...]
    subtotal: Decimal
    cap: Decimal | None
    total: Decimal

    @property
    def capped(self) -> bool:
        return self.total < self.subtotal


def _capped(amount: Decimal, cap: Decimal | None) -> Decimal:
    return min(amount, cap) if cap is not None else amount


def _decimal(value) -> Decimal | None:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() and number >= 0 else None


def component_breakdown(pc: ProgrammeCategory, form_data: dict) -> Breakdown | None:
    """Each component (e.g. 贷款贴息, 评估费补助, 保险费补助) is its base field × its own rate,
    rounded and capped by its own cap; the total is their sum capped by the category's cap.
    A component whose field was left empty gives nothing; None when a base is not a number."""
    from django.utils.translation import gettext as _

    parts = []
    for component in (pc.figure("rule_settings") or {}).get("components", []):
        raw = form_data.get(component["field"])
        base = Decimal(0) if raw in (None, "") else to_money(raw)
        rate = _decimal(component.get("rate"))
        if base is None or base < 0 or rate is None:
            return None
        cap = _decimal(component["cap"]) if component.get("cap") not in (None, "") else None
        computed = round_fen(base * rate)
        basis = _("%(base)s 元 × %(rate)s") % {"base": format_yuan(base),
                                               "rate": format_rate(rate)}
        parts.append(Part(component.get("label", component["field"]), basis, computed, cap,
                          _capped(computed, cap)))
    return _total(parts, pc.figure("cap"))


def country_breakdown(pc: ProgrammeCategory, form_data: dict) -> Breakdown | None:
    """Per registration: its designated countries (at most max_countries of them) × the
    amount per country; the total is their sum capped by the category's cap."""
    from django.utils.translation import gettext as _

    unit = pc.figure("unit_amount")
    registrations = form_data.get(pc.category.rule_field)
    if unit is None or not isinstance(registrations, list):
        return None
    most = (pc.figure("rule_settings") or {}).get("max_countries")
    parts = []
    for registration in registrations:
        try:
            number, countries = str(registration["number"]), int(registration["countries"])
        except (KeyError, TypeError, ValueError):
            return None
        counted_countries = min(countries, int(most)) if most else countries
        basis = _("%(counted)d 个国家（地区）× %(unit)s 元") % {
            "counted": counted_countries, "unit": format_yuan(unit)}
        if counted_countries < countries:
            basis += _("（指定 %(countries)d 个，每件最多计 %(most)d 个）") % {
                "countries": countries, "most": int(most)}
        amount = round_fen(unit * counted_countries)
        parts.append(Part(_("国际注册 %(number)s") % {"number": number}, basis, amount, None,
                          amount))
    return _total(parts, pc.figure("cap"))


def _total(parts: list[Part], cap: Decimal | None) -> Breakdown:
    subtotal = sum((p.amount for p in parts), Decimal("0.00"))
    return Breakdown(tuple(parts), subtotal, cap, _capped(subtotal, cap))


#: The rules computed part by part, and the function computing each.
BREAKDOWNS = {FundingRule.COMPONENTS: component_breakdown,
              FundingRule.PER_COUNTRY: country_breakdown}


def rule_breakdown(pc: ProgrammeCategory, form_data: dict) -> Breakdown | None:
    """The parts of the amount for a rule computed part by part; None for the other rules
    (their amount is one product) or when the form data does not allow computing it."""
    compute = BREAKDOWNS.get(pc.category.funding_rule)
    return compute(pc, form_data or {}) if compute else None


def application_breakdown(application, cache: dict | None = None) -> Breakdown | None:
    """rule_breakdown for `application` (None without a programme category)."""
    pc = programme_category(application, cache)
    return rule_breakdown(pc, application.form_data) if pc is not None else None


def rule_maximum(pc: ProgrammeCategory, form_data: dict) -> Decimal | None:
    """The most the category's rule allows for this form data; None if it cannot be computed.

    - capped request: the cap (the requested amount must not exceed it)
    - percentage: base × rate, not above the cap
    - per item: count × unit amount, not above the cap
    - fixed: the fixed amount
    - components, per country: the total of rule_breakdown
    """
    rule = pc.category.funding_rule
    cap = pc.figure("cap")
    if rule in BREAKDOWNS:
        breakdown = rule_breakdown(pc, form_data)
        return breakdown.total if breakdown is not None else None
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
    return _capped(round_fen(base * factor), cap)


def validate_rule_settings(rule: str, settings, form_fields) -> list[str]:
    """Problems in a category's (or a programme's) rule settings for `rule`: every
    component names a decimal field of the form, a rate between 0 and 1 and a cap that is
    an amount; max_countries is a whole number of at least 1."""
    if settings in (None, ""):
        settings = {}
    if not isinstance(settings, dict):
        return ["rule settings must be an object"]
    problems = []
    decimals = {f["name"] for f in form_fields if isinstance(f, dict)
                and f.get("type") == "decimal"}
    if rule == FundingRule.COMPONENTS:
        components = settings.get("components")
        if not isinstance(components, list) or not components:
            return ["components: a list of {key, label, field, rate, cap} is required"]
        for item in components:
            if not isinstance(item, dict) or item.get("field") not in decimals:
                problems.append(f"{item!r}: field must name a decimal field of the form")
                continue
            rate = _decimal(item.get("rate"))
            if rate is None or rate > 1:
                problems.append(f"{item['field']}: rate must be a fraction from 0 to 1")
            if item.get("cap") not in (None, "") and _decimal(item["cap"]) is None:
                problems.append(f"{item['field']}: cap must be an amount")
    if rule == FundingRule.PER_COUNTRY:
        most = settings.get("max_countries")
        if most is not None and (not isinstance(most, int) or most < 1):
            problems.append("max_countries must be a whole number of at least 1")
    return problems


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


def counted(applications):
    """`applications` that count as applications (COUNTED)."""
    return applications.filter(COUNTED)


def payments_of(applications):
    """The payments made on `applications`: what every figure of money paid sums (by their
    date when it is counted over time). Application.paid_amount holds each one's sum."""
    return Payment.objects.filter(application__in=applications.order_by().values("pk"))


def committed_amount(programme_id: int, category_id: int | None = None) -> Decimal:
    """Approved amounts already counted against the budget (programme, or one category).

    An approved application returned for revision (from acceptance) still holds its money.
    """
    qs = Application.objects.filter(HOLDING_BUDGET, programme_id=programme_id)
    if category_id is not None:
        qs = qs.filter(category_id=category_id)
    total = qs.aggregate(total=Sum("approved_amount"))["total"] or Decimal(0)
    return total.quantize(FEN)  # SQLite sums NUMERIC columns as floats: back to the fen


#: The states of NOTIFIED, for folding grouped rows in Python.
NOTIFIED_STATES = frozenset({State.DISBURSEMENT_NOTIFIED, State.PAID})


def holds_budget(state: str, returned_from: str | None) -> bool:
    """HOLDING_BUDGET for one application's state and returned_from, in Python."""
    return state in BUDGET_COMMITTED_STATES or (
        state == State.RETURNED and returned_from in BUDGET_COMMITTED_STATES)


def money_by(applications, field: str, *more: str) -> dict:
    """{value of `field`: {count, approved_count, requested, approved, notified, paid}} over
    `applications`, in one grouped query; keyed by tuples of values when grouped by `more`
    fields too.

    requested: what every application asked for; approved: approved amounts holding budget
    (as committed_amount counts them); notified: approved amounts a disbursement notice has
    been issued for; paid: what the payments add up to (paid_amount, their sum on the row:
    part-paid applications included).

    The query groups by the fields and by state and returned_from with plain COUNT and SUM
    (which the app_dashboard_money index answers in its own order, without reading the rows
    or sorting them), and the states are folded here: a few thousand groups at most.
    """
    fields = (field, *more)
    extra = tuple(f for f in ("state", "returned_from") if f not in fields)
    columns = (*fields, *extra)
    rows = (applications.order_by().values_list(*columns)
            .annotate(count=Count("pk"), requested=Sum("requested_amount"),
                      approved=Sum("approved_amount"), paid=Sum("paid_amount")))
    state_at, returned_at = columns.index("state"), columns.index("returned_from")
    out = {}
    for row in rows:
        group, (count, requested, approved, paid) = row[:len(columns)], row[len(columns):]
        key = group[:len(fields)]
        figures = out.get(key if more else key[0])
        if figures is None:
            figures = out[key if more else key[0]] = empty_money()
        state = group[state_at]
        figures["count"] += count
        figures["requested"] += requested or 0
        if holds_budget(state, group[returned_at]):
            figures["approved_count"] += count
            figures["approved"] += approved or 0
        if state in NOTIFIED_STATES:
            figures["notified"] += approved or 0
        figures["paid"] += paid or 0
    for figures in out.values():
        for name in MONEY_KEYS:
            figures[name] = figures[name].quantize(FEN)
    return out


def money_total(sums: dict, *positions: int) -> dict:
    """Fold money_by(…, field, *more) figures by the key at `positions` (e.g. the county of
    (category, county) pairs; keyed by tuples when given several), without another query."""
    out = {}
    for key, figures in sums.items():
        folded = key[positions[0]] if len(positions) == 1 else tuple(key[p] for p in positions)
        into = out.get(folded)
        if into is None:
            into = out[folded] = empty_money()
        for name, value in figures.items():
            into[name] += value
    return out


def empty_money() -> dict:
    return {"count": 0, "approved_count": 0, **dict.fromkeys(MONEY_KEYS, Decimal("0.00"))}


def budget_overview(programme, applications=None, sums: dict | None = None) -> dict:
    """Budget against requested, committed (approved), notified and paid amounts, for the
    programme and each of its categories (2 queries).

    `applications` narrows what is summed (default: every counted application), e.g. to
    what a user may see; only counted ones are summed either way, and the budgets are the
    programme's. `sums` are the programme's money_by figures by category when the caller
    has them already, of counted applications (1 query).
    """
    if sums is None:
        if applications is None:
            applications = Application.objects.all()
        sums = money_by(counted(applications).filter(programme=programme), "category_id")
    rows = []
    for pc in programme.programme_categories.select_related("category").order_by(
            "category__code"):
        figures = sums.get(pc.category_id) or empty_money()
        rows.append({"category": pc.category, "budget": pc.budget, "count": figures["count"],
                     "approved_count": figures["approved_count"],
                     "requested": figures["requested"], "committed": figures["approved"],
                     "notified": figures["notified"], "paid": figures["paid"],
                     "left": pc.budget - figures["approved"]})
    totals = {key: sum((r[key] for r in rows), Decimal("0.00"))
              for key in ("requested", "committed", "notified", "paid")}
    return {"programme": programme, "rows": rows, "budget": programme.total_budget,
            "count": sum(r["count"] for r in rows),
            "approved_count": sum(r["approved_count"] for r in rows),
            **totals, "left": programme.total_budget - totals["committed"]}


def rule_summary(pc: ProgrammeCategory) -> str:
    """The category's funding rule with this programme's figures, in words (上限 200,000.00
    元, 按 50% 核定)."""
    from django.utils.translation import gettext as _

    rule, cap = pc.category.funding_rule, pc.figure("cap")
    cap_text = _("，上限 %(cap)s 元") % {"cap": format_yuan(cap)} if cap is not None else ""
    if rule == FundingRule.FIXED:
        return _("定额 %(amount)s 元") % {"amount": format_yuan(pc.figure("fixed_amount"))}
    if rule == FundingRule.PERCENTAGE:
        return _("按 %(rate)s 核定") % {"rate": format_rate(pc.figure("rate"))} + cap_text
    if rule == FundingRule.PER_ITEM:
        return _("每件 %(unit)s 元") % {"unit": format_yuan(pc.figure("unit_amount"))} + cap_text
    if rule == FundingRule.COMPONENTS:
        parts = []
        for item in (pc.figure("rule_settings") or {}).get("components", []):
            part = _("%(label)s按 %(rate)s") % {"label": item.get("label", item["field"]),
                                               "rate": format_rate(item.get("rate"))}
            if item.get("cap") not in (None, ""):
                part += _("（上限 %(cap)s 元）") % {"cap": format_yuan(item["cap"])}
            parts.append(part)
        total = _("，合计上限 %(cap)s 元") % {"cap": format_yuan(cap)} if cap is not None else ""
        return _("分项核定：") + "、".join(parts) + total
    if rule == FundingRule.PER_COUNTRY:
        text = _("每件按指定国家（地区）数计，每个 %(unit)s 元") % {
            "unit": format_yuan(pc.figure("unit_amount"))}
        most = (pc.figure("rule_settings") or {}).get("max_countries")
        if most:
            text += _("，每件最多计 %(most)d 个") % {"most": most}
        return text + cap_text
    return _("按申请金额核定") + cap_text
