"""Suspicious-application flags shown on the review pages.

- the same patent number claimed by another application (any category or applicant);
- the organisation has another live application in the same category of the programme;
- the organisation's type is not among the category's applicant types.
A page of applications costs two queries, whatever its size. `flag_summary` counts the same
flags over any number of applications with a few grouped queries (for the dashboard).
"""

from collections import defaultdict
from functools import reduce
from operator import or_

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from workflows.i18n import lazy_format
from workflows.stages import State

from .models import Application, Category, Organisation, PatentClaim

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


def shared_patent_applications():
    """The ids of applications claiming a patent number another live application also
    claims, as an uncorrelated subquery (computed once, from the patent claims alone): only
    numbers claimed by two applications or more are looked at, a few among all claims."""
    claimed_twice = (PatentClaim.objects.order_by().values("number")
                     .annotate(holders=Count("application_id", distinct=True))
                     .filter(holders__gt=1).values("number"))
    others = (PatentClaim.objects.filter(number=OuterRef("number"))
              .exclude(application_id=OuterRef("application_id"))
              .exclude(application__state__in=ENDED))
    return (PatentClaim.objects.filter(number__in=claimed_twice).filter(Exists(others))
            .values("application_id"))


def flag_conditions(types: dict[int, list[str]] | None = None) -> dict[str, Q]:
    """The flags of flags_for as conditions on Application, by kind (one query for the
    categories' applicant types, unless `types` from applicant_types() is given).

    Built to cost little a row: the shared patents are one uncorrelated subquery
    (shared_patent_applications), computed once; the repeated-application look-up reads
    only the (programme, category, organisation, state) index."""
    types = applicant_types() if types is None else types
    repeated = Exists(Application.objects
                      .filter(programme_id=OuterRef("programme_id"),
                              category_id=OuterRef("category_id"),
                              organisation_id=OuterRef("organisation_id"))
                      .exclude(pk=OuterRef("pk")).exclude(state__in=ENDED))
    wrong = [Q(category_id=pk) & ~Q(organisation__org_type__in=accepted)
             for pk, accepted in types.items() if accepted]
    return {"shared_patent": Q(pk__in=shared_patent_applications()),
            "repeated": Q(repeated) & ~Q(state__in=ENDED),
            "wrong_type": reduce(or_, wrong) if wrong else Q(pk__isnull=True)}


#: Up to this many organisations, repeated_pairs looks only at theirs.
FEW_ORGANISATIONS = 500


def repeated_pairs(programmes, organisations=None) -> set[tuple[int, int, int]]:
    """(programme, category, organisation) ids with more than one live application, over
    every application of `programmes` (visible or not, drafts too) and of `organisations`
    if given (when there are few: a county's), in one query that reads only the
    (programme, category, organisation, state) index."""
    live = Application.objects.filter(programme_id__in=programmes).exclude(state__in=ENDED)
    if organisations is not None and len(organisations) <= FEW_ORGANISATIONS:
        live = live.filter(organisation_id__in=organisations)
    return {(programme, category, organisation) for programme, category, organisation, n in
            live.order_by().values_list("programme_id", "category_id", "organisation_id")
            .annotate(n=Count("pk")) if n > 1}


def suspect_org_types(types: dict[int, list[str]]) -> dict[int, str]:
    """{organisation id: type} of the organisations some category with applicant types
    would not accept (one query, none when no category restricts its applicants); any other
    organisation is accepted by every category."""
    restricted = [set(accepted) for accepted in types.values() if accepted]
    if not restricted:
        return {}
    return dict(Organisation.objects.exclude(org_type__in=set.intersection(*restricted))
                .values_list("pk", "org_type"))


def count_flags(groups, shared, repeated: set, types: dict, org_types: dict) -> dict:
    """{kind: count, "any": count} from `groups`, (programme, category, organisation, live,
    ended) counts of applications; `shared`, {(programme, category, organisation): (live,
    ended)} counts of those with a shared patent; `repeated`, repeated_pairs(); `types`,
    applicant_types(); `org_types`, suspect_org_types(). An application counts once in
    "any" however many flags it has."""
    counts = dict.fromkeys(["any", *FLAG_LABELS], 0)
    for programme, category, organisation, live, ended in groups:
        key = (programme, category, organisation)
        shared_live, shared_ended = shared.get(key, (0, 0))
        accepted = types.get(category)
        wrong = bool(accepted) and organisation in org_types \
            and org_types[organisation] not in accepted
        twice = key in repeated
        counts["shared_patent"] += shared_live + shared_ended
        counts["repeated"] += live if twice else 0
        counts["wrong_type"] += live + ended if wrong else 0
        counts["any"] += (live + ended if wrong else
                          live + shared_ended if twice else shared_live + shared_ended)
    return counts


def flag_summary(applications, limit: int = 20) -> dict:
    """How many of `applications` carry each flag and any flag, and the first `limit`
    flagged ones with their readable flags from flags_for. Eight queries in all, none of
    them with a look-up per row but the examples' (which stops at `limit` flagged ones).

    The counts come from the applications grouped by (programme, category, organisation),
    live or ended (a few thousand groups at most, read from an index), the few with a shared
    patent, the pairs with more than one live application and the types of the
    organisations some category would not accept; they are folded by count_flags."""
    types = applicant_types()
    conditions = flag_conditions(types)
    ended = Q(state__in=ENDED)
    key = ("programme_id", "category_id", "organisation_id")
    groups = list(applications.order_by().values_list(*key)
                  .annotate(live=Count("pk", filter=~ended), ended=Count("pk", filter=ended)))
    shared = {}
    for *pair, state in (applications.filter(conditions["shared_patent"]).order_by()
                         .values_list(*key, "state")):
        live, gone = shared.get(tuple(pair), (0, 0))
        shared[tuple(pair)] = (live, gone + 1) if state in ENDED else (live + 1, gone)
    repeated = repeated_pairs({group[0] for group in groups}, {group[2] for group in groups})
    counts = count_flags(groups, shared, repeated, types, suspect_org_types(types))
    flagged = reduce(or_, conditions.values())
    examples = list(applications.filter(flagged)
                    .select_related("category", "organisation", "region")
                    .order_by("number")[:limit])
    readable = flags_for(examples)
    return {"total": counts["any"],
            "kinds": [{"kind": kind, "label": label, "count": counts[kind]}
                      for kind, label in FLAG_LABELS.items()],
            "examples": [(app, readable.get(app.pk, [])) for app in examples]}
