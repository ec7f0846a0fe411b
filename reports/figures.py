"""A programme's figures: the dashboard and the per-county summary.

Every function starts from the applications a user may see (`scope`, built on
subsidy.services.visible_applications, the one access rule) and returns plain data: dicts,
lists, Decimal yuan. Each block is one grouped query (conditional aggregation), so the number
of queries depends neither on the number of applications nor on categories or counties.
"""

from datetime import date, datetime, time

from django.conf import settings
from django.db.models import (
    CharField,
    Count,
    DateTimeField,
    F,
    Func,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from accounts.models import Role
from subsidy.flags import flag_summary
from subsidy.funding import (
    FEN,
    HOLDING_BUDGET,
    NOTIFIED,
    PAID,
    budget_overview,
    empty_money,
    money_by,
)
from subsidy.models import Region
from subsidy.services import visible_applications
from workcalendar.workdays import Calendar, ScheduleMissing
from workflows.models import AuditEntry
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
    """The programme's applications that `user` may see."""
    return visible_applications(user).filter(programme=programme)


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

def category_states(applications, categories) -> dict:
    """Applications by category × state (one query). Columns are the states that have any
    application, in lifecycle order; every category is a row, with or without applications."""
    counts = {(category_id, state): n for category_id, state, n in
              applications.order_by().values_list("category_id", "state")
              .annotate(n=Count("pk"))}
    present = {state for _category, state in counts}
    states = [state for state in State if state in present]
    rows = [{"category": category,
             "counts": [counts.get((category.pk, state), 0) for state in states],
             "total": sum(n for (c, _s), n in counts.items() if c == category.pk)}
            for category in categories]
    return {"states": [(state.value, state.label) for state in states], "rows": rows,
            "totals": [sum(r["counts"][i] for r in rows) for i in range(len(states))],
            "total": sum(r["total"] for r in rows)}


def by_county(applications, regions) -> dict:
    """Counts and amounts (requested, approved, notified, paid) per county (one query)."""
    sums = money_by(applications, "region_id")
    rows = [{"region": region, **(sums.get(region.pk) or empty_money())} for region in regions]
    totals = empty_money()
    for row in rows:
        for key in totals:
            totals[key] += row[key]
    return {"rows": rows, "totals": totals}


# --- Waiting times ------------------------------------------------------------------------

def entered_current_state(applications):
    """`applications` with `entered`: when each moved into its current state, i.e. the time of
    its latest audit entry (the one numbered audit_seq); its creation if it has none."""
    latest = AuditEntry.objects.filter(subject_id=OuterRef("pk"),
                                       seq=OuterRef("audit_seq")).values("at")[:1]
    return applications.annotate(
        entered=Coalesce(Subquery(latest), F("created_at"), output_field=DateTimeField()))


def local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def waiting_times(applications, *, limit_days: int, today: date | None = None,
                  listed: int = 20) -> dict:
    """How long applications have waited in their current stage, per stage: count, median
    and longest wait in working days, and how many have waited more than `limit_days`
    working days; plus the `listed` longest-waiting of those (oldest first).

    Three queries and the calendar's two, whatever the number of applications: the medians
    come from a window query returning the middle one or two rows of each stage.
    """
    today = today or timezone.localdate()
    calendar = Calendar()
    problem, cutoff = "", None
    try:
        # arrived before this working day: more than limit_days working days waited
        cutoff = start_of(calendar.nth_workday_back(today, limit_days + 1))
    except ScheduleMissing as missing:
        problem = missing.message
    waiting = entered_current_state(applications.filter(state__in=WAITING_STATES))
    never = Q(pk__isnull=True)
    stats = {row["state"]: row for row in
             waiting.order_by().values("state").annotate(
                 count=Count("pk"), oldest=Min("entered"),
                 overdue=Count("pk", filter=Q(entered__lt=cutoff) if cutoff else never))}
    middles: dict[str, list[datetime]] = {}
    ranked = waiting.order_by().annotate(
        position=Window(RowNumber(), partition_by=[F("state")], order_by=F("entered").asc()),
        size=Window(Count("pk"), partition_by=[F("state")]))
    for state, entered in (ranked.filter(position__gte=(F("size") + 1) / 2,
                                         position__lte=(F("size") + 2) / 2)
                           .values_list("state", "entered")):
        middles.setdefault(state, []).append(entered)

    def waited(moment) -> int | None:
        try:
            return calendar.workdays_between(local_day(moment), today)
        except ScheduleMissing as missing:
            nonlocal problem
            problem = missing.message
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
        for app in (waiting.filter(entered__lt=cutoff)
                    .select_related("category", "organisation", "region")
                    .order_by("entered", "pk")[:listed]):
            overdue.append({"application": app, "entered": app.entered,
                            "waited": waited(app.entered)})
    return {"limit_days": limit_days, "today": today, "rows": rows, "overdue": overdue,
            "overdue_total": sum(r["overdue"] or 0 for r in rows),
            "count": sum(r["count"] for r in rows), "problem": problem}


# --- Money over time -----------------------------------------------------------------------

def _latest_entry(transition: str):
    return Subquery(AuditEntry.objects.filter(subject_id=OuterRef("pk"), transition=transition)
                    .order_by("-seq").values("at")[:1])


class LocalMonth(Func):
    """'YYYY-MM' of a timestamp in the current time zone (of a date with `is_date`), computed
    by the database itself: Django's TruncMonth calls back into Python for every row on
    SQLite, which costs more than the rest of the dashboard at 50,000 applications. SQLite
    gets the zone's current UTC offset (China keeps no daylight saving time)."""

    output_field = CharField()

    def __init__(self, expression, is_date=False):
        super().__init__(expression)
        self.is_date = is_date

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        if self.is_date:
            return f"strftime(%s, {sql})", ["%Y-%m", *params]
        minutes = int(timezone.localtime().utcoffset().total_seconds() // 60)
        return f"strftime(%s, {sql}, %s)", ["%Y-%m", *params, f"{minutes:+d} minutes"]

    def as_sql(self, compiler, connection, **extra):  # PostgreSQL
        sql, params = compiler.compile(self.source_expressions[0])
        if self.is_date:
            return f"to_char({sql}, %s)", [*params, "YYYY-MM"]
        return (f"to_char(({sql}) AT TIME ZONE %s, %s)",
                [*params, timezone.get_current_timezone_name(), "YYYY-MM"])


def _by_month(queryset, month, amount: str) -> dict[date, object]:
    """{first day of the month: sum of `amount`}, grouped by a LocalMonth expression."""
    rows = queryset.order_by().annotate(month=month).values("month").annotate(
        total=Sum(amount))
    return {date(int(row["month"][:4]), int(row["month"][5:7]), 1): row["total"]
            for row in rows if row["month"]}


def burn_down(applications, budget) -> dict:
    """Cumulative approved, notified and paid amounts at the end of each month, against the
    budget (three queries). Approved counts from the latest approval of each application
    still holding budget, notified from its disbursement notice, paid from the payment date."""
    def latest(transition):
        return LocalMonth(Coalesce(_latest_entry(transition), F("updated_at"),
                                   output_field=DateTimeField()))

    approved = _by_month(applications.filter(HOLDING_BUDGET), latest("approve"),
                         "approved_amount")
    notified = _by_month(applications.filter(NOTIFIED), latest("notify_disbursement"),
                         "approved_amount")
    paid = _by_month(applications.filter(PAID),
                     Coalesce(LocalMonth(F("paid_on"), is_date=True),
                              latest("confirm_payment")),
                     "paid_amount")
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

def dashboard(user, programme, *, limit_days: int | None = None,
              today: date | None = None) -> dict:
    """Everything the programme dashboard shows, for what `user` may see."""
    applications = scope(user, programme)
    overview = budget_overview(programme, applications)
    categories = [row["category"] for row in overview["rows"]]
    return {
        "programme": programme,
        "budget": overview,
        "category_states": category_states(applications, categories),
        "counties": by_county(applications, regions_for(user)),
        "waiting": waiting_times(applications, today=today,
                                 limit_days=limit_days or overdue_after()),
        "burn_down": burn_down(applications, programme.total_budget),
        "flags": flag_summary(applications),
    }


def county_summary(user, programme, region) -> dict:
    """One county's applications in a programme: per category counts and amounts, and the
    list (for the county bureau to print). Categories without applications are left out."""
    applications = scope(user, programme).filter(region=region)
    overview = budget_overview(programme, applications)
    rows = [row for row in overview["rows"] if row["count"]]
    listing = list(applications.select_related("category", "organisation")
                   .order_by("category__code", "number"))
    return {"programme": programme, "region": region, "rows": rows, "totals": overview,
            "applications": listing}
