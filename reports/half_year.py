"""The half-year summary (上半年/下半年工作小结), in the spirit of the section's 2021 report:
applications received, approvals, acceptances and funds, by category, against the same half
of the previous year (同比).

Work is counted in the half-year it happened: an application when it was first submitted,
an approval or an acceptance at its latest such decision, each payment (an instalment too)
on its payment date. Only counted applications count (subsidy.funding.COUNTED: no draft). So
money paid in 2021 for the 2020 programme counts in 2021, as the source report counts the
2020 third batch's disbursement among the 2021 work. The programme year and the calendar
year are the same for an annual call, so the previous year's half is the same period of the
previous programme year. Three queries, whatever the number of applications. The latest
approval's time is kept on the application (`approved_at`, set by the transition service);
the first submission and the latest acceptance come from the audit log.
"""

from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import (
    Case,
    Count,
    DateTimeField,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    When,
)
from django.utils import timezone

from subsidy.funding import FEN, counted, payments_of
from subsidy.models import Category
from subsidy.services import visible_applications
from workflows.models import AuditEntry

#: (key, what is counted, whether it is money), in the order of the table's columns.
METRICS = (("submitted", False), ("approved", False), ("approved_amount", True),
           ("accepted", False), ("paid_amount", True))
HUNDRED = Decimal(100)


def period(year: int, half: int) -> tuple[date, date]:
    """First day of the half-year and first day after it."""
    if half == 1:
        return date(year, 1, 1), date(year, 7, 1)
    return date(year, 7, 1), date(year + 1, 1, 1)


def change(current, previous) -> Decimal | None:
    """Percentage change (同比), to 0.01; None when there is nothing to compare with."""
    if not previous:
        return None
    return ((Decimal(current) - Decimal(previous)) * HUNDRED / Decimal(previous)).quantize(FEN)


def _entry(transition: str, latest: bool):
    return Subquery(AuditEntry.objects.filter(subject_id=OuterRef("pk"), transition=transition)
                    .order_by("-seq" if latest else "seq").values("at")[:1])


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def half_year(user, year: int, half: int) -> dict:
    """The summary for `year`'s `half` (1 or 2) over what `user` may see, every category a row
    (those without applications too), with totals and the change against a year earlier."""
    periods = {"current": period(year, half), "previous": period(year - 1, half)}
    base = counted(visible_applications(user))
    applications = base.annotate(
        # first submission; an application with no history at all (imported) counts from
        # its creation
        submitted_at=Case(When(audit_seq=0, then=F("created_at")),
                          default=_entry("submit", latest=False),
                          output_field=DateTimeField()),
        accepted_at=_entry("pass_acceptance", latest=True))
    aggregates = {}
    for name, (start, end) in periods.items():
        def within(field, start=start, end=end):
            return Q(**{f"{field}__gte": _moment(start), f"{field}__lt": _moment(end)})

        aggregates.update({
            f"submitted_{name}": Count("pk", filter=within("submitted_at")),
            f"approved_{name}": Count("pk", filter=within("approved_at")),
            f"approved_amount_{name}": Sum("approved_amount", filter=within("approved_at")),
            f"accepted_{name}": Count("pk", filter=within("accepted_at")),
        })
    found = {row.pop("category_id"): row for row in
             applications.order_by().values("category_id").annotate(**aggregates)}
    # money paid: the payments made in each period (part payments included), by category
    paid = {f"paid_amount_{name}": Sum("amount", filter=Q(paid_on__gte=start, paid_on__lt=end))
            for name, (start, end) in periods.items()}
    for row in (payments_of(base).order_by()
                .values("application__category_id").annotate(**paid)):
        found.setdefault(row.pop("application__category_id"), {}).update(row)
    rows = []
    for category in Category.objects.order_by("code"):
        figures = found.get(category.pk, {})
        rows.append({"category": category, **_figures(figures)})
    sums = {f"{metric}_{name}": sum((row[metric][name] for row in rows),
                                    Decimal("0.00") if money else 0)
            for metric, money in METRICS for name in ("current", "previous")}
    totals = _figures(sums)
    return {"year": year, "half": half, "start": periods["current"][0],
            "end": periods["current"][1], "previous_start": periods["previous"][0],
            "previous_end": periods["previous"][1], "rows": rows, "totals": totals}


def _figures(found: dict) -> dict:
    """{metric: {current, previous, change}} from the query's flat row."""
    out = {}
    for metric, money in METRICS:
        values = {}
        for name in ("current", "previous"):
            value = found.get(f"{metric}_{name}") or 0
            values[name] = Decimal(value).quantize(FEN) if money else value
        values["change"] = change(values["current"], values["previous"])
        out[metric] = values
    return out
