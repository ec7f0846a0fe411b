"""A programme's figures: the dashboard and the per-county summary.

Every function starts from the applications a user may see (`scope`, built on
subsidy.services.visibility, the one access rule) and returns plain data: dicts,
lists, Decimal yuan. Each block is one grouped query (conditional aggregation), so the number
of queries depends neither on the number of applications nor on categories or counties.
"""

from datetime import date, datetime, time
from functools import reduce
from operator import or_

from django.conf import settings
from django.db import connections
from django.db.models import (
    Case,
    Count,
    DateField,
    DateTimeField,
    F,
    Func,
    Min,
    Q,
    Sum,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import CITY_ROLES, Role
from subsidy.flags import flag_summary
from subsidy.funding import (
    FEN,
    HOLDING_BUDGET,
    NOTIFIED,
    budget_overview,
    counted,
    empty_money,
    money_by,
    money_total,
    payments_of,
)
from subsidy.models import Application, Region
from subsidy.services import visibility
from workcalendar.models import ScheduleGap
from workcalendar.schedules import record_gap
from workcalendar.workdays import Calendar, ScheduleMissing
from workflows.stages import State

#: Stages in which an application waits for someone to act (the office, an expert, the
#: finance bureau, a publicity period, or the applicant after a return). Implementation is
#: left out: the project itself runs for months by design.
WAITING_STATES = (
    State.SUBMITTED, State.COUNTY_REVIEW, State.CITY_REVIEW, State.EXPERT_REVIEW,
    State.APPROVED, State.APPROVAL_PUBLICITY, State.ACCEPTANCE_SUBMITTED,
    State.ACCEPTANCE_REVIEW, State.ACCEPTANCE_PASSED, State.ACCEPTANCE_PUBLICITY,
    State.AWAITING_DISBURSEMENT, State.DISBURSEMENT_NOTIFIED, State.RETURNED,
)


def scope(user, programme):
    """The programme's applications that `user` may see and that count as applications
    (subsidy.funding.COUNTED: never a draft)."""
    return counted(Application.objects.filter(visibility(user), programme=programme))


def regions_for(user):
    """The counties whose figures `user` may see: a county reviewer's own, else all of them."""
    regions = Region.objects.order_by("code")
    if getattr(user, "role", None) == Role.COUNTY:
        return regions.filter(pk=user.region_id)
    return regions


def overdue_after() -> int:
    """Working days an item may wait in a stage before it is flagged (settings)."""
    return settings.REPORTS_OVERDUE_WORKDAYS


# --- Counts -----------------------------------------------------------------------------

def category_states(applications, categories, counts: dict | None = None) -> dict:
    """Applications by category × state (one query, none when given the counts by
    (category id, state) as `counts`). Columns are the states that have any application, in
    lifecycle order; every category is a row, with or without applications."""
    if counts is None:
        counts = {(category_id, state): n for category_id, state, n in
                  applications.order_by().values_list("category_id", "state")
                  .annotate(n=Count("pk"))}
    counts = {key: n for key, n in counts.items() if n}
    present = {state for _category, state in counts}
    states = [state for state in State if state in present]
    rows = [{"category": category,
             "counts": [counts.get((category.pk, state), 0) for state in states]}
            for category in categories]
    for row in rows:
        row["total"] = sum(row["counts"])
    return {"states": [(state.value, state.label) for state in states], "rows": rows,
            "totals": [sum(r["counts"][i] for r in rows) for i in range(len(states))],
            "total": sum(r["total"] for r in rows)}


def by_county(applications, regions, sums: dict | None = None) -> dict:
    """Counts and amounts (requested, approved, notified, paid) per county (one query, none
    when given money_by's figures by county as `sums`)."""
    sums = money_by(applications, "region_id") if sums is None else sums
    rows = [{"region": region, **(sums.get(region.pk) or empty_money())} for region in regions]
    totals = empty_money()
    for row in rows:
        for key in totals:
            totals[key] += row[key]
    return {"rows": rows, "totals": totals}


# --- Waiting times ------------------------------------------------------------------------

def entered_current_state(applications):
    """`applications` with `entered`: when each moved into its current state (the time of
    its latest audit entry, kept on the row by the transition service; its creation if it
    has none)."""
    return applications.annotate(entered=F("state_changed_at"))


def local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def picked_ranks(size: int, listed: int) -> list[int]:
    """The 0-based ranks ranked_rows reads in a stage of `size` applications: the first
    `listed` and the middle one or two (the median), in order."""
    return sorted(set(range(min(listed, size))) | set(range((size - 1) // 2, size // 2 + 1)))


def ranked_rows(waiting, sizes: dict[str, int], listed: int) -> dict[str, list]:
    """{state: [(rank, (entered, pk)), …]} for the ranks picked_ranks gives each state of
    `sizes` ({state: number of applications in `waiting`}), ranked by when they entered the
    state (then by id). One query whatever the number of applications: per state, a
    subquery for the first `listed` rows and one for the middle rows (OFFSET), each walking
    the (programme, state, state_changed_at) index, not a window over every row."""
    if not sizes:
        return {}
    parts = []
    for state, size in sizes.items():
        ordered = waiting.filter(state=state).order_by("state_changed_at", "pk").values("pk")
        parts += [ordered[:listed], ordered[(size - 1) // 2:size // 2 + 1]]
    if connections[waiting.db].features.supports_slicing_ordering_in_compound:
        # PostgreSQL: one IN over a UNION ALL, read through the primary key (an OR of INs
        # would test every row against each subquery)
        picked = Q(pk__in=parts[0].union(*parts[1:], all=True))
    else:  # SQLite answers an OR of INs on the primary key from each subquery alone
        picked = reduce(or_, (Q(pk__in=part) for part in parts))
    found: dict[str, list] = {}
    for pk, state, entered in (Application.objects.filter(picked).order_by()
                               .values_list("pk", "state", "state_changed_at")):
        found.setdefault(state, []).append((entered, pk))
    # the rows found are the picked ranks, in order (unless something moved meanwhile)
    return {state: list(zip(picked_ranks(sizes[state], listed), sorted(rows), strict=False))
            for state, rows in found.items() if state in sizes}


def waiting_times(applications, *, limit_days: int, today: date | None = None,
                  listed: int = 20) -> dict:
    """How long applications have waited in their current stage, per stage: count, median
    and longest wait in working days, and how many have waited more than `limit_days`
    working days; plus the `listed` longest-waiting of those (oldest first).

    Three queries and the calendar's two, whatever the number of applications: the medians
    come from ranked_rows, the middle one or two rows of each stage. All three read
    `state_changed_at` (indexed with programme and state), not the audit log.
    """
    today = today or timezone.localdate()
    calendar = Calendar()
    problem, cutoff = None, None
    try:
        # arrived before this working day: more than limit_days working days waited
        cutoff = start_of(calendar.nth_workday_back(today, limit_days + 1))
    except ScheduleMissing as missing:
        problem = missing
    waiting = applications.filter(state__in=WAITING_STATES)
    never = Q(pk__isnull=True)
    stats = {row["state"]: row for row in
             waiting.order_by().values("state").annotate(
                 count=Count("pk"), oldest=Min("state_changed_at"),
                 overdue=Count("pk", filter=Q(state_changed_at__lt=cutoff) if cutoff
                               else never))}
    # one query gives each stage's middle one or two rows (the median) and its `listed`
    # longest-waiting ones (the overdue list is the oldest of those)
    middles: dict[str, list[datetime]] = {}
    oldest: list[tuple[datetime, int]] = []
    for state, rows in ranked_rows(waiting, {s: row["count"] for s, row in stats.items()},
                                   listed).items():
        size = stats[state]["count"]
        for rank, (entered, pk) in rows:
            if (size - 1) // 2 <= rank <= size // 2:
                middles.setdefault(state, []).append(entered)
            if rank < listed and cutoff and entered < cutoff:
                oldest.append((entered, pk))

    def waited(moment) -> int | None:
        try:
            return calendar.workdays_between(local_day(moment), today)
        except ScheduleMissing as missing:
            nonlocal problem
            problem = missing
            return None

    rows = []
    for state in WAITING_STATES:
        if state not in stats:
            continue
        waits = [waited(moment) for moment in middles.get(state, [])]
        median = (sum(waits) / len(waits)) if waits and None not in waits else None
        rows.append({"state": state.value, "label": state.label,
                     "count": stats[state]["count"], "median": median,
                     "longest": waited(stats[state]["oldest"]),
                     "overdue": stats[state]["overdue"] if cutoff else None})
    overdue = []
    if cutoff:
        ids = [pk for _entered, pk in sorted(oldest)[:listed]]
        for app in (waiting.filter(pk__in=ids)
                    .select_related("category", "organisation", "region")
                    .order_by("state_changed_at", "pk")):
            overdue.append({"application": app, "entered": app.state_changed_at,
                            "waited": waited(app.state_changed_at)})
    if problem:
        record_gap(problem, ScheduleGap.Outcome.REFUSED, ScheduleGap.Context.DASHBOARD_WAITING)
    return {"limit_days": limit_days, "today": today, "rows": rows, "overdue": overdue,
            "overdue_total": sum(r["overdue"] or 0 for r in rows),
            "count": sum(r["count"] for r in rows),
            "problem": problem.message if problem else ""}


# --- Money over time -----------------------------------------------------------------------

class LocalMonth(Func):
    """The first day of the month of a timestamp in the current time zone (of a date with
    `is_date`), computed by the database itself: Django's TruncMonth calls back into Python
    for every row on SQLite, which costs more than the rest of the dashboard at 50,000
    applications. SQLite gets the zone's current UTC offset (China keeps no daylight saving
    time)."""

    output_field = DateField()

    def __init__(self, expression, is_date=False):
        super().__init__(expression)
        self.is_date = is_date

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        if self.is_date:
            return f"strftime(%s, {sql})", ["%Y-%m-01", *params]
        minutes = int(timezone.localtime().utcoffset().total_seconds() // 60)
        return f"strftime(%s, {sql}, %s)", ["%Y-%m-01", *params, f"{minutes:+d} minutes"]

    def as_sql(self, compiler, connection, **extra):  # PostgreSQL
        sql, params = compiler.compile(self.source_expressions[0])
        if self.is_date:
            return f"date_trunc('month', ({sql})::timestamp)::date", params
        return (f"date_trunc('month', ({sql}) AT TIME ZONE %s)::date",
                [*params, timezone.get_current_timezone_name()])


def burn_down_months(applications) -> dict[str, dict[date, object]]:
    """{"approved" | "notified" | "paid": {first day of the month: amount}} in two queries:
    one over the applications holding budget (the notified ones are among them), grouped by
    the approval and notice months (a few dozen groups) and folded here, and one over the
    payments (subsidy.funding.payments_of, as money_by's paid) by the month they were made.

    Approved counts in the month of the latest approval (approved_at), notified in that of
    the disbursement notice (notified_at), both else the last change; paid in the month each
    payment was made, part payments included."""
    def latest(field):
        return LocalMonth(Coalesce(F(field), F("updated_at"), output_field=DateTimeField()))

    out = {"approved": {}, "notified": {}, "paid": {}}

    def add(name, month, amount):
        if month and amount is not None:
            out[name][month] = out[name].get(month, 0) + amount

    rows = (applications.filter(HOLDING_BUDGET).order_by()
            .annotate(approved_month=latest("approved_at"),
                      notified_month=Case(When(NOTIFIED, then=latest("notified_at"))))
            .values_list("approved_month", "notified_month")
            .annotate(approved=Sum("approved_amount")))
    for approved_month, notified_month, approved in rows:
        add("approved", approved_month, approved)
        add("notified", notified_month, approved)
    for month, paid in (payments_of(applications).order_by()
                        .annotate(month=LocalMonth(F("paid_on"), is_date=True))
                        .values_list("month").annotate(paid=Sum("amount"))):
        add("paid", month, paid)
    return out


def burn_down(applications, budget, today: date | None = None) -> dict:
    """Cumulative approved, notified and paid amounts at the end of each month, against the
    budget (two queries: burn_down_months), from the first month with any to the last,
    never past the current month: an amount dated later (a date typed wrong) counts in the
    current month, so the line still ends at the total."""
    sums = burn_down_months(applications)
    this_month = (today or timezone.localdate()).replace(day=1)
    for values in sums.values():
        for month in [m for m in values if m > this_month]:
            values[this_month] = values.get(this_month, 0) + values.pop(month)
    approved, notified, paid = sums["approved"], sums["notified"], sums["paid"]
    events = set(approved) | set(notified) | set(paid)
    if not events:
        return {"months": [], "series": {}, "budget": budget}
    months, month = [], min(events)
    while month <= max(events):
        months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    series = {}
    for name, values in (("approved", approved), ("notified", notified), ("paid", paid)):
        running, points = 0, []
        for month in months:
            running += values.get(month) or 0
            points.append(running.quantize(FEN) if running else FEN * 0)
        series[name] = points
    return {"months": months, "series": series, "budget": budget}


# --- Pages ---------------------------------------------------------------------------------

def dashboard_money(applications) -> tuple[dict, dict, dict]:
    """money_by's figures by category and by county, and the counts by (category, state).

    SQLite reads one pass grouped in the order of the app_dashboard_money index (category,
    county, state), folded here: grouping by fewer columns would sort every row. PostgreSQL
    hashes instead, and two passes with few groups each (by category and state, by county)
    cost less than folding thousands of groups here (measured at 50,000 applications)."""
    if connections[applications.db].vendor == "sqlite":
        money = money_by(applications, "category_id", "region_id", "state")
        by_state = money_total(money, 0, 2)
        by_county_sums = money_total(money, 1)
    else:
        by_state = money_by(applications, "category_id", "state")
        by_county_sums = money_by(applications, "region_id")
    counts = {key: figures["count"] for key, figures in by_state.items()}
    return money_total(by_state, 0), by_county_sums, counts


def programme_left(user, programme, overview: dict) -> dict:
    """`overview` (of what `user` sees) with what is left of each budget for the whole
    programme: a county's or finance's view sums only part of the applications, but what
    is left is the budget minus what every county has committed. (City staff see it all.)"""
    if user is not None and user.role in CITY_ROLES:
        return overview
    whole = budget_overview(programme)
    left = {row["category"].pk: row["left"] for row in whole["rows"]}
    for row in overview["rows"]:
        row["left"] = left[row["category"].pk]
    overview["left"] = whole["left"]
    return overview


def dashboard(user, programme, *, limit_days: int | None = None,
              today: date | None = None) -> dict:
    """Everything the programme dashboard shows, for what `user` may see."""
    applications = scope(user, programme)
    by_category, by_county_sums, counts = dashboard_money(applications)
    overview = programme_left(user, programme, budget_overview(programme, sums=by_category))
    categories = [row["category"] for row in overview["rows"]]
    return {
        "programme": programme,
        "budget": overview,
        "category_states": category_states(applications, categories, counts),
        "counties": by_county(applications, regions_for(user), sums=by_county_sums),
        "waiting": waiting_times(applications, today=today,
                                 limit_days=limit_days or overdue_after()),
        "burn_down": burn_down(applications, programme.total_budget, today=today),
        "flags": flag_summary(programme, visibility(user),
                              few_organisations=user.role == Role.COUNTY),
    }


def county_summary(user, programme, region) -> dict:
    """One county's applications in a programme: per category counts and amounts, and the
    list (for the county bureau to print). Categories without applications are left out."""
    applications = scope(user, programme).filter(region=region)
    overview = programme_left(None, programme, budget_overview(programme, applications))
    rows = [row for row in overview["rows"] if row["count"]]
    listing = list(applications.select_related("category", "organisation")
                   .order_by("category__code", "number"))
    return {"programme": programme, "region": region, "rows": rows, "totals": overview,
            "applications": listing}
