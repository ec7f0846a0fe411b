"""Domain services: creating and editing applications, and who may see which."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import CITY_ROLES, Role
from workflows.exceptions import ConcurrentUpdate
from workflows.stages import State

from . import crashpoints
from .forms import application_form_class
from .identifiers import IDENTIFIER_KINDS, field_identifier_kind
from .models import (
    Application,
    ExpertAssignment,
    IdentifierClaim,
    ProgrammeCategory,
    ProgrammeStatus,
)
from .revisions import open_round, record_form_change
from .rules import EDITABLE_STATES, form_editing

#: States the finance bureau follows.
FINANCE_STATES = (State.AWAITING_DISBURSEMENT, State.DISBURSEMENT_NOTIFIED, State.PAID)


def visibility(user) -> Q:
    """What `user` may see, as a condition on Application: own organisation's; own county's;
    everything for the city; the finance bureau's states; an expert's assignments."""
    role = getattr(user, "role", None) if getattr(user, "is_authenticated", False) else None
    if role == Role.APPLICANT and user.organisation_id:
        return Q(organisation_id=user.organisation_id)
    if role == Role.COUNTY and user.region_id:
        return Q(region_id=user.region_id) & ~Q(state=State.DRAFT)
    if role in CITY_ROLES:
        return ~Q(state=State.DRAFT)
    if role == Role.FINANCE:
        return Q(state__in=FINANCE_STATES)
    if role == Role.EXPERT:
        return Q(pk__in=ExpertAssignment.objects.filter(expert=user).values("application_id"))
    return Q(pk__in=[])


def visible_applications(user):
    """Applications `user` may see (visibility)."""
    return Application.objects.filter(visibility(user))


#: Roles that review applications, who may need to call the applicant about one: county
#: and city staff. Not the experts: they score what was submitted and have no business
#: with the applicant (no private contact during a review); the finance bureau pays what
#: the disbursement notice lists; applicants never see another organisation's application.
CONTACT_ROLES = frozenset({Role.COUNTY, *CITY_ROLES})


def sees_applicant_contact(user, application) -> bool:
    """Whether `user` sees the applicant's contact person, phone and credit code on
    `application`: a reviewer who may see the application."""
    role = getattr(user, "role", None) if getattr(user, "is_authenticated", False) else None
    return role in CONTACT_ROLES and visible_applications(user).filter(pk=application.pk).exists()


def _next_number(pc: ProgrammeCategory) -> str:
    """Allocate the next application number in a programme category (no gaps, no reuse)."""
    ProgrammeCategory.objects.filter(pk=pc.pk).update(last_number=F("last_number") + 1)
    last = ProgrammeCategory.objects.values_list("last_number", flat=True).get(pk=pc.pk)
    return f"{pc.programme.year}-{pc.category.code}-{last:04d}"


def create_application(user, programme, category, data: dict) -> Application:
    """Create a draft for the user's organisation after validating `data` with the category form.

    Raises PermissionDenied when the user cannot apply, ValidationError (with field errors)
    when the data is invalid.
    """
    if getattr(user, "role", None) != Role.APPLICANT or not user.organisation_id:
        raise PermissionDenied(_("只有申报单位的用户可以创建申报。"))
    pc = (ProgrammeCategory.objects.select_related("programme", "category")
          .filter(programme=programme, category=category).first())
    if pc is None:
        raise ValidationError({"category": [_("该资助计划不包含此类别。")]})
    if programme.status != ProgrammeStatus.OPEN:
        raise ValidationError({"programme": [_("该资助计划当前不受理申报。")]})
    organisation = user.organisation
    if not category.accepts(organisation.org_type):
        raise ValidationError({"category": [_("贵单位的类型不属于该类别的申报主体。")]})
    form = application_form_class(category)(data, programme=programme)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    with transaction.atomic():
        application = Application.objects.create(
            number=_next_number(pc),
            programme=programme,
            category=category,
            lifecycle=category.lifecycle,
            organisation=organisation,
            region_id=organisation.region_id,
            created_by=user,
            title=form.cleaned_data["title"],
            requested_amount=form.cleaned_data["requested_amount"],
            form_data=form.form_data(),
        )
        record_identifier_claims(application)
        crashpoints.pause("application_created")
        return application


def application_form(application: Application, data=None):
    """The category form for editing `application`: its current values as initial data and
    the fields form_editing locks disabled (a disabled field keeps its initial value,
    whatever is posted)."""
    form = application_form_class(application.category)(data, initial={
        "title": application.title, "requested_amount": application.requested_amount,
        **application.form_data}, programme=application.programme)
    for name in form_editing(application).locked:
        if name in form.fields:
            form.fields[name].disabled = True
    return form


def update_application(user, application: Application, data: dict) -> Application:
    """Save new form values on a draft or returned application of the user's organisation,
    as far as form_editing allows; raises ValidationError with its reason when nothing may
    change."""
    if getattr(user, "role", None) != Role.APPLICANT \
            or user.organisation_id != application.organisation_id:
        raise PermissionDenied(_("只有申报单位本单位的用户可以修改申报。"))
    editing = form_editing(application)
    if not editing.editable:
        raise ValidationError(editing.reason)
    form = application_form(application, data)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    values = {"title": form.cleaned_data["title"],
              "requested_amount": form.cleaned_data["requested_amount"],
              "form_data": form.form_data(), "updated_at": timezone.now()}
    with transaction.atomic():
        # Only if nobody moved the application since it was read (e.g. submitted it).
        updated = Application.objects.filter(
            pk=application.pk, audit_seq=application.audit_seq, state__in=EDITABLE_STATES,
        ).update(**values)
        if not updated:
            raise ConcurrentUpdate(_("该申报已被他人处理，状态已变化，请刷新后再试。"))
        revision = open_round(application)  # before the values in memory change
        for name, value in values.items():
            setattr(application, name, value)
        record_form_change(revision, application)
        record_identifier_claims(application)
    return application


def claimed_numbers(category, form_data: dict) -> set[tuple[str, str]]:
    """(kind, normalised number) of every identifier the form data claims: the numbers of
    its patent, trademark and Madrid fields and of the text fields the definition marks
    with an "identifier" kind (a certificate number); values that are not valid numbers of
    their kind are not claims."""
    claims = set()
    for definition in category.form_fields:
        kind = field_identifier_kind(definition)
        value = form_data.get(definition["name"])
        if kind is None or value in (None, "", []):
            continue
        for raw in value if isinstance(value, list) else [value]:
            raw = raw.get("number", "") if isinstance(raw, dict) else raw
            normal = IDENTIFIER_KINDS[kind].normalise(str(raw))
            if normal:
                claims.add((kind, normal))
    return claims


def record_identifier_claims(application: Application) -> None:
    """Keep the application's IdentifierClaim rows equal to the numbers its form claims
    (claimed_numbers), in their normalised form: the key the shared-number flag compares."""
    wanted = claimed_numbers(application.category, application.form_data)
    claims = application.identifier_claims
    known = set(claims.values_list("kind", "number"))
    for kind, number in known - wanted:
        claims.filter(kind=kind, number=number).delete()
    IdentifierClaim.objects.bulk_create(
        [IdentifierClaim(application=application, kind=kind, number=number)
         for kind, number in sorted(wanted - known)])
