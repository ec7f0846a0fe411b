"""Suspicious-application flags shown on the review pages.

- the same patent, trademark registration, Madrid registration or certificate number
  claimed by another application (any programme, category or applicant);
- the organisation has another live application in the same category of the programme;
- the organisation's type is not among the category's applicant types.
A page of applications costs two queries, whatever its size. `flag_summary` counts the same
flags over any number of applications with a few grouped queries (for the dashboard).
"""

from collections import defaultdict
from functools import reduce
from operator import or_

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from workflows.i18n import lazy_format
from workflows.stages import State

from .identifiers import IDENTIFIER_KINDS
from .models import Application, Category, IdentifierClaim, Organisation

#: Applications in these states no longer compete (they are not counted as duplicates).
ENDED = (State.WITHDRAWN, State.REJECTED, State.ACCEPTANCE_FAILED)

#: The kinds of flag, as the dashboard counts them.
FLAG_LABELS = {
    "shared_number": _("专利号、商标注册号或证书编号同时在其他申报中使用"),
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
    mine = IdentifierClaim.objects.filter(application_id__in=ids).values_list(
        "application_id", "kind", "number")
    numbers = {number for _app, _kind, number in mine}
    others = (IdentifierClaim.objects.filter(number__in=numbers)
              .exclude(application__state__in=ENDED)
              .values_list("kind", "number", "application__number", "application_id"))
    holders = defaultdict(set)
    for kind, number, app_number, app_id in others:
        holders[kind, number].add((app_id, app_number))
    for app_id, kind, number in mine:
        for other_id, other_number in holders[kind, number]:
            if other_id != app_id:
                shared[app_id].add((kind, number, other_number))
    for app_id, found in shared.items():
        for kind, number, other_number in sorted(found):
            flags[app_id].append(lazy_format(_("%(kind)s %(number)s 同时在申报 %(other)s 中使用"), {
                "kind": IDENTIFIER_KINDS[kind].label, "number": number,
                "other": other_number}))

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


def shared_numbers(condition: Q) -> dict[int, tuple]:
    """{id: (number, programme, category, organisation, state)} of the applications meeting
    `condition` that claim a number (patent, trademark, Madrid registration, certificate)
    another live application (of any programme) also claims as the same kind.

    One query, whatever the number of applications: only the claims of numbers claimed by
    two applications or more are read (a few among all claims), each with its application's
    fields and whether the application meets `condition`."""
    claimed_twice = (IdentifierClaim.objects.order_by().values("kind", "number")
                     .annotate(holders=Count("application_id", distinct=True))
                     .filter(holders__gt=1).values("number"))
    claims = (Application.objects.filter(identifier_claims__number__in=claimed_twice)
              .order_by()
              .annotate(chosen=ExpressionWrapper(condition, output_field=BooleanField()))
              .values_list("identifier_claims__kind", "identifier_claims__number", "pk",
                           "state", "chosen", "number", "programme_id", "category_id",
                           "organisation_id"))
    holders = defaultdict(list)
    for kind, number, *claim in claims:
        holders[kind, number].append(claim)
    shared = {}
    for holding in holders.values():
        live = {application_id for application_id, state, *_rest in holding
                if state not in ENDED}
        for application_id, state, chosen, *fields in holding:
            if chosen and live - {application_id}:
                shared[application_id] = (*fields, state)
    return shared


def flag_conditions(types: dict[int, list[str]]) -> dict[str, Q]:
    """The flags of flags_for but the shared numbers (see shared_numbers) as conditions on
    Application, by kind, given `types` from applicant_types(). The repeated-application
    look-up reads only the (programme, category, organisation, state) index."""
    repeated = Exists(Application.objects
                      .filter(programme_id=OuterRef("programme_id"),
                              category_id=OuterRef("category_id"),
                              organisation_id=OuterRef("organisation_id"))
                      .exclude(pk=OuterRef("pk")).exclude(state__in=ENDED))
    wrong = [Q(category_id=pk) & ~Q(organisation__org_type__in=accepted)
             for pk, accepted in types.items() if accepted]
    return {"repeated": Q(repeated) & ~Q(state__in=ENDED),
            "wrong_type": reduce(or_, wrong) if wrong else Q(pk__isnull=True)}


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
    ended)} counts of those with a shared number; `repeated`, the (programme, category,
    organisation) with more than one live application; `types`, applicant_types();
    `org_types`, suspect_org_types(). An application counts once in "any" however many
    flags it has."""
    counts = dict.fromkeys(["any", *FLAG_LABELS], 0)
    for programme, category, organisation, live, ended in groups:
        key = (programme, category, organisation)
        shared_live, shared_ended = shared.get(key, (0, 0))
        accepted = types.get(category)
        wrong = bool(accepted) and organisation in org_types \
            and org_types[organisation] not in accepted
        twice = key in repeated
        counts["shared_number"] += shared_live + shared_ended
        counts["repeated"] += live if twice else 0
        counts["wrong_type"] += live + ended if wrong else 0
        counts["any"] += (live + ended if wrong else
                          live + shared_ended if twice else shared_live + shared_ended)
    return counts


def flag_summary(programme, visible: Q, limit: int = 20, *, few_organisations=False) -> dict:
    """How many of the `visible` applications of `programme` carry each flag and any flag,
    and the first `limit` flagged ones with their readable flags from flags_for. Nine
    queries in all, none of them with a look-up per row but the examples' (which stops at
    `limit` flagged ones).

    The counts come from the programme's applications grouped by (programme, category,
    organisation) with the visible ones live or ended and the live ones of any visibility,
    drafts too (a few thousand groups at most, read from an index; only those of the
    organisations with a visible application when `few_organisations`, e.g. a county's,
    where that reads far fewer rows), the few with a shared number (shared_numbers) and the
    types of the organisations some category would not accept; they are folded by
    count_flags."""
    condition = Q(programme=programme) & visible
    applications = Application.objects.filter(condition)
    types = applicant_types()
    ended = Q(state__in=ENDED)
    population = Application.objects.filter(programme=programme)
    if few_organisations:
        population = population.filter(organisation_id__in=applications.values("organisation_id"))
    groups, repeated = [], set()
    for *key, live, gone, live_anywhere in (
            population.order_by()
            .values_list("programme_id", "category_id", "organisation_id")
            .annotate(live=Count("pk", filter=visible & ~ended),
                      gone=Count("pk", filter=visible & ended),
                      live_anywhere=Count("pk", filter=~ended))):
        if live or gone:
            groups.append((*key, live, gone))
        if live_anywhere > 1:
            repeated.add(tuple(key))
    shared_apps = shared_numbers(condition)
    shared = {}
    for _number, *pair, state in shared_apps.values():
        live, gone = shared.get(tuple(pair), (0, 0))
        shared[tuple(pair)] = (live, gone + 1) if state in ENDED else (live + 1, gone)
    counts = count_flags(groups, shared, repeated, types, suspect_org_types(types))
    # the first `limit` by number: of those flagged by a condition, and of those sharing
    # a number
    flagged = reduce(or_, flag_conditions(types).values())
    first = sorted([*applications.filter(flagged).order_by("number")
                    .values_list("number", "pk")[:limit],
                    *((fields[0], pk) for pk, fields in shared_apps.items())])
    ids = list(dict.fromkeys(pk for _number, pk in first))[:limit]
    examples = list(Application.objects.filter(pk__in=ids)
                    .select_related("category", "organisation", "region").order_by("number"))
    readable = flags_for(examples)
    return {"total": counts["any"],
            "kinds": [{"kind": kind, "label": label, "count": counts[kind]}
                      for kind, label in FLAG_LABELS.items()],
            "examples": [(app, readable.get(app.pk, [])) for app in examples]}
