"""Suspicious-application flags shown on the review pages.

- the same patent number claimed by another application (any category or applicant);
- the organisation has another live application in the same category of the programme;
- the organisation's type is not among the category's applicant types.
A page of applications costs two queries, whatever its size. `flag_summary` counts the same
flags over any number of applications in SQL (for the dashboard).
"""

from collections import defaultdict
from functools import reduce
from operator import or_

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from workflows.i18n import lazy_format
from workflows.stages import State

from .models import Application, Category, PatentClaim

#: Applications in these states no longer compete (they are not counted as duplicates).
ENDED = (State.WITHDRAWN, State.REJECTED, State.ACCEPTANCE_FAILED)

#: The kinds of flag, as the dashboard counts them.
FLAG_LABELS = {
    "shared_patent": _("专利同时在其他申报中使用"),
    "repeated": _("同一单位在本类别有多个申报"),
    "wrong_type": _("单位类型不属于该类别的申报主体"),
}


def flags_for(applications) -> dict[int, list[str]]:
    """{application id: [readable flag, …]} for the given applications (with category and
    organisation loaded)."""
    apps = list(applications)
    flags = defaultdict(list)
    if not apps:
        return flags
    ids = [a.pk for a in apps]

    shared = defaultdict(set)
    mine = PatentClaim.objects.filter(application_id__in=ids).values_list("application_id",
                                                                          "number")
    numbers = {number for _app, number in mine}
    others = (PatentClaim.objects.filter(number__in=numbers)
              .exclude(application__state__in=ENDED)
              .values_list("number", "application__number", "application_id"))
    holders = defaultdict(set)
    for number, app_number, app_id in others:
        holders[number].add((app_id, app_number))
    for app_id, number in mine:
        for other_id, other_number in holders[number]:
            if other_id != app_id:
                shared[app_id].add((number, other_number))
    for app_id, pairs in shared.items():
        for number, other_number in sorted(pairs):
            flags[app_id].append(lazy_format(_("专利 %(patent)s 同时在申报 %(other)s 中使用"),
                                             {"patent": number, "other": other_number}))

    keys = {(a.programme_id, a.category_id, a.organisation_id) for a in apps}
    counts = (Application.objects
              .filter(programme_id__in={k[0] for k in keys},
                      organisation_id__in={k[2] for k in keys})
              .exclude(state__in=ENDED)
              .values("programme_id", "category_id", "organisation_id")
              .annotate(n=Count("id")))
    repeated = {(c["programme_id"], c["category_id"], c["organisation_id"])
                for c in counts if c["n"] > 1}
    for app in apps:
        if (app.programme_id, app.category_id, app.organisation_id) in repeated \
                and app.state not in ENDED:
            flags[app.pk].append(_("同一单位在本类别有多个申报"))
        if not app.category.accepts(app.organisation.org_type):
            flags[app.pk].append(_("单位类型不属于该类别的申报主体"))
    return flags


def applicant_types() -> dict[int, list[str]]:
    """{category id: the organisation types it accepts (empty: any)} (one query)."""
    return dict(Category.objects.values_list("pk", "applicant_types"))


def flag_conditions(types: dict[int, list[str]] | None = None) -> dict[str, Q]:
    """The flags of flags_for as conditions on Application, by kind (one query for the
    categories' applicant types, unless `types` from applicant_types() is given).

    Built to cost little a row: the shared patents are one uncorrelated subquery (the ids of
    applications with a number another live application claims), computed once; the
    repeated-application look-up reads only the (programme, category, organisation, state)
    index."""
    types = applicant_types() if types is None else types
    others = (PatentClaim.objects.filter(number=OuterRef("number"))
              .exclude(application_id=OuterRef("application_id"))
              .exclude(application__state__in=ENDED))
    shared = PatentClaim.objects.filter(Exists(others)).values("application_id")
    repeated = Exists(Application.objects
                      .filter(programme_id=OuterRef("programme_id"),
                              category_id=OuterRef("category_id"),
                              organisation_id=OuterRef("organisation_id"))
                      .exclude(pk=OuterRef("pk")).exclude(state__in=ENDED))
    wrong = [Q(category_id=pk) & ~Q(organisation__org_type__in=accepted)
             for pk, accepted in types.items() if accepted]
    return {"shared_patent": Q(pk__in=shared),
            "repeated": Q(repeated) & ~Q(state__in=ENDED),
            "wrong_type": reduce(or_, wrong) if wrong else Q(pk__isnull=True)}


def flag_summary(applications, limit: int = 20) -> dict:
    """How many of `applications` carry each flag and any flag, and the first `limit`
    flagged ones with their readable flags from flags_for. Five queries in all.

    The counts come from one query grouped by category, organisation type and the other two
    flags (a few hundred rows at most); whether the type is wrong is decided here from the
    category's applicant types, rather than by a condition per category on every row."""
    types = applicant_types()
    conditions = flag_conditions(types)
    grouped = {kind: ExpressionWrapper(conditions[kind], output_field=BooleanField())
               for kind in ("shared_patent", "repeated")}
    groups = (applications.order_by().annotate(**grouped)
              .values("category_id", "organisation__org_type", *grouped)
              .annotate(n=Count("pk")))
    counts = dict.fromkeys(["any", *conditions], 0)
    for group in groups:
        accepted = types.get(group["category_id"])
        found = {kind: bool(group[kind]) for kind in grouped}
        found["wrong_type"] = bool(accepted) and group["organisation__org_type"] not in accepted
        for kind, flagged in found.items():
            counts[kind] += group["n"] if flagged else 0
        counts["any"] += group["n"] if any(found.values()) else 0
    flagged = reduce(or_, conditions.values())
    examples = list(applications.filter(flagged)
                    .select_related("category", "organisation", "region")
                    .order_by("number")[:limit])
    readable = flags_for(examples)
    return {"total": counts["any"],
            "kinds": [{"kind": kind, "label": label, "count": counts[kind]}
                      for kind, label in FLAG_LABELS.items()],
            "examples": [(app, readable.get(app.pk, [])) for app in examples]}
